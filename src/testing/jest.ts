/**
 * Jest setup entry: `setupFilesAfterEnv: ['twilio-double/jest']` (with `preset: 'twilio-double'` in
 * CommonJS mode, so that jest can load msw's ESM-only dependencies).
 *
 * For each test file it creates a double and an msw server answering every Twilio API host with it: the
 * server listens before all tests, `resetHandlers()` and `double.reset()` run after each test, and the
 * server closes after all tests. The matchers of `twilio-double/matchers` are registered. A request to a
 * Twilio host that no handler answers fails; requests to other hosts pass through unless you add handlers
 * with `twilioServer.use(...)` (or set `onUnhandledRequest`).
 *
 * Options: `globals: { twilioDoubleOptions: { clock: 'real' } }` in the jest config, or
 * `globalThis.twilioDoubleOptions = {...}` in a setup file that runs before this one.
 *
 * @example
 * // jest.config.js
 * module.exports = { preset: 'twilio-double', setupFilesAfterEnv: ['twilio-double/jest'] }
 *
 * // a test
 * const { twilioDouble } = require('twilio-double/jest')
 * await sendCode('+15550001111')
 * expect(twilioDouble).toHaveSentMessage({ to: '+15550001111', body: /\d{6}/ })
 */
import { afterAll, afterEach, beforeAll, expect } from '@jest/globals'
import type { Matchers } from 'expect'
import type { ServerTenant } from '../client/tenant.js'
import type { TwilioDouble } from '../double.js'
import { type TwilioDoubleMatchers, twilioMatchers } from './matchers.js'
import { checkSetupOptions, installTwilioDouble, type TwilioMswServer } from './setup.js'

export type { ServerTenant } from '../client/tenant.js'
export type { SentMessageMatch, StatusCallbackMatch, TwilioDoubleMatchers } from './matchers.js'
export type { TwilioMswServer, TwilioTestSetupOptions } from './setup.js'

/**
 * `expect(double)` in jest, with the matchers of twilio-double. (Naming a type of `expect` here also keeps
 * the declaration file importing `expect`, which the augmentation below needs in every import order.)
 */
export type TwilioDoubleJestMatchers = Matchers<void, TwilioDouble>

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends TwilioDoubleMatchers<R> {}
}

declare global {
  namespace jest {
    // biome-ignore lint/complexity/noBannedTypes: must repeat the declaration of @types/jest exactly
    interface Matchers<R, T = {}> extends TwilioDoubleMatchers<R> {}
  }
}

expect.extend(twilioMatchers)

const setup = installTwilioDouble(
  {
    beforeAll: (fn) => beforeAll(async () => void (await fn())),
    afterEach: (fn) => afterEach(async () => void (await fn())),
    afterAll: (fn) => afterAll(async () => void (await fn())),
  },
  checkSetupOptions(globalThis.twilioDoubleOptions, "jest's globals.twilioDoubleOptions"),
)

/**
 * The double of this test file (also `globalThis.twilioDouble`). Reset after each test.
 *
 * @example
 * const { twilioDouble } = require('twilio-double/jest')
 * twilioDouble.scenarios.use({ when: { to: '+15550001111' }, then: { deliver: 'undelivered', errorCode: 30003 } })
 */
export const twilioDouble: TwilioDouble = setup.double

/**
 * The same double as {@link twilioDouble}, under the short name used in examples. Rename it on import when
 * your test also imports the `twilio` client: `import { twilio as double } from 'twilio-double/jest'`.
 *
 * @example
 * import { twilio as double } from 'twilio-double/jest'
 * await double.settle()
 */
export const twilio: TwilioDouble = setup.double

/**
 * The msw server this entry started. Add handlers for other hosts with `twilioServer.use(...)`; they are
 * removed after each test.
 *
 * @example
 * const { http, HttpResponse } = require('msw')
 * const { twilioServer } = require('twilio-double/jest')
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
