import { DEFAULT_AUTH_TOKEN, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../config.js'
import { type TwilioDouble, tenantsOf } from '../double.js'
import { deliveryErrorMessage } from '../errors/catalog.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { parseTo } from '../messaging/address.js'
import { contentTypeOf } from '../messaging/media.js'
import { DEFAULT_PRICES, priceOf } from '../messaging/pricing.js'
import { countSegments } from '../messaging/segments.js'
import type { MessageRecord } from '../messaging/types.js'
import type { MessageDirection, MessageStatus } from '../schemas/common.js'
import { messageStatus } from '../schemas/common.js'
import type { MessageResource } from '../schemas/message.js'
import { DAY_MS, toEpochMs } from '../util/dates.js'

/** A message to put straight into a double's store (provider states, fixtures, demos). */
export interface SeedMessageSpec {
  /** Exact SID (`SM…` or `MM…` + 32 hex digits). Default: a fresh SID from the double's seed. */
  sid?: string
  /** Default: the double's first account. */
  accountSid?: string
  /** Default `delivered`. */
  status?: MessageStatus
  /** Default `+15558675310`. */
  to?: string
  /** Default {@link DEFAULT_FROM}; `null` for a messaging-service message that has no sender yet. */
  from?: string | null
  /** Default `Hello from twilio-double`. */
  body?: string
  /** Default `outbound-api` (`inbound` for `received`). */
  direction?: MessageDirection
  messagingServiceSid?: string | null
  mediaUrls?: string[]
  /** Default: the double's current time. */
  dateCreated?: Date | number | string
  /** Default: `dateCreated` for sent, delivered, undelivered and read messages, else null. */
  dateSent?: Date | number | string | null
  /** Default `-0.00790` per segment once sent, else null. */
  price?: string | null
  /** Default 30003 for `undelivered`, 30008 for `failed`, else null. */
  errorCode?: number | null
  /** For `scheduled` messages: when it is due (default one day after `dateCreated`). */
  sendAt?: Date | number | string
}

const SENT: ReadonlySet<MessageStatus> = new Set(['sent', 'delivered', 'undelivered', 'read'])
const SID = /^(SM|MM)[0-9a-fA-F]{32}$/

/**
 * Makes sure the double has an account with this SID (auth token {@link DEFAULT_AUTH_TOKEN} unless given),
 * with the default messaging service and sender. Existing accounts are left as they are.
 *
 * @example
 * ensureAccount(double, 'AC' + 'a'.repeat(32))
 */
export function ensureAccount(
  double: TwilioDouble,
  accountSid: string,
  authToken = DEFAULT_AUTH_TOKEN,
): void {
  registryOf(double, 'ensureAccount').declare({
    sid: accountSid,
    authToken,
    messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }],
  })
}

function registryOf(double: TwilioDouble, where: string) {
  const registry = tenantsOf(double)
  if (!registry)
    throw new TwilioDoubleError(
      `${where}: the double was not made by createTwilioDouble() (a copy such as {...double} loses its accounts); pass the double itself`,
    )
  return registry
}

/**
 * Puts a message with an exact SID and status into the double's store, as if it had been sent earlier (no
 * lifecycle runs and no callbacks are sent for it). A message with the same SID is replaced, and its lifecycle
 * ends. A seeded `scheduled` message counts toward the account's `scheduling.maxScheduled` until it is canceled.
 *
 * @example
 * seedMessage(double, { sid: 'SM' + 'a'.repeat(32), status: 'scheduled', messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID })
 * await client.messages('SM' + 'a'.repeat(32)).update({ status: 'canceled' })
 */
