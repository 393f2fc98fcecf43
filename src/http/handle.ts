import { TwilioApiError, TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { Account } from '../messaging/accounts.js'
import type { MessagingBackend } from '../messaging/backend.js'
import { messageJson, renderFeedback, renderMedia, renderMessageJson } from '../messaging/render.js'
import type { MessageRecord } from '../messaging/types.js'
import type { Operation, ScenarioOutcome } from '../scenarios/types.js'
import { toMs } from '../util/duration.js'
import { memoize } from '../util/memo.js'
import { apiErrorOf, matchScenario, one, readCreate, readFeedback, readUpdate } from './commands.js'
import { type FormParams, parseForm } from './form.js'
import { listMedia, listMessagesResponse } from './paging.js'
import { toResponse, type WireResponse, wireError, wireJson } from './respond.js'

/** Thrown by `handle()` when a scenario asks for a network error; each door turns it into its own kind of failure. */
export class SimulatedNetworkError extends Error {
  readonly code = 'ECONNRESET'
  constructor() {
    super('[twilio-double] simulated network error (scenario networkError)')
    this.name = 'SimulatedNetworkError'
  }
}

/**
 * Answers `request` with `handle`; a scenario's network error becomes what Node's HTTP clients see when a
 * socket is cut: an `Error('socket hang up')` with code `ECONNRESET` (the nock door and `httpClient()`).
 */
export async function handleOrHangUp(
  handle: (request: Request) => Promise<Response>,
  request: Request,
): Promise<Response> {
  try {
    return await handle(request)
  } catch (err) {
    if (err instanceof SimulatedNetworkError) {
      const e = new Error('socket hang up') as Error & { code: string }
      e.code = 'ECONNRESET'
      throw e
    }
    throw err
  }
}

interface RouteContext {
  backend: MessagingBackend
  account: Account
  accountSid: string
  /** The path and its parts, as a match of the route's pattern: account SID, message SID, media SID. */
  match: readonly string[]
  params: FormParams
  path: string
  /** The query of the URL as it was sent (without `?`; empty when none). */
  query: string
  outcome?: ScenarioOutcome
}

/** The paths of the Messages resource, by what they name. */
type PathShape = 'messages' | 'message' | 'media-list' | 'media' | 'feedback'

interface Route {
  method: 'GET' | 'POST' | 'DELETE'
  /** The paths it answers, as {@link readPath} reads them and as `pattern` matches them. */
  shape: PathShape
  pattern: RegExp
  operation: Operation
  run: (ctx: RouteContext) => WireResponse
}

/**
 * A request as the pipeline reads it, whatever door it came through (a Fetch `Request`, a `node:http`
 * request): method, absolute URL, headers and the body, read only when the route takes one.
 */
export interface WireRequest {
  method: string
  /** The absolute URL, e.g. `https://api.twilio.com/2010-04-01/Accounts/AC…/Messages.json?To=…`. */
  url: string
  /** A header by lower-case name; null or undefined when absent. */
  header(name: string): string | null | undefined
  /** The body as text; may throw {@link BodyTooLargeError}. */
  text(): string | Promise<string>
}

const message = (status: number, r: MessageRecord): WireResponse => ({ status, body: messageJson(r) })
/** A message just created: rendered once, not kept (a create is rarely read back at once). */
const created = (r: MessageRecord): WireResponse => ({ status: 201, body: renderMessageJson(r) })
const NO_CONTENT: WireResponse = { status: 204, body: null }

const ACC = '/2010-04-01/Accounts/([^/]+)'

/** The route table: method + path pattern → operation. */
export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    shape: 'messages',
    pattern: new RegExp(`^${ACC}/Messages\\.json$`),
    operation: 'create',
    run: (c) => created(c.backend.createMessage(readCreate(c.accountSid, c.params), c.outcome)),
  },
  {
    method: 'GET',
    shape: 'messages',
    pattern: new RegExp(`^${ACC}/Messages\\.json$`),
    operation: 'list',
    run: (c) => listMessagesResponse(c.backend, c.accountSid, c.params, c.path, c.query),
  },
  {
    method: 'GET',
    shape: 'message',
    pattern: new RegExp(`^${ACC}/Messages/([^/]+)\\.json$`),
    operation: 'fetch',
    run: (c) => message(200, c.backend.getMessage({ accountSid: c.accountSid, messageSid: c.match[2]! })),
  },
  {
    method: 'POST',
    shape: 'message',
    pattern: new RegExp(`^${ACC}/Messages/([^/]+)\\.json$`),
    operation: 'update',
    run: (c) => message(200, c.backend.updateMessage(readUpdate(c.accountSid, c.match[2]!, c.params))),
  },
  {
    method: 'DELETE',
    shape: 'message',
    pattern: new RegExp(`^${ACC}/Messages/([^/]+)\\.json$`),
    operation: 'delete',
    run: (c) => {
      c.backend.deleteMessage({ accountSid: c.accountSid, messageSid: c.match[2]! })
      return NO_CONTENT
    },
  },
  {
    method: 'GET',
    shape: 'media-list',
    pattern: new RegExp(`^${ACC}/Messages/([^/]+)/Media\\.json$`),
    operation: 'media',
    run: (c) =>
      wireJson(
        200,
        listMedia(
          c.backend.getMessage({ accountSid: c.accountSid, messageSid: c.match[2]! }),
          c.params,
          c.path,
        ),
      ),
  },
  {
    method: 'GET',
    shape: 'media',
    pattern: new RegExp(`^${ACC}/Messages/([^/]+)/Media/([^/]+)\\.json$`),
    operation: 'media',
    run: (c) => {
      const { message, media } = c.backend.getMedia({
        accountSid: c.accountSid,
        messageSid: c.match[2]!,
        mediaSid: c.match[3]!,
      })
      return wireJson(200, renderMedia(message, media))
    },
  },
  {
    method: 'DELETE',
    shape: 'media',
    pattern: new RegExp(`^${ACC}/Messages/([^/]+)/Media/([^/]+)\\.json$`),
    operation: 'media',
    run: (c) => {
      c.backend.deleteMedia({ accountSid: c.accountSid, messageSid: c.match[2]!, mediaSid: c.match[3]! })
      return NO_CONTENT
    },
  },
  {
    method: 'POST',
    shape: 'feedback',
    pattern: new RegExp(`^${ACC}/Messages/([^/]+)/Feedback\\.json$`),
    operation: 'feedback',
    // Twilio's OpenAPI description declares 200 (not 201) for CreateMessageFeedback.
    run: (c) =>
      wireJson(
        200,
        renderFeedback(c.backend.createFeedback(readFeedback(c.accountSid, c.match[2]!, c.params))),
      ),
  },
]

