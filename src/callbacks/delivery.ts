/**
 * The shapes of callback delivery: what the domain asks the outbox to send ({@link OutgoingCallback}), what is
 * recorded of each attempt ({@link CallbackDelivery}), in-process receivers and the options.
 */

/** One delivery of a status callback or inbound webhook, as recorded. */
export interface CallbackDelivery {
  /** Sequence number, in the order deliveries were attempted. */
  id: number
  kind: 'status' | 'inbound'
  messageSid: string
  accountSid: string
  /** MessageStatus (status callbacks) or 'received' (inbound). */
  status: string
  url: string
  method: 'POST' | 'GET'
  params: Record<string, string>
  headers: Record<string, string>
  signature: string
  /** Virtual time the delivery was made (epoch ms). */
  at: number
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number
  /** HTTP status of the app's answer; undefined when the request failed. */
  responseStatus?: number
  responseBody?: string
  responseContentType?: string
  /** The `Set-Cookie` values of the app's answer, when it set cookies. */
  responseSetCookies?: string[]
  /** Network error, timeout or handler error message. */
  error?: string
  /** Real milliseconds the delivery took. */
  durationMs?: number
  /** True when the delivery was not made because its host is not this machine (see `error`). */
  notSent?: boolean
}

/** An in-process receiver of callbacks: gets a `Request`, may return a `Response` (default 200, empty). */
export type CallbackHandler = (
  request: Request,
) => Response | undefined | void | Promise<Response | undefined | void>

/** Options of status-callback and webhook delivery. */
export interface CallbackOptions {
  /** Real-time timeout of one delivery attempt in ms (default 5000). Not affected by fake timers. */
  timeoutMs?: number
  /** Retries after a failed attempt (network error, timeout, handler error or 5xx answer). Default 0. */
  retries?: number
  /**
   * fetch used for deliveries; default: the global fetch at the time of delivery (so msw can intercept).
   * A fetch given here receives every delivery no in-process handler takes: where it sends them is yours.
   */
  fetch?: typeof fetch
  /**
   * Deliveries to hosts other than this machine go over the network (default false: such a delivery is
   * made only when an in-process handler or a declared interceptor such as msw answers it, and is
   * otherwise recorded as failed, with one warning per host). Loopback URLs always go over the network.
   */
  network?: boolean
  /** Most deliveries kept in `callbacks.list()` (oldest dropped first). Default 10,000. */
  maxRecorded?: number
}

/** What to deliver. */
export interface OutgoingCallback {
  kind: 'status' | 'inbound'
  messageSid: string
  accountSid: string
  status: string
  url: string
  method?: 'POST' | 'GET'
  params: Record<string, string>
  authToken: string
  /** Sign with a wrong key, so that signature validation fails. */
  tamper?: boolean
  /** More request headers (the `Cookie` of a conversation). */
  headers?: Record<string, string>
  /** Virtual time of the event (epoch ms). */
  at: number
}

/** Filter of {@link Outbox.list}. */
export interface DeliveryFilter {
  messageSid?: string
  status?: string
  kind?: 'status' | 'inbound'
}

/** Where in-process receivers take callbacks: a URL prefix, a RegExp or a predicate of the URL. */
export type CallbackMatch = string | RegExp | ((url: string) => boolean)
