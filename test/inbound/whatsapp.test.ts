import twilio from 'twilio'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { inboundWebhookSchema } from '../../src/schemas/webhooks.js'
import { startApp, type TestApp, twiml } from './app.js'

const BUSINESS = 'whatsapp:+14155238886'
const USER = 'whatsapp:+15550004444'
const TEMPLATE = 'HX0123456789abcdef0123456789abcdef'
const SERVICE = 'MG00000000000000000000000000000077'

let app: TestApp
let double: TwilioDouble
let client: twilio.Twilio

beforeAll(async () => {
  app = await startApp()
})
afterAll(() => app.close())

beforeEach(() => {
  app.received.length = 0
  app.on('/whatsapp', (_req, res) => {
    res.status(204).end()
  })
  app.on('/status', (_req, res) => {
    res.status(204).end()
  })
  double = createTwilioDouble({
    contentTemplates: [
      { sid: TEMPLATE, types: { 'twilio/text': { body: 'Your order shipped' } }, whatsapp: {} },
    ],
    accounts: [
      {
        sid: DEFAULT_ACCOUNT_SID,
        authToken: DEFAULT_AUTH_TOKEN,
        phoneNumbers: [DEFAULT_FROM, { number: BUSINESS, smsUrl: `${app.url}/whatsapp` }],
        messagingServices: [{ sid: SERVICE, senders: [BUSINESS] }],
      },
    ],
  })
  client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() as any })
})

function freeForm(extra: Record<string, string> = {}) {
  return client.messages.create({
    from: BUSINESS,
    to: USER,
    body: 'Your order has shipped',
    statusCallback: `${app.url}/status`,
    ...extra,
  })
}

describe('a WhatsApp message outside the 24-hour window', () => {
  it('is accepted at create, then fails with 63016 (with its failed status callback)', async () => {
    const msg = await freeForm()
    expect(msg.status).toBe('queued')
    expect(msg.errorCode).toBeNull()

    await double.settle()
    const after = double.messages.get(msg.sid)!
    expect(after.status).toBe('failed')
    expect(after.error_code).toBe(63016)
    expect(after.error_message).toMatch(/outside the allowed window/)
    expect(double.messages.history(msg.sid).map((h) => h.status)).toEqual(['queued', 'failed'])

    const callbacks = app.received.filter((r) => r.path === '/status')
    expect(callbacks.map((c) => [c.params.MessageStatus, c.params.ErrorCode])).toEqual([['failed', '63016']])
    expect(app.refused).toBe(0)
    expect((await client.messages(msg.sid).fetch()).errorCode).toBe(63016)
  })

  it('goes out when it uses a template (ContentSid)', async () => {
    const msg = await client.messages.create({ from: BUSINESS, to: USER, contentSid: TEMPLATE })
    await double.settle()
    expect(double.messages.get(msg.sid)?.status).toBe('delivered')
  })

  it('fails the same way when sent through a messaging service', async () => {
    const msg = await client.messages.create({ messagingServiceSid: SERVICE, to: USER, body: 'hello' })
    expect(msg.status).toBe('accepted')
    await double.settle()
    expect(double.messages.get(msg.sid)).toMatchObject({
      status: 'failed',
      error_code: 63016,
      from: BUSINESS,
    })
  })
})

describe('a WhatsApp message inside the window', () => {
  it('opens with the user message (webhook with ProfileName and WaId) and closes 24 hours later', async () => {
    const inbound = await double.inbound({
      from: USER,
      to: BUSINESS,
      body: 'Where is my order?',
      profileName: 'Ada',
    })
    expect(inbound.message).toMatchObject({
      direction: 'inbound',
      from: USER,
      to: BUSINESS,
      status: 'received',
    })
    const hook = app.received.find((r) => r.path === '/whatsapp')!
    expect(app.refused).toBe(0)
    expect(inboundWebhookSchema.parse(hook.params)).toMatchObject({
      From: USER,
      To: BUSINESS,
      ProfileName: 'Ada',
      WaId: '15550004444',
      MessagingServiceSid: SERVICE,
      NumSegments: '1',
    })
    expect(hook.params.MessageType).toBe('text')
    expect(hook.params).not.toHaveProperty('FromCountry')

    await double.advance('23h')
    const inside = await freeForm()
    await double.settle()
    expect(double.messages.get(inside.sid)?.status).toBe('delivered')

    await double.advance('1h')
    const outside = await freeForm()
    await double.settle()
    expect(double.messages.get(outside.sid)).toMatchObject({ status: 'failed', error_code: 63016 })
  })

  it('lets the app reply with TwiML (free-form) and the channel prefix is added for channel: whatsapp', async () => {
    app.on(
      '/whatsapp',
      twiml((r) => r.message('We are on it!')),
    )
    const result = await double.inbound({
      from: '+15550004444',
      to: '+14155238886',
      channel: 'whatsapp',
      body: 'photo',
      mediaUrls: ['https://example.com/receipt.jpg'],
    })
    expect(result.message.from).toBe(USER)
    expect(result.message.sid).toMatch(/^MM/)
    expect(app.received[0]!.params.MessageType).toBe('image')
    expect(result.replies.map((r) => [r.to, r.from, r.direction])).toEqual([
      [USER, BUSINESS, 'outbound-reply'],
    ])
    await double.settle()
    expect(double.messages.get(result.replies[0]!.sid!)?.status).toBe('delivered')
  })

  it('forgets windows on double.reset()', async () => {
    await double.inbound({ from: USER, to: BUSINESS, body: 'hi' })
    double.reset()
    const msg = await freeForm()
    await double.settle()
    expect(double.messages.get(msg.sid)?.error_code).toBe(63016)
  })
})
