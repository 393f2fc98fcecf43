import { z } from 'zod'

const formBool = z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE'])

/**
 * Parameters of Create Message as they arrive in the form body (all strings; repeated keys as arrays).
 * Cross-field rules (To required, From or MessagingServiceSid, ...) are enforced by the domain with
 * Twilio's error codes; this schema describes the wire shape.
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
    MaxPrice: z.string().optional(),
    ProvideFeedback: formBool.optional(),
    Attempt: z.string().optional(),
    ValidityPeriod: z.string().optional(),
    ForceDelivery: formBool.optional(),
    ContentRetention: z.enum(['retain', 'discard']).optional(),
    AddressRetention: z.enum(['retain', 'obfuscate']).optional(),
    SmartEncoded: formBool.optional(),
    PersistentAction: z.array(z.string()).optional(),
    TrafficType: z.enum(['free']).optional(),
    ShortenUrls: formBool.optional(),
    ScheduleType: z.enum(['fixed']).optional(),
    SendAt: z.string().optional(),
    SendAsMms: formBool.optional(),
    RiskCheck: z.enum(['enable', 'disable']).optional(),
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

/** Names of the parameters that Create Message repeats as arrays (`MediaUrl=a&MediaUrl=b`). */
export const REPEATED_CREATE_PARAMS = ['MediaUrl', 'PersistentAction'] as const
