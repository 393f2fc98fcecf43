import { z } from 'zod'
import { accountSid, messageSid, messageStatus, messagingServiceSid } from './common.js'

/**
 * The form parameters of a status callback POST (to a message's `StatusCallback`).
 *
 * @example
 * statusCallbackSchema.parse(Object.fromEntries(new URLSearchParams(await request.text()))).MessageStatus
 */
export const statusCallbackSchema = z
  .object({
    MessageSid: messageSid,
    /** One of the Message resource's statuses, in lower case as Twilio writes them. */
    MessageStatus: messageStatus,
    SmsSid: messageSid,
    SmsStatus: messageStatus,
    AccountSid: accountSid,
    From: z.string(),
    To: z.string(),
    ApiVersion: z.literal('2010-04-01'),
    ErrorCode: z.string().regex(/^\d+$/).optional(),
    MessagingServiceSid: messagingServiceSid.optional(),
    RawDlrDoneDate: z
      .string()
      .regex(/^\d{10}$/)
      .optional(),
    ChannelPrefix: z.string().optional(),
    ChannelInstallSid: z
      .string()
      .regex(/^XE[0-9a-fA-F]{32}$/)
      .optional(),
    ChannelStatusMessage: z.string().optional(),
    EventType: z.literal('READ').optional(),
  })
  .strict()
/** The form parameters of a status callback, as Twilio sends them. */
export type StatusCallbackParams = z.infer<typeof statusCallbackSchema>

/**
 * The form parameters of an inbound message webhook POST (to the receiving number's or service's URL).
 *
 * @example
 * inboundWebhookSchema.parse(Object.fromEntries(new URLSearchParams(await request.text()))).Body
 */
export const inboundWebhookSchema = z
  .object({
    MessageSid: messageSid,
    SmsSid: messageSid,
    SmsMessageSid: messageSid,
    AccountSid: accountSid,
    MessagingServiceSid: messagingServiceSid.optional(),
    From: z.string(),
    To: z.string(),
    Body: z.string(),
    NumMedia: z.string().regex(/^\d+$/),
    NumSegments: z.string().regex(/^\d+$/),
    SmsStatus: z.literal('received'),
    ApiVersion: z.literal('2010-04-01'),
    ReferralNumMedia: z.string().optional(),
    FromCity: z.string().optional(),
    FromState: z.string().optional(),
    FromZip: z.string().optional(),
    FromCountry: z.string().optional(),
    ToCity: z.string().optional(),
    ToState: z.string().optional(),
    ToZip: z.string().optional(),
    ToCountry: z.string().optional(),
    ProfileName: z.string().optional(),
    WaId: z.string().optional(),
  })
  .catchall(z.string())
/** The form parameters of an inbound message webhook, as Twilio sends them. */
export type InboundWebhookParams = z.infer<typeof inboundWebhookSchema>
