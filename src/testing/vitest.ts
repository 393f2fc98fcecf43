/**
 * Vitest setup entry: `test.setupFiles: ['twilio-double/vitest']`.
 *
 * For each test file it creates a double and an msw server answering every Twilio API host with it: the
 * server listens before all tests, `resetHandlers()` and `double.reset()` run after each test, and the
 * server closes after all tests. The matchers of `twilio-double/matchers` are registered. A request to a
 * Twilio host that no handler answers fails; requests to other hosts pass through unless you add handlers
 * with `twilioServer.use(...)` (or set `onUnhandledRequest`).
 *
 * Options: `test.provide: { twilioDoubleOptions: { clock: 'real', seed: 'x' } }` in the vitest config
 * (values must be serialisable), or `globalThis.twilioDoubleOptions = {...}` in a setup file listed
 * before this one.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['twilio-double/vitest'] } })
 *
 * // a test
 * import { twilioDouble } from 'twilio-double/vitest'
 * await sendCode('+15550001111')
 * expect(twilioDouble).toHaveSentMessage({ to: '+15550001111', body: /\d{6}/ })
 */
import { type Assertion, afterAll, afterEach, beforeAll, expect, inject } from 'vitest'
import type { ServerTenant } from '../client/tenant.js'
import type { TwilioDouble } from '../double.js'
import { type TwilioDoubleMatchers, twilioMatchers } from './matchers.js'
import {
  checkSetupOptions,
  installTwilioDouble,
  type TwilioMswServer,
  type TwilioTestSetupOptions,
} from './setup.js'

export type { ServerTenant } from '../client/tenant.js'
export type { SentMessageMatch, StatusCallbackMatch, TwilioDoubleMatchers } from './matchers.js'
export type { TwilioMswServer, TwilioTestSetupOptions } from './setup.js'

/**
 * `expect(double)` in vitest, with the matchers of twilio-double. (Naming a type of `vitest` here also keeps
 * the declaration file importing `vitest`, which the augmentation below needs in every import order.)
 */
export type TwilioDoubleAssertion = Assertion<TwilioDouble>

declare module 'vitest' {
  interface Assertion<T = any> extends TwilioDoubleMatchers<void> {}
  interface ProvidedContext {
    /** Options of the double `twilio-double/vitest` creates for each test file. */
    twilioDoubleOptions?: TwilioTestSetupOptions
  }
}

expect.extend(twilioMatchers)

const provided = inject('twilioDoubleOptions')
const setup = installTwilioDouble(
  { beforeAll, afterEach, afterAll },
  provided !== undefined
    ? checkSetupOptions(provided, "vitest's test.provide.twilioDoubleOptions")
    : checkSetupOptions(globalThis.twilioDoubleOptions, 'globalThis.twilioDoubleOptions'),
)

/**
 * The double of this test file (also `globalThis.twilioDouble`). Reset after each test.
 *
 * @example
 * import { twilioDouble } from 'twilio-double/vitest'
 * twilioDouble.scenarios.use({ when: { to: '+15550001111' }, then: { deliver: 'undelivered', errorCode: 30003 } })
 */
export const twilioDouble: TwilioDouble = setup.double

/**
 * The same double as {@link twilioDouble}, under the short name used in examples. Rename it on import when
 * your test also imports the `twilio` client: `import { twilio as double } from 'twilio-double/vitest'`.
 *
 * @example
 * import { twilio as double } from 'twilio-double/vitest'
 * await double.settle()
 */
export const twilio: TwilioDouble = setup.double

/**
 * The msw server this entry started. Add handlers for other hosts with `twilioServer.use(...)`; they are
 * removed after each test.
 *
 * @example
 * import { http, HttpResponse } from 'msw'
 * import { twilioServer } from 'twilio-double/vitest'
 * twilioServer.use(http.get('https://example.com/api', () => HttpResponse.json({ ok: true })))
 */
export const twilioServer: TwilioMswServer = setup.server

/**
 * With `TWILIO_DOUBLE_URL` set (a shared `twilio-double serve` for a whole CI fleet), the tenant of that server this
 * test file uses instead of a double of its own: its credentials (also set as `TWILIO_ACCOUNT_SID` and
 * `TWILIO_AUTH_TOKEN`), a `twilio` client aimed at the server, and the control API on it alone. It is made before
 * the file's first test, reset after each test and closed after its last; the matchers read it when awaited. Without `TWILIO_DOUBLE_URL`, reading it throws (use
 * `twilioDouble`).
 *
 * @example
 * await twilioTenant.client.messages.create({ to: '+15550001111', from: '+15005550006', body: 'Hi' })
 * await twilioTenant.settle()
 * await expect(twilioTenant).toHaveSentMessage({ to: '+15550001111', status: 'delivered' })
 */
export const twilioTenant: ServerTenant = setup.tenant
