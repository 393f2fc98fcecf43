// Type-checks the README's examples against the published declarations.

import { test as base, expect } from '@playwright/test'
import twilio from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'
import { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, type TwilioDouble } from 'twilio-double'
import {
  ControlApiError,
  type ControlClient,
  createControlClient,
  type ReceivedMessage,
} from 'twilio-double/client'
import { twilioHandlers } from 'twilio-double/msw'
import {
  type TwilioDoubleTestFixtures,
  type TwilioDoubleWorkerFixtures,
  twilioDoubleFixtures,
} from 'twilio-double/playwright'
import { type MessageResource, messageSchema } from 'twilio-double/schemas'
import {
  ensureAccount,
  redirectingRequestClient,
  seedMessage,
  type TwilioDoubleServer,
} from 'twilio-double/server'

const double: TwilioDouble = createTwilioDouble({ seed: 1 })
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
const handlers: ReturnType<typeof twilioHandlers> = twilioHandlers(double)
const parsed: MessageResource = messageSchema.parse({})

// the standalone server, with a client of your own: the helper, then by hand
const httpClient = redirectingRequestClient(twilio, 'http://127.0.0.1:4010')
const redirected = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient })
class Local extends twilio.RequestClient {
  request<T>(o: RequestClient.RequestOptions<T>) {
    return super.request<T>({ ...o, uri: o.uri.replace('https://api.twilio.com', 'http://127.0.0.1:4010') })
  }
}
const byHand = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: new Local() })

// the README's seeds, on a running server
async function seeds(server: TwilioDoubleServer): Promise<void> {
  const seeded = seedMessage(server.double, { status: 'scheduled' }) // of the default messaging service
  await client.messages(seeded.sid!).update({ status: 'canceled' })
  ensureAccount(server.double, `AC${'b'.repeat(32)}`)
  seedMessage(server.double, { accountSid: `AC${'b'.repeat(32)}`, body: 'Earlier' }) // delivered, by default
}

// twilio-double/client: a test in another process than the double reads what the app sent
const sms: ControlClient = createControlClient('http://127.0.0.1:4010')
async function readCode(): Promise<string | undefined> {
  try {
    const received: ReceivedMessage = await sms.waitForMessage({ to: '+15558675310', timeout: '10s' })
    return received.code
  } catch (err) {
    if (err instanceof ControlApiError && err.status === 408) return undefined
    throw err
  }
}

// twilio-double/playwright: the README's fixtures, with Playwright Test's own types
const test = base.extend<TwilioDoubleTestFixtures, TwilioDoubleWorkerFixtures>(twilioDoubleFixtures)
test.use({ twilioDoubleOptions: { doubleOptions: { seed: 'smoke' }, followWallClock: true } })
test('signs in with the code sent by SMS', async ({ page, sms, twilioDouble }) => {
  await page.goto(twilioDouble.url)
  await page.getByLabel('Phone').fill('+15558675310')
  const { code } = await sms.waitForMessage({ to: '+15558675310' })
  await page.getByLabel('Code').fill(code!)
  expect(code).toMatch(/^\d+$/)
})

export { byHand, client, handlers, parsed, readCode, redirected, seeds }
