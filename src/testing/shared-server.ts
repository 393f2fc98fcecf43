/**
 * The setup entries' shared-server mode: with `TWILIO_DOUBLE_URL` set, a test file uses a tenant of that standalone
 * server (made before its first test, reset after each test and closed after its last) instead of a double of its
 * own. Requests to Twilio's API hosts are intercepted with msw as in-process and sent on
 * to the server unchanged.
 */
import type { RequestHandler } from 'msw'
import { createTenant, MATCHER_SNAPSHOT, type ServerTenant } from '../client/tenant.js'
import type { TwilioDouble } from '../double.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { TWILIO_API_URL } from '../http/hosts.js'
import { msw, mswNode } from '../peers/msw.js'
import type { TestHooks, TwilioMswServer } from './setup.js'

/** The environment variable naming a shared standalone server; set, the setup entries use a tenant of it. */
export const SHARED_SERVER_ENV = 'TWILIO_DOUBLE_URL'

/** The worker process's name for its tenants (vitest's pool id, jest's worker id, else the process id). */
function workerName(): string {
  const id = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? process.env.JEST_WORKER_ID
  return `test worker ${id ?? process.pid}`
}

/** msw handlers sending every request to a Twilio API host on to the server, unchanged but for its origin. */
function forwardingHandlers(url: string): RequestHandler[] {
  const base = url.replace(/\/+$/, '')
  return [
    msw.http.all(TWILIO_API_URL, async ({ request }) => {
      const target = new URL(request.url)
      const body =
        request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer()
      const headers = new Headers(request.headers)
      for (const name of ['host', 'content-length', 'connection']) headers.delete(name)
      // bypass(): the request to the server is not intercepted again, whatever the unhandled-request strategy
      const answer = await fetch(
        msw.bypass(`${base}${target.pathname}${target.search}`, { method: request.method, headers, body }),
      )
      // a whole body with its length (msw 2 waits forever on a keep-alive answer without one)
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers: answer.headers })
    }),
  ]
}

/** The members of a tenant and of a double a test reads (other keys are a runner looking at the value). */
const MEMBERS = new Set([
  ...['accountSid', 'authToken', 'client', 'close', 'callbacks', 'url', 'account', 'waitForMessage'],
  ...['messages', 'message', 'feedback', 'settle', 'advance', 'reset', 'scenarios', 'inbound', 'health'],
  ...['credentials'],
  ...['handle', 'fetch', 'httpClient', 'now', 'subscribe', 'onExchange', 'tenant', 'backend', 'options'],
])

/**
 * An object that stands for `target()` once it exists; before, reading one of its members throws `early` (a test
 * runner probing the value, for `then` or `asymmetricMatch`, reads undefined).
 *
 * @example
 * const tenant = unavailableUntil(() => current, 'twilioTenant is ready once the setup has run')
 */
export function unavailableUntil<T extends object>(target: () => T | undefined, early: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      const t = target()
      if (!t) {
        if (key === MATCHER_SNAPSHOT || (typeof key === 'string' && MEMBERS.has(key)))
          throw new TwilioDoubleError(early)
        return undefined
      }
      const value = Reflect.get(t, key)
      return typeof value === 'function' ? value.bind(t) : value
    },
    has: (_, key) => Reflect.has(target() ?? {}, key),
  })
}

/**
 * The shared-server mode of the setup entries: a tenant of this test file (made before all its tests, reset after
 * each test and closed after all, so that the server frees its state); an msw server sending Twilio API requests on
 * to the shared server; `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN` set to the tenant's. The tenant is the file's
 * alone: vitest runs each test file in a process of its own and jest gives each its own `process.env`, so no later
 * file could find it to reuse it, and one left open would stay on the server until it stops.
 */
export function installSharedServer(
  hooks: TestHooks,
  setup: {
    /** msw's listen options (what to do with requests to other hosts). */
    listenOptions: unknown
    /** Options of the double the setup was given, which a shared server does not take. */
    unusedOptions: string[]
  },
  url: string,
): { double: TwilioDouble; server: TwilioMswServer; tenant: ServerTenant } {
  const { listenOptions, unusedOptions } = setup
  if (unusedOptions.length > 0)
    console.warn(
      `[twilio-double] ${SHARED_SERVER_ENV} is set: the double's options (${unusedOptions.join(', ')}) are the shared server's to take (twilio-double serve --config); this test file does not use them`,
    )
  const handlers = forwardingHandlers(url)
  const server = mswNode.setupServer(...handlers)
  let current: ServerTenant | undefined
  hooks.beforeAll(async () => {
    current = await createTenant(url, { friendlyName: workerName() })
    // an app that builds its twilio client from the environment sends as this tenant
    process.env.TWILIO_ACCOUNT_SID = current.accountSid
    process.env.TWILIO_AUTH_TOKEN = current.authToken
    server.listen(listenOptions as Parameters<TwilioMswServer['listen']>[0])
  })
  hooks.afterEach(async () => {
    server.resetHandlers(...handlers)
    await current?.reset()
  })
  hooks.afterAll(async () => {
    server.close()
    await current?.close()
  })
  const tenant = unavailableUntil(
    () => current,
    'twilioTenant is ready once the setup entry has made it (before all tests): use it inside tests and hooks',
  )
  const double = unavailableUntil<TwilioDouble>(
    () => undefined,
    `${SHARED_SERVER_ENV} is set (${url}): this test file uses a tenant of that server, not a double of its own; use twilioTenant (await twilioTenant.settle(), await expect(twilioTenant).toHaveSentMessage(…))`,
  )
  globalThis.twilioTenant = tenant
  return { double, server, tenant }
}

declare global {
  /** The tenant of the shared server (`TWILIO_DOUBLE_URL`) the current test file uses, set by the setup entries. */
  var twilioTenant: ServerTenant | undefined
}
