/**
 * Signatures: every status callback validates with the `twilio` package's `validateRequest()` and its
 * express `webhook()` middleware on a real express app on 127.0.0.1; with `tamperSignature` both refuse.
 */
import './no-unhandled.js'
import net from 'node:net'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TwilioDouble } from '../../src/double.js'
import { statusCallbackSchema } from '../../src/schemas/webhooks.js'
import { ACCOUNT_A, ACCOUNT_B, twoAccountDouble } from './support/doubles.js'
import { recordFigure } from './support/scale.js'
import { startWebhookApp, type WebhookApp } from './support/webhook-app.js'

let app: WebhookApp
let validated = 0

beforeAll(async () => {
  app = await startWebhookApp({ '/a': ACCOUNT_A.authToken, '/b': ACCOUNT_B.authToken })
})
afterAll(async () => {
  await app.close()
  recordFigure('Signatures', 'status callbacks validated by validateRequest() and webhook()', validated)
})

function doubleWithCallbacks(): TwilioDouble {
  return twoAccountDouble({
    // a template WhatsApp approved, for the business-initiated WhatsApp message
    contentTemplates: [
      {
        sid: 'HX00000000000000000000000000000001',
        accountSid: ACCOUNT_A.sid,
        types: { 'twilio/text': { body: 'Hello {{1}}' } },
        whatsapp: {},
      },
    ],
    accounts: [
      {
        sid: ACCOUNT_A.sid,
        authToken: ACCOUNT_A.authToken,
        apiKeys: [{ sid: ACCOUNT_A.keySid, secret: ACCOUNT_A.keySecret }],
        messagingServices: [
          {
            sid: ACCOUNT_A.serviceSid,
            senders: [ACCOUNT_A.from, `whatsapp:${ACCOUNT_A.from}`],
            statusCallback: `${app.url}/a/service-status?service=1`,
          },
        ],
        applications: [
          { sid: 'AP0000000000000000000000000000000a', messageStatusCallback: `${app.url}/a/app-status` },
        ],
      },
      {
        sid: ACCOUNT_B.sid,
        authToken: ACCOUNT_B.authToken,
        apiKeys: [{ sid: ACCOUNT_B.keySid, secret: ACCOUNT_B.keySecret }],
        messagingServices: [{ sid: ACCOUNT_B.serviceSid, senders: [ACCOUNT_B.from] }],
      },
    ],
  })
}

async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * Waits until the app has finished answering `n` requests (the double may see an answer before the app's own
 * `finish` event has recorded it).
 */
async function receivedAll(n: number): Promise<void> {
  await app.receivedAtLeast(n)
}

