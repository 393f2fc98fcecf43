import { deliveryErrorMessage } from '../errors/catalog.js'
import { countSegments } from '../messaging/segments.js'
import type { MessageStatus } from '../schemas/common.js'
import type { MessageResource } from '../schemas/message.js'
import { DAY_MS, toRfc2822 } from '../util/dates.js'
import { API, type FactoryContext } from './context.js'
import type { FactoryChannel, MessageFactoryInput } from './types.js'

const OUTBOUND_STATUSES: MessageStatus[] = [
  'queued',
  'accepted',
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'read',
  'canceled',
]
const INBOUND_STATUSES: MessageStatus[] = ['received', 'receiving']
const SENT: ReadonlySet<MessageStatus> = new Set([
  'sent',
  'delivered',
  'undelivered',
  'read',
  'partially_delivered',
  'received',
  'receiving',
])
const NOT_SENT: ReadonlySet<MessageStatus> = new Set(['accepted', 'scheduled', 'canceled'])
const NEEDS_SERVICE: ReadonlySet<MessageStatus> = new Set(['accepted', 'scheduled', 'canceled'])
const DELIVERY_ERRORS = [30003, 30004, 30005, 30006, 30007, 30008]

/** The price of a sent message (negative, as Twilio shows charges), per segment for SMS. */
const price = (channel: FactoryChannel, segments: number) =>
  (-(channel === 'whatsapp' ? 0.005 : channel === 'mms' ? 0.02 : 0.0079 * Math.max(1, segments))).toFixed(5)

/** Message resources in any status, channel and direction, their dates, price and error consistent. */
export type MessageFactory = (
  input?: MessageFactoryInput,
  overrides?: Partial<MessageResource>,
) => MessageResource

export function messageFactory(ctx: FactoryContext): MessageFactory {
  const { faker, accountSid, now, sid, address, body } = ctx
  return (input = {}, overrides = {}) => {
    const channel = input.channel ?? 'sms'
    const direction = input.direction ?? 'outbound-api'
    const inbound = direction === 'inbound'
    const status = input.status ?? faker.helpers.arrayElement(inbound ? INBOUND_STATUSES : OUTBOUND_STATUSES)
    const numMedia = input.numMedia ?? (channel === 'mms' ? faker.number.int({ min: 1, max: 3 }) : 0)
    const messageSid = input.sid ?? sid(numMedia > 0 ? 'MM' : 'SM')
    const text = input.body ?? (numMedia > 0 && faker.datatype.boolean() ? '' : body())
    // whole seconds: Twilio's dates have no milliseconds
    const created =
      Math.floor(
        (input.dateCreated?.getTime() ?? now - faker.number.int({ min: 60_000, max: 30 * DAY_MS })) / 1000,
      ) * 1000
    const sentAt = SENT.has(status) ? created + faker.number.int({ min: 1, max: 5 }) * 1000 : null
    const updated =
      (sentAt ?? created) +
      (SENT.has(status) || status === 'failed' ? faker.number.int({ min: 0, max: 8 }) * 1000 : 0)
    const service =
      input.messagingServiceSid !== undefined
        ? input.messagingServiceSid
        : NEEDS_SERVICE.has(status) || faker.datatype.boolean({ probability: 0.3 })
          ? sid('MG')
          : null
    const failed = status === 'failed' || status === 'undelivered'
    const errorCode = failed ? (input.errorCode ?? faker.helpers.arrayElement(DELIVERY_ERRORS)) : null
    const ours = address(channel)
    const theirs = address(channel)
    // not yet (or, canceled while scheduled, never) sent: no segments counted
    const segments = NOT_SENT.has(status) ? 0 : countSegments(text).segments
    const base = `${API}/Accounts/${accountSid}/Messages/${messageSid}`
    const m: MessageResource = {
      body: text,
      num_segments: String(numMedia > 0 || channel === 'whatsapp' ? (segments === 0 ? 0 : 1) : segments),
      direction,
      from:
        input.from !== undefined
          ? address(channel, input.from)
          : inbound
            ? theirs
            : status === 'accepted' || status === 'scheduled' || status === 'canceled'
              ? null
              : ours,
      to: input.to !== undefined ? address(channel, input.to) : inbound ? ours : theirs,
      date_updated: toRfc2822(updated),
      price: sentAt !== null ? price(channel, segments) : null,
      error_message: errorCode !== null ? deliveryErrorMessage(errorCode) : null,
      uri: `${base}.json`,
      account_sid: accountSid,
      num_media: String(numMedia),
      status,
      messaging_service_sid: service,
      sid: messageSid,
      date_sent: sentAt !== null ? toRfc2822(sentAt) : null,
      date_created: toRfc2822(created),
      error_code: errorCode,
      price_unit: 'USD',
      api_version: '2010-04-01',
      subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    }
    return { ...m, ...overrides }
  }
}
