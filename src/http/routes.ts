import type { Account } from '../messaging/accounts.js'
import {
  type AccountDirectory,
  createAccount,
  listAccounts,
  updateAccount,
  visibleAccount,
} from '../messaging/accounts-api.js'
import type { MessagingBackend } from '../messaging/backend.js'
import type { Operation } from '../scenarios/types.js'
import { readCreate, readFeedback, readList, readListMedia, readUpdate } from './commands.js'
import type { FormParams } from './form.js'
import { listMedia, messagesPage } from './paging.js'
import {
  type RenderedMessages,
  renderCreatedMessage,
  renderFeedback,
  renderMedia,
  renderMessage,
} from './render.js'
import { type WireResponse, wireJson } from './respond.js'

/** A routed, authenticated request, as a route's operation reads it. */
export interface RouteCall {
  /** Every account of the double (the Accounts resource reads and changes them). */
  directory: AccountDirectory
  /** The account whose credentials (auth token or API key) the request came with. */
  caller: Account
  /** The messaging domain of the account the request acts on (the caller's, for the Accounts resource). */
  backend: MessagingBackend
  /** The account the path names (the caller, for the Accounts list). */
  account: Account
  accountSid: string
  /** The SIDs the path names after the account: message SID, then media SID. */
  ids: readonly string[]
  params: FormParams
  /** The body as sent (the Content API's JSON; empty for a GET or a DELETE). */
  body: string
  /** The path as sent (percent-escapes decoded), for Twilio's 20404 message and paging URIs. */
  path: string
  /** The JSON of the messages the double's API read last (fetches and lists read it). */
  rendered: RenderedMessages
}

/**
 * One row of the route table: a method and a path pattern, what the path names and how it is answered. The
 * messages of an account (`messages`) are reached with the credentials of that account or of its owner, and go
 * through scenarios (`operation`); an account (`account`) is seen by itself and its owner; the Accounts list
 * (`accounts`) by any account.
 */
export type Route =
  | {
      method: 'GET' | 'POST' | 'DELETE'
      /** Matches the path; its groups are the account SID, then the SIDs of {@link RouteCall.ids}. */
      pattern: RegExp
      resource: 'messages'
      operation: Operation
      run: (call: RouteCall) => Promise<WireResponse>
    }
  | {
      method: 'GET' | 'POST'
      /** Matches the path; its group (if any) is the account SID. */
      pattern: RegExp
      resource: 'account' | 'accounts'
      operation?: undefined
      run: (call: RouteCall) => Promise<WireResponse>
    }
  | {
      method: 'GET' | 'POST' | 'DELETE'
      /** Matches a path of the Content API (on content.twilio.com); its group (if any) is the template's SID. */
      pattern: RegExp
      /** The content templates of the account whose credentials the request came with. */
      resource: 'content'
      operation?: undefined
      run: (call: RouteCall) => Promise<WireResponse>
    }

const ACCOUNT = '^/2010-04-01/Accounts/([^/]+)'
const ACCOUNTS = /^\/2010-04-01\/Accounts\.json$/
const ACCOUNT_INSTANCE = new RegExp(`${ACCOUNT}\\.json$`)
const MESSAGES = new RegExp(`${ACCOUNT}/Messages\\.json$`)
const MESSAGE = new RegExp(`${ACCOUNT}/Messages/([^/]+)\\.json$`)
const MEDIA_LIST = new RegExp(`${ACCOUNT}/Messages/([^/]+)/Media\\.json$`)
const MEDIA = new RegExp(`${ACCOUNT}/Messages/([^/]+)/Media/([^/]+)\\.json$`)
const FEEDBACK = new RegExp(`${ACCOUNT}/Messages/([^/]+)/Feedback\\.json$`)
const CONTENTS = /^\/v1\/Content$/
const CONTENT = /^\/v1\/Content\/([^/]+)$/
const APPROVAL_FETCH = /^\/v1\/Content\/([^/]+)\/ApprovalRequests$/
const APPROVAL_CREATE = /^\/v1\/Content\/([^/]+)\/ApprovalRequests\/whatsapp$/

