import twilio from 'twilio'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { KEYWORD_REPLIES, keywordOf } from '../../src/messaging/opt-out.js'
import { startApp, type TestApp, twiml } from './app.js'

const USER = '+15550001111'
const OTHER_USER = '+15550003333'
const POOL_NUMBER = '+15005550011'
const LONE_NUMBER = '+15005550012'

let app: TestApp
let double: TwilioDouble
let client: twilio.Twilio

beforeAll(async () => {
  app = await startApp()
})
afterAll(() => app.close())

beforeEach(() => {
  app.received.length = 0
  app.on('/sms', (_req, res) => {
    res.status(204).end()
  })
  double = createTwilioDouble({
    accounts: [
      {
        sid: DEFAULT_ACCOUNT_SID,
        authToken: DEFAULT_AUTH_TOKEN,
        phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: `${app.url}/sms` }, LONE_NUMBER],
        messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM, POOL_NUMBER] }],
      },
    ],
  })
  client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() as any })
})

async function sendError(params: { from?: string; messagingServiceSid?: string; to: string }) {
  try {
    await client.messages.create({ ...params, body: 'Your code is 1234' })
  } catch (err) {
    return err as { code: number; status: number; message: string }
  }
  return undefined
}

describe('keywords', () => {
  it('are the whole body, trimmed, in any case', () => {
    for (const w of ['STOP', ' stop ', 'StopAll', 'unsubscribe', 'CANCEL', 'end', 'Quit'])
      expect(keywordOf(w), w).toBe('opt-out')
    for (const w of ['START', 'unstop', ' yes']) expect(keywordOf(w), w).toBe('opt-in')
    for (const w of ['HELP', 'info']) expect(keywordOf(w), w).toBe('help')
    for (const w of ['stop please', 'please stop', 'STOP!', 'halt', ''])
      expect(keywordOf(w), w).toBeUndefined()
  })
})

describe('STOP, a failing send, START, a successful send', () => {
  it('follows Twilio default opt-out handling end to end', async () => {
    // STOP: recorded, confirmed by Twilio's auto-reply, and still forwarded to the app.
    const stop = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'Stop' })
    expect(stop.keyword).toBe('opt-out')
    expect(stop.replies).toHaveLength(1)
    expect(stop.replies[0]).toMatchObject({
      direction: 'outbound-reply',
      from: DEFAULT_FROM,
      to: USER,
      body: KEYWORD_REPLIES['opt-out'],
    })
    expect(app.received.map((r) => r.params.Body)).toEqual(['Stop'])
    await double.settle()
    expect(double.messages.get(stop.replies[0]!.sid!)?.status).toBe('delivered')

    // A later send from that number fails at create with 21610, through the real twilio client.
    const err = await sendError({ from: DEFAULT_FROM, to: USER })
    expect(err).toBeInstanceOf(twilio.RestException)
    expect(err).toMatchObject({
      code: 21610,
      status: 400,
      message: 'Attempt to send to unsubscribed recipient',
    })
    // ...also from any sender of the same messaging service, or through the service itself.
    expect((await sendError({ from: POOL_NUMBER, to: USER }))?.code).toBe(21610)
    expect((await sendError({ messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID, to: USER }))?.code).toBe(
      21610,
    )
    // Numbers outside the service and other recipients are unaffected.
    expect(await sendError({ from: LONE_NUMBER, to: USER })).toBeUndefined()
    expect(await sendError({ from: DEFAULT_FROM, to: OTHER_USER })).toBeUndefined()
    expect(double.messages.list({ to: USER, direction: 'outbound-api' }).map((m) => m.from)).toEqual([
      LONE_NUMBER,
    ])

    // START: re-subscribed, confirmed, and sending works again.
    const start = await double.inbound({ from: USER, to: POOL_NUMBER, body: 'start' })
    expect(start.keyword).toBe('opt-in')
    expect(start.replies.map((r) => [r.from, r.body])).toEqual([[POOL_NUMBER, KEYWORD_REPLIES['opt-in']]])
    const ok = await client.messages.create({ from: DEFAULT_FROM, to: USER, body: 'Welcome back' })
    expect(ok.status).toBe('queued')
    await double.settle()
    expect(double.messages.get(ok.sid)?.status).toBe('delivered')
  })

  it('answers HELP with the default help text, except to a recipient who opted out', async () => {
    const help = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'help' })
    expect(help.keyword).toBe('help')
    expect(help.replies.map((r) => r.body)).toEqual([KEYWORD_REPLIES.help])
    await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'QUIT' })
    const muted = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'INFO' })
    expect(muted.keyword).toBe('help')
    expect(muted.replies).toEqual([])
  })

  it('does not send the app TwiML reply to a recipient who opted out: the reply fails with 21610', async () => {
    app.on(
      '/sms',
      twiml((r) => r.message('Sorry to see you go')),
    )
    const stop = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'STOP' })
    expect(stop.replies.map((r) => [r.body, r.status, r.error_code])).toEqual([
      [KEYWORD_REPLIES['opt-out'], 'queued', null],
      ['Sorry to see you go', 'failed', 21610],
    ])
    expect(stop.errors.map((e) => e.code)).toEqual([21610])
  })

  it('ignores words that only contain a keyword', async () => {
    const r = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'please stop texting' })
    expect(r.keyword).toBeUndefined()
    expect(r.replies).toEqual([])
    expect(await sendError({ from: DEFAULT_FROM, to: USER })).toBeUndefined()
  })

  it('is forgotten by double.reset()', async () => {
    await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'STOP' })
    expect((await sendError({ from: DEFAULT_FROM, to: USER }))?.code).toBe(21610)
    double.reset()
    expect(await sendError({ from: DEFAULT_FROM, to: USER })).toBeUndefined()
  })

  it('is kept per double', async () => {
    await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'STOP' })
    const other = createTwilioDouble()
    const otherClient = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: other.httpClient() as any,
    })
    const msg = await otherClient.messages.create({ from: DEFAULT_FROM, to: USER, body: 'hi' })
    expect(msg.sid).toMatch(/^SM/)
  })
})

