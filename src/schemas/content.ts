import { z } from 'zod'
import { accountSid, contentSid } from './common.js'

/**
 * An ISO 8601 date-time as the Content API renders it, e.g. `2024-01-01T00:00:00Z`.
 *
 * @example
 * iso8601Date.parse('2024-01-01T00:00:00Z')
 */
export const iso8601Date = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)

/**
 * A template's content types: `{"twilio/text": {"body": "Hi {{1}}"}}` (each type an object of its fields).
 *
 * @example
 * contentTypesSchema.parse({ 'twilio/text': { body: 'Your code is {{1}}' } })
 */
export const contentTypesSchema = z.record(
  z.string().regex(/^[a-z]+\/[a-z-]+$/),
  z.record(z.string(), z.unknown()),
)

/**
 * A content template as the Content API returns it (`content.v1.content`; every property nullable).
 *
 * @example
 * contentSchema.parse(await (await fetch('https://content.twilio.com/v1/Content/HX…', { headers })).json())
 */
export const contentSchema = z
  .object({
    date_created: iso8601Date.nullable(),
    date_updated: iso8601Date.nullable(),
    sid: contentSid.nullable(),
    account_sid: accountSid.nullable(),
    friendly_name: z.string().nullable(),
    language: z.string().nullable(),
    variables: z.record(z.string(), z.string()).nullable(),
    types: contentTypesSchema.nullable(),
    url: z.string().url().nullable(),
    links: z.record(z.string(), z.string().url()).nullable(),
  })
  .strict()
/** A content template as the Content API answers it (fetch, list, create). */
export type ContentResource = z.infer<typeof contentSchema>

/**
 * The `meta` of a Content API page (absolute URLs on content.twilio.com, the records' key).
 *
 * @example
 * contentPageMeta.parse((await res.json()).meta).next_page_url // null on the last page
 */
export const contentPageMeta = z
  .object({
    page: z.number().int(),
    page_size: z.number().int(),
    first_page_url: z.string().url(),
    previous_page_url: z.string().url().nullable(),
    url: z.string().url(),
    next_page_url: z.string().url().nullable(),
    key: z.literal('contents'),
  })
  .strict()

/**
 * A page of the Content list (`GET /v1/Content`).
 *
 * @example
 * contentPageSchema.parse(await (await fetch('https://content.twilio.com/v1/Content', { headers })).json())
 */
export const contentPageSchema = z
  .object({ contents: z.array(contentSchema), meta: contentPageMeta })
  .strict()
/** A page of the Content list: its `contents` and its `meta`. */
export type ContentPage = z.infer<typeof contentPageSchema>

/**
 * A template's WhatsApp approval, as the approval fetch and create answer it.
 *
 * @example
 * whatsappApprovalSchema.parse({ type: 'whatsapp', name: 'verification_code', category: 'UTILITY',
 *   content_type: 'twilio/text', status: 'approved', rejection_reason: '', allow_category_change: true })
 */
export const whatsappApprovalSchema = z
  .object({
    type: z.literal('whatsapp'),
    name: z.string(),
    category: z.string(),
    content_type: z.string(),
    status: z.enum(['unsubmitted', 'received', 'pending', 'approved', 'rejected', 'paused', 'disabled']),
    rejection_reason: z.string(),
    allow_category_change: z.boolean(),
  })
  .strict()

/**
 * The approval status of a template (`GET /v1/Content/{Sid}/ApprovalRequests`).
 *
 * @example
 * approvalFetchSchema.parse(await (await fetch(`${template.url}/ApprovalRequests`, { headers })).json())
 */
export const approvalFetchSchema = z
  .object({
    sid: contentSid.nullable(),
    account_sid: accountSid.nullable(),
    whatsapp: whatsappApprovalSchema.nullable(),
    url: z.string().url().nullable(),
  })
  .strict()
/** A template's approval status as the Content API answers it (its `whatsapp` approval). */
export type ApprovalFetchResource = z.infer<typeof approvalFetchSchema>

/**
 * The answer to a WhatsApp approval request (`POST /v1/Content/{Sid}/ApprovalRequests/whatsapp`).
 *
 * @example
 * const body = JSON.stringify({ name: 'verification_code', category: 'UTILITY' })
 * const res = await fetch(`${template.url}/ApprovalRequests/whatsapp`, { method: 'POST', headers, body })
 * approvalCreateSchema.parse(await res.json()).status // 'received'
 */
export const approvalCreateSchema = whatsappApprovalSchema.omit({ type: true })
/** The answer to a WhatsApp approval request: the approval without its `type`. */
export type ApprovalCreateResource = z.infer<typeof approvalCreateSchema>

/**
 * The JSON body of Create Content (`POST /v1/Content`): `language` and `types` required.
 *
 * @example
 * createContentParamsSchema.parse({ friendly_name: 'code', language: 'en', types: { 'twilio/text': { body: 'Code {{1}}' } } })
 */
export const createContentParamsSchema = z.object({
  friendly_name: z.string().optional(),
  language: z.string().min(1),
  variables: z.record(z.string(), z.string()).optional(),
  types: contentTypesSchema.refine((t) => Object.keys(t).length > 0, 'at least one content type'),
})
/** The JSON body of Create Content. */
export type CreateContentParams = z.infer<typeof createContentParamsSchema>

/**
 * The JSON body of a WhatsApp approval request: the template's name for WhatsApp and its category.
 *
 * @example
 * approvalRequestParamsSchema.parse({ name: 'verification_code', category: 'UTILITY' })
 */
export const approvalRequestParamsSchema = z.object({
  name: z.string(),
  category: z.string(),
})
/** The JSON body of a WhatsApp approval request. */
export type ApprovalRequestParams = z.infer<typeof approvalRequestParamsSchema>
