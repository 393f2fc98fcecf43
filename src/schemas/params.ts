import { z } from 'zod'

/** A flag as Twilio reads it: `true` or `false` in any case (empty: not given). */
const formBool = z.string().regex(/^(true|false)?$/i)
/** One of `values`, or empty (not given). */
const formEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.enum(values), z.literal('')])

/**
 * Parameters of Create Message as they arrive in the form body (all strings; repeated keys as arrays). Each
 * parameter's own shape (flags, enumerations, MaxPrice, Attempt) is checked here; an empty value stands for a
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
    /** A decimal with up to 4 places (surrounding spaces allowed). */
    MaxPrice: z
      .string()
      .regex(/^(|\s*\d+(\.\d{1,4})?\s*)$/)
      .optional(),
    ProvideFeedback: formBool.optional(),
    Attempt: z.string().regex(/^\d*$/).optional(),
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
export type CreateMessageParams = z.infer<typeof createMessageParamsSchema>

/** Parameters of Update Message. */
export const updateMessageParamsSchema = z.object({
  Body: z.string().optional(),
  Status: z.string().optional(),
})
export type UpdateMessageParams = z.infer<typeof updateMessageParamsSchema>

/** Query parameters of List Messages. */
export const listMessagesParamsSchema = z.object({
  To: z.string().optional(),
  From: z.string().optional(),
  DateSent: z.string().optional(),
  'DateSent<': z.string().optional(),
  'DateSent>': z.string().optional(),
  PageSize: z.string().optional(),
  Page: z.string().optional(),
  PageToken: z.string().optional(),
})
export type ListMessagesParams = z.infer<typeof listMessagesParamsSchema>

/** Parameters of Create Message Feedback. */
export const feedbackParamsSchema = z.object({ Outcome: z.enum(['confirmed', 'unconfirmed']).optional() })
export type FeedbackParams = z.infer<typeof feedbackParamsSchema>

/** Names of the parameters that Create Message repeats as arrays (`MediaUrl=a&MediaUrl=b`). */
export const REPEATED_CREATE_PARAMS = ['MediaUrl', 'PersistentAction'] as const
