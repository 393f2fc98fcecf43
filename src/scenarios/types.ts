import type { Channel } from '../schemas/common.js'
import type { Duration } from '../util/duration.js'

/** The API operations a scenario can match. */
export type Operation = 'create' | 'fetch' | 'list' | 'update' | 'delete' | 'media' | 'feedback'

/** What a scenario matches on; every given field must match. */
export interface ScenarioMatch {
  to?: string | RegExp
  from?: string | RegExp
  body?: string | RegExp
  channel?: Channel
  messagingServiceSid?: string
  /** Default: 'create'. */
  operation?: Operation | Operation[]
}

/**
 * Final outcome of a message's delivery, which sets its status path after `queued`:
 * `delivered` (sending → sent → delivered), `undelivered` (… → sent → undelivered), `failed`
 * (sending → failed), `sent` (stops at sent: no delivery receipt), `read` (… → delivered → read; on
 * channels with read receipts only, WhatsApp, RCS and Messenger; SMS stops at delivered).
 */
export type DeliveryOutcome = 'delivered' | 'undelivered' | 'failed' | 'sent' | 'read'

/**
 * Statuses a delivery path waits in: `accepted` (a messaging service picks a sender), `queued` (at least;
 * a busy sender holds messages longer), `sending`, `sent` (until the delivery receipt), `delivered`
 * (until the read receipt).
 */
export type DelayedStatus = 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered'

/** What happens when a scenario matches. Combine `latency` with any other outcome. */
export interface ScenarioOutcome {
  /** Reject the API call with this error code (HTTP status and message from the catalog). */
  reject?: number
  /** Override the catalog message of `reject`. */
  message?: string
  /** Answer with an HTTP fault instead: 429 (with Retry-After), 500 or 503. */
  fault?: 429 | 500 | 503
  /** Seconds for the Retry-After header of a 429 fault (default 1). */
  retryAfter?: number
  /** Fail the request at the network level (the client sees a connection error). */
  networkError?: boolean
  /** Added latency (virtual time moves by this much while the call runs). */
  latency?: Duration
  /** Delivery outcome of a created message (default `delivered`; `undelivered` when only `errorCode` is given). */
  deliver?: DeliveryOutcome
  /**
   * Error code of a failed/undelivered delivery (30001–30010, 63001–63040, any code of the catalog).
   * Default 30008 for `failed`, 30003 for `undelivered`.
   */
  errorCode?: number
  /** Time spent in each status before the next one, overriding the double's `delays`. */
  delays?: Partial<Record<DelayedStatus, Duration>>
  /** A read receipt this long after `delivered` (implies `deliver: 'read'`; same as `delays.delivered`). */
  readAfter?: Duration
  /** Status callbacks of the message carry a wrong X-Twilio-Signature. */
  tamperSignature?: boolean
  /** Each status callback is delivered twice. */
  duplicateCallbacks?: boolean
  /** Status callbacks are delivered in reverse order, after the final status. */
  reorderCallbacks?: boolean
}

/** What a function scenario sees. */
export interface ScenarioContext {
  operation: Operation
  accountSid: string
  to?: string
  from?: string
  body?: string
  channel?: Channel
  messagingServiceSid?: string
  /** Parameters of the call as sent. */
  params: Record<string, string | string[]>
}

/**
 * A programmable scenario: when a request or message matches, then an outcome.
 *
 * @example
 * double.scenarios.use({ when: { to: '+15550001111' }, then: { deliver: 'undelivered', errorCode: 30003 } })
 */
export interface Scenario {
  name?: string
  when?: ScenarioMatch
  then: ScenarioOutcome | ((ctx: ScenarioContext) => ScenarioOutcome | undefined)
  /** How many times it applies (default: always). */
  times?: number
  /** Probability in [0, 1] that it applies when it matches, drawn from the double's seed (default 1). */
  probability?: number
}