describe('a toll-free number', () => {
  const TOLL_FREE = '+18885550123'
  beforeEach(() => {
    double = createTwilioDouble({
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          phoneNumbers: [{ number: TOLL_FREE, smsUrl: `${app.url}/sms` }, DEFAULT_FROM],
        },
      ],
    })
    client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() as any })
  })

  it("confirms STOP, START and UNSTOP with the carrier's NETWORK MSG, not with Twilio's replies", async () => {
    const stop = await double.inbound({ from: USER, to: TOLL_FREE, body: 'Stop' })
    expect(stop.keyword).toBe('opt-out')
    expect(stop.networkMessage).toBe(
      'NETWORK MSG: You replied with the word "stop" which blocks all texts sent from this number. Text back "unstop" to receive messages again.',
    )
    expect(stop.replies).toEqual([])
    expect(double.messages.list({ direction: 'outbound-reply' })).toEqual([])
    // still forwarded to the app, and sends from the number are refused
    expect(app.received.map((r) => r.params.Body)).toEqual(['Stop'])
    expect((await sendError({ from: TOLL_FREE, to: USER }))?.code).toBe(21610)
    expect(await sendError({ from: DEFAULT_FROM, to: USER })).toBeUndefined()

    // HELP while opted out: no auto-reply at all
    const help = await double.inbound({ from: USER, to: TOLL_FREE, body: 'HELP' })
    expect([help.replies, help.networkMessage]).toEqual([[], undefined])

    const start = await double.inbound({ from: USER, to: TOLL_FREE, body: 'start' })
    expect(start.keyword).toBe('opt-in')
    expect(start.networkMessage).toBe(
      'NETWORK MSG: You have replied "Start" and will begin receiving messages again from this number.',
    )
    expect(start.replies).toEqual([])
    expect(await sendError({ from: TOLL_FREE, to: USER })).toBeUndefined()

    await double.inbound({ from: USER, to: TOLL_FREE, body: 'STOP' })
    const unstop = await double.inbound({ from: USER, to: TOLL_FREE, body: ' UNSTOP ' })
    expect(unstop.networkMessage).toBe(
      'NETWORK MSG: You have replied "Unstop" and will begin receiving messages again from this number.',
    )
    expect(await sendError({ from: TOLL_FREE, to: USER })).toBeUndefined()
  })

  it("answers HELP and the other keywords with Twilio's replies, as a long code does", async () => {
    const help = await double.inbound({ from: USER, to: TOLL_FREE, body: 'info' })
    expect(help.networkMessage).toBeUndefined()
    expect(help.replies.map((r) => [r.from, r.body])).toEqual([[TOLL_FREE, KEYWORD_REPLIES.help]])
    const cancel = await double.inbound({ from: USER, to: TOLL_FREE, body: 'CANCEL' })
    expect(cancel.networkMessage).toBeUndefined()
    expect(cancel.replies.map((r) => r.body)).toEqual([KEYWORD_REPLIES['opt-out']])
    expect((await sendError({ from: TOLL_FREE, to: USER }))?.code).toBe(21610)
  })

  it('is told apart from a long code: STOP to a long code gets Twilio reply and no NETWORK MSG', async () => {
    const stop = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'STOP' })
    expect(stop.networkMessage).toBeUndefined()
    expect(stop.replies.map((r) => r.body)).toEqual([KEYWORD_REPLIES['opt-out']])
  })
})
