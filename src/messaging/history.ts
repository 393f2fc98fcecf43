import type { MessageRecord, StatusStep } from './types.js'

/**
 * Every status a message went through, oldest first.
 *
 * @example
 * statusHistory(record).map((s) => s.status) // ['queued', 'sending', 'sent', 'delivered']
 */
export function statusHistory(r: MessageRecord): readonly StatusStep[] {
  const h = r.history
  if (typeof h === 'string') return [{ status: h, at: r.dateCreated }]
  return Array.isArray(h) ? h : [h]
}

/**
 * Adds a status to a message's history. A message's first step is kept without an array until it has a second
 * (most stored messages never change status while a test reads them), and without an object of its own when it
 * is the status the message was created in, at its date created.
 *
 * @example
 * addStatusStep(record, { status: 'sending', at: now })
 */
export function addStatusStep(r: MessageRecord, step: StatusStep): void {
  const h = r.history
  if (Array.isArray(h)) h.push(step)
  else r.history = [typeof h === 'string' ? { status: h, at: r.dateCreated } : h, step]
}
