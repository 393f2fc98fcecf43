import { TwilioApiError, TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { Account } from '../messaging/accounts.js'
import type { AccountDirectory } from '../messaging/accounts-api.js'
import { SimulatedNetworkError } from '../messaging/errors.js'
import { applyScenario, matchScenario } from '../messaging/scenario-step.js'
import type { Operation } from '../scenarios/types.js'
import { isSid } from '../util/sid.js'
import { apiErrorOf, one } from './commands.js'
import { type FormParams, parseForm } from './form.js'
import { RenderedMessages } from './render.js'
import { type WireResponse, wireError } from './respond.js'
import { matchRoute, type Route, type RouteCall } from './routes.js'

/**
 * A request as the pipeline reads it, whatever door it came through (a Fetch `Request`, a `node:http`
 * request): method, absolute URL, headers and the body text (empty when there is none). Doors read the body
 * themselves, within {@link MAX_BODY_BYTES} (setting `oversized` beyond it).
 */
export interface WireRequest {
  method: string
  /** The absolute URL, e.g. `https://api.twilio.com/2010-04-01/Accounts/AC…/Messages.json?To=…`. */
  url: string
  /** A header by lower-case name; null or undefined when absent. */
  header(name: string): string | null | undefined
  /**
   * Every header as sent, as `[lower-case name, value]` pairs (what observers of the exchange see; the pipeline
   * itself reads {@link header}).
   */
  headerEntries(): Iterable<readonly [string, string]>
  /** The body text; empty when there is none, or when it was larger than the door reads (see `oversized`). */
  body: string
  /** Set by a door that stopped reading a body larger than this many bytes: answered 413 once authenticated. */
  oversized?: number
}

/** Most bytes of a request body the double reads (Twilio bodies are small; 1,600 characters plus media URLs). */
export const MAX_BODY_BYTES = 1_048_576

/** Twilio's 413 answer (code 20001) to a request body over `max` bytes. */
export function bodyTooLarge(max: number, headers?: Record<string, string>): TwilioApiError {
  return new TwilioApiError(20001, { message: `Request body exceeds ${max} bytes` }, { status: 413, headers })
}

/**
 * The request pipeline, the one every door goes through: route → authenticate → authorize → parse → (scenario →)
 * operation → Twilio JSON. Every failure is rendered in Twilio's error shape (an unknown path on the API is a
 * 20404, never a pass-through); only a scenario's network error rejects, with {@link SimulatedNetworkError}.
 * `directory` holds the double's accounts and the messaging domain serving each; `rendered`, the JSON of the
 * messages the double's API read last.
 *
 * @example
 * const answer = await dispatch(directory, { method: 'GET', url, header: (n) => headers[n], body: '' })
 * answer.status // 200
 */
export async function dispatch(
  directory: AccountDirectory,
  request: WireRequest,
  accounts: AccountPolicy = { open: false },
  rendered: RenderedMessages = new RenderedMessages(),
): Promise<WireResponse> {
  let answer: WireResponse
  try {
    answer = await routeAndAnswer(directory, request, accounts, rendered)
  } catch (err) {
    answer = failure(err)
  }
  // Twilio's CORS headers go to browsers (requests with an Origin) and preflights: other clients never read them
  return request.header('origin') || request.method.toUpperCase() === 'OPTIONS' ? withCors(answer) : answer
}

/**
 * The CORS headers of every answer of Twilio's API (declared on its responses in Twilio's OpenAPI description;
 * the values are those api.twilio.com sends, errors included).
 */
const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-allow-headers':
    'Accept, Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, Idempotency-Key',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-expose-headers': 'ETag',
  'access-control-allow-credentials': 'true',
})

function withCors(wire: WireResponse): WireResponse {
  return { ...wire, headers: { ...CORS_HEADERS, ...wire.headers } }
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded'

/** Which credentials the pipeline takes besides those of the accounts it knows. */
export interface AccountPolicy {
  /**
   * Take a well-formed account SID it does not know, with the token it came with, as a new account on first use
   * (its token fixed from then on), as an app's own `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN` would be.
   */
  open: boolean
  /**
   * Told of every refusal for credentials (20003): the user the request named (if any) and the account of the path
   * (undefined on the Accounts list).
   */
  refused?(user: string | undefined, pathAccountSid: string | undefined): void
  /**
   * Told of every 21701 a create answers for a well-formed messaging service SID (`MG…`) that the account of the
   * message does not have (not of a scenario's 21701, nor of a malformed SID).
   */
  unknownService?(account: Account, serviceSid: string): void
}

async function routeAndAnswer(
  directory: AccountDirectory,
  request: WireRequest,
  policy: AccountPolicy,
  rendered: RenderedMessages,
): Promise<WireResponse> {
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    throw new TwilioApiError(20404, { path: String(request.url) })
  }
  const path = decodePath(url.pathname)
  const method = request.method.toUpperCase()
  const found = matchRoute(method, path, url.hostname)
  if (!found.route) {
    if (found.allowed.length === 0) throw new TwilioApiError(20404, { path })
    // a browser's CORS preflight (sent without credentials): the headers say what may follow
    if (method === 'OPTIONS') return { status: 200, body: null }
    throw new TwilioApiError(20004, { path }, { status: 405, headers: { allow: found.allowed.join(', ') } })
  }
  const { route, accountSid: pathSid } = found
  const credentials = basicCredentials(request.header('authorization'))
  const caller = credentials && authenticate(directory, credentials, policy.open)
  // the messages of an account: with its credentials or its owner's (a parent acts on its subaccounts' paths)
  const account = route.resource === 'messages' ? directory.get(pathSid!) : caller
  if (!caller || !account || (account.sid !== caller.sid && account.ownerSid !== caller.sid)) {
    policy.refused?.(credentials?.user, pathSid)
    throw new TwilioApiError(20003)
  }
  // a suspended or closed account can do nothing, nor can anything be done in its messages
  if (caller.status !== 'active' || account.status !== 'active') throw new TwilioApiError(20005)
  if (request.oversized !== undefined) throw bodyTooLarge(request.oversized)
  const contentType = (request.header('content-type') ?? '').toLowerCase()
  const params = parseForm(
    method !== 'POST'
      ? url.search.slice(1)
      : contentType === '' || contentType.includes(FORM_CONTENT_TYPE)
        ? request.body
        : '',
  )
  const call: RouteCall = {
    directory,
    caller,
    backend: directory.backendOf(account.sid)!,
    account,
    accountSid: pathSid ?? caller.sid,
    ids: found.ids,
    params,
    body: method === 'POST' ? request.body : '',
    path,
    rendered,
  }
  return answer(route, call, policy)
}

