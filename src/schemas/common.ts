import { z } from 'zod'

/**
 * RFC 2822 date as Twilio renders it, e.g. `Thu, 24 Aug 2023 05:01:45 +0000`.
 *
 * @example
 * rfc2822Date.parse('Thu, 24 Aug 2023 05:01:45 +0000')
 */
export const rfc2822Date = z
  .string()
  .regex(
    /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
  )

/**
 * An Account SID: `AC` and 32 hex digits.
 *
 * @example
 * accountSid.parse('AC' + 'a'.repeat(32))
 */
export const accountSid = z.string().regex(/^AC[0-9a-fA-F]{32}$/)
/**
 * A Message SID: `SM` (SMS, WhatsApp) or `MM` (MMS) and 32 hex digits.
 *
 * @example
 * messageSid.parse('SM' + 'a'.repeat(32))
 */
export const messageSid = z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/)
/**
 * A Media SID: `ME` and 32 hex digits.
 *
 * @example
 * mediaSid.parse('ME' + 'a'.repeat(32))
 */
export const mediaSid = z.string().regex(/^ME[0-9a-fA-F]{32}$/)
/**
 * A Messaging Service SID: `MG` and 32 hex digits.
 *
 * @example
 * messagingServiceSid.parse('MG' + 'a'.repeat(32))
 */
export const messagingServiceSid = z.string().regex(/^MG[0-9a-fA-F]{32}$/)
/**
 * An Application SID (`ApplicationSid` of Create Message): `AP` and 32 hex digits.
 *
 * @example
 * applicationSid.parse('AP' + 'a'.repeat(32))
 */
export const applicationSid = z.string().regex(/^AP[0-9a-fA-F]{32}$/)
/**
 * A Content template SID (`ContentSid` of Create Message): `HX` and 32 hex digits.
 *
 * @example
 * contentSid.parse('HX' + 'a'.repeat(32))
 */
export const contentSid = z.string().regex(/^HX[0-9a-fA-F]{32}$/)
/**
 * An API Key SID (the username of API key authentication): `SK` and 32 hex digits.
 *
 * @example
 * apiKeySid.parse('SK' + 'a'.repeat(32))
 */
export const apiKeySid = z.string().regex(/^SK[0-9a-fA-F]{32}$/)

/**
 * E.164 phone number (`+` and 2..15 digits).
 *
 * @example
 * e164.parse('+15550001111')
 */
export const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/)

/**
 * A count Twilio sends as a string, e.g. `"1"`.
 *
 * @example
 * Number(stringCount.parse(message.num_segments))
 */
export const stringCount = z.string().regex(/^\d+$/)

/**
 * A price Twilio sends as a negative decimal string, e.g. `"-0.00790"`.
 *
 * @example
 * priceString.parse('-0.00790')
 */
export const priceString = z.string().regex(/^-?\d+(\.\d+)?$/)

/**
 * A message's status (Twilio's `message_enum_status`), in lower case as Twilio writes it.
 *
 * @example
 * messageStatus.parse('delivered')
 */
export const messageStatus = z.enum([
  'queued',
  'sending',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'receiving',
  'received',
  'accepted',
  'scheduled',
  'read',
  'partially_delivered',
  'canceled',
])
/** A message's status, e.g. `'queued'` or `'delivered'`. */
export type MessageStatus = z.infer<typeof messageStatus>

/**
 * A message's direction (Twilio's `message_enum_direction`): `inbound`, or how an outbound message was sent.
 *
 * @example
 * messageDirection.parse('outbound-api')
 */
export const messageDirection = z.enum(['inbound', 'outbound-api', 'outbound-call', 'outbound-reply'])
/** A message's direction, e.g. `'inbound'` or `'outbound-api'`. */
export type MessageDirection = z.infer<typeof messageDirection>

/**
 * The channel of an address, as its prefix names it on the wire (`whatsapp:+15550001111`); no prefix: `sms` (SMS
 * and MMS).
 *
 * @example
 * channel.parse('whatsapp')
 */
export const channel = z.enum(['sms', 'whatsapp', 'messenger', 'rcs'])
/** The channel of an address: `'sms'`, `'whatsapp'`, `'messenger'` or `'rcs'`. */
export type Channel = z.infer<typeof channel>

/**
 * The outcome of a message's feedback (Twilio's `message_feedback_enum_outcome`).
 *
 * @example
 * feedbackOutcome.parse('confirmed')
 */
export const feedbackOutcome = z.enum(['confirmed', 'unconfirmed'])
