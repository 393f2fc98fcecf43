import { z } from 'zod'

/** RFC 2822 date as Twilio renders it, e.g. `Thu, 24 Aug 2023 05:01:45 +0000`. */
export const rfc2822Date = z
  .string()
  .regex(
    /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
  )

export const accountSid = z.string().regex(/^AC[0-9a-fA-F]{32}$/)
export const messageSid = z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/)
export const mediaSid = z.string().regex(/^ME[0-9a-fA-F]{32}$/)
export const messagingServiceSid = z.string().regex(/^MG[0-9a-fA-F]{32}$/)
export const applicationSid = z.string().regex(/^AP[0-9a-fA-F]{32}$/)
export const contentSid = z.string().regex(/^HX[0-9a-fA-F]{32}$/)
export const apiKeySid = z.string().regex(/^SK[0-9a-fA-F]{32}$/)

/** E.164 phone number (`+` and 2..15 digits). */
export const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/)

/** A count Twilio sends as a string, e.g. `"1"`. */
export const stringCount = z.string().regex(/^\d+$/)

/** A price Twilio sends as a negative decimal string, e.g. `"-0.00790"`. */
export const priceString = z.string().regex(/^-?\d+(\.\d+)?$/)

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
export type MessageStatus = z.infer<typeof messageStatus>

export const messageDirection = z.enum(['inbound', 'outbound-api', 'outbound-call', 'outbound-reply'])
export type MessageDirection = z.infer<typeof messageDirection>

/**
 * The channel of an address, as its prefix names it on the wire (`whatsapp:+15550001111`); no prefix: `sms` (SMS
 * and MMS).
 */
export const channel = z.enum(['sms', 'whatsapp', 'messenger', 'rcs'])
export type Channel = z.infer<typeof channel>

export const feedbackOutcome = z.enum(['confirmed', 'unconfirmed'])
