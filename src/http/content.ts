/**
 * The Content API (`https://content.twilio.com/v1/Content…`) in its wire format: its JSON request bodies read into
 * the domain's commands with the zod schemas of `schemas/content.ts`, and its templates, pages and approvals
 * rendered as Twilio answers them (ISO 8601 dates, absolute URLs on content.twilio.com).
 */
import { TwilioApiError } from '../errors/twilio-api-error.js'
import type { ApprovalRequestCommand, CreateContentCommand } from '../messaging/commands.js'
import type { ContentTemplate, WhatsAppApproval } from '../messaging/content.js'
import type {
  ApprovalCreateResource,
  ApprovalFetchResource,
  ContentPage,
  ContentResource,
} from '../schemas/content.js'
import { approvalRequestParamsSchema, createContentParamsSchema } from '../schemas/content.js'
import { nestsDeeperThan } from '../util/json-depth.js'
import { one } from './commands.js'
import type { FormParams } from './form.js'
import { type WireResponse, wireJson } from './respond.js'

/** The origin of the Content API: every URL it answers is absolute on it. */
export const CONTENT_ORIGIN = 'https://content.twilio.com'

/** The JSON of a request body; 20001 when it is none. */
function jsonBody(body: string): unknown {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    throw new TwilioApiError(20001, { message: 'Invalid JSON in the request body' })
  }
  // no template nests that deep; a value nested thousands deep would overflow the stack of its validation
  if (nestsDeeperThan(value, MAX_JSON_DEPTH))
    throw new TwilioApiError(20001, {
      message: `Invalid JSON in the request body: arrays and objects nested more than ${MAX_JSON_DEPTH} deep`,
    })
  return value
}

/** How deep a Content API body may nest arrays and objects. */
const MAX_JSON_DEPTH = 32

/** The first problem zod found, as Twilio's 20001. */
function invalid(issues: readonly { path: PropertyKey[]; message: string }[]): TwilioApiError {
  const issue = issues[0]!
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body'
  return new TwilioApiError(20001, { message: `Invalid ${where}: ${issue.message}` })
}

/**
 * Reads Create Content's JSON body into a command.
 *
 * @example
 * readCreateContent('AC…', '{"language":"en","types":{"twilio/text":{"body":"Hi"}}}').language // 'en'
 */
export function readCreateContent(accountSid: string, body: string): CreateContentCommand {
  const result = createContentParamsSchema.safeParse(jsonBody(body))
  if (!result.success) throw invalid(result.error.issues)
  const { friendly_name, language, variables, types } = result.data
  return {
    accountSid,
    language,
    types: types as CreateContentCommand['types'],
    ...(friendly_name !== undefined ? { friendlyName: friendly_name } : {}),
    ...(variables !== undefined ? { variables } : {}),
  }
}

/** Reads a WhatsApp approval request's JSON body into a command. */
export function readApprovalRequest(
  accountSid: string,
  contentSid: string,
  body: string,
): ApprovalRequestCommand {
  const result = approvalRequestParamsSchema.safeParse(jsonBody(body))
  if (!result.success) throw invalid(result.error.issues)
  return { accountSid, contentSid, name: result.data.name, category: result.data.category }
}

/** `2024-01-01T00:00:00Z`: the Content API's dates. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Renders a template as the Content API answers it. */
export function renderContent(t: ContentTemplate): ContentResource {
  const url = `${CONTENT_ORIGIN}/v1/Content/${t.sid}`
  return {
    date_created: iso(t.dateCreated),
    date_updated: iso(t.dateUpdated),
    sid: t.sid,
    account_sid: t.accountSid,
    friendly_name: t.friendlyName,
    language: t.language,
    variables: t.variables,
    types: t.types,
    url,
    links: {
      approval_create: `${url}/ApprovalRequests/whatsapp`,
      approval_fetch: `${url}/ApprovalRequests`,
    },
  }
}

/** A template's WhatsApp approval (`unsubmitted`, with no name nor category, until it is requested). */
function approvalOf(t: ContentTemplate): ApprovalCreateResource {
  const a: WhatsAppApproval = t.whatsapp ?? {
    name: '',
    category: '',
    status: 'unsubmitted',
    rejectionReason: '',
  }
  return {
    name: a.name,
    category: a.category,
    content_type: Object.keys(t.types)[0] ?? '',
    status: a.status,
    rejection_reason: a.rejectionReason,
    allow_category_change: true,
  }
}

/** Renders the answer to a WhatsApp approval request. */
export function renderApprovalCreate(t: ContentTemplate): ApprovalCreateResource {
  return approvalOf(t)
}

/** Renders a template's approval status. */
export function renderApprovalFetch(t: ContentTemplate): ApprovalFetchResource {
  return {
    sid: t.sid,
    account_sid: t.accountSid,
    whatsapp: { type: 'whatsapp', ...approvalOf(t) },
    url: `${CONTENT_ORIGIN}/v1/Content/${t.sid}/ApprovalRequests`,
  }
}

/**
 * A page of the Content list, newest first: `PageSize` 1 to 1,000 (default 50; 20007 above, 20001 for a
 * non-number), `Page` the page's number, `PageToken` (`PA` and the SID the previous page ended on) where it starts.
 */
export function contentPage(templates: readonly ContentTemplate[], params: FormParams): WireResponse {
  const sizeRaw = one(params, 'PageSize')
  const pageRaw = one(params, 'Page')
  const token = one(params, 'PageToken')
  if (sizeRaw !== undefined && !/^\d+$/.test(sizeRaw))
    throw new TwilioApiError(20001, { message: `Invalid PageSize '${sizeRaw}'` })
  if (pageRaw !== undefined && !/^\d+$/.test(pageRaw))
    throw new TwilioApiError(20001, { message: `Invalid Page '${pageRaw}'` })
  const size = sizeRaw === undefined ? 50 : Number(sizeRaw)
  if (size > 1000) throw new TwilioApiError(20007)
  if (size < 1) throw new TwilioApiError(20001, { message: `Invalid PageSize '${sizeRaw}'` })
  const page = pageRaw === undefined ? 0 : Number(pageRaw)
  let start = page * size
  if (token !== undefined) {
    const after = templates.findIndex((t) => `PA${t.sid}` === token)
    if (after >= 0) start = after + 1
  }
  const items = templates.slice(start, start + size)
  const url = (p: number, pageToken?: string) =>
    `${CONTENT_ORIGIN}/v1/Content?PageSize=${size}&Page=${p}${pageToken ? `&PageToken=${pageToken}` : ''}`
  const last = items.at(-1)
  const body: ContentPage = {
    contents: items.map(renderContent),
    meta: {
      page,
      page_size: size,
      first_page_url: url(0),
      previous_page_url: page > 0 ? url(page - 1) : null,
      url: url(page, token),
      next_page_url: last && start + size < templates.length ? url(page + 1, `PA${last.sid}`) : null,
      key: 'contents',
    },
  }
  return wireJson(200, body)
}