/**
 * Runs the operation of the route, its domain errors rendered in Twilio's shape. On the messages of an account, a
 * matching scenario (its latency, network error, fault or refusal) comes first: for a create, as the first of its
 * rules (`create-rules.ts`); for the other operations, here, seeing the message the call names, else the call's
 * parameters. A create's 21701 for a messaging service the account does not have is told to `policy` (its hint).
 */
async function answer(route: Route, call: RouteCall, policy: AccountPolicy): Promise<WireResponse> {
  try {
    if (route.operation !== undefined && route.operation !== 'create') {
      const pending = scenarioOf(route.operation, call)
      if (pending) await pending
    }
    return await route.run(call)
  } catch (err) {
    if (route.operation === 'create' && err instanceof TwilioApiError && err.code === 21701) {
      const sid = err.details.sid ?? ''
      if (isSid('MG', sid) && !call.account.services.has(sid)) policy.unknownService?.(call.account, sid)
    }
    // the domain's errors in Twilio's shape (a resource not found names the request's path)
    throw apiErrorOf(err, call.path)
  }
}

/** The scenario step of an operation other than create; a promise only when a scenario's latency is to pass. */
function scenarioOf(operation: Operation, call: RouteCall): Promise<void> | undefined {
  const { backend, accountSid, ids, params } = call
  if (backend.scenarios.isEmpty) return undefined
  const record = ids[0] === undefined ? undefined : backend.store(accountSid).get(ids[0])
  const to = record?.to ?? one(params, 'To')
  const from = record?.from ?? one(params, 'From')
  const outcome = matchScenario(
    backend.scenarios,
    {
      operation,
      accountSid,
      to,
      from,
      body: record?.body ?? one(params, 'Body'),
      channel: record?.channel,
      messagingServiceSid: record?.messagingServiceSid ?? one(params, 'MessagingServiceSid'),
      params,
    },
    backend.addresses,
  )
  return outcome && applyScenario(outcome, backend.scheduler, { to, from })
}

/** What a failure answers: Twilio's error shape; a scenario's network error goes on to the door. */
function failure(err: unknown): WireResponse {
  if (err instanceof TwilioApiError) return wireError(err)
  if (err instanceof SimulatedNetworkError) throw err
  // a mistake in the test's own setup (a scenario's then function): Twilio's 500 shape, saying what to fix
  if (err instanceof TwilioDoubleError)
    return wireError(new TwilioApiError(20500, { override: err.message }, { status: 500 }))
  // Anything else is a bug of the double: answer Twilio's 500 shape, never crash the caller.
  return wireError(new TwilioApiError(20500, {}, { status: 500 }))
}

/** The user and password of an HTTP Basic authorization header, if it is one. */
export function basicCredentials(
  header: string | null | undefined,
): { user: string; pass: string } | undefined {
  const match = header ? /^basic\s+(\S+)/i.exec(header) : null
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf-8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) }
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/

/**
 * Finds the account credentials name: an account SID and its auth token, or an API key SID and its secret. With
 * `open`, an account SID the double does not know becomes an account with the token it came with.
 *
 * @example
 * authenticate(directory, { user: DEFAULT_ACCOUNT_SID, pass: DEFAULT_AUTH_TOKEN }, false)?.sid // DEFAULT_ACCOUNT_SID
 */
export function authenticate(
  directory: AccountDirectory,
  { user, pass }: { user: string; pass: string },
  open: boolean,
): Account | undefined {
  const direct = directory.get(user)
  if (direct) return direct.authToken === pass ? direct : undefined
  const byKey = directory.byApiKey(user, pass)
  if (byKey) return byKey
  if (!open || !ACCOUNT_SID.test(user) || pass === '') return undefined
  return directory.adopt(user, pass)
}

function decodePath(p: string): string {
  try {
    return decodeURIComponent(p)
  } catch {
    return p
  }
}

export type { FormParams }
export { SimulatedNetworkError }