/**
 * Finds the account a request authenticates as: HTTP Basic with the account SID and auth token, or with
 * an API key SID and secret of that account.
 */
export function authenticate(
  backend: MessagingBackend,
  header: string | null | undefined,
): Account | undefined {
  if (!header) return undefined
  const credentials = basicCredentials(header)
  if (!credentials) return undefined
  const [user, pass] = credentials
  const direct = backend.accounts.get(user)
  if (direct) return direct.authToken === pass ? direct : undefined
  for (const account of backend.accounts.values()) if (account.apiKeys.get(user) === pass) return account
  return undefined
}

/** The user and password of a Basic authorization header (a few recent headers are remembered). */
const basicCredentials = memoize((header: string): readonly [string, string] | null => {
  if (!/^basic /i.test(header)) return null
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf-8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? null : [decoded.slice(0, colon), decoded.slice(colon + 1)]
}, 64)

/** Most bytes of a request body the double reads (Twilio bodies are small; 1,600 characters plus media URLs). */
export const MAX_BODY_BYTES = 1_048_576

/**
 * The request pipeline over a Fetch `Request`: see {@link dispatch}.
 */
export async function handleRequest(backend: MessagingBackend, request: Request): Promise<Response> {
  return toResponse(await dispatch(backend, requestWire(request)))
}

