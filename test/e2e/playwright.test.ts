import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp } from '../../examples/web-login/app.js'
import { startServer } from '../../src/adapters/server.js'
import type { ControlClient } from '../../src/client/index.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { type TwilioDoubleWorkerServer, twilioDoubleFixtures } from '../../src/playwright/index.js'
import { launchChromium } from '../inbox/browser.js'

// The fixtures run here as Playwright Test runs them: the worker fixture around the test fixture, each
// handing its value to `use`. (examples/web-login runs them under Playwright Test itself: npm run test:projects.)
const [workerFixture] = twilioDoubleFixtures.twilioDouble
const withSms = (server: TwilioDoubleWorkerServer, test: (sms: ControlClient) => Promise<void>) =>
  twilioDoubleFixtures.sms({ twilioDouble: server }, test)

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
})

describe('twilio-double/playwright fixtures', () => {
  it('declare their options as worker options', () => {
    expect(twilioDoubleFixtures.twilioDoubleUrl).toEqual([undefined, { scope: 'worker', option: true }])
    expect(twilioDoubleFixtures.twilioDoubleOptions).toEqual([{}, { scope: 'worker', option: true }])
    expect(twilioDoubleFixtures.twilioDouble[1]).toEqual({ scope: 'worker' })
  })

  it('start a server per worker; a browser signs in to the example app with the code read through sms', async () => {
    let url = ''
    await workerFixture({ twilioDoubleUrl: undefined, twilioDoubleOptions: {} }, async (server) => {
      expect(server.started).toBe(true)
      url = server.url
      const app = await startApp({
        twilioApiUrl: server.url,
        accountSid: DEFAULT_ACCOUNT_SID,
        authToken: DEFAULT_AUTH_TOKEN,
        from: DEFAULT_FROM,
      })
      const page = await browser.newPage()
      const phone = '+15558675310'
      try {
        await withSms(server, async (sms) => {
          expect(await sms.messages()).toEqual([])
          await page.goto(app.url)
          await page.getByLabel('Phone').fill(phone)
          await page.getByRole('button', { name: 'Send code' }).click()
          const { code, body } = await sms.waitForMessage({ to: phone, timeout: '30s' })
          expect(body).toBe(`Your Acme sign-in code is ${code}. It expires in 10 minutes.`)
          await page.getByLabel('Code').fill(code!)
          await page.getByRole('button', { name: 'Sign in' }).click()
          await page.getByText(`Welcome, ${phone}`).waitFor()
        })
        // the next test starts from an empty double
        await withSms(server, async (sms) => {
          expect(await sms.messages()).toEqual([])
        })
      } finally {
        await page.close()
        await app.close()
      }
    })
    // the worker's server is stopped after its tests
    await expect(fetch(`${url}/__double/health`)).rejects.toThrow()
  }, 60_000)

  it('use a server given by URL as it is: not started, stopped nor reset', async () => {
    const shared = await startServer({ port: 0 })
    try {
      shared.double.inbound({ from: '+15558675310', to: DEFAULT_FROM, body: 'kept 4821' })
      await workerFixture({ twilioDoubleUrl: `${shared.url}/`, twilioDoubleOptions: {} }, async (server) => {
        expect(server).toEqual({ url: shared.url, started: false })
        await withSms(server, async (sms) => {
          expect((await sms.waitForMessage({ from: '+15558675310' })).code).toBe('4821')
        })
      })
      expect((await fetch(`${shared.url}/__double/health`)).status).toBe(200)
    } finally {
      await shared.close()
    }
  })
})
