/**
 * Errors of the messaging domain that the HTTP layer renders in Twilio's shape (the domain's other refusals are
 * `TwilioApiError`s with a code and details).
 */

import type { AccountsCursor } from './accounts-api.js'
import type { ListCursor } from './commands.js'

/**
 * A resource the command names does not exist (an account, a message or a media item); the HTTP layer
 * answers 20404 with the path of the request.
 *
 * @example
 * throw new NotFoundError('message', 'SM00000000000000000000000000000000')
 */
export class NotFoundError extends Error {
  constructor(
    readonly resource: 'account' | 'message' | 'media' | 'content',
    readonly sid: string,
  ) {
    super(`no ${resource} ${sid}`)
    this.name = 'NotFoundError'
  }
}

/**
 * A sender's queue already holds as much traffic as it may (`maxQueueSeconds`): the create is refused; the HTTP
 * layer answers 429 (code 20429) with a `Retry-After` of `retryAfterSeconds`.
 *
 * @example
 * throw new QueueFullError(3)
 */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`the sender's queue is full: retry after ${retryAfterSeconds} s`)
    this.name = 'QueueFullError'
  }
}

/**
 * A list read from a cursor that names no message the account has (or had, for deleted ones it remembers), or no
 * account of the Accounts list: the HTTP layer answers 20001 naming the page token.
 *
 * @example
 * throw new UnknownCursorError({ direction: 'after', messageSid: 'SM00000000000000000000000000000000' })
 */
export class UnknownCursorError extends Error {
  /** The SID the cursor names. */
  readonly sid: string
  constructor(readonly cursor: ListCursor | AccountsCursor) {
    const sid = 'messageSid' in cursor ? cursor.messageSid : cursor.accountSid
    super(`no list position at ${'messageSid' in cursor ? 'message' : 'account'} ${sid}`)
    this.name = 'UnknownCursorError'
    this.sid = sid
  }
}

/**
 * A scenario's network error: the call fails at the network level. Each door turns it into its own kind of
 * failure (a rejected fetch, an msw network error, a dropped connection).
 *
 * @example
 * double.scenarios.use({ then: { networkError: true }, times: 1 }) // the next create rejects with it
 */
export class SimulatedNetworkError extends Error {
  readonly code = 'ECONNRESET'
  constructor() {
    super('[twilio-double] simulated network error (scenario networkError)')
    this.name = 'SimulatedNetworkError'
  }
}

/**
 * A scenario's HTTP fault: the HTTP layer answers 429 (code 20429, with `Retry-After` of `retryAfterSeconds`), 500
 * (20500) or 503 (20503).
 *
 * @example
 * throw new ScenarioFault(429, 1)
 */
export class ScenarioFault extends Error {
  constructor(
    readonly status: 429 | 500 | 503,
    readonly retryAfterSeconds: number,
  ) {
    super(`a scenario answers HTTP ${status}`)
    this.name = 'ScenarioFault'
  }
}

/**
 * A scenario's refusal of the call with a Twilio error code (the message from the catalog, naming the call's
 * addresses, or the scenario's own); the HTTP layer renders it with the request's path.
 *
 * @example
 * throw new ScenarioRefusal(21610, { to: '+15550001111' })
 */
export class ScenarioRefusal extends Error {
  constructor(
    readonly code: number,
    readonly details: { to?: string; from?: string; message?: string },
  ) {
    super(`a scenario refuses the call with ${code}`)
    this.name = 'ScenarioRefusal'
  }
}
