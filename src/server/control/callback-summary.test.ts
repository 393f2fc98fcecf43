import twilio from 'twilio'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../config.js'
import { createTwilioDouble, type TwilioDouble } from '../../double.js'
import type { CallbackSummary } from './callback-summary.js'
import { type ControlApi, createControlApi } from './index.js'

const APP = 'https://app.test'
let double: TwilioDouble
let control: ControlApi
let client: ReturnType<typeof twilio>
/** What the app answers per path; a thrown error is no answer at all. */
let answers: Record<string, number[]>

beforeEach(() => {
  double = createTwilioDouble({
    callbacks: { retries: 1 },
    accounts: [
      {
        sid: DEFAULT_ACCOUNT_SID,
        authToken: DEFAULT_AUTH_TOKEN,
        phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: `${APP}/sms` }, '+15005550007'],
        messagingServices: [
          { sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM], statusCallback: `${APP}/service` },
        ],
      },
    ],
  })
  control = createControlApi(double)
  client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
  answers = {}
  double.callbacks.handle(APP, (request) => {
    const path = new URL(request.url).pathname
    const status = answers[path]?.shift() ?? 204
    if (status === 0) throw new Error('connection refused')
    return new Response(null, { status })
  })
})

async function summaries(): Promise<Record<string, CallbackSummary>> {
  const res = await control.handle(new Request('http://127.0.0.1/__double/messages'))
  const { messages } = (await res.json()) as { messages: { sid: string; callbackSummary: CallbackSummary }[] }
  return Object.fromEntries(messages.map((m) => [m.sid, m.callbackSummary]))
}

const send = (path: string | undefined, extra: Record<string, string> = {}) =>
  client.messages.create({
    to: '+15558675310',
    from: DEFAULT_FROM,
    body: 'Hi',
    ...(path ? { statusCallback: `${APP}${path}` } : {}),
    ...extra,
  })

describe('GET /__double/messages callbackSummary', () => {
  it('tells callbacks all answered, some failed, registered but not sent yet, and none registered', async () => {
    const fine = await send('/fine')
    answers['/bad'] = [500, 500, 404] // sent: 500 then its retry 500; delivered: 404 (not retried)
    const bad = await send('/bad')
    const silent = await send(undefined)
    const viaService = await client.messages.create({
      to: '+15558675310',
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      body: 'Hi',
    })
    const before = await summaries()
    expect(before[fine.sid]).toEqual({ kind: 'status', state: 'pending', sent: 0, failed: 0 })
    expect(before[bad.sid]).toEqual({ kind: 'status', state: 'pending', sent: 0, failed: 0 })
    expect(before[silent.sid]).toEqual({ kind: 'status', state: 'none', sent: 0, failed: 0 })
    await double.settle()
    expect(await summaries()).toEqual({
      [fine.sid]: { kind: 'status', state: 'ok', sent: 2, failed: 0 },
      [bad.sid]: { kind: 'status', state: 'failed', sent: 2, failed: 2 },
      [silent.sid]: { kind: 'status', state: 'none', sent: 0, failed: 0 },
      // the messaging service's status callback counts; through a service, queued has its callback too
      [viaService.sid]: { kind: 'status', state: 'ok', sent: 3, failed: 0 },
    })
    expect(double.callbacks.list({ messageSid: bad.sid }).map((d) => d.responseStatus)).toEqual([
      500, 500, 404,
    ])
  })

  it('counts a callback whose retry succeeded as answered, and one that got no answer as failed', async () => {
    answers['/flaky'] = [503, 200]
    const flaky = await send('/flaky')
    answers['/down'] = [0, 0]
    const down = await send('/down')
    await double.settle()
    const got = await summaries()
    expect(got[flaky.sid]).toEqual({ kind: 'status', state: 'ok', sent: 2, failed: 0 })
    expect(got[down.sid]).toEqual({ kind: 'status', state: 'failed', sent: 2, failed: 1 })
  })

  it("gives an incoming message its webhook's outcome", async () => {
    answers['/sms'] = [200, 500, 500]
    await double.inbound({ from: '+15558675310', to: DEFAULT_FROM, body: 'first' })
    await double.inbound({ from: '+15558675310', to: DEFAULT_FROM, body: 'second' })
    await double.inbound({ from: '+15558675310', to: '+15005550007', body: 'no webhook' })
    const got = await summaries()
    const [noHook, second, first] = double.messages.list({ direction: 'inbound' })
    expect(got[first!.sid!]).toEqual({ kind: 'inbound', state: 'ok', sent: 1, failed: 0 })
    expect(got[second!.sid!]).toEqual({ kind: 'inbound', state: 'failed', sent: 1, failed: 1 })
    expect(got[noHook!.sid!]).toEqual({ kind: 'inbound', state: 'none', sent: 0, failed: 0 })
  })
})
