import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { DelayedStatus, DeliveryOutcome } from '../scenarios/types.js'
import type { MessageStatus } from '../schemas/common.js'
import type { Channel } from './address.js'

/**
 * The transition table of a message. Each entry: from a status, which statuses may follow. The lifecycle reads
 * it: every move of a message is checked against it, and the statuses a message passes after `queued` are the
 * table's shortest path from `sending` to its delivery outcome (see {@link pathAfterQueued}).
 *
 * - Without a messaging service a message starts `queued`; with one, `accepted` (or `scheduled` with
 *   `ScheduleType=fixed`), and moves to `queued` once a sender of the pool is picked (at `SendAt` for a
 *   scheduled message, which can be `canceled` until then).
 * - `queued` → `sending` → `sent` → `delivered` | `undelivered`; `failed` from any step before `sent`
 *   (no sender or a full queue when a sender is picked, ValidityPeriod expired, WhatsApp's window closed,
 *   MaxPrice exceeded, or a scripted failure).
 * - `delivered` → `read` when the channel sends read receipts (WhatsApp, RCS, Messenger).
 * - Inbound: `receiving` → `received`.
 *
 * @example
 * TRANSITIONS.sent // ['delivered', 'undelivered']
 */
export const TRANSITIONS: Readonly<Partial<Record<MessageStatus, readonly MessageStatus[]>>> = {
  scheduled: ['queued', 'canceled', 'failed'],
  accepted: ['queued', 'failed'],
  queued: ['sending', 'failed'],
  sending: ['sent', 'failed'],
  sent: ['delivered', 'undelivered'],
  delivered: ['read'],
  receiving: ['received'],
}

/** Statuses after which a message can be deleted (its delivery is complete as far as the API tells). */
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

/**
 * Statuses that produce a status callback when a message reaches them: `queued` (only after `accepted`
 * or `scheduled`, since the initial status never produces one), `sent`, `failed`, `delivered`,
 * `undelivered`, `read` and `canceled`. Never `sending`, `accepted`, `scheduled` nor the inbound statuses.
 */
export const CALLBACK_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'queued',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'read',
  'canceled',
])

/** Statuses that produce no status callback. */
export const SILENT_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'sending',
  'accepted',
  'scheduled',
  'receiving',
  'received',
  'partially_delivered',
])

/** The only statuses an application's `message_status_callback` hears about (the Message resource document). */
export const APPLICATION_CALLBACK_STATUSES: ReadonlySet<MessageStatus> = new Set(['sent', 'failed'])

/**
 * Default time a message spends in each status before moving on (ms): `accepted` until a sender is
 * picked, `queued` before it leaves the sender's queue (at least; the sender's rate may hold it longer),
 * `sending` until the carrier accepts it, `sent` until the delivery receipt, `delivered` until the read
 * receipt (when one is scripted).
 */
export const DEFAULT_DELAYS: Readonly<Record<DelayedStatus, number>> = {
  accepted: 500,
  queued: 1000,
  sending: 1000,
  sent: 3000,
  delivered: 5000,
}

/** Channels whose messages can be read (read receipts). */
export const READ_RECEIPT_CHANNELS: ReadonlySet<Channel> = new Set(['whatsapp', 'rcs', 'messenger'])

/** True when `to` may follow `from` in the table. */
export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return TRANSITIONS[from]?.includes(to) ?? false
}

/**
 * The statuses a message passes after `queued` for a delivery outcome: `sending`, then the shortest path of
 * {@link TRANSITIONS} from `sending` to the outcome, e.g. `delivered` → [sending, sent, delivered]; `failed` →
 * [sending, failed]. `read` ends at `delivered` on a channel without read receipts (SMS/MMS). An outcome the
 * table cannot reach from `sending` is refused.
 *
 * @example
 * pathAfterQueued('read', 'whatsapp') // ['sending', 'sent', 'delivered', 'read']
 */
export function pathAfterQueued(outcome: DeliveryOutcome, channel?: Channel): readonly MessageStatus[] {
  const target: MessageStatus =
    outcome === 'read' && channel !== undefined && !READ_RECEIPT_CHANNELS.has(channel) ? 'delivered' : outcome
  if (!canTransition('queued', 'sending'))
    throw new TwilioDoubleError("the transition table has no move from 'queued' to 'sending'")
  // breadth first from `sending`: the first path found to a status is a shortest one
  const cameFrom = new Map<MessageStatus, MessageStatus | undefined>([['sending', undefined]])
  const todo: MessageStatus[] = ['sending']
  for (let i = 0; i < todo.length && !cameFrom.has(target); i++)
    for (const next of TRANSITIONS[todo[i]!] ?? [])
      if (!cameFrom.has(next)) {
        cameFrom.set(next, todo[i])
        todo.push(next)
      }
  if (!cameFrom.has(target))
    throw new TwilioDoubleError(`the transition table has no path from 'sending' to '${target}'`)
  const path: MessageStatus[] = []
  for (let s: MessageStatus | undefined = target; s !== undefined; s = cameFrom.get(s)) path.unshift(s)
  return Object.freeze(path)
}

/** Statuses in which a message is still waiting in a queue (ValidityPeriod applies). */
export function isQueuedStatus(s: MessageStatus): boolean {
  return s === 'queued' || s === 'accepted'
}
