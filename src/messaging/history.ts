import type { MessageRecord, StatusStep } from './types.js'

/**
 * Every status a message went through, oldest first.
 *
 * @example
 * statusHistory(record).map((s) => s.status) // ['queued', 'sending', 'sent', 'delivered']
 */
export function statusHistory(r: MessageRecord): readonly StatusStep[] {
  return Array.isArray(r.history) ? r.history : [r.history]
}

/**
 * Adds a status to a message's history (a message's first step is kept without an array until it has a second:
 * most stored messages never change status while a test reads them).
 *
 * @example
 * addStatusStep(record, { status: 'sending', at: now })
 */
export function addStatusStep(r: MessageRecord, step: StatusStep): void {
  if (Array.isArray(r.history)) r.history.push(step)
  else r.history = [r.history, step]
}