export function seedMessage(double: TwilioDouble, spec: SeedMessageSpec = {}): MessageResource {
  const registry = registryOf(double, 'seedMessage')
  const accountSid = spec.accountSid ?? registry.first.accountSid
  const tenant = registry.tenant(accountSid)
  if (!tenant)
    throw new TwilioDoubleError(
      `seedMessage: no open account ${accountSid}; pass one of the double's accounts or call ensureAccount() first`,
    )
  const backend = tenant.backend
  const status = spec.status ?? 'delivered'
  if (!messageStatus.safeParse(status).success)
    throw new TwilioDoubleError(
      `seedMessage: '${status}' is not a message status; use e.g. delivered, scheduled or failed`,
    )
  const mediaUrls = spec.mediaUrls ?? []
  const finalSid = spec.sid ?? freshSid(double, mediaUrls.length > 0 ? 'MM' : 'SM')
  if (!SID.test(finalSid))
    throw new TwilioDoubleError(
      `seedMessage: '${finalSid}' is not a message SID: use 'SM' or 'MM' followed by 32 hex digits`,
    )
  const elsewhere = double.messages.get(finalSid)
  if (elsewhere && elsewhere.account_sid !== accountSid)
    throw new TwilioDoubleError(
      `seedMessage: ${finalSid} is already a message of account ${elsewhere.account_sid} (a SID names one message in the whole double, as on Twilio): seed another SID, or seed it in account ${elsewhere.account_sid} to replace it`,
    )
  const now = tenant.now()
  const created = spec.dateCreated === undefined ? now : toEpochMs(spec.dateCreated, 'dateCreated')
  const dateSent =
    spec.dateSent === null
      ? null
      : spec.dateSent !== undefined
        ? toEpochMs(spec.dateSent, 'dateSent')
        : SENT.has(status)
          ? created
          : null
  const body = spec.body ?? 'Hello from twilio-double'
  const segments = countSegments(body).segments
  const to = spec.to ?? '+15558675310'
  const parsedTo = parseTo(to)
  const channel = parsedTo?.channel ?? 'sms'
  const scheduled = status === 'scheduled'
  const messagingServiceSid =
    spec.messagingServiceSid !== undefined
      ? spec.messagingServiceSid
      : scheduled
        ? DEFAULT_MESSAGING_SERVICE_SID
        : null
  const from = spec.from !== undefined ? spec.from : scheduled ? null : DEFAULT_FROM
  const errorCode =
    spec.errorCode !== undefined
      ? spec.errorCode
      : status === 'undelivered'
        ? 30003
        : status === 'failed'
          ? 30008
          : null
  const existing = backend.store(accountSid).get(finalSid)
  // the message it replaces is gone: its lifecycle, if it had one, ends without another callback
  if (existing) backend.removeRecord(existing)
  const record: Omit<MessageRecord, 'seq'> = {
    sid: finalSid,
    accountSid,
    to,
    from,
    body,
    numSegments: scheduled || status === 'accepted' ? 0 : segments,
    numMedia: mediaUrls.length,
    direction:
      spec.direction ?? (status === 'received' || status === 'receiving' ? 'inbound' : 'outbound-api'),
    status,
    messagingServiceSid,
    channel,
    dateCreated: created,
    dateUpdated: Math.max(created, dateSent ?? created),
    dateSent,
    price:
      spec.price !== undefined
        ? spec.price
        : dateSent !== null
          ? priceOf(backend.options.prices ?? DEFAULT_PRICES, {
              channel,
              numSegments: segments,
              numMedia: mediaUrls.length,
              country: parsedTo?.country,
            }).price
          : null,
    priceUnit: 'USD',
    errorCode,
    errorMessage: errorCode === null ? null : deliveryErrorMessage(errorCode),
    sortKey: dateSent ?? created,
    history: [{ status, at: created }],
  }
  if (mediaUrls.length > 0)
    record.media = mediaUrls.map((url, i) => ({
      sid: `ME${finalSid.slice(2, 32)}${String(i).padStart(2, '0')}`,
      url,
      contentType: contentTypeOf(url),
      dateCreated: created,
    }))
  if (scheduled)
    record.extra = {
      sendAt: spec.sendAt === undefined ? created + DAY_MS : toEpochMs(spec.sendAt, 'sendAt'),
    }
  backend.addRecord(record)
  return double.messages.get(finalSid)!
}

function freshSid(double: TwilioDouble, prefix: 'SM' | 'MM'): string {
  // Derived from the double's clock and store size: deterministic for a given sequence of seeds.
  for (let n = double.messages.count() + 1; ; n++) {
    const hex = `${double.now().getTime().toString(16)}${n.toString(16).padStart(8, '0')}`.padStart(32, '0')
    const sid = `${prefix}${hex.slice(-32)}`
    if (!double.messages.get(sid)) return sid
  }
}
