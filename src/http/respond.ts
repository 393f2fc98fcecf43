import { TwilioApiError } from '../errors/twilio-api-error.js'

const encoder = new TextEncoder()

/**
 * A JSON response with `content-type` and `content-length` always set (msw 2 / nock 14 hang on keep-alive
 * responses without a length).
 */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const bytes = encoder.encode(JSON.stringify(body))
  return new Response(bytes, {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(bytes.byteLength),
      ...headers,
    },
  })
}

/** An empty 204 response (Delete), with the same content-type as every other answer of the API. */
export function noContent(): Response {
  return new Response(null, {
    status: 204,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': '0' },
  })
}

/** Twilio's error body for an API error. */
export function errorResponse(err: TwilioApiError): Response {
  return json(err.status, err.toBody(), err.headers)
}

/** Twilio's error body for a code. */
export function errorFor(
  code: number,
  details: ConstructorParameters<typeof TwilioApiError>[1] = {},
  status?: number,
): Response {
  return errorResponse(new TwilioApiError(code, details, status ? { status } : {}))
}
