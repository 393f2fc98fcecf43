/**
 * The setup the inbox's browser tests share: one Chromium and one standalone server per file (the default
 * account with webhooks, status callbacks answered in-process under {@link APP}), and per test a fresh
 * store, browser context and page whose errors and requests outside the server fail the test.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import type { Twilio } from 'twilio'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import { DEFAULT_START_TIME } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'
import { launchChromium } from './browser.js'
import { demoAccount, demoApp } from './demo-data.js'

/** The app's base URL: status callbacks and webhooks to it are answered in-process. */
export const APP = 'https://app.test/twilio'

/** What a test of the inbox works with (set before each test). */
export interface InboxHarness {
  server: TwilioDoubleServer
  client: Twilio
  context: BrowserContext
  page: Page
  /** Calls the control API (JSON in, JSON out). */
  control(path: string, init?: { method?: string; body?: unknown }): Promise<any>
  /** Opens the inbox (with a route such as `#/conversations`) and waits for its live connection. */
  open(hash?: string): Promise<void>
}

/**
 * Registers the hooks of a file of inbox tests. The app under {@link APP} answers as `demoApp` does, except
 * that paths ending in `/fail` answer HTTP 500.
 *
 * @example
 * const inbox = useInbox({ viewport: { width: 1280, height: 800 } })
 * it('…', async () => { await inbox.open(); await inbox.page.getByRole('link', { name: 'Conversations' }).click() })
 */
export function useInbox(contextOptions: BrowserContextOptions = {}): InboxHarness {
  let browser: Browser
  let pageErrors: string[] = []
  let requests: string[] = []
  const harness = {
    async control(path: string, init?: { method?: string; body?: unknown }) {
      const res = await fetch(`${harness.server.url}/__double${path}`, {
        method: init?.method ?? 'GET',
        headers: init?.body === undefined ? {} : { 'content-type': 'application/json' },
        body: init?.body === undefined ? undefined : JSON.stringify(init.body),
      })
      return res.json()
    },
    async open(hash = '') {
      await harness.page.goto(`${harness.server.url}/${hash}`)
      await harness.page.locator('#live[data-state="live"]').waitFor()
    },
  } as InboxHarness

  beforeAll(async () => {
    browser = await launchChromium()
    const double = createTwilioDouble({ startTime: DEFAULT_START_TIME, accounts: [demoAccount(APP)] })
    harness.server = await startServer({ double, port: 0 })
    harness.client = await twilioClientForServer(harness.server)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await harness.server?.close()
  })

  beforeEach(async () => {
    await harness.control('/reset', { method: 'POST' })
    // (a reset removes the receivers)
    harness.server.double.callbacks.handle(APP, (request) =>
      new URL(request.url).pathname.endsWith('/fail')
        ? new Response(null, { status: 500 })
        : demoApp(request),
    )
    harness.context = await browser.newContext(contextOptions)
    harness.page = await harness.context.newPage()
    harness.page.setDefaultTimeout(10_000)
    pageErrors = []
    requests = []
    harness.page.on('request', (r) => requests.push(r.url()))
    harness.page.on('pageerror', (err) => pageErrors.push(err.message))
    harness.page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text())
    })
  })

  afterEach(async () => {
    await harness.context.close()
    expect(pageErrors).toEqual([])
    // every asset ships with the package: the page never reaches past the server
    for (const url of requests)
      expect(url.startsWith(`${harness.server.url}/`) || url.startsWith('data:')).toBe(true)
  })

  return harness
}
