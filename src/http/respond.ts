import type { TwilioApiError } from '../errors/twilio-api-error.js'

const encoder = new TextEncoder()

/** Every answer of the API has this content type (204s included). */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/**
 * An answer of the pipeline before any door turns it into its own kind of response (a Fetch `Response`, a
 * `node:http` write): status, JSON text (null for an empty body) and extra headers.
 */
export interface WireResponse {
  status: number
  /** JSON text of the body; null for none (204). */
  body: string | null
  /** Headers besides `content-type` and `content-length` (e.g. `Retry-After`, `Allow`). */
  headers?: Record<string, string>
}

/** A {@link WireResponse} with `value` as JSON. */
export function wireJson(status: number, value: unknown, headers?: Record<string, string>): WireResponse {
  return { status, body: JSON.stringify(value), headers }
}

/** Twilio's error body for an API error, as a {@link WireResponse}. */
export function wireError(err: TwilioApiError): WireResponse {
  return wireJson(err.status, err.toBody(), err.headers)
}

/**
 * The Fetch `Response` of a {@link WireResponse}, with `content-type` and `content-length` always set (msw 2 /
 * nock 14 hang on keep-alive responses without a length).
 */
export function toResponse(wire: WireResponse): Response {
  const bytes = wire.body === null ? null : encoder.encode(wire.body)
  return new Response(bytes, { status: wire.status, headers: wireHeaders(wire, bytes?.byteLength ?? 0) })
}

/** The headers of a {@link WireResponse} whose body is `length` bytes, as every door sends them. */
export function wireHeaders(wire: WireResponse, length: number): Record<string, string> {
  return { 'content-type': JSON_CONTENT_TYPE, 'content-length': String(length), ...wire.headers }
}

/** A JSON response with `content-type` and `content-length` always set. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return toResponse(wireJson(status, body, headers))
}

/** Twilio's error body for an API error. */
export function errorResponse(err: TwilioApiError): Response {
  return toResponse(wireError(err))
}
