import type { CallbackDelivery } from '../../callbacks/delivery.js'
import type { MessageRecord } from '../../messaging/types.js'

/**
 * How the callbacks of one message went, as `GET /__double/messages` gives it with each message
 * (`callbackSummary`): the status callbacks of a message sent, the webhook of a message received.
 */
export interface CallbackSummary {
  /** `status`: the message's status callbacks; `inbound`: the webhook of an incoming message. */
  kind: 'status' | 'inbound'
  /**
   * - `ok`: every callback sent was answered with HTTP 2xx or 3xx;
   * - `failed`: at least one was not (an error status, no answer, a timeout), counting its last attempt;
   * - `pending`: the message has a status callback URL and nothing was sent yet;
   * - `none`: nothing was sent and no URL is registered (no StatusCallback, no messaging service callback).
   */
  state: 'ok' | 'failed' | 'pending' | 'none'
  /** Callbacks sent: one per status (or webhook), its retries counted once. */
  sent: number
  /** Of those, how many failed at their last attempt. */
  failed: number
}

/** True when an attempt reached the app and the app answered with success (as Twilio counts it: below 400). */
export function answered(d: CallbackDelivery): boolean {
  return d.error === undefined && d.responseStatus !== undefined && d.responseStatus < 400
}

/**
 * The {@link CallbackSummary} of each of `records`, from the deliveries recorded (any order of accounts, each
 * account's oldest first, as the double lists them). A retry (attempt 2, 3, …) belongs to the callback of the
 * same message and status sent before it, and its outcome replaces that of the earlier attempt.
 *
 * @example
 * const summaries = summarizeCallbacks(page, double.callbacks.list(), (r) => backend.callbackUrl(r))
 * summaries.get(sid) // { kind: 'status', state: 'failed', sent: 2, failed: 1 }
 */
export function summarizeCallbacks(
  records: readonly MessageRecord[],
  deliveries: readonly CallbackDelivery[],
  statusCallbackUrl: (record: MessageRecord) => string | undefined,
): Map<string, CallbackSummary> {
  const wanted = new Set(records.map((r) => r.sid))
  /** Per message, the outcome of each callback sent, and per status the index of its latest callback. */
  const outcomes = new Map<string, { ok: boolean[]; latest: Map<string, number> }>()
  for (const d of deliveries) {
    if (!wanted.has(d.messageSid)) continue
    let entry = outcomes.get(d.messageSid)
    if (!entry) {
      entry = { ok: [], latest: new Map() }
      outcomes.set(d.messageSid, entry)
    }
    const key = `${d.kind} ${d.status}`
    const latest = entry.latest.get(key)
    if (d.attempt > 1 && latest !== undefined) entry.ok[latest] = answered(d)
    else {
      entry.latest.set(key, entry.ok.length)
      entry.ok.push(answered(d))
    }
  }
  const out = new Map<string, CallbackSummary>()
  for (const r of records) {
    const kind = r.direction === 'inbound' ? 'inbound' : 'status'
    const ok = outcomes.get(r.sid)?.ok ?? []
    const failed = ok.filter((o) => !o).length
    const state =
      ok.length > 0
        ? failed > 0
          ? 'failed'
          : 'ok'
        : kind === 'status' && statusCallbackUrl(r) !== undefined
          ? 'pending'
          : 'none'
    out.set(r.sid, { kind, state, sent: ok.length, failed })
  }
  return out
}
