import { test as base, expect } from '@playwright/test'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from 'twilio-double'
import {
  type TwilioDoubleTestFixtures,
  type TwilioDoubleWorkerFixtures,
  twilioDoubleFixtures,
} from 'twilio-double/playwright'
import { startApp } from '../app.js'

// `sms` for each test, over a twilio-double server started once per worker; the app, once per worker too,
// sends its messages to that server
const test = base
  .extend<TwilioDoubleTestFixtures, TwilioDoubleWorkerFixtures>(twilioDoubleFixtures)
  .extend<{ app: string }, { appServer: string }>({
    appServer: [
      async ({ twilioDouble }, use) => {
        const app = await startApp({
          twilioApiUrl: twilioDouble.url,
          accountSid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          from: DEFAULT_FROM,
        })
        await use(app.url)
        await app.close()
      },
      { scope: 'worker' },
    ],
    app: async ({ appServer }, use) => use(appServer),
  })

test('signs in with the code sent by SMS', async ({ page, app, sms }) => {
  const phone = '+15558675310'
  await page.goto(app)
  await page.getByLabel('Phone').fill(phone)
  await page.getByRole('button', { name: 'Send code' }).click()

  const { code, body } = await sms.waitForMessage({ to: phone })
  expect(body).toContain('Your Acme sign-in code is')
  await page.getByLabel('Code').fill(code!)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('status')).toHaveText(`Welcome, ${phone}`)
})

test('a wrong code is refused, and a second code is the next message', async ({ page, app, sms }) => {
  const phone = '+15558675311'
  await page.goto(app)
  await page.getByLabel('Phone').fill(phone)
  await page.getByRole('button', { name: 'Send code' }).click()
  const first = await sms.waitForMessage({ to: phone })
  await page.getByLabel('Code').fill(first.code === '000000' ? '111111' : '000000')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('status')).toHaveText('Wrong code')

  await page.getByRole('button', { name: 'Send code' }).click()
  const second = await sms.waitForMessage({ to: phone, after: first.sid })
  expect(second.sid).not.toBe(first.sid)
  await page.getByLabel('Code').fill(second.code!)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('status')).toHaveText(`Welcome, ${phone}`)
})
