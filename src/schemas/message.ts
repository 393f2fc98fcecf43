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
/** A message as Twilio's API answers it (fetch, list, create, update). */
export type MessageResource = z.infer<typeof messageSchema>

/**
 * A Media resource (`ME…`) of a message (`GET …/Messages/{MessageSid}/Media/{Sid}.json`).
 *
 * @example
 * mediaSchema.parse(await (await fetch(`https://api.twilio.com${mediaUri}`, { headers })).json())
 */
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
/** A message's media item as Twilio's API answers it (fetch, list). */
export type MediaResource = z.infer<typeof mediaSchema>

/**
 * A MessageFeedback resource: the answer to Create Message Feedback
 * (`POST …/Messages/{MessageSid}/Feedback.json`).
 *
 * @example
 * feedbackSchema.parse(await res.json()).outcome // 'confirmed'
 */
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
/** A message's feedback as Twilio's API answers it. */
export type FeedbackResource = z.infer<typeof feedbackSchema>

/**
 * The fields of every list page's envelope (paging URIs, start and end): a zod shape, to spread into a page's
 * object.
 *
 * @example
 * z.object({ ...pageMeta, messages: z.array(messageSchema) }).strict()
 */
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

/**
 * A page of the Messages list (`GET /2010-04-01/Accounts/{AccountSid}/Messages.json`).
 *
 * @example
 * messagePageSchema.parse(await (await fetch(url, { headers })).json()).messages
 */
export const messagePageSchema = z.object({ ...pageMeta, messages: z.array(messageSchema) }).strict()
/** A page of the Messages list: the paging fields and its `messages`. */
export type MessagePage = z.infer<typeof messagePageSchema>

/**
 * A page of a message's Media list (`GET …/Messages/{MessageSid}/Media.json`).
 *
 * @example
 * mediaPageSchema.parse(await (await fetch(url, { headers })).json()).media_list
 */
export const mediaPageSchema = z.object({ ...pageMeta, media_list: z.array(mediaSchema) }).strict()
/** A page of a message's Media list: the paging fields and its `media_list`. */
export type MediaPage = z.infer<typeof mediaPageSchema>

/**
 * Twilio's JSON error body (`code`, `message`, `more_info`, `status`).
 *
 * @example
 * errorSchema.parse(await res.json()).code // 21211 for an invalid To number
 */
export const errorSchema = z
  .object({
    code: z.number().int(),
    message: z.string(),
    more_info: z.string().url(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
  })
  .strict()
/** An error as Twilio's API answers it (the JSON body of a 4xx or 5xx answer). */
export type ErrorResource = z.infer<typeof errorSchema>

/**
 * True when `value` is a Twilio error body.
 *
 * @example
 * isTwilioError(body) && body.code === 21211
 */
export function isTwilioError(value: unknown): value is ErrorResource {
  return errorSchema.safeParse(value).success
}

export { messageSid }