/** A Fetch `Request` as a {@link WireRequest} (its body read on demand, within {@link MAX_BODY_BYTES}). */
export function requestWire(request: Request): WireRequest {
  return {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name),
    text: () => readBody(request),
  }
}

/**
 * The request pipeline: route → auth → parse → scenario → operation → Twilio JSON. Every failure is
 * rendered in Twilio's error shape; an unknown path on the API is a 20404, never a pass-through.
 */
export async function dispatch(backend: MessagingBackend, request: WireRequest): Promise<WireResponse> {
  return dispatchNow(backend, request)
}

/**
 * {@link dispatch}, answering at once when nothing has to be waited for (a body already read, no scenario
 * latency): the answer itself, else a promise of it. A scenario's network error is thrown (or the promise
 * rejects with it).
 */
export function dispatchNow(
  backend: MessagingBackend,
  request: WireRequest,
): WireResponse | Promise<WireResponse> {
  const wire = routeAndAnswer(backend, request)
  // Twilio's CORS headers go to browsers (requests with an Origin) and preflights: other clients never read
  // them, and seven headers instead of two cost a server a sixth of its throughput
  if (!request.header('origin') && request.method.toUpperCase() !== 'OPTIONS') return wire
  return wire instanceof Promise ? wire.then(withCors) : withCors(wire)
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
  return { ...wire, headers: wire.headers ? { ...CORS_HEADERS, ...wire.headers } : CORS_HEADERS }
}

/** Routes, authenticates and answers a request to Twilio's API (see {@link dispatchNow}). */
function routeAndAnswer(
  backend: MessagingBackend,
  request: WireRequest,
): WireResponse | Promise<WireResponse> {
  const url = splitUrl(request.url)
  if (!url) return wireError(new TwilioApiError(20404, { path: String(request.url) }))
  const path = safeDecodePath(url.pathname)
  try {
    const method = request.method.toUpperCase()
    const found = findRoute(method, path)
    if (!found) {
      const allowed = ROUTES.filter((r) => r.pattern.test(path)).map((r) => r.method)
      if (allowed.length === 0) throw new TwilioApiError(20404, { path })
      // a browser's CORS preflight (sent without credentials): the headers say what may follow
      if (method === 'OPTIONS') return { status: 200, body: null }
      throw new TwilioApiError(
        20004,
        { path },
        { status: 405, headers: { allow: [...new Set(allowed)].join(', ') } },
      )
    }
    const { route, match } = found
    const account = authenticate(backend, request.header('authorization'))
    const accountSid = match[1]!
    if (!account || account.sid !== accountSid) throw new TwilioApiError(20003)
    const call: Call = { backend, route, account, accountSid, match, path, query: url.query }

    if (method !== 'POST') return answer(call, parseForm(url.query))
    const contentType = request.header('content-type') ?? ''
    const form =
      contentType === '' ||
      contentType === FORM_CONTENT_TYPE ||
      contentType.toLowerCase().includes(FORM_CONTENT_TYPE)
    const read = request.text()
    // a body already read (the server's) is used at once: no turn of the event loop
    if (typeof read === 'string') return answer(call, parseForm(form ? read : ''))
    return read.then((text) => answer(call, parseForm(form ? text : ''))).catch(failure)
  } catch (err) {
    return failure(err)
  }
}

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded'

const ACCOUNTS_PREFIX = '/2010-04-01/Accounts/'

/** A segment naming `X.json`: X (not empty), else undefined. */
function jsonName(segment: string | undefined): string | undefined {
  return segment !== undefined && segment.length > 5 && segment.endsWith('.json')
    ? segment.slice(0, -5)
    : undefined
}

/**
 * What a path of the Messages resource names, and its parts (account SID, then message SID and media SID), read
 * without a regular expression; undefined for any other path. It reads exactly the paths the routes' patterns
 * match (handle.test.ts compares both).
 */
