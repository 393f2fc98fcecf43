/**
 * `twilio-double/playwright`: fixtures for Playwright Test's `test.extend` that give each test `sms`, a
 * {@link ControlClient} of a twilio-double server, so that a browser test reads the code an app sent:
 *
 * ```ts
 * const { code } = await sms.waitForMessage({ to: phone })
 * ```
 *
 * The server is started once per worker (`twilioDoubleOptions` configure it), or given by URL with the
 * `twilioDoubleUrl` option (a server started by Playwright's `webServer`, or by CI). The fixtures are plain
 * data and functions: this entry loads nothing of `@playwright/test`.
 */
import { type StartServerOptions, startServer } from '../adapters/server.js'
// from the module itself, not from src/client/index.ts: that entry is made of re-exports alone, and imported
// by another entry it would be built into a chunk of its own with no code in it
import { type ControlClient, createControlClient } from '../client/control.js'

export type {
  ControlClient,
  ControlMessage,
  ReceivedMessage,
  WaitForMessageOptions,
} from '../client/control.js'
export { ControlApiError, createControlClient } from '../client/control.js'

/** The server the tests of one worker use. */
export interface TwilioDoubleWorkerServer {
  /** Its base URL (give it to the app under test as its Twilio API base). */
  url: string
  /** True when the fixture started it (and stops it after the worker's tests); false for `twilioDoubleUrl`. */
  started: boolean
}

/** The per-test fixture of {@link twilioDoubleFixtures}. */
export interface TwilioDoubleTestFixtures {
  /**
   * The control API of the worker's server. When the fixture started the server, the double is reset before
   * each test (a server given by URL is shared: it is left as it is; wait with `after` or distinct numbers).
   */
  sms: ControlClient
}

/** The per-worker fixtures and options of {@link twilioDoubleFixtures}. */
export interface TwilioDoubleWorkerFixtures {
  /** Option: the URL of a running server to use instead of starting one per worker. */
  twilioDoubleUrl: string | undefined
  /** Option: how the fixture starts its server (`port` defaults to 0, a free port). */
  twilioDoubleOptions: Omit<StartServerOptions, 'double'>
  /** The worker's server. */
  twilioDouble: TwilioDoubleWorkerServer
}

type Use<T> = (value: T) => Promise<void>
type WorkerOption<T> = [T, { scope: 'worker'; option: true }]

/** The fixtures, typed for `test.extend<TwilioDoubleTestFixtures, TwilioDoubleWorkerFixtures>(…)`. */
export interface TwilioDoubleFixtures {
  twilioDoubleUrl: WorkerOption<string | undefined>
  twilioDoubleOptions: WorkerOption<Omit<StartServerOptions, 'double'>>
  twilioDouble: [
    (
      options: Pick<TwilioDoubleWorkerFixtures, 'twilioDoubleUrl' | 'twilioDoubleOptions'>,
      use: Use<TwilioDoubleWorkerServer>,
    ) => Promise<void>,
    { scope: 'worker' },
  ]
  sms: (fixtures: Pick<TwilioDoubleWorkerFixtures, 'twilioDouble'>, use: Use<ControlClient>) => Promise<void>
}

/**
 * Fixtures for Playwright Test: `sms` for each test, over a server started once per worker or given by URL.
 *
 * @example
 * // tests/fixtures.ts
 * import { test as base } from '@playwright/test'
 * import {
 *   twilioDoubleFixtures,
 *   type TwilioDoubleTestFixtures,
 *   type TwilioDoubleWorkerFixtures,
 * } from 'twilio-double/playwright'
 *
 * export const test = base.extend<TwilioDoubleTestFixtures, TwilioDoubleWorkerFixtures>(twilioDoubleFixtures)
 *
 * // tests/login.spec.ts
 * test('logs in with the code sent by SMS', async ({ page, sms }) => {
 *   await page.goto('/login')
 *   await page.getByLabel('Phone').fill('+15558675310')
 *   await page.getByRole('button', { name: 'Send code' }).click()
 *   const { code } = await sms.waitForMessage({ to: '+15558675310' })
 *   await page.getByLabel('Code').fill(code!)
 * })
 */
export const twilioDoubleFixtures: TwilioDoubleFixtures = {
  twilioDoubleUrl: [undefined, { scope: 'worker', option: true }],
  twilioDoubleOptions: [{}, { scope: 'worker', option: true }],
  twilioDouble: [
    async ({ twilioDoubleUrl, twilioDoubleOptions }, use) => {
      if (twilioDoubleUrl) {
        await use({ url: twilioDoubleUrl.replace(/\/+$/, ''), started: false })
        return
      }
      const server = await startServer({ port: 0, ...twilioDoubleOptions })
      try {
        await use({ url: server.url, started: true })
      } finally {
        await server.close()
      }
    },
    { scope: 'worker' },
  ],
  sms: async ({ twilioDouble }, use) => {
    const client = createControlClient(twilioDouble.url)
    if (twilioDouble.started) await client.reset()
    await use(client)
  },
}