describe('inbound webhooks', () => {
  it('validate with validateRequest() and webhook(): POST and GET, service URL, fallback, replies', async () => {
    app.received.length = 0
    const FAILING = `http://127.0.0.1:${await closedPort()}/closed-port`
    const double = twoAccountDouble({
      accounts: [
        {
          sid: ACCOUNT_A.sid,
          authToken: ACCOUNT_A.authToken,
          apiKeys: [{ sid: ACCOUNT_A.keySid, secret: ACCOUNT_A.keySecret }],
          phoneNumbers: [
            {
              number: ACCOUNT_A.from,
              smsUrl: `${app.url}/a/inbound-reply?tenant=acme%20corp`,
              smsMethod: 'POST',
            },
            { number: '+15017122661', smsUrl: `${app.url}/a/inbound-get?x=%C3%A9`, smsMethod: 'GET' },
            { number: '+15017122662', smsUrl: FAILING, smsFallbackUrl: `${app.url}/a/fallback` },
            { number: `whatsapp:${ACCOUNT_A.from}`, smsUrl: `${app.url}/a/whatsapp` },
          ],
          messagingServices: [
            {
              sid: ACCOUNT_A.serviceSid,
              senders: ['+15017122663'],
              inboundRequestUrl: `${app.url}/a/service-inbound`,
            },
          ],
        },
        {
          sid: ACCOUNT_B.sid,
          authToken: ACCOUNT_B.authToken,
          phoneNumbers: [{ number: '+15017122664', smsUrl: `${app.url}/b/inbound` }],
        },
      ],
    })
    const results = [
      await double.inbound({ from: '+15550001111', to: ACCOUNT_A.from, body: 'Hello — é ✓ 😀' }),
      await double.inbound({ from: '+15550001112', to: '+15017122661', body: 'by GET' }),
      await double.inbound({ from: '+15550001113', to: '+15017122662', body: 'falls back' }),
      await double.inbound({ from: '+15550001114', to: '+15017122663', body: 'to the service' }),
      await double.inbound({
        from: 'whatsapp:+15550001115',
        to: `whatsapp:${ACCOUNT_A.from}`,
        body: 'wa',
        profileName: 'Zoë',
        mediaUrls: ['https://media.my-app.test/cat.png'],
      }),
      await double.inbound({ from: '+15550001116', to: '+15017122664', body: 'for b' }),
      await double.inbound({ from: '+15550001117', to: ACCOUNT_A.from, body: 'STOP' }),
    ]
    await double.settle()
    const deliveries = double.callbacks.list({ kind: 'inbound' })
    const toApp = deliveries.filter((d) => d.url.startsWith(app.url))
    // the TwiML reply to the first message (sent, delivered); STOP's reply is not sent (opted out, 21610)
    const replyStatus = double.callbacks.list({ kind: 'status' })
    await receivedAll(toApp.length + replyStatus.length)
    expect(toApp.length).toBe(7)
    expect(results[0]!.replies).toHaveLength(1)
    expect(replyStatus.length).toBeGreaterThanOrEqual(2)
    for (const d of replyStatus) {
      expect(d.url).toBe(`${app.url}/a/reply-status`)
      expect(d.responseStatus).toBe(200)
      expect(twilio.validateRequest(ACCOUNT_A.authToken, d.signature, d.url, d.params)).toBe(true)
    }
    expect(deliveries.filter((d) => d.url === FAILING)).toHaveLength(1)
    expect(results[2]!.errors.map((e) => e.code)).toContain(11200)
    for (const d of toApp) {
      expect(d.responseStatus, d.url).toBe(200)
      const token = d.accountSid === ACCOUNT_A.sid ? ACCOUNT_A.authToken : ACCOUNT_B.authToken
      const url =
        d.method === 'GET'
          ? `${d.url}${d.url.includes('?') ? '&' : '?'}${new URLSearchParams(d.params)}`
          : d.url
      expect(twilio.validateRequest(token, d.signature, url, d.method === 'GET' ? {} : d.params), d.url).toBe(
        true,
      )
    }
    expect(app.received).toHaveLength(toApp.length + replyStatus.length)
    for (const r of app.received) {
      expect(r.validateRequest, `${r.method} ${r.url}`).toBe(true)
      expect(r.status, `${r.method} ${r.url}`).toBe(200)
    }
    expect(app.received.some((r) => r.method === 'GET')).toBe(true)
    const fallback = app.received.find((r) => r.url.endsWith('/a/fallback'))
    expect(fallback?.params.ErrorCode).toBe('11200')
    expect(app.received.some((r) => r.url.startsWith(`${app.url}/b/`))).toBe(true)
    validated += app.received.length
  })
})