/** The message a call names (its account and message SID), as the domain reads it. */
const named = (c: RouteCall) => ({ accountSid: c.accountSid, messageSid: c.ids[0]! })
/** The media item a call names. */
const namedMedia = (c: RouteCall) => ({ ...named(c), mediaSid: c.ids[1]! })
const NO_CONTENT: WireResponse = { status: 204, body: null }

/**
 * The Accounts resource and the Content API on the wire, loaded by the first request to one of their routes: their
 * zod schemas (accounts, content templates, approvals) are built then, not in every test file that only sends
 * messages (bench/README.md, "What a test file loads").
 */
const accountsWire = () => import('./accounts.js')
const contentWire = () => import('./content.js')

/**
 * The route table, the one source of truth of what the API answers: method + path pattern → operation.
 *
 * @example
 * ROUTES.find((r) => r.method === 'POST' && r.pattern.test(path))?.operation // 'create'
 */
export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    pattern: ACCOUNTS,
    resource: 'accounts',
    run: async (c) => {
      const { readCreateAccount, renderAccount } = await accountsWire()
      return wireJson(201, renderAccount(createAccount(c.directory, c.caller, readCreateAccount(c.params))))
    },
  },
  {
    method: 'GET',
    pattern: ACCOUNTS,
    resource: 'accounts',
    run: async (c) => {
      const { listAccountsResponse, readListAccounts } = await accountsWire()
      const command = readListAccounts(c.params)
      return listAccountsResponse(listAccounts(c.directory, c.caller, command), command, c.path)
    },
  },
  {
    method: 'GET',
    pattern: ACCOUNT_INSTANCE,
    resource: 'account',
    run: async (c) => {
      const { renderAccount } = await accountsWire()
      return wireJson(200, renderAccount(visibleAccount(c.directory, c.caller, c.accountSid)))
    },
  },
  {
    method: 'POST',
    pattern: ACCOUNT_INSTANCE,
    resource: 'account',
    run: async (c) => {
      const { readUpdateAccount, renderAccount } = await accountsWire()
      return wireJson(
        200,
        renderAccount(updateAccount(c.directory, c.caller, readUpdateAccount(c.accountSid, c.params))),
      )
    },
  },
  {
    method: 'POST',
    pattern: MESSAGES,
    resource: 'messages',
    operation: 'create',
    run: async (c) =>
      wireJson(201, renderCreatedMessage(await c.backend.createMessage(readCreate(c.accountSid, c.params)))),
  },
  {
    method: 'GET',
    pattern: MESSAGES,
    resource: 'messages',
    operation: 'list',
    run: async (c) => {
      const command = readList(c.accountSid, c.params)
      return messagesPage(c.backend.listMessages(command), command, c.params, c.path, c.rendered)
    },
  },
  {
    method: 'GET',
    pattern: MESSAGE,
    resource: 'messages',
    operation: 'fetch',
    run: async (c) => ({ status: 200, body: c.rendered.json(c.backend.getMessage(named(c))) }),
  },
  {
    method: 'POST',
    pattern: MESSAGE,
    resource: 'messages',
    operation: 'update',
    run: async (c) =>
      wireJson(200, renderMessage(c.backend.updateMessage(readUpdate(c.accountSid, c.ids[0]!, c.params)))),
  },
  {
    method: 'DELETE',
    pattern: MESSAGE,
    resource: 'messages',
    operation: 'delete',
    run: async (c) => {
      c.backend.deleteMessage(named(c))
      return NO_CONTENT
    },
  },
  {
    method: 'GET',
    pattern: MEDIA_LIST,
    resource: 'messages',
    operation: 'media',
    run: async (c) => {
      // the message first: an unknown one is 20404 whatever its query
      const message = c.backend.getMessage(named(c))
      return wireJson(200, listMedia(message, readListMedia(c.params), c.params, c.path))
    },
  },
  {
    method: 'GET',
    pattern: MEDIA,
    resource: 'messages',
    operation: 'media',
    run: async (c) => {
      const { message, media } = c.backend.getMedia(namedMedia(c))
      return wireJson(200, renderMedia(message, media))
    },
  },
  {
    method: 'DELETE',
    pattern: MEDIA,
    resource: 'messages',
    operation: 'media',
    run: async (c) => {
      c.backend.deleteMedia(namedMedia(c))
      return NO_CONTENT
    },
  },
  {
    method: 'POST',
    pattern: FEEDBACK,
    resource: 'messages',
    operation: 'feedback',
    // Twilio's OpenAPI description declares 200 (not 201) for CreateMessageFeedback.
    run: async (c) =>
      wireJson(
        200,
        renderFeedback(c.backend.createFeedback(readFeedback(c.accountSid, c.ids[0]!, c.params))),
      ),
  },
  {
    method: 'POST',
    pattern: CONTENTS,
    resource: 'content',
    run: async (c) => {
      const { readCreateContent, renderContent } = await contentWire()
      return wireJson(201, renderContent(c.backend.content.create(readCreateContent(c.accountSid, c.body))))
    },
  },
  {
    method: 'GET',
    pattern: CONTENTS,
    resource: 'content',
    run: async (c) => (await contentWire()).contentPage(c.backend.content.list(), c.params),
  },
  {
    method: 'GET',
    pattern: CONTENT,
    resource: 'content',
    run: async (c) => wireJson(200, (await contentWire()).renderContent(c.backend.content.get(c.ids[0]!))),
  },
  {
    method: 'DELETE',
    pattern: CONTENT,
    resource: 'content',
    run: async (c) => {
      c.backend.content.delete(c.ids[0]!)
      return NO_CONTENT
    },
  },
  {
    method: 'GET',
    pattern: APPROVAL_FETCH,
    resource: 'content',
    run: async (c) =>
      wireJson(200, (await contentWire()).renderApprovalFetch(c.backend.content.get(c.ids[0]!))),
  },
  {
    method: 'POST',
    pattern: APPROVAL_CREATE,
    resource: 'content',
    run: async (c) => {
      const { readApprovalRequest, renderApprovalCreate } = await contentWire()
      return wireJson(
        201,
        renderApprovalCreate(
          c.backend.content.requestApproval(readApprovalRequest(c.accountSid, c.ids[0]!, c.body)),
        ),
      )
    },
  },
]