export function readPath(path: string): { shape: PathShape; parts: string[] } | undefined {
  if (!path.startsWith(ACCOUNTS_PREFIX)) return undefined
  const accountEnd = path.indexOf('/', ACCOUNTS_PREFIX.length)
  if (accountEnd <= ACCOUNTS_PREFIX.length) return undefined
  const account = path.slice(ACCOUNTS_PREFIX.length, accountEnd)
  const rest = path.slice(accountEnd + 1)
  if (rest === 'Messages.json') return { shape: 'messages', parts: [account] }
  if (!rest.startsWith('Messages/')) return undefined
  const segments = rest.slice('Messages/'.length).split('/')
  const [first, second, third] = segments
  if (segments.length === 1) {
    const sid = jsonName(first)
    return sid === undefined ? undefined : { shape: 'message', parts: [account, sid] }
  }
  if (!first) return undefined
  if (segments.length === 2 && second === 'Media.json')
    return { shape: 'media-list', parts: [account, first] }
  if (segments.length === 2 && second === 'Feedback.json')
    return { shape: 'feedback', parts: [account, first] }
  const media = segments.length === 3 && second === 'Media' ? jsonName(third) : undefined
  return media === undefined ? undefined : { shape: 'media', parts: [account, first, media] }
}

/** The route of a request and the parts of its path (as a match of the route's pattern), if one answers it. */
export function findRoute(
  method: string,
  path: string,
): { route: Route; match: readonly string[] } | undefined {
  const read = readPath(path)
  if (!read) return undefined
  for (const route of ROUTES)
    if (route.method === method && route.shape === read.shape) return { route, match: [path, ...read.parts] }
  return undefined
}

/** A routed, authenticated request. */
interface Call {
  backend: MessagingBackend
  route: Route
  account: Account
  accountSid: string
  match: readonly string[]
  path: string
  query: string
}

/**
 * Runs the scenario (if any) and the operation of `call`; waits only for a scenario's latency. Throws what fails
 * at once (the caller's `failure()` answers it); a failure after the wait rejects through `failure()`.
 */
function answer(call: Call, params: FormParams): WireResponse | Promise<WireResponse> {
  const { backend, route, accountSid, match } = call
  const record =
    route.operation === 'create' || route.operation === 'list'
      ? undefined
      : backend.store(accountSid).get(match[2]!)
  const outcome = matchScenario(backend.scenarios, route.operation, accountSid, params, record)
  if (outcome?.latency !== undefined)
    return delay(backend, toMs(outcome.latency))
      .then(() => perform(call, params, record, outcome))
      .catch(failure)
  return perform(call, params, record, outcome)
}

/** A scenario's outcome applied (a fault, a refusal: thrown), else the operation run. */
function perform(
  call: Call,
  params: FormParams,
  record: MessageRecord | undefined,
  outcome: ScenarioOutcome | undefined,
): WireResponse {
  if (outcome) {
    if (outcome.networkError) throw new SimulatedNetworkError()
    if (outcome.fault === 429)
      throw new TwilioApiError(
        20429,
        {},
        { status: 429, headers: { 'Retry-After': String(outcome.retryAfter ?? 1) } },
      )
    if (outcome.fault === 500) throw new TwilioApiError(20500, {}, { status: 500 })
    if (outcome.fault === 503) throw new TwilioApiError(20503, {}, { status: 503 })
    if (outcome.reject !== undefined)
      throw new TwilioApiError(outcome.reject, {
        to: record?.to ?? one(params, 'To'),
        from: record?.from ?? one(params, 'From'),
        path: call.path,
        ...(outcome.message ? { override: outcome.message } : {}),
      })
  }
  const { backend, account, accountSid, match, path, query } = call
  try {
    return call.route.run({ backend, account, accountSid, match, params, path, query, outcome })
  } catch (err) {
    // the domain's errors in Twilio's shape (a resource not found names the request's path)
    throw apiErrorOf(err, path)
  }
}

