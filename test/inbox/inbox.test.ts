/**
 * The inbox in a real browser: headless Chromium (found by ./browser.ts: CHROMIUM_PATH,
 * Debian's package, or the one inside the devDependency @sparticuz/chromium) driven by playwright-core, against the
 * standalone server, with messages sent by the real `twilio` client and an app on 127.0.0.1 receiving the
 * status callbacks and webhooks.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Twilio } from 'twilio'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'
import { type AppServer, startAppServer } from './app-server.js'
import { launchChromium } from './browser.js'
import { demoAccount, WHATSAPP_FROM } from './demo-data.js'

let browser: Browser
let app: AppServer
let server: TwilioDoubleServer
let client: Twilio
let context: BrowserContext
let page: Page
let requests: string[]
let pageErrors: string[]

async function control(path: string, init?: { method?: string; body?: unknown }): Promise<any> {
  const res = await fetch(`${server.url}/__double${path}`, {
    method: init?.method ?? 'GET',
    headers: init?.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return res.json()
}

const row = (sid: string) => page.locator(`#message-rows tr[data-sid="${sid}"]`)
const rowWithStatus = (sid: string, status: string) =>
  page.locator(`#message-rows tr[data-sid="${sid}"] td.col-status[data-status="${status}"]`)

async function openInbox(hash = ''): Promise<void> {
  await page.goto(`${server.url}/${hash}`)
  await page.locator('#live[data-state="live"]').waitFor()
}

beforeAll(async () => {
  browser = await launchChromium()
  app = await startAppServer()
  const double = createTwilioDouble({ startTime: DEFAULT_START_TIME, accounts: [demoAccount(app.url)] })
  server = await startServer({ double, port: 0 })
  client = await twilioClientForServer(server)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await app?.close()
})

beforeEach(async () => {
  await control('/reset', { method: 'POST' })
  app.received.length = 0
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  page = await context.newPage()
  page.setDefaultTimeout(10_000)
  requests = []
  pageErrors = []
  page.on('request', (r) => requests.push(r.url()))
  page.on('pageerror', (err) => pageErrors.push(err.message))
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text())
  })
})

afterEach(async () => {
  await context.close()
  expect(pageErrors).toEqual([])
  // every asset ships with the package: the page never reaches past the server
  for (const url of requests) expect(url.startsWith(`${server.url}/`) || url.startsWith('data:')).toBe(true)
})

describe('inbox in Chromium', () => {
  it('guides an empty store: credentials and a curl line that works', async () => {
    await openInbox()
    const empty = page.locator('#empty')
    await empty.waitFor()
    await expect(empty.textContent()).resolves.toContain('No messages yet')
    const credentials = await empty.locator('.credentials').textContent()
    expect(credentials).toContain(DEFAULT_ACCOUNT_SID)
    expect(credentials).toContain(DEFAULT_AUTH_TOKEN)
    const curl = (await empty.locator('[data-testid=curl]').textContent()) ?? ''
    expect(curl).toContain(`curl -u ${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`)
    const url = `${server.url}/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`
    expect(curl).toContain(url)

    // run what the curl line says, and the message shows up in the list without a reload
    await page.evaluate(() => {
      ;(window as unknown as { marker: number }).marker = 42
    })
    const form = new URLSearchParams()
    for (const m of curl.matchAll(/--data-urlencode (\w+)=(\S+)/g)) form.set(m[1]!, m[2]!)
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`,
      },
      body: form,
    })
    expect(res.status).toBe(201)
    const { sid } = (await res.json()) as { sid: string }
    await rowWithStatus(sid, 'queued').waitFor()
    await expect(empty.isHidden()).resolves.toBe(true)
    await expect(page.evaluate(() => (window as unknown as { marker?: number }).marker)).resolves.toBe(42)
  })

  it('shows a message sent with the twilio client live, then its timeline and callbacks', async () => {
    await openInbox()
    await page.evaluate(() => {
      ;(window as unknown as { marker: number }).marker = 7
    })
    const msg = await client.messages.create({
      to: '+15558675310',
      from: DEFAULT_FROM,
      body: 'Hello from the browser test',
      statusCallback: `${app.url}/status`,
    })
    await rowWithStatus(msg.sid, 'queued').waitFor()
    await expect(row(msg.sid).locator('td.col-body').textContent()).resolves.toBe(
      'Hello from the browser test',
    )
    await expect(row(msg.sid).locator('td.col-type').textContent()).resolves.toBe('SMS')

    // move the clock by one second: the message starts sending, and the row follows
    await page.getByLabel('Advance by').fill('1s')
    await page.getByRole('button', { name: 'Advance', exact: true }).click()
    await rowWithStatus(msg.sid, 'sending').waitFor()
    await page.getByRole('button', { name: 'Settle' }).click()
    await rowWithStatus(msg.sid, 'delivered').waitFor()
    await page.locator('#clock', { hasText: /^2024-01-01 00:00:05 UTC$/ }).waitFor()
    await expect(row(msg.sid).locator('td.col-price').textContent()).resolves.toBe('$0.00790')
    await expect(row(msg.sid).locator('td.col-segments').textContent()).resolves.toBe('1')
    await expect(page.evaluate(() => (window as unknown as { marker?: number }).marker)).resolves.toBe(7)

    await row(msg.sid).getByRole('link').click()
    const detail = page.locator('#message-detail')
    await detail.locator('.deliveries li').nth(1).waitFor()
    expect(page.url()).toBe(`${server.url}/#/messages/${msg.sid}`)
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('message-heading')

    const steps = await detail
      .locator('.timeline > li')
      .evaluateAll((lis) =>
        lis.map((li) => `${(li as HTMLElement).dataset.status} ${li.querySelector('time')?.textContent}`),
      )
    expect(steps).toEqual([
      'queued 2024-01-01 00:00:00',
      'sending 2024-01-01 00:00:01',
      'sent 2024-01-01 00:00:02',
      'delivered 2024-01-01 00:00:05',
    ])

    // every status callback the app received is listed with its URL, answer, parameters and signature
    const received = app.received.filter((r) => r.path === '/app/status')
    expect(received.map((r) => r.params.MessageStatus)).toEqual(['sent', 'delivered'])
    const deliveries = detail.locator('.deliveries li')
    await expect(deliveries.count()).resolves.toBe(2)
    for (const [i, r] of received.entries()) {
      const item = deliveries.nth(i)
      const summary = item.locator('summary')
      await expect(summary.textContent()).resolves.toContain(`${app.url}/status`)
      await expect(summary.textContent()).resolves.toContain('HTTP 204')
      await summary.click()
      await expect(item.locator('.signature').textContent()).resolves.toBe(r.headers['x-twilio-signature'])
      const params = await item
        .locator('table.params tr')
        .evaluateAll((trs) =>
          Object.fromEntries(
            trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
          ),
        )
      expect(params).toEqual(r.params)
    }
    const json = JSON.parse((await detail.locator('[data-testid=resource-json]').textContent()) ?? '')
    expect(json).toMatchObject({ sid: msg.sid, status: 'delivered', price: '-0.00790', num_segments: '1' })
  })

  it('shows the webhook a number was given at run time (PUT /__double/numbers/:number)', async () => {
    await openInbox()
    await control(`/numbers/${encodeURIComponent(DEFAULT_FROM)}`, {
      method: 'PUT',
      body: { smsUrl: `${app.url}/late`, smsMethod: 'GET' },
    })
    await page.getByRole('link', { name: 'Simulate inbound' }).click()
    const form = page.locator('#inbound-form')
    await form.getByLabel('To (your number)').fill(DEFAULT_FROM)
    await expect
      .poll(() => page.locator('#inbound-webhook').textContent())
      .toBe(`Webhook: GET ${app.url}/late`)
  })

  it('simulates an inbound WhatsApp message with media, showing the webhook and the TwiML answer', async () => {
    await openInbox('#/inbound')
    const form = page.locator('#inbound-form')
    await form.getByLabel('WhatsApp', { exact: true }).check()
    await form.getByLabel('From (the user)').fill('+15551234567')
    await form.getByLabel('To (your number)').fill(WHATSAPP_FROM.replace('whatsapp:', ''))
    await expect(page.locator('#inbound-webhook').textContent()).resolves.toBe(
      `Webhook: POST ${app.url}/whatsapp`,
    )
    await form.getByLabel('Body').fill('Do you open on Sunday?')
    await form.getByLabel('Media URLs').fill('https://example.com/cat.jpg')
    await form.getByLabel('WhatsApp profile name').fill('Ana')
    await form.getByRole('button', { name: 'Send inbound message' }).click()

    const detail = page.locator('#message-detail')
    await detail.getByRole('heading', { name: 'Incoming message' }).waitFor()
    await detail.locator('[data-testid=twiml]').waitFor()
    const hook = app.received.find((r) => r.path === '/app/whatsapp')
    expect(hook?.params).toMatchObject({
      From: 'whatsapp:+15551234567',
      To: WHATSAPP_FROM,
      Body: 'Do you open on Sunday?',
      ProfileName: 'Ana',
      NumMedia: '1',
      MediaContentType0: 'image/jpeg',
    })
    // as on Twilio, the app gets the media at Twilio's URL for it
    expect(hook?.params.MediaUrl0).toMatch(/\/Messages\/MM[0-9a-f]{32}\/Media\/ME[0-9a-f]{32}$/)
    await expect(detail.locator('[data-testid=twiml]').textContent()).resolves.toContain(
      '<Message>Hi! Friday at 10:30 is free: shall we book it?</Message>',
    )
    const webhook = detail.locator('[data-section=webhook] .deliveries li')
    await expect(webhook.locator('summary').textContent()).resolves.toContain(`${app.url}/whatsapp`)
    await webhook.locator('summary').click()
    await expect(webhook.locator('.signature').textContent()).resolves.toBe(
      hook?.headers['x-twilio-signature'],
    )
    await expect(detail.locator('[data-section=media]').textContent()).resolves.toContain(
      `${hook?.params.MediaUrl0} image/jpeg`,
    )

    // the inbound message and the reply the TwiML asked for are both in the list
    const inbound = await control('/messages?direction=inbound')
    const reply = await control('/messages?direction=outbound-reply')
    expect(reply.messages[0]).toMatchObject({ to: 'whatsapp:+15551234567', from: WHATSAPP_FROM })
    await row(inbound.messages[0].sid).waitFor()
    await row(reply.messages[0].sid).waitFor()
    await expect(row(inbound.messages[0].sid).locator('td.col-type').textContent()).resolves.toBe('WhatsApp')
    await expect(detail.locator('[data-section=webhook]').textContent()).resolves.toContain(
      reply.messages[0].sid,
    )
  })

  it('applies a failure scenario to a number and shows the failed status with its code', async () => {
    await openInbox('#/scenarios')
    const form = page.locator('#scenario-form')
    await form.getByLabel('To number').fill('+15550002222')
    await form.getByLabel('Outcome').selectOption('failed')
    await form.getByLabel('Error code').fill('30008')
    await form.getByRole('button', { name: 'Add scenario' }).click()
    await page.locator('#scenario-list li').waitFor()
    expect((await control('/scenarios')).scenarios).toEqual([
      expect.objectContaining({
        when: { to: '+15550002222' },
        then: { deliver: 'failed', errorCode: 30008 },
      }),
    ])

    const failing = await client.messages.create({
      to: '+15550002222',
      from: DEFAULT_FROM,
      body: 'Will fail',
    })
    const fine = await client.messages.create({ to: '+15550003333', from: DEFAULT_FROM, body: 'Will arrive' })
    await row(failing.sid).waitFor()
    await page.getByRole('button', { name: 'Settle' }).click()
    await rowWithStatus(failing.sid, 'failed').waitFor()
    await rowWithStatus(fine.sid, 'delivered').waitFor()
    await expect(row(failing.sid).locator('td.col-error').textContent()).resolves.toBe('30008')
    await expect(row(fine.sid).locator('td.col-error').textContent()).resolves.toBe('—')

    await row(failing.sid).getByRole('link').click()
    const detail = page.locator('#message-detail')
    await detail.locator('.error-box').waitFor()
    await expect(detail.locator('.error-box').textContent()).resolves.toContain('Error 30008 – Unknown error')
    await expect(detail.locator('.timeline > li').last().getAttribute('data-status')).resolves.toBe('failed')

    // a rejection scenario makes the API call itself fail, as the twilio client sees it
    await page.goto(`${server.url}/#/scenarios`)
    await form.getByLabel('To number').fill('+15550004444')
    await form.getByLabel('Outcome').selectOption('reject')
    await expect(form.getByLabel('Error code').inputValue()).resolves.toBe('21610')
    await form.getByRole('button', { name: 'Add scenario' }).click()
    await page.locator('#scenario-list li').nth(1).waitFor()
    await expect(
      client.messages.create({ to: '+15550004444', from: DEFAULT_FROM, body: 'Rejected' }),
    ).rejects.toMatchObject({ code: 21610 })

    // a delay and a read receipt, from the same form
    await form.getByLabel('To number').fill('+15550005555')
    await form.getByLabel('Outcome').selectOption('delay')
    await form.getByLabel('Time in each status (queued, sending, sent)').fill('30s')
    await form.getByRole('button', { name: 'Add scenario' }).click()
    await page.locator('#scenario-list li').nth(2).waitFor()
    await form.getByLabel('To number').fill('whatsapp:+15558675310')
    await form.getByLabel('Outcome').selectOption('read')
    await form.getByLabel('Read receipt after').fill('2m')
    await form.getByRole('button', { name: 'Add scenario' }).click()
    await page.locator('#scenario-list li').nth(3).waitFor()
    await expect(page.locator('#scenario-list li').nth(3).textContent()).resolves.toContain(
      'whatsapp:+15558675310: read receipt after 2m',
    )
    const slow = await client.messages.create({ to: '+15550005555', from: DEFAULT_FROM, body: 'Slowly' })
    await control('/settle', { method: 'POST' })
    const history = (await control(`/messages/${slow.sid}`)).history
    const start = Date.parse(history[0].at)
    expect(
      history.map(
        (h: { status: string; at: string }) => `${h.status} +${(Date.parse(h.at) - start) / 1000}s`,
      ),
    ).toEqual(['queued +0s', 'sending +30s', 'sent +60s', 'delivered +90s'])

    await page.getByRole('button', { name: 'Remove all scenarios' }).click()
    await page.locator('#scenario-none:not([hidden])').waitFor()
    expect((await control('/scenarios')).scenarios).toEqual([])
  })

  it('searches, filters and pages through a larger store', async () => {
    for (let i = 1; i <= 30; i++)
      await client.messages.create({
        to: `+1555000${String(i).padStart(4, '0')}`,
        from: DEFAULT_FROM,
        body: i === 17 ? 'Find the needle here' : `Message number ${i}`,
      })
    await openInbox()
    await page.locator('#page-size').selectOption('25')
    await page.locator('#page-info', { hasText: '1–25 of 30' }).waitFor()
    await expect(page.locator('#message-rows tr').count()).resolves.toBe(25)
    await expect(page.locator('#message-rows tr').first().locator('td.col-body').textContent()).resolves.toBe(
      'Message number 30',
    )
    await page.getByRole('button', { name: 'Older →' }).click()
    await page.locator('#page-info', { hasText: '26–30 of 30' }).waitFor()
    await expect(page.locator('#message-rows tr').count()).resolves.toBe(5)
    await page.getByRole('button', { name: '← Newer' }).click()
    await page.locator('#page-info', { hasText: '1–25 of 30' }).waitFor()

    await page.getByLabel('Search', { exact: true }).fill('needle')
    await page.locator('#count', { hasText: '1 of 30 messages match' }).waitFor()
    await expect(page.locator('#message-rows tr td.col-to').allTextContents()).resolves.toEqual([
      '+15550000017',
    ])

    await page.getByLabel('Search', { exact: true }).fill('')
    await page.getByLabel('Channel').selectOption('whatsapp')
    await page.locator('#no-match:not([hidden])').waitFor()
    await page.locator('#no-match').getByRole('button', { name: 'Clear filters' }).click()
    await page.locator('#count', { hasText: /^30 messages$/ }).waitFor()
  })

  it('shows and acts on one account chosen in the account filter (or ?account= in its address)', async () => {
    const created = await client.api.v2010.accounts.create({ friendlyName: 'inbox tenant' })
    const sub = await twilioClientForServer(server, { accountSid: created.sid, authToken: created.authToken })
    const mine = await client.messages.create({
      to: '+15558675310',
      from: DEFAULT_FROM,
      body: 'main account',
    })
    const theirs = await sub.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'subaccount' })
    await openInbox()
    await row(mine.sid).waitFor()
    await row(theirs.sid).waitFor()
    await page.locator('#filter-account').selectOption(created.sid)
    await row(mine.sid).waitFor({ state: 'detached' })
    await expect(page.locator('#message-rows tr').count()).resolves.toBe(1)
    expect(new URL(page.url()).searchParams.get('account')).toBe(created.sid)
    // the page's actions are the account's alone
    await page.getByRole('button', { name: 'Settle' }).click()
    await rowWithStatus(theirs.sid, 'delivered').waitFor()
    expect(server.double.messages.get(mine.sid)?.status).toBe('queued')

    await page.goto(`${server.url}/?account=${created.sid}`)
    await page.locator('#live[data-state="live"]').waitFor()
    await row(theirs.sid).waitFor()
    await expect(page.locator('#message-rows tr').count()).resolves.toBe(1)
    await expect(page.locator('#filter-account').inputValue()).resolves.toBe(created.sid)
    // closed, it leaves the filter (and the other tests' server) as it was
    await client.api.v2010.accounts(created.sid).update({ status: 'closed' })
  })

  it('opens an address whose message SID or numbers are malformed escapes (%E0%A4%A) as not found, without a page error', async () => {
    await openInbox('#/messages/%E0%A4%A')
    await page.getByRole('heading', { name: 'Message not found' }).waitFor()
    await page.goto(`${server.url}/#/conversations/%ZZ/%E0%A4%A`)
    await page.locator('#live[data-state="live"]').waitFor()
    // the browser logs the control API's 404 for the unknown message; nothing else may go wrong (afterEach)
    const notFound = 'Failed to load resource: the server responded with a status of 404 (Not Found)'
    expect(pageErrors).toContain(notFound)
    pageErrors = pageErrors.filter((e) => e !== notFound)
  })

  it('resets the double from the page', async () => {
    await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Soon gone' })
    await control('/scenarios', { method: 'POST', body: { then: { deliver: 'failed' } } })
    await openInbox()
    await page.locator('#message-rows tr').first().waitFor()
    await page.getByRole('button', { name: 'Reset…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Reset the double?' })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Reset' }).click()
    await page.locator('#empty:not([hidden])').waitFor()
    const health = await control('/health')
    expect(health).toMatchObject({ messages: 0, callbacks: 0, scenarios: 0, now: '2024-01-01T00:00:00.000Z' })
  })

  it('is usable by keyboard: visible focus, labelled controls, real buttons, Enter opens a message', async () => {
    const msg = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Keyboard' })
    await openInbox()
    await row(msg.sid).waitFor()

    await page.keyboard.press('Tab')
    const skip = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      const style = getComputedStyle(el)
      return { text: el.textContent, outline: style.outlineStyle, top: el.getBoundingClientRect().top }
    })
    expect(skip.text).toBe('Skip to messages')
    expect(skip.outline).not.toBe('none')
    expect(skip.top).toBeGreaterThanOrEqual(0)

    // each control can be reached, shows where the focus is, and has a name
    const stops: { tag: string; name: string; outline: string }[] = []
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab')
      // past the last control, the focus leaves the page
      if (await page.evaluate(() => document.activeElement === document.body)) break
      stops.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> }
          const name =
            el.getAttribute('aria-label') ??
            (el.labels?.length ? el.labels[0]!.textContent : null) ??
            el.textContent ??
            ''
          return { tag: el.tagName, name: name.trim(), outline: getComputedStyle(el).outlineStyle }
        }),
      )
    }
    for (const stop of stops) {
      expect(stop.name, `${stop.tag} without a name`).not.toBe('')
      expect(stop.outline, `${stop.tag} ${stop.name} without a focus ring`).not.toBe('none')
    }
    const names = stops.map((s) => s.name)
    expect(names.length).toBeGreaterThan(10)
    expect(names).toContain('Simulate inbound')
    expect(names).toContain('Search')
    expect(names).toContain('Settle')

    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label'))
        .map((el) => el.id || el.outerHTML),
    )
    expect(unlabelled).toEqual([])
    const clickableNonButtons = await page.evaluate(
      () => [...document.querySelectorAll('[onclick], div[role=button], span[role=button]')].length,
    )
    expect(clickableNonButtons).toBe(0)

    await row(msg.sid).getByRole('link').focus()
    await page.keyboard.press('Enter')
    await page.locator('#message-detail .timeline').waitFor()
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('message-heading')
  })

  it('stays readable at a phone width: no sideways scrolling, the list as cards', async () => {
    await client.messages.create({
      to: 'whatsapp:+15558675310',
      from: WHATSAPP_FROM,
      body: 'A long message body that has to wrap on a narrow screen without pushing anything sideways.',
    })
    await control('/inbound', {
      method: 'POST',
      body: { from: '+15558675310', to: DEFAULT_FROM, body: 'Hi' },
    })
    await page.setViewportSize({ width: 360, height: 740 })
    await openInbox()
    await page.locator('#message-rows tr').nth(2).waitFor()
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      theadHeight: document.querySelector('#messages thead')!.getBoundingClientRect().height,
      rowDisplay: getComputedStyle(document.querySelector('#message-rows tr')!).display,
    }))
    expect(layout.scrollWidth).toBeLessThanOrEqual(360)
    expect(layout.theadHeight).toBeLessThanOrEqual(1)
    expect(layout.rowDisplay).toBe('flex')

    await page.locator('#message-rows tr').first().getByRole('link').click()
    await page.locator('#message-detail .timeline').waitFor()
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360)
  })
})
