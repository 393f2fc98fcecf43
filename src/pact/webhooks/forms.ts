/**
 * The form bodies of the requests Twilio sends to an app (status callbacks, inbound message webhooks and their
 * fallbacks), as the double sends them: example values checked by the webhook schemas of
 * `twilio-double/schemas`, and a Pact matcher per field derived from those schemas.
 */
import type { z } from 'zod'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../../config.js'
import { deliveryErrorMessage } from '../../errors/catalog.js'
import { TwilioDoubleError } from '../../errors/twilio-api-error.js'
import { channelInstallSid } from '../../messaging/status-callbacks.js'
import { pact } from '../../peers/pact.js'
import { type MessageStatus, messageStatus } from '../../schemas/common.js'
import { inboundWebhookSchema, statusCallbackSchema } from '../../schemas/webhooks.js'
import type { FormField } from '../form.js'
import {
  EXAMPLE_MESSAGE_SID,
  EXAMPLE_MMS_SID,
  EXAMPLE_TO,
  matcherFromSchema,
  type PactMatcher,
  regexMatcher,
  twilioMatchers,
} from '../matchers.js'

const { MatchersV3 } = pact

/** The channels whose webhooks the builders describe. */
export type WebhookChannel = 'sms' | 'whatsapp'

/** What a status callback says. */
export interface StatusCallbackExample {
  status?: MessageStatus
  /** Twilio error code of a `failed` or `undelivered` message (default 30003 undelivered, 30008 failed). */
  errorCode?: number
  /** Default `sms`; `read` (a read receipt) is a WhatsApp status. */
  channel?: WebhookChannel
  sid?: string
  accountSid?: string
  /** The recipient (default the builders' example number; `whatsapp:` is added on that channel). */
  to?: string
  /** The sender (default {@link DEFAULT_FROM}). */
  from?: string
  messagingServiceSid?: string
}

/** What an inbound message webhook says. */
export interface InboundExample {
  /** Default `sms`. */
  channel?: WebhookChannel
  body?: string
  /** Media of an MMS or WhatsApp message: content types (default none), each with a Twilio media URL. */
  media?: string[]
  sid?: string
  accountSid?: string
  /** The person writing (default the builders' example number). */
  from?: string
  /** Your Twilio number (default {@link DEFAULT_FROM}). */
  to?: string
  messagingServiceSid?: string
  /** WhatsApp profile name (default `Ada`). */
  profileName?: string
}

const FAILING = new Set<string>(['failed', 'undelivered'])
const onChannel = (channel: WebhookChannel, address: string) =>
  channel === 'whatsapp' && !address.startsWith('whatsapp:') ? `whatsapp:${address}` : address

/**
 * The form parameters of a status callback, as Twilio (and the double) sends them: `ErrorCode` for failed and
 * undelivered messages, `RawDlrDoneDate` on SMS delivery reports, `ChannelPrefix`, `ChannelInstallSid` (and `EventType=READ`
 * for read receipts) on WhatsApp.
 *
 * @example
 * statusCallbackParams({ status: 'undelivered', errorCode: 30003 })
 */
export function statusCallbackParams(example: StatusCallbackExample = {}): Record<string, string> {
  const status = example.status ?? 'delivered'
  const channel = example.channel ?? (status === 'read' ? 'whatsapp' : 'sms')
  if (status === 'read' && channel !== 'whatsapp')
    throw new TwilioDoubleError("status callbacks: 'read' is a WhatsApp status; use channel: 'whatsapp'")
  const sid = example.sid ?? EXAMPLE_MESSAGE_SID
  const failing = FAILING.has(status)
  const errorCode = failing ? (example.errorCode ?? (status === 'failed' ? 30008 : 30003)) : undefined
  if (example.errorCode !== undefined && !failing)
    throw new TwilioDoubleError(
      `status callbacks: an ErrorCode comes only with failed or undelivered, not ${status}`,
    )
  const params: Record<string, string> = {
    AccountSid: example.accountSid ?? DEFAULT_ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    From: onChannel(channel, example.from ?? DEFAULT_FROM),
    MessageSid: sid,
    MessageStatus: status,
    SmsSid: sid,
    SmsStatus: status,
    To: onChannel(channel, example.to ?? EXAMPLE_TO),
  }
  if (errorCode !== undefined) params.ErrorCode = String(errorCode)
  if (example.messagingServiceSid) params.MessagingServiceSid = example.messagingServiceSid
  if (channel === 'sms') {
    if (status === 'delivered' || status === 'undelivered') params.RawDlrDoneDate = '2401010000'
  } else {
    params.ChannelPrefix = channel
    params.ChannelInstallSid = channelInstallSid(params.AccountSid!, params.From!)
    if (errorCode !== undefined) params.ChannelStatusMessage = deliveryErrorMessage(errorCode)
    if (status === 'read') params.EventType = 'READ'
  }
  return statusCallbackSchema.parse(params) as Record<string, string>
}

