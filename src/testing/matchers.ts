/**
 * `twilio-double/matchers`: custom matchers of the double for vitest and jest (`expect(double).toHaveSentMessage()`,
 * `toHaveSentMessages()`, `toHaveReceivedStatusCallback()`).
 */
import type { SentMessageMatch } from './sent-messages.js'
import { toHaveSentMessage, toHaveSentMessages } from './sent-messages.js'
import type { StatusCallbackMatch } from './status-callback-matcher.js'
import { toHaveReceivedStatusCallback } from './status-callback-matcher.js'

export type { TextMatch } from './matcher-support.js'
export { type SentMessageMatch, toHaveSentMessage, toHaveSentMessages } from './sent-messages.js'
export { type StatusCallbackMatch, toHaveReceivedStatusCallback } from './status-callback-matcher.js'

/** The custom matchers, typed for `expect(double)` in vitest and jest. */
export interface TwilioDoubleMatchers<R = unknown> {
  /**
   * Passes when the double has sent (created through the API) at least one message matching `expected`.
   *
   * @example
   * expect(twilioDouble).toHaveSentMessage({ to: '+15550001111', body: /code \d{6}/ })
   */
  toHaveSentMessage(expected?: SentMessageMatch): R
  /**
   * Passes when the double has sent exactly `count` messages (matching `where`, when given).
   *
   * @example
   * expect(twilioDouble).toHaveSentMessages(2, { to: '+15550001111' })
   */
  toHaveSentMessages(count: number, where?: SentMessageMatch): R
  /**
   * Passes when a status callback matching `expected` was delivered and answered by the receiver (any HTTP
   * status; narrow it with `responseStatus`). Run `await double.settle()` (or `advance()`) first, so that
   * the transitions and their callbacks have happened.
   *
   * @example
   * expect(twilioDouble).toHaveReceivedStatusCallback({ sid: message.sid, status: 'delivered' })
   */
  toHaveReceivedStatusCallback(expected: StatusCallbackMatch): R
}

/**
 * The matchers, ready for `expect.extend()` in vitest or jest. The setup entries `twilio-double/vitest`
 * and `twilio-double/jest` register them for you.
 *
 * @example
 * import { expect } from 'vitest'
 * import { twilioMatchers } from 'twilio-double/matchers'
 * expect.extend(twilioMatchers)
 */
export const twilioMatchers = {
  toHaveSentMessage,
  toHaveSentMessages,
  toHaveReceivedStatusCallback,
}