describe('status callbacks', () => {
  it('validate with validateRequest() and webhook() for every lifecycle, channel and callback source', async () => {
    app.received.length = 0
    const double = doubleWithCallbacks()
    const a = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
    const b = twilio(ACCOUNT_B.sid, ACCOUNT_B.authToken, { httpClient: double.httpClient() })
    const cb = (path: string) => `${app.url}${path}`
    double.scenarios.use(
      { when: { to: '+15550000001' }, then: { deliver: 'failed', errorCode: 30008 } },
      { when: { to: '+15550000002' }, then: { deliver: 'undelivered', errorCode: 30003 } },
      { when: { to: 'whatsapp:+15550000003' }, then: { deliver: 'read' } },
      { when: { to: '+15550000004' }, then: { duplicateCallbacks: true } },
      { when: { to: '+15550000005' }, then: { reorderCallbacks: true } },
    )
    await a.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550000000',
      body: 'plain',
      statusCallback: cb('/a/status'),
    })
    await a.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550000001',
      body: 'fails',
      statusCallback: cb('/a/status'),
    })
    await a.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550000002',
      body: 'undelivered',
      statusCallback: cb('/a/status?tenant=acme%20corp&ids=1&ids=2'),
    })
    await a.messages.create({
      from: `whatsapp:${ACCOUNT_A.from}`,
      to: 'whatsapp:+15550000003',
      // a template: outside the customer service window free-form WhatsApp messages fail (63016)
      contentSid: 'HX00000000000000000000000000000001',
      contentVariables: JSON.stringify({ 1: 'Zoë ✓' }),
      statusCallback: cb('/a/status?name=Zo%C3%AB&check=%E2%9C%93'),
    })
    await a.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550000004',
      body: 'twice',
      statusCallback: cb('/a/dup'),
    })
    await a.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550000005',
      body: 'reversed',
      statusCallback: cb('/a/rev'),
    })
    await a.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550000006',
      body: 'mms',
      mediaUrl: ['https://media.my-app.test/cat.png'],
      statusCallback: cb('/a/status'),
    })
    // the messaging service's callback, and an application's callback overriding StatusCallback
    await a.messages.create({
      messagingServiceSid: ACCOUNT_A.serviceSid,
      to: '+15550000007',
      body: 'via service',
    })
    await a.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550000008',
      body: 'app',
      applicationSid: 'AP0000000000000000000000000000000a',
      statusCallback: cb('/a/ignored'),
    })
    // scheduled, then canceled
    const scheduled = await a.messages.create({
      messagingServiceSid: ACCOUNT_A.serviceSid,
      to: '+15550000009',
      body: 'later',
      scheduleType: 'fixed',
      sendAt: new Date(double.now().getTime() + 2 * 3600_000),
      statusCallback: cb('/a/sched'),
    })
    await a.messages(scheduled.sid).update({ status: 'canceled' })
    // the other account signs with its own token
    await b.messages.create({
      from: ACCOUNT_B.from,
      to: '+15550000010',
      body: 'from b',
      statusCallback: cb('/b/status'),
    })
    await double.settle()

    const deliveries = double.callbacks.list()
    await receivedAll(deliveries.length)
    // 2 + 1 + 2 + 3 + 4 + 2 + 2 + 3 + 1 (an application hears only sent and failed) + 1 + 2
    expect(deliveries.length).toBe(23)
    expect(app.received).toHaveLength(deliveries.length)
    const statuses = new Set(deliveries.map((d) => d.status))
    for (const s of ['queued', 'sent', 'delivered', 'failed', 'undelivered', 'read', 'canceled'])
      expect(statuses).toContain(s)
    for (const d of deliveries) {
      expect(d.error, d.url).toBeUndefined()
      expect(d.responseStatus, `${d.status} ${d.url}`).toBe(200)
      expect(statusCallbackSchema.safeParse(d.params).success, JSON.stringify(d.params)).toBe(true)
      const token = d.accountSid === ACCOUNT_A.sid ? ACCOUNT_A.authToken : ACCOUNT_B.authToken
      expect(twilio.validateRequest(token, d.signature, d.url, d.params), d.url).toBe(true)
    }
    for (const r of app.received) {
      expect(r.validateRequest, r.url).toBe(true)
      expect(r.status, r.url).toBe(200)
    }
    expect(app.received.some((r) => r.url.endsWith('/a/app-status'))).toBe(true)
    expect(app.received.some((r) => r.url.includes('/a/ignored'))).toBe(false)
    expect(app.received.some((r) => r.url.includes('/a/service-status?service=1'))).toBe(true)
    expect(app.received.some((r) => r.url.startsWith(`${app.url}/b/`))).toBe(true)
    validated += app.received.length
  })

  it('with tamperSignature fail both validateRequest() and webhook() (403), and the refusal is recorded', async () => {
    app.received.length = 0
    const double = doubleWithCallbacks()
    const a = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
    double.scenarios.use({ when: { to: /^\+1555000002/ }, then: { tamperSignature: true } })
    await a.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550000020',
      body: 'x',
      statusCallback: `${app.url}/a/t`,
    })
    await a.messages.create({
      messagingServiceSid: ACCOUNT_A.serviceSid,
      to: '+15550000021',
      body: 'y',
      statusCallback: `${app.url}/a/t?q=1`,
    })
    await double.settle()
    const deliveries = double.callbacks.list()
    await receivedAll(deliveries.length)
    expect(deliveries.length).toBeGreaterThanOrEqual(5)
    for (const d of deliveries) {
      expect(d.responseStatus).toBe(403)
      expect(d.responseBody).toBe('Twilio Request Validation Failed.')
      expect(twilio.validateRequest(ACCOUNT_A.authToken, d.signature, d.url, d.params)).toBe(false)
    }
    expect(app.received).toHaveLength(deliveries.length)
    for (const r of app.received) {
      expect(r.validateRequest).toBe(false)
      expect(r.status).toBe(403)
    }
  })

  it("signed with another account's token fail validation (a signature is bound to its account)", async () => {
    app.received.length = 0
    const double = doubleWithCallbacks()
    const b = twilio(ACCOUNT_B.sid, ACCOUNT_B.authToken, { httpClient: double.httpClient() })
    // B's callbacks sent to the mount that validates with A's token
    await b.messages.create({
      from: ACCOUNT_B.from,
      to: '+15550000030',
      body: 'x',
      statusCallback: `${app.url}/a/b`,
    })
    await double.settle()
    const deliveries = double.callbacks.list()
    await receivedAll(deliveries.length)
    expect(deliveries.length).toBeGreaterThanOrEqual(2)
    for (const d of deliveries) expect(d.responseStatus).toBe(403)
    for (const r of app.received) expect(r.validateRequest).toBe(false)
  })
})