function messageTypeOf(contentType: string | undefined): string {
  if (!contentType) return 'text'
  const kind = contentType.split('/')[0]
  return kind === 'image' || kind === 'video' || kind === 'audio' ? kind : 'document'
}

/**
 * The form parameters of an inbound message webhook, as Twilio (and the double) sends them: geography of US
 * numbers on SMS, `MediaUrl{N}` and `MediaContentType{N}` per medium, `ProfileName`, `WaId` and `MessageType`
 * on WhatsApp.
 *
 * @example
 * inboundParams({ body: 'STOP' })
 * inboundParams({ channel: 'whatsapp', media: ['image/jpeg'] })
 */
export function inboundParams(example: InboundExample = {}): Record<string, string> {
  const channel = example.channel ?? 'sms'
  const media = example.media ?? []
  const sid = example.sid ?? (media.length > 0 ? EXAMPLE_MMS_SID : EXAMPLE_MESSAGE_SID)
  const account = example.accountSid ?? DEFAULT_ACCOUNT_SID
  const from = onChannel(channel, example.from ?? EXAMPLE_TO)
  const body = example.body ?? 'Hello from a phone'
  const sms = channel === 'sms'
  const whatsapp = channel === 'whatsapp'
  // Twilio's order: the geography of US numbers on SMS, ProfileName, MessageType and WaId on WhatsApp
  const p: Record<string, string> = {}
  if (sms) Object.assign(p, { ToCountry: 'US', ToState: '' })
  p.SmsMessageSid = sid
  p.NumMedia = String(media.length)
  if (whatsapp) {
    p.ProfileName = example.profileName ?? 'Ada'
    p.MessageType = messageTypeOf(media[0])
  }
  if (sms) Object.assign(p, { ToCity: '', FromZip: '' })
  p.SmsSid = sid
  if (whatsapp) p.WaId = from.replace(/^whatsapp:\+?/, '')
  if (sms) p.FromState = ''
  p.SmsStatus = 'received'
  if (sms) p.FromCity = ''
  p.Body = body
  if (sms) p.FromCountry = 'US'
  p.To = onChannel(channel, example.to ?? DEFAULT_FROM)
  if (example.messagingServiceSid) p.MessagingServiceSid = example.messagingServiceSid
  if (sms) p.ToZip = ''
  p.NumSegments = '1'
  p.ReferralNumMedia = '0'
  p.MessageSid = sid
  p.AccountSid = account
  p.From = from
  p.ApiVersion = '2010-04-01'
  media.forEach((contentType, i) => {
    p[`MediaContentType${i}`] = contentType
    p[`MediaUrl${i}`] =
      `https://api.twilio.com/2010-04-01/Accounts/${account}/Messages/${sid}/Media/ME${String(i + 1).padStart(32, '0')}`
  })
  return inboundWebhookSchema.parse(p) as Record<string, string>
}

const URL_PATTERN = /^https?:\/\/\S+$/
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/

function fieldMatcher(schema: z.ZodObject, key: string, value: string): FormField {
  if (key === 'MessageStatus' || key === 'SmsStatus')
    return key === 'SmsStatus' && value === 'received'
      ? value
      : (matcherFromSchema(messageStatus, value) as PactMatcher<string>)
  if (key === 'To' || key === 'From') return twilioMatchers.address(value)
  if (/^MediaUrl\d+$/.test(key) || key === 'ErrorUrl') return regexMatcher(URL_PATTERN, value)
  if (/^MediaContentType\d+$/.test(key)) return regexMatcher(MEDIA_TYPE, value)
  const field = schema.shape[key] as z.ZodType | undefined
  // literals (ApiVersion, EventType, ChannelPrefix) are part of the shape Twilio sends: matched by value
  if (key === 'ApiVersion' || key === 'EventType' || key === 'ChannelPrefix') return value
  if (!field) return MatchersV3.string(value)
  return matcherFromSchema(field, value) as PactMatcher<string>
}

/**
 * The Pact form fields of webhook parameters: each field matched by the format its webhook schema gives it
 * (SIDs, statuses, digits, E.164 addresses, URLs), or by type; the fields named in `exact` by value.
 *
 * @example
 * webhookFormFields('status-callback', statusCallbackParams({ status: 'failed' }), ['MessageStatus', 'ErrorCode'])
 */
export function webhookFormFields(
  kind: 'status-callback' | 'inbound',
  params: Record<string, string>,
  exact: readonly string[] = [],
): Record<string, FormField> {
  const schema = (kind === 'status-callback' ? statusCallbackSchema : inboundWebhookSchema) as z.ZodObject
  const unknown = exact.filter((k) => !(k in params))
  if (unknown.length > 0)
    throw new TwilioDoubleError(
      `exact: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not sent in this request; it sends ${Object.keys(params).join(', ')}`,
    )
  const out: Record<string, FormField> = {}
  for (const [key, value] of Object.entries(params))
    out[key] = exact.includes(key) ? value : fieldMatcher(schema, key, value)
  return out
}
