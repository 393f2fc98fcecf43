import { type TwilioDouble, tenantsOf } from '../../double.js'
import { TwilioApiError, TwilioDoubleError } from '../../errors/twilio-api-error.js'
import { json } from '../../http/respond.js'
import { providerStateHandlers } from '../provider-states.js'
import type { ServerClock } from '../wall-clock.js'
import { listConversations, oneConversation } from './conversations.js'
import { events } from './events.js'
import { listCallbacks, listMessages, oneMessage } from './messages.js'
import { clearNumber, inbound, listNumbers, setNumber } from './numbers.js'
import { providerState as providerStateHandler } from './provider-state.js'
import {
  BadRequest,
  CONTROL_PREFIX,
  type ControlContext,
  type ControlHandler,
  controlError,
  queryObject,
  readJson,
  validate,
} from './route.js'
import { addScenarios, advance, clearScenarios, listScenarios, settle } from './scenarios.js'
import { controlScope } from './scope.js'
import { credentials, health, reset } from './state.js'
import { waitForMessageHandler } from './wait.js'

export { CONTROL_PREFIX, type ControlError, controlError } from './route.js'

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** The control API's endpoints: method, path under `/__double` (`:name` is one segment) and handler. */
const ROUTES: readonly [Method, string, ControlHandler<any, any>][] = [
  ['GET', '/health', health],
  ['POST', '/reset', reset],
  ['GET', '/messages', listMessages],
  ['GET', '/messages/wait', waitForMessageHandler], // before /messages/:sid
  ['GET', '/messages/:sid', oneMessage],
  ['GET', '/conversations', listConversations],
  ['GET', '/conversations/:ours/:theirs', oneConversation],
  ['GET', '/credentials', credentials],
  ['GET', '/callbacks', listCallbacks],
  ['GET', '/scenarios', listScenarios],
  ['POST', '/scenarios', addScenarios],
  ['DELETE', '/scenarios', clearScenarios],
  ['POST', '/advance', advance],
  ['POST', '/settle', settle],
  ['POST', '/inbound', inbound],
  ['GET', '/numbers', listNumbers],
  ['PUT', '/numbers/:number', setNumber],
  ['DELETE', '/numbers/:number', clearNumber],
  ['POST', '/provider-states', providerStateHandler],
  ['GET', '/events', events],
]

interface Path {
  pattern: RegExp
  names: string[]
  methods: Partial<Record<Method, ControlHandler<any, any>>>
}

/** The routes grouped by path, each path's pattern made once. */
const PATHS: readonly Path[] = (() => {
  const byPath = new Map<string, Path>()
  for (const [method, path, handle] of ROUTES) {
    let entry = byPath.get(path)
    if (!entry) {
      const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!)
      entry = { pattern: new RegExp(`^${path.replace(/:\w+/g, '([^/]+)')}$`), names, methods: {} }
      byPath.set(path, entry)
    }
    entry.methods[method] = handle
  }
  return [...byPath.values()]
})()

/** The control API of one double: a Fetch handler for `/__double/*` plus its open event streams. */
export interface ControlApi {
  handle(request: Request): Promise<Response>
  /** Ends every open `/__double/events` stream (before the server closes). */
  closeStreams(): void
}

/** Options of {@link createControlApi}. */
export interface ControlApiOptions {
  /** How the server's time passes, as `/health` reports it (default: `real` or `manual`, from the double). */
  clock?: ServerClock
}

/**
 * True when a browser sends the request from another origin (a web page the user happens to open must not
 * reset the double or add scenarios). Tests, curl and other clients send no Origin and are not affected.
 */
