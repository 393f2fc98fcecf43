import type { Account } from '../messaging/accounts.js'
import type { MessagingBackend } from '../messaging/backend.js'
import type { Operation, ScenarioOutcome } from '../scenarios/types.js'
import { readCreate, readFeedback, readList, readUpdate } from './commands.js'
import type { FormParams } from './form.js'
import { listMedia, messagesPage } from './paging.js'
import { renderFeedback, renderMedia, renderMessage } from './render.js'
import { type WireResponse, wireJson } from './respond.js'

/** A routed, authenticated request, as a route's operation reads it. */
export interface RouteCall {
  backend: MessagingBackend
  account: Account
  accountSid: string
  /** The SIDs the path names after the account: message SID, then media SID. */
  ids: readonly string[]
  params: FormParams
  /** The path as sent (percent-escapes decoded), for Twilio's 20404 message and paging URIs. */
  path: string
  outcome?: ScenarioOutcome
}

/** One row of the route table: a method and a path pattern, the operation they name and how it is answered. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE'
  /** Matches the path; its groups are the account SID, then the SIDs of {@link RouteCall.ids}. */
  pattern: RegExp
  operation: Operation
  run: (call: RouteCall) => WireResponse
}

const ACCOUNT = '^/2010-04-01/Accounts/([^/]+)'
const MESSAGES = new RegExp(`${ACCOUNT}/Messages\\.json$`)
const MESSAGE = new RegExp(`${ACCOUNT}/Messages/([^/]+)\\.json$`)
const MEDIA_LIST = new RegExp(`${ACCOUNT}/Messages/([^/]+)/Media\\.json$`)
const MEDIA = new RegExp(`${ACCOUNT}/Messages/([^/]+)/Media/([^/]+)\\.json$`)
const FEEDBACK = new RegExp(`${ACCOUNT}/Messages/([^/]+)/Feedback\\.json$`)

/** The message a call names (its account and message SID), as the domain reads it. */
const named = (c: RouteCall) => ({ accountSid: c.accountSid, messageSid: c.ids[0]! })
/** The media item a call names. */
const namedMedia = (c: RouteCall) => ({ ...named(c), mediaSid: c.ids[1]! })
const NO_CONTENT: WireResponse = { status: 204, body: null }

/**
 * The route table, the one source of truth of what the API answers: method + path pattern → operation.
 *
 * @example
 * ROUTES.find((r) => r.method === 'POST' && r.pattern.test(path))?.operation // 'create'
 */
export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    pattern: MESSAGES,
    operation: 'create',
    run: (c) =>
      wireJson(201, renderMessage(c.backend.createMessage(readCreate(c.accountSid, c.params), c.outcome))),
  },
  {
    method: 'GET',
    pattern: MESSAGES,
    operation: 'list',
    run: (c) => {
      const command = readList(c.accountSid, c.params)
      return messagesPage(c.backend.listMessages(command), command, c.params, c.path)
    },
  },
  {
    method: 'GET',
    pattern: MESSAGE,
    operation: 'fetch',
    run: (c) => wireJson(200, renderMessage(c.backend.getMessage(named(c)))),
  },
  {
    method: 'POST',
    pattern: MESSAGE,
    operation: 'update',
    run: (c) =>
      wireJson(200, renderMessage(c.backend.updateMessage(readUpdate(c.accountSid, c.ids[0]!, c.params)))),
  },
  {
    method: 'DELETE',
    pattern: MESSAGE,
    operation: 'delete',
    run: (c) => {
      c.backend.deleteMessage(named(c))
      return NO_CONTENT
    },
  },
  {
    method: 'GET',
    pattern: MEDIA_LIST,
    operation: 'media',
    run: (c) => wireJson(200, listMedia(c.backend.getMessage(named(c)), c.params, c.path)),
  },
  {
    method: 'GET',
    pattern: MEDIA,
    operation: 'media',
    run: (c) => {
      const { message, media } = c.backend.getMedia(namedMedia(c))
      return wireJson(200, renderMedia(message, media))
    },
  },
  {
    method: 'DELETE',
    pattern: MEDIA,
    operation: 'media',
    run: (c) => {
      c.backend.deleteMedia(namedMedia(c))
      return NO_CONTENT
    },
  },
  {
    method: 'POST',
    pattern: FEEDBACK,
    operation: 'feedback',
    // Twilio's OpenAPI description declares 200 (not 201) for CreateMessageFeedback.
    run: (c) =>
      wireJson(
        200,
        renderFeedback(c.backend.createFeedback(readFeedback(c.accountSid, c.ids[0]!, c.params))),
      ),
  },
]

/** What the route table says of a request: its route and the path's SIDs, or the methods the path allows. */
export type RouteMatch =
  | { route: Route; accountSid: string; ids: string[] }
  | { route: undefined; allowed: string[] }

/**
 * The route answering `method` on `path` (and the SIDs the path names), else the methods other routes of that
 * path answer (none: an unknown path).
 *
 * @example
 * matchRoute('GET', '/2010-04-01/Accounts/AC1/Messages/SM1.json') // { route: <fetch>, accountSid: 'AC1', ids: ['SM1'] }
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const allowed: string[] = []
  for (const route of ROUTES) {
    const match = route.pattern.exec(path)
    if (!match) continue
    if (route.method === method) return { route, accountSid: match[1]!, ids: match.slice(2) }
    if (!allowed.includes(route.method)) allowed.push(route.method)
  }
  return { route: undefined, allowed }
}