/** What the route table says of a request: its route and the path's SIDs, or the methods the path allows. */
export type RouteMatch =
  | { route: Route; accountSid: string | undefined; ids: string[] }
  | { route: undefined; allowed: string[] }

/**
 * The route answering `method` on `path` (and the SIDs the path names), else the methods other routes of that
 * path answer (none: an unknown path). On a Twilio host (`host`), only the routes of the API it serves answer: the
 * Content API on content.twilio.com, the others on api.twilio.com.
 *
 * @example
 * matchRoute('GET', '/2010-04-01/Accounts/AC1/Messages/SM1.json') // { route: <fetch>, accountSid: 'AC1', ids: ['SM1'] }
 */
export function matchRoute(method: string, path: string, host?: string): RouteMatch {
  const allowed: string[] = []
  const api = apiOfHost(host)
  for (const route of ROUTES) {
    if (api !== undefined && (route.resource === 'content') !== (api === 'content')) continue
    const match = route.pattern.exec(path)
    if (!match) continue
    if (route.method !== method) {
      if (!allowed.includes(route.method)) allowed.push(route.method)
      continue
    }
    // the Content API's paths name no account: the caller's templates are meant
    if (route.resource === 'content') return { route, accountSid: undefined, ids: match.slice(1) }
    return { route, accountSid: match[1]!, ids: match.slice(2) }
  }
  return { route: undefined, allowed }
}

/**
 * Which of Twilio's APIs a host serves: `content` (content.twilio.com and its edge and region forms), `messaging`
 * (api.twilio.com and the others of twilio.com), or undefined for any other host (a local server, `double.fetch`
 * with another URL), where every route answers.
 */
function apiOfHost(host: string | undefined): 'content' | 'messaging' | undefined {
  const name = host?.toLowerCase()
  if (!name || (name !== 'twilio.com' && !name.endsWith('.twilio.com'))) return undefined
  return name.startsWith('content.') ? 'content' : 'messaging'
}