function isCrossSite(request: Request, url: URL): boolean {
  if (request.headers.get('sec-fetch-site') === 'cross-site') return true
  const origin = request.headers.get('origin')
  if (!origin) return false
  try {
    return new URL(origin).host !== url.host
  } catch {
    return true
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

const isHead = (request: Request): boolean => request.method.toUpperCase() === 'HEAD'

/** The answer to a HEAD request: the status and headers of the GET answer; its body is dropped (a stream ends). */
async function withoutBody(response: Response): Promise<Response> {
  await response.body?.cancel()
  return new Response(null, { status: response.status, headers: response.headers })
}

/** The header naming the account a control request acts on (as `?account=` does). */
export const ACCOUNT_HEADER = 'x-twilio-double-account'

/** The account a control request names (`?account=` or the header); a query and a header that differ are refused. */
function accountOf(request: Request, url: URL): string | undefined {
  const query = url.searchParams.get('account') || undefined
  const header = request.headers.get(ACCOUNT_HEADER)?.trim() || undefined
  if (query !== undefined && header !== undefined && query !== header)
    throw new BadRequest(
      `the request names two accounts (?account=${query} and ${ACCOUNT_HEADER}: ${header}); name one`,
    )
  return query ?? header
}

/**
 * The query of an endpoint that takes none besides `account`: any parameter is refused, so that a misspelt
 * `?account=` (which would leave the request acting on every account) is never read as no account.
 */
function noQuery(params: Record<string, string>): undefined {
  const keys = Object.keys(params)
  if (keys.length > 0)
    throw new BadRequest(
      `unknown query parameter${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}; this endpoint takes none (name an account with ?account=AC… or the X-Twilio-Double-Account header)`,
    )
  return undefined
}

/** An error thrown by a handler as a control API answer. */
function failure(err: unknown): Response {
  if (err instanceof BadRequest) return controlError(400, err.kind, err.message)
  if (err instanceof TwilioDoubleError) return controlError(400, 'bad_request', err.message)
  if (err instanceof TwilioApiError)
    return json(err.status, { error: 'twilio_error', message: err.message, code: err.code })
  return controlError(
    500,
    'internal_error',
    `the control API failed: ${(err as Error)?.message ?? String(err)}`,
  )
}

/**
 * Builds the control API of the standalone server (see the README section "Standalone server"):
 *
 * | method + path | what |
 * |---|---|
 * | GET /__double/health | status, time and how it passes (`clock`), counts |
 * | POST /__double/reset | back to the starting state |
 * | GET /__double/messages?to=&from=&status=&direction=&accountSid=&channel=&q=&limit=&offset= | stored messages, newest first, with `total`, each with how its callbacks went (`callbackSummary`) |
 * | GET /__double/messages/wait?to=&from=&body=&after=&timeout= | the first matching message as soon as it exists; 408 after the timeout |
 * | GET /__double/messages/:sid | one message with its status history, media and callbacks |
 * | GET /__double/conversations?limit= | conversations (messages between two addresses, both ways), the most recently active first |
 * | GET /__double/conversations/:ours/:theirs?limit= | one conversation's messages, oldest first |
 * | GET /__double/credentials | accounts with their auth tokens, API keys, numbers and messaging services |
 * | GET /__double/callbacks?messageSid=&status=&kind= | status callback and webhook deliveries |
 * | GET, POST, DELETE /__double/scenarios | list, add (JSON; RegExp as {"source","flags"} or "/re/"), clear |
 * | POST /__double/advance {"by":"90s"} | move virtual time |
 * | POST /__double/settle | run everything pending |
 * | POST /__double/inbound {"from","to","body"} | simulate an inbound message (when the double supports it) |
 * | GET /__double/numbers | numbers with inbound webhooks (from the options and set here) |
 * | PUT, DELETE /__double/numbers/:number {"smsUrl","smsMethod","smsFallbackUrl","smsFallbackMethod","accountSid"} | set or remove a number's inbound webhooks until reset |
 * | POST /__double/provider-states {"state","params","action"} | Pact provider state change endpoint |
 * | GET /__double/events | server-sent events of messages and callbacks |
 *
 * Every endpoint takes an account (`?account=AC…` or the `X-Twilio-Double-Account` header): it then acts on that
 * account's tenant alone (404 `unknown_account` for an unknown or closed one); without one, on the whole double.
 * Errors are JSON `{ error, message }` (see {@link ControlError}).
 *
 * @example
 * const control = createControlApi(double)
 * const res = await control.handle(new Request('http://localhost/__double/health'))
 */
export function createControlApi(double: TwilioDouble, options: ControlApiOptions = {}): ControlApi {
  const registry = tenantsOf(double)
  if (!registry)
    throw new TwilioDoubleError(
      'createControlApi: the double was not made by createTwilioDouble() (a copy such as {...double} loses its accounts); pass the double itself',
    )
  const providerState = { invalidCredentials: false }
  const everything = controlScope(double, registry, undefined)
  const ctx: ControlContext = {
    double,
    clock: options.clock ?? (double.backend.scheduler.mode === 'real' ? 'real' : 'manual'),
    streams: new Set(),
    providerState,
    providerStates: providerStateHandlers(double, providerState),
  }

  const handle = async (request: Request): Promise<Response> => {
    const response = await answer(request)
    return isHead(request) ? await withoutBody(response) : response
  }

  const answer = async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const sub = url.pathname.slice(CONTROL_PREFIX.length) || '/'
    for (const path of PATHS) {
      const m = path.pattern.exec(sub)
      if (!m) continue
      const method = request.method.toUpperCase() as Method
      // HEAD is answered as GET, without the body (as a container's health check, wget --spider, sends it)
      const handler = path.methods[method] ?? (isHead(request) ? path.methods.GET : undefined)
      if (!handler) {
        const allow = Object.keys(path.methods).join(', ')
        return controlError(
          405,
          'method_not_allowed',
          `${request.method} is not allowed here; use ${allow}`,
          {
            allow,
          },
        )
      }
      if (method !== 'GET' && !isHead(request) && isCrossSite(request, url))
        return controlError(
          403,
          'cross_site',
          'control requests from another web origin are refused; call the control API from your tests, curl or the inbox page itself',
        )
      try {
        const named = accountOf(request, url)
        if (named !== undefined) {
          if (!registry.tenant(named))
            return controlError(
              404,
              'unknown_account',
              registry.get(named)?.status === 'closed'
                ? `account ${named} is closed: its state is gone; create another subaccount (POST /2010-04-01/Accounts.json)`
                : `no account ${named} on this server; create one with POST /2010-04-01/Accounts.json, or see the accounts in GET ${CONTROL_PREFIX}/health`,
            )
          if (handler === providerStateHandler)
            throw new BadRequest(
              'provider states act on the whole double (the Pact provider verification): leave out the account',
            )
        }
        const scope = named === undefined ? everything : controlScope(double, registry, named)
        const params = Object.fromEntries(path.names.map((name, i) => [name, decode(m[i + 1]!)]))
        const { account: _named, ...queryParams } = queryObject(url)
        const query = handler.query ? validate(handler.query, queryParams) : noQuery(queryParams)
        const body = handler.body ? validate(handler.body, await readJson(request)) : undefined
        return await handler.run({ request, url, scope, params, query, body }, ctx)
      } catch (err) {
        return failure(err)
      }
    }
    return controlError(
      404,
      'not_found',
      `no control endpoint ${request.method} ${url.pathname}; see GET ${CONTROL_PREFIX}/health and the README`,
    )
  }

  return {
    handle,
    closeStreams: () => {
      for (const close of [...ctx.streams]) close()
    },
  }
}
