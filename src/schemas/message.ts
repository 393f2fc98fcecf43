import { z } from 'zod'
import {
  accountSid,
  messageDirection,
  messageSid,
  messageStatus,
  messagingServiceSid,
  priceString,
  rfc2822Date,
  stringCount,
} from './common.js'

/**
 * The Message resource as Twilio's API returns it (every property nullable, counts as strings).
 *
 * @example
 * messageSchema.parse(await (await fetch(url)).json())
 */
export const messageSchema = z
  .object({
    body: z.string().nullable(),
    num_segments: stringCount.nullable(),
    direction: messageDirection.nullable(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    date_updated: rfc2822Date.nullable(),
    price: priceString.nullable(),
    error_message: z.string().nullable(),
    uri: z.string().nullable(),
    account_sid: accountSid.nullable(),
    num_media: stringCount.nullable(),
    status: messageStatus.nullable(),
    messaging_service_sid: messagingServiceSid.nullable(),
    sid: messageSid.nullable(),
    date_sent: rfc2822Date.nullable(),
    date_created: rfc2822Date.nullable(),
    error_code: z.number().int().nullable(),
    price_unit: z.string().nullable(),
    api_version: z.string().nullable(),
    subresource_uris: z.record(z.string(), z.string()).nullable(),
  })
  .strict()
export type MessageResource = z.infer<typeof messageSchema>

/** A Media resource (`ME…`) of a message. */
export const mediaSchema = z
  .object({
    account_sid: accountSid.nullable(),
    content_type: z.string().nullable(),
    date_created: rfc2822Date.nullable(),
    date_updated: rfc2822Date.nullable(),
    parent_sid: messageSid.nullable(),
    sid: z
      .string()
      .regex(/^ME[0-9a-fA-F]{32}$/)
      .nullable(),
    uri: z.string().nullable(),
  })
  .strict()
export type MediaResource = z.infer<typeof mediaSchema>

/** A MessageFeedback resource. */
export const feedbackSchema = z
  .object({
    account_sid: accountSid.nullable(),
    message_sid: messageSid.nullable(),
    outcome: z.enum(['confirmed', 'unconfirmed']).nullable(),
    date_created: rfc2822Date.nullable(),
    date_updated: rfc2822Date.nullable(),
    uri: z.string().nullable(),
  })
  .strict()
export type FeedbackResource = z.infer<typeof feedbackSchema>

/** The fields of every list page's envelope (paging URIs, start and end). */
export const pageMeta = {
  end: z.number().int(),
  first_page_uri: z.string(),
  next_page_uri: z.string().nullable(),
  page: z.number().int(),
  page_size: z.number().int(),
  previous_page_uri: z.string().nullable(),
  start: z.number().int(),
  uri: z.string(),
}

/** A page of the Messages list. */
export const messagePageSchema = z.object({ ...pageMeta, messages: z.array(messageSchema) }).strict()
export type MessagePage = z.infer<typeof messagePageSchema>

/** A page of a message's Media list. */
export const mediaPageSchema = z.object({ ...pageMeta, media_list: z.array(mediaSchema) }).strict()
export type MediaPage = z.infer<typeof mediaPageSchema>

/** Twilio's JSON error body. */
export const errorSchema = z
  .object({
    code: z.number().int(),
    message: z.string(),
    more_info: z.string().url(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
  })
  .strict()
export type ErrorResource = z.infer<typeof errorSchema>

/** True when `value` is a Twilio error body. */
export function isTwilioError(value: unknown): value is ErrorResource {
  return errorSchema.safeParse(value).success
}

export { messageSid }
