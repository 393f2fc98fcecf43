/**
 * Errors of the messaging domain that the HTTP layer renders in Twilio's shape (the domain's other refusals are
 * `TwilioApiError`s with a code and details).
 */

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
    readonly resource: 'account' | 'message' | 'media',
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
 * A list read from a cursor that names no message the account has (or had, for deleted ones it remembers): the
 * HTTP layer answers 20001 naming the page token.
 *
 * @example
 * throw new UnknownCursorError({ direction: 'after', messageSid: 'SM00000000000000000000000000000000' })
 */
export class UnknownCursorError extends Error {
  constructor(readonly cursor: ListCursor) {
    super(`no list position at message ${cursor.messageSid}`)
    this.name = 'UnknownCursorError'
  }
}
