import type { DelayedStatus, DeliveryOutcome } from '../scenarios/types.js'
import type { MessageStatus } from '../schemas/common.js'

/**
 * The transition table of an outbound message. Each entry: from a status, which statuses may follow.
 * Final statuses have no successors except `delivered` → `read` (read receipts).
 */
export const TRANSITIONS: Readonly<Partial<Record<MessageStatus, readonly MessageStatus[]>>> = {
  scheduled: ['queued', 'canceled'],
  accepted: ['queued', 'failed'],
  queued: ['sending', 'failed'],
  sending: ['sent', 'failed'],
  sent: ['delivered', 'undelivered'],
  delivered: ['read'],
}

/** Statuses after which a message can be deleted (its delivery is complete). */
export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'canceled',
  'read',
  'received',
  'partially_delivered',
])

/** Statuses that produce no status callback. */
export const SILENT_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'sending',
  'accepted',
  'scheduled',
  'receiving',
  'received',
])

/** Default time a message spends in each status before moving on (ms). */
export const DEFAULT_DELAYS: Readonly<Record<DelayedStatus, number>> = {
  accepted: 500,
  queued: 1000,
  sending: 1000,
  sent: 3000,
  delivered: 5000,
}

/** True when `to` may follow `from` in the table. */
export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return TRANSITIONS[from]?.includes(to) ?? false
}

/**
 * The statuses a message passes after `queued` for a delivery outcome, e.g. `delivered` →
 * [sending, sent, delivered]; `failed` → [sending, failed].
 */
export function pathAfterQueued(outcome: DeliveryOutcome): MessageStatus[] {
  switch (outcome) {
    case 'failed':
      return ['sending', 'failed']
    case 'sent':
      return ['sending', 'sent']
    case 'undelivered':
      return ['sending', 'sent', 'undelivered']
    case 'read':
      return ['sending', 'sent', 'delivered', 'read']
    default:
      return ['sending', 'sent', 'delivered']
  }
}

/** Statuses a message is still waiting in a queue (ValidityPeriod applies). */
export function isQueuedStatus(s: MessageStatus): boolean {
  return s === 'queued' || s === 'accepted'
}
