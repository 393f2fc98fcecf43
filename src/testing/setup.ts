import type { setupServer } from 'msw/node'
import { type TwilioListenOptions, twilioHandlers, twilioListenOptions } from '../adapters/msw.js'
import { mswHandles } from '../callbacks/reach.js'
import type { ServerTenant } from '../client/tenant.js'
import { type CreateTwilioDoubleOptions, createTwilioDouble, type TwilioDouble } from '../double.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { mswNode } from '../peers/msw.js'
import { installSharedServer, SHARED_SERVER_ENV, unavailableUntil } from './shared-server.js'

/** The msw server the setup entries start (msw's `setupServer()` result). */
export type TwilioMswServer = ReturnType<typeof setupServer>

/**
 * Options of the setup entries `twilio-double/vitest` and `twilio-double/jest`: every option of
 * `createTwilioDouble()`, and what to do with unhandled requests to other hosts.
 */
export interface TwilioTestSetupOptions extends CreateTwilioDoubleOptions, TwilioListenOptions {}

/** The hooks of a test runner, as the setup entries use them. */
export interface TestHooks {
  beforeAll(fn: () => unknown): void
  afterEach(fn: () => unknown): void
  afterAll(fn: () => unknown): void
}

declare global {
  /** The double of the current test file, set by `twilio-double/vitest` or `twilio-double/jest`. */
  var twilioDouble: TwilioDouble | undefined
  /** Options the setup entries read when they create the double (jest: `globals`; any runner: an earlier setup file). */
  var twilioDoubleOptions: TwilioTestSetupOptions | undefined
}

/** Checks options handed to a setup entry from a runner's configuration. */
export function checkSetupOptions(value: unknown, source: string): TwilioTestSetupOptions {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value))
    throw new TwilioDoubleError(
      `${source} must be an object of createTwilioDouble() options (e.g. { clock: 'real' }), got ${JSON.stringify(value)}`,
    )
  return value as TwilioTestSetupOptions
}

/** What a setup entry installed: the double (or, with a shared server, the tenant), and the msw server. */
export interface TwilioTestSetup {
  /** The in-process double (reading it with a shared server throws, naming `twilioTenant`). */
  double: TwilioDouble
  server: TwilioMswServer
  /** The tenant of the shared server (reading it without one throws, naming `twilioDouble`). */
  tenant: ServerTenant
}

/**
 * Creates a double and an msw server answering Twilio with it, and wires them to a runner's hooks: the
 * server listens before all tests, handlers and double are reset after each test, and the server closes
 * after all. The double is also put on `globalThis.twilioDouble`. With `TWILIO_DOUBLE_URL` set, a tenant of
 * that shared server stands in for the double (see ./shared-server.ts).
 */
export function installTwilioDouble(hooks: TestHooks, options: TwilioTestSetupOptions): TwilioTestSetup {
  const { onUnhandledRequest, ...doubleOptions } = options
  const listenOptions = twilioListenOptions({ onUnhandledRequest })
  const shared = process.env[SHARED_SERVER_ENV]
  if (shared)
    return installSharedServer(hooks, { listenOptions, unusedOptions: Object.keys(doubleOptions) }, shared)
  const double = createTwilioDouble(doubleOptions)
  const handlers = twilioHandlers(double)
  const server = mswNode.setupServer(...handlers)
  // callbacks to hosts this server's handlers answer are sent (msw answers them); others are not
  double.callbacks.interceptor(mswHandles(server))
  hooks.beforeAll(() => {
    // Both msw 2 (onUnhandledRequest) and msw 3 (onUnhandledFrame) options are passed.
    server.listen(listenOptions as Parameters<TwilioMswServer['listen']>[0])
  })
  hooks.afterEach(() => {
    // Back to the double's handlers alone, even after a test replaced them with resetHandlers(...next).
    server.resetHandlers(...handlers)
    double.reset()
  })
  hooks.afterAll(() => {
    server.close()
    double.reset()
  })
  globalThis.twilioDouble = double
  const tenant = unavailableUntil<ServerTenant>(
    () => undefined,
    `twilioTenant is a tenant of a shared server, used when ${SHARED_SERVER_ENV} is set; this test file has a double of its own: use twilioDouble`,
  )
  return { double, server, tenant }
}
