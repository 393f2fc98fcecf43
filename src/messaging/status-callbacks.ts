import { createHash } from 'node:crypto'
import type { Outbox, OutgoingCallback } from '../callbacks/outbox.js'
import type { MessageStatus } from '../schemas/common.js'
import { toDlrDoneDate } from '../util/dates.js'
import type { Account } from './accounts.js'
import { APPLICATION_CALLBACK_STATUSES, CALLBACK_STATUSES } from './lifecycle.js'
import type { MessageRecord } from './types.js'

/** How the status callbacks of one message behave (a scenario's faults); absent: sent once each, in order. */
export interface CallbackFaults {
  /** A wrong X-Twilio-Signature. */
  readonly tamper: boolean
  /** Each callback sent twice. */
  readonly duplicate: boolean
  /** Held back until the final status, then sent in reverse order. */
  readonly reorder: boolean
}

/**
 * The SID of the channel install a WhatsApp, RCS or Messenger sender sends through (a status callback's
 * `ChannelInstallSid`): `XE` and 32 hex digits, the same for every message of one sender of one account.
 *
 * @example
 * channelInstallSid('AC00000000000000000000000000000001', 'whatsapp:+14155238886') // 'XE…'
 */
export function channelInstallSid(accountSid: string, from: string): string {
  const digest = createHash('sha256').update(`${accountSid}|${from.toLowerCase()}`).digest('hex')
  return `XE${digest.slice(0, 32)}`
}

/** The callbacks a message holds back (reordered scenario), kept on its delivery plan. */
export interface HeldCallbacks {
  buffered: OutgoingCallback[] | undefined
}

/**
 * The status callbacks of one double: where each goes, what it carries, and when it leaves through the outbox.
 *
 * @example
 * const callbacks = new StatusCallbacks(accounts, outbox, () => scheduler.now())
 * callbacks.statusChanged(record, 'sent')
 */
export class StatusCallbacks {
  constructor(
    private readonly accounts: Map<string, Account>,
    private readonly outbox: Outbox,
    private readonly now: () => number,
    /**
     * With both ApplicationSid and StatusCallback: the application's callback `replaces` StatusCallback (the
     * Message resource document), or StatusCallback wins and the application is the `fallback` (Twilio's OpenAPI
     * description).
     */
    private readonly applicationCallback: 'replaces' | 'fallback' = 'replaces',
  ) {}

  /**
   * Where a message's status callbacks go, in the Message resource document's order: the application's
   * message status callback (ApplicationSid; it hears only `sent` and `failed`), else StatusCallback, else
   * the messaging service's status callback. With `applicationCallback: 'fallback'`, StatusCallback comes first.
   */
  url(r: MessageRecord, status?: MessageStatus): string | undefined {
    const account = this.accounts.get(r.accountSid)
    if (this.applicationCallback === 'fallback' && r.extra?.statusCallback) return r.extra.statusCallback
    const app = r.extra?.applicationSid ? account?.applications.get(r.extra.applicationSid) : undefined
    if (app?.messageStatusCallback)
      return status === undefined || APPLICATION_CALLBACK_STATUSES.has(status)
        ? app.messageStatusCallback
        : undefined
    if (r.extra?.statusCallback) return r.extra.statusCallback
    if (r.messagingServiceSid) return account?.services.get(r.messagingServiceSid)?.statusCallback
    return undefined
  }

  /**
   * The form parameters of a status callback (fact sheet §8): on SMS and MMS `RawDlrDoneDate` with a delivery
   * report; on other channels `ChannelPrefix`, `ChannelInstallSid`, `ChannelStatusMessage` on failure and
   * `EventType=READ` with a read receipt.
   */
  params(r: MessageRecord, status: MessageStatus): Record<string, string> {
    const params: Record<string, string> = {
      AccountSid: r.accountSid,
      ApiVersion: '2010-04-01',
      From: r.from ?? '',
      MessageSid: r.sid,
      MessageStatus: status,
      SmsSid: r.sid,
      SmsStatus: status,
      To: r.to,
    }
    const failing = status === 'failed' || status === 'undelivered'
    if (failing && r.errorCode !== null) params.ErrorCode = String(r.errorCode)
    if (r.messagingServiceSid) params.MessagingServiceSid = r.messagingServiceSid
    if (r.channel === 'sms') {
      if (status === 'delivered' || status === 'undelivered')
        params.RawDlrDoneDate = toDlrDoneDate(this.now())
    } else {
      params.ChannelPrefix = r.channel
      // the sender's channel install; a message that never got a sender (canceled while scheduled) has none
      if (r.from) params.ChannelInstallSid = channelInstallSid(r.accountSid, r.from)
      if (failing && r.errorMessage) params.ChannelStatusMessage = r.errorMessage
      if (status === 'read') params.EventType = 'READ'
    }
    return params
  }

  /**
   * A message reached `status`: its callback goes out when the status is one of {@link CALLBACK_STATUSES} and
   * the message has a callback URL for it; a reordering scenario holds it in `held` until {@link release}.
   */
  statusChanged(
    r: MessageRecord,
    status: MessageStatus,
    faults?: CallbackFaults,
    held?: HeldCallbacks,
  ): void {
    if (!CALLBACK_STATUSES.has(status)) return
    const url = this.url(r, status)
    const account = this.accounts.get(r.accountSid)
    if (!url || !account) return
    const cb: OutgoingCallback = {
      kind: 'status',
      messageSid: r.sid,
      accountSid: r.accountSid,
      status,
      url,
      params: this.params(r, status),
      authToken: account.authToken,
      tamper: faults?.tamper ?? false,
      at: this.now(),
    }
    // a TwiML reply's action URL may ask for GET requests
    if (url === r.extra?.statusCallback && r.extra.statusCallbackMethod === 'GET') cb.method = 'GET'
    if (faults?.reorder && held) {
      held.buffered ??= []
      held.buffered.push(cb)
      return
    }
    this.send(cb, faults)
  }

  /** Sends the callbacks a message held back, last first (its final status was reached). */
  release(held: HeldCallbacks, faults?: CallbackFaults): void {
    if (!held.buffered) return
    for (const cb of held.buffered.reverse()) this.send(cb, faults)
    held.buffered = undefined
  }

  private send(cb: OutgoingCallback, faults: CallbackFaults | undefined): void {
    const times = faults?.duplicate ? 2 : 1
    for (let i = 0; i < times; i++) void this.outbox.send(cb)
  }
}