/** What a failure answers: Twilio's error shape; a scenario's network error goes on to the door. */
function failure(err: unknown): WireResponse {
  if (err instanceof TwilioApiError) return wireError(err)
  if (err instanceof SimulatedNetworkError) throw err
  if (err instanceof BodyTooLargeError) return wireError(bodyTooLarge(MAX_BODY_BYTES))
  // a mistake in the test's own setup (a scenario's then function): Twilio's 500 shape, saying what to fix
  if (err instanceof TwilioDoubleError)
    return wireError(new TwilioApiError(20500, { override: err.message }, { status: 500 }))
  // Anything else is a bug of the double: answer Twilio's 500 shape, never crash the caller.
  return wireError(new TwilioApiError(20500, {}, { status: 500 }))
}

/** Twilio's 413 answer (code 20001) to a request body over `max` bytes. */
export function bodyTooLarge(max: number, headers?: Record<string, string>): TwilioApiError {
  return new TwilioApiError(20001, { message: `Request body exceeds ${max} bytes` }, { status: 413, headers })
}

/** A request body over {@link MAX_BODY_BYTES} (answered 413). */
export class BodyTooLargeError extends Error {
  constructor() {
    super(`Request body exceeds ${MAX_BODY_BYTES} bytes`)
  }
}

async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > MAX_BODY_BYTES) throw new BodyTooLargeError()
  const buf = await request.arrayBuffer()
  if (buf.byteLength > MAX_BODY_BYTES) throw new BodyTooLargeError()
  return new TextDecoder('utf-8').decode(buf)
}

/** Character codes (below 128) allowed in the host, the path and the query of a URL read without `URL`. */
function codeTable(chars: string): Uint8Array {
  const table = new Uint8Array(128)
  const word = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_'
  for (const c of word + chars) table[c.charCodeAt(0)] = 1
  return table
}
const HOST_CODES = codeTable('.:[]-')
const PATH_CODES = codeTable(".~%!$&'()*+,;=:@/-")
const QUERY_CODES = codeTable('.~%!$&()*+,;=:@/?-')

/** Whether every character of `s` from `from` to `to` is in `table`. */
function allIn(table: Uint8Array, s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i)
    if (c >= 128 || table[c] === 0) return false
  }
  return true
}

/** A path segment starting with an escaped dot. */
const ESCAPED_DOT_SEGMENT = /\/%2e/i

/**
 * The path and the query (without `?`) of a request URL; undefined when it is not a URL. An `http(s)` URL whose
 * host, path and query hold only characters that WHATWG URL parsing keeps as they are, and whose path has no dot
 * segment (what every client sends), is read as it is; any other goes through `URL`.
 */
export function splitUrl(raw: string): { pathname: string; query: string } | undefined {
  const hostAt = raw.startsWith('https://') ? 8 : raw.startsWith('http://') ? 7 : -1
  const pathAt = hostAt < 0 ? -1 : raw.indexOf('/', hostAt)
  if (pathAt > hostAt && allIn(HOST_CODES, raw, hostAt, pathAt)) {
    const queryAt = raw.indexOf('?', pathAt)
    const pathEnd = queryAt < 0 ? raw.length : queryAt
    if (
      allIn(PATH_CODES, raw, pathAt, pathEnd) &&
      (queryAt < 0 || allIn(QUERY_CODES, raw, queryAt + 1, raw.length))
    ) {
      const pathname = raw.slice(pathAt, pathEnd)
      const dotSegment =
        pathname.includes('/.') || (pathname.includes('%') && ESCAPED_DOT_SEGMENT.test(pathname))
      if (!dotSegment) return { pathname, query: queryAt < 0 ? '' : raw.slice(queryAt + 1) }
    }
  }
  try {
    const url = new URL(raw)
    return { pathname: url.pathname, query: url.search.slice(1) }
  } catch {
    return undefined
  }
}

function safeDecodePath(p: string): string {
  if (!p.includes('%')) return p
  try {
    return decodeURIComponent(p)
  } catch {
    return p
  }
}

async function delay(backend: MessagingBackend, ms: number): Promise<void> {
  if (backend.scheduler.mode === 'virtual') await backend.scheduler.advance(ms)
  else await new Promise((resolve) => setTimeout(resolve, ms))
}
