import type { MessageRecord } from './types.js'

/**
 * When a message was created on the double's clock (its first account's, `double.now()`), whichever account's
 * clock it was made on: the one time by which messages of accounts whose clocks lead or lag compare. It is read on
 * the double's clock as it reads now: when a reset of the first account alone sets that clock back, the messages
 * of the other accounts read as many ms earlier (see `TenantRegistry.reset()`).
 *
 * @example
 * // made at 01:00 by a subaccount whose clock led the double's by an hour
 * createdOnDoubleClock({ dateCreated: Date.parse('2024-01-01T01:00:00Z'), doubleClockLead: -3_600_000 })
 * // Date.parse('2024-01-01T00:00:00Z'): the double's time when it was made
 */
export function createdOnDoubleClock(r: Pick<MessageRecord, 'dateCreated' | 'doubleClockLead'>): number {
  return r.dateCreated + (r.doubleClockLead ?? 0)
}
