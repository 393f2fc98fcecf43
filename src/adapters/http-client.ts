import type TwilioSDK from 'twilio'
import { handleOrHangUp } from '../http/fetch.js'
import { encodeForm } from '../http/form.js'

/** Options of `double.httpClient()`. */
export interface HttpClientOptions {
  /** Retry 429 answers like the `twilio` client's `autoRetry` (no real waiting). Default false. */
  autoRetry?: boolean
  /** Most retries of a 429 (default 3). */
  maxRetries?: number
}

/** What the `twilio` client passes to its `httpClient.request()`. */
export interface TwilioRequestOptions {
  method: string
  uri: string
  username?: string
  password?: string
  authStrategy?: { getAuthString(): Promise<string> }
  headers?: Record<string, string>
  params?: Record<string, unknown>
  data?: Record<string, unknown>
  timeout?: number
  allowRedirects?: boolean
  logLevel?: string
}

/** What the `twilio` client expects back. */
export interface TwilioResponse {
  statusCode: number
  body: string
  headers: Record<string, string>
}

/** The `twilio` client's `RequestClient` type, which `double.httpClient()` satisfies. */
export type TwilioRequestClient = TwilioSDK.RequestClient

/** An `httpClient` for the `twilio` client, answered by the double with no network and no interception. */
export interface DoubleHttpClient {
  request(opts: TwilioRequestOptions): Promise<TwilioResponse>
  /** The last request made, as a Fetch `Request` (for debugging). */
  lastRequest?: Request
  /** The last response given. */
  lastResponse?: TwilioResponse
}

/**
 * Builds an `httpClient` for `twilio(accountSid, authToken, { httpClient })` over a handler.
 *
 * @example
 * const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
 */
export function createHttpClient(
  handle: (request: Request) => Promise<Response>,
  options: HttpClientOptions = {},
): DoubleHttpClient {
  const client: DoubleHttpClient = {
    async request(opts) {
      const headers = new Headers()
      for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers.set(k, String(v))
      if (opts.username && opts.password)
        headers.set(
          'authorization',
          `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`,
        )
      else if (opts.authStrategy) headers.set('authorization', await opts.authStrategy.getAuthString())
      const url = new URL(opts.uri)
      if (opts.params) {
        const qs = encodeForm(opts.params)
        if (qs) url.search = url.search ? `${url.search}&${qs}` : `?${qs}`
      }
      const method = opts.method.toUpperCase()
      // the Content API takes JSON (the client says so in Content-Type); the other APIs take forms
      const json = (headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')
      const body =
        opts.data && method !== 'GET' && method !== 'DELETE'
          ? json
            ? JSON.stringify(opts.data)
            : encodeForm(opts.data)
          : undefined
      if (body !== undefined && !headers.has('content-type'))
        headers.set('content-type', 'application/x-www-form-urlencoded')
      const maxRetries = options.autoRetry ? (options.maxRetries ?? 3) : 0
      for (let attempt = 0; ; attempt++) {
        const request = new Request(url, { method, headers, body })
        client.lastRequest = request
        const response = await handleOrHangUp(handle, request)
        if (response.status === 429 && attempt < maxRetries) continue
        const out: TwilioResponse = {
          statusCode: response.status,
          body: await response.text(),
          headers: Object.fromEntries(response.headers),
        }
        client.lastResponse = out
        return out
      }
    },
  }
  return client
}
