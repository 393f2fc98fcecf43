import { z } from 'zod'
import { formBool, formDateFilter, formEnum, formInteger, formPageSize } from './form-values.js'

/**
 * Parameters of Create Message as they arrive in the form body (all strings; repeated keys as arrays). Each
 * parameter's own shape (flags, enumerations, Attempt) is checked here; an empty value stands for a
 * parameter not given. Cross-field rules (To required, From or MessagingServiceSid, ...) and rules that need
 * the double's state are checked by the domain with Twilio's error codes.
 *
 * @example
 * createMessageParamsSchema.parse({ To: '+15550001111', From: '+15005550006', Body: 'Hi' })
 */
export const createMessageParamsSchema = z
  .object({
    To: z.string(),
    From: z.string().optional(),
    MessagingServiceSid: z.string().optional(),
    Body: z.string().optional(),
    MediaUrl: z.array(z.string()).optional(),
    ContentSid: z.string().optional(),
    ContentVariables: z.string().optional(),
    StatusCallback: z.string().optional(),
    ApplicationSid: z.string().optional(),
    /** As sent: the domain refuses 0, a negative value or no number with 21627 (see the `maxPrice` option). */
    MaxPrice: z.string().optional(),
    ProvideFeedback: formBool.optional(),
    /** Any integer, as Twilio's OpenAPI types it (no range is documented); empty: not given. */
    Attempt: z
      .string()
      .regex(/^(-?\d+)?$/)
      .optional(),
    ValidityPeriod: z.string().optional(),
    ForceDelivery: formBool.optional(),
    ContentRetention: formEnum(['retain', 'discard']).optional(),
    AddressRetention: formEnum(['retain', 'obfuscate']).optional(),
    SmartEncoded: formBool.optional(),
    PersistentAction: z.array(z.string()).optional(),
    TrafficType: formEnum(['free']).optional(),
    ShortenUrls: formBool.optional(),
    ScheduleType: formEnum(['fixed']).optional(),
    SendAt: z.string().optional(),
    SendAsMms: formBool.optional(),
    RiskCheck: formEnum(['enable', 'disable']).optional(),
    FallbackFrom: z.string().optional(),
  })
  .partial({ To: true })
/** The form parameters of Create Message, as they arrive. */
export type CreateMessageParams = z.infer<typeof createMessageParamsSchema>

/**
 * Parameters of Update Message (`POST …/Messages/{Sid}.json`): an empty `Body` redacts a message, `Status`
 * `canceled` cancels a scheduled one (the domain refuses any other value).
 *
 * @example
 * updateMessageParamsSchema.parse({ Status: 'canceled' })
 */
export const updateMessageParamsSchema = z.object({
  Body: z.string().optional(),
  Status: z.string().optional(),
})
/** The form parameters of Update Message, as they arrive. */
export type UpdateMessageParams = z.infer<typeof updateMessageParamsSchema>

/**
 * Query parameters of List Messages (all strings, as they arrive; an empty value stands for a parameter not
 * given). `PageSize` is a whole number from 1 to 1000, `Page` a whole number, the `DateSent` filters dates
 * (`DateSent<` on or before, `DateSent>` on or after), `PageToken` a cursor from a paging URI (`PA` after or `PB`
 * before a message SID).
 *
 * @example
 * listMessagesParamsSchema.parse({ To: '+15550001111', PageSize: '20', 'DateSent>': '2024-06-01' })
 */
export const listMessagesParamsSchema = z.object({
  To: z.string().optional(),
  From: z.string().optional(),
  DateSent: formDateFilter.optional(),
  'DateSent<': formDateFilter.optional(),
  'DateSent>': formDateFilter.optional(),
  PageSize: formPageSize.optional(),
  Page: formInteger.optional(),
  PageToken: z
    .string()
    .regex(/^(|P[AB](SM|MM)[0-9a-fA-F]{32})$/)
    .optional(),
})
/** The query parameters of List Messages, as they arrive. */
export type ListMessagesParams = z.infer<typeof listMessagesParamsSchema>

/**
 * Query parameters of a message's Media list (all strings, as they arrive; an empty value stands for a parameter
 * not given). `PageSize` and `Page` as in List Messages, the `DateCreated` filters dates (`DateCreated<` on or
 * before, `DateCreated>` on or after), `PageToken` a cursor from a paging URI (`PA` after or `PB` before a media
 * SID).
 *
 * @example
 * listMediaParamsSchema.parse({ PageSize: '20', 'DateCreated>': '2024-06-01' })
 */
export const listMediaParamsSchema = z.object({
  DateCreated: formDateFilter.optional(),
  'DateCreated<': formDateFilter.optional(),
  'DateCreated>': formDateFilter.optional(),
  PageSize: formPageSize.optional(),
  Page: formInteger.optional(),
  PageToken: z
    .string()
    .regex(/^(|P[AB]ME[0-9a-fA-F]{32})$/)
    .optional(),
})
/** The query parameters of a message's Media list, as they arrive. */
export type ListMediaParams = z.infer<typeof listMediaParamsSchema>

/**
 * Parameters of Create Message Feedback (`POST …/Messages/{MessageSid}/Feedback.json`).
 *
 * @example
 * feedbackParamsSchema.parse({ Outcome: 'confirmed' })
 */
export const feedbackParamsSchema = z.object({ Outcome: z.enum(['confirmed', 'unconfirmed']).optional() })
/** The form parameters of Create Message Feedback. */
export type FeedbackParams = z.infer<typeof feedbackParamsSchema>

/**
 * Names of the parameters that Create Message repeats as arrays (`MediaUrl=a&MediaUrl=b`).
 *
 * @example
 * const form = new URLSearchParams(await request.text())
 * const repeated = Object.fromEntries(REPEATED_CREATE_PARAMS.map((key) => [key, form.getAll(key)]))
 */
export const REPEATED_CREATE_PARAMS = ['MediaUrl', 'PersistentAction'] as const
