/**
 * Status callback deliveries under scenarios and failing endpoints: duplicated, reordered and tampered
 * callbacks; in-process handlers; endpoints that fail, are unreachable or never answer.
 */
import type { AddressInfo } from 'node:net'
import express from 'express'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { mswFor, type Receiver, startReceiver } from './support.js'

let receiver: Receiver
let double: TwilioDouble
let server: ReturnType<typeof mswFor>
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

beforeAll(async () => {
  receiver = await startReceiver()
  double = createTwilioDouble({ startTime: DEFAULT_START_TIME, callbacks: { retries: 1 } })
  server = mswFor(double)
})
afterEach(() => {
  double.reset()
  receiver.received.length = 0
  receiver.answer(() => ({ status: 200 }))
})
afterAll(async () => {
  server.close()
  await receiver.close()
})

const send = (statusCallback: string, over: Record<string, unknown> = {}) =>
  client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hello', statusCallback, ...over })

const valid = (r: { headers: Record<string, unknown>; url: string; params: Record<string, string> }) =>
  twilio.validateRequest(DEFAULT_AUTH_TOKEN, r.headers['x-twilio-signature'] as string, r.url, r.params)

describe('scenarios on callbacks', () => {
  it('duplicates each callback', async () => {
    double.scenarios.use({ then: { duplicateCallbacks: true } })
    await send(`${receiver.base}/dup`)
    await double.settle()
    expect(receiver.received.map((r) => r.params.MessageStatus)).toEqual([
      'sent',
      'sent',
      'delivered',
      'delivered',
    ])
    expect(receiver.received.every(valid)).toBe(true)
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body)
  })

  it('delivers the callbacks in reverse order once the final status is reached', async () => {
    double.scenarios.use({ then: { reorderCallbacks: true, deliver: 'undelivered', errorCode: 30005 } })
    const m = await send(`${receiver.base}/reorder`, {
      messagingServiceSid: 'MG00000000000000000000000000000001',
      from: undefined,
    })
    await double.advance('3s')
    expect(receiver.received).toEqual([])
    expect(double.messages.get(m.sid)?.status).toBe('sent')
    await double.settle()
    expect(receiver.received.map((r) => [r.params.MessageStatus, r.params.ErrorCode])).toEqual([
      ['undelivered', '30005'],
      ['sent', undefined],
      ['queued', undefined],
    ])
    expect(receiver.received.every(valid)).toBe(true)
  })

  it('tampers the signature so that validateRequest rejects it', async () => {
    double.scenarios.use({ then: { tamperSignature: true } })
    await send(`${receiver.base}/tampered`)
    await double.settle()
    expect(receiver.received).toHaveLength(2)
    for (const r of receiver.received) {
      expect(r.headers['x-twilio-signature']).toMatch(/^[A-Za-z0-9+/]{27}=$/)
      expect(valid(r)).toBe(false)
    }
  })

  it('tampers the signature so that the express webhook() middleware answers 403', async () => {
    const app = express()
    app.use(express.urlencoded({ extended: false }))
    const passed: string[] = []
    app.post('/hook', twilio.webhook(DEFAULT_AUTH_TOKEN), (req, res) => {
      passed.push(req.body.MessageStatus)
      res.end()
    })
    const listener = app.listen(0, '127.0.0.1')
    await new Promise<void>((r) => listener.once('listening', () => r()))
    const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
    try {
      double.scenarios.use({ when: { body: 'tampered' }, then: { tamperSignature: true } })
      const bad = await send(`${base}/hook`, { body: 'tampered' })
      const good = await send(`${base}/hook`, { body: 'genuine', from: '+15550009999' })
      await double.settle()
      expect(double.callbacks.list({ messageSid: bad.sid }).map((d) => d.responseStatus)).toEqual([403, 403])
      expect(double.callbacks.list({ messageSid: good.sid }).map((d) => d.responseStatus)).toEqual([200, 200])
      expect(passed).toEqual(['sent', 'delivered'])
    } finally {
      listener.closeAllConnections()
      await new Promise((r) => listener.close(r))
    }
  })

  it('scripts per-step delays that show in the callback times', async () => {
    double.scenarios.use({ then: { delays: { queued: '1m', sending: '10s', sent: '2m' } } })
    await send(`${receiver.base}/timed`)
    await double.settle()
    expect(double.callbacks.list().map((d) => [d.status, new Date(d.at).toISOString()])).toEqual([
      ['sent', '2024-01-01T00:01:10.000Z'],
      ['delivered', '2024-01-01T00:03:10.000Z'],
    ])
  })
})

describe('in-process handlers', () => {
  it('receives the callbacks of a URL prefix without any HTTP, signed the same way', async () => {
    const got: { url: string; params: Record<string, string>; signature: string }[] = []
    double.callbacks.handle('https://app.example.com/', async (request) => {
      got.push({
        url: request.url,
        params: Object.fromEntries(new URLSearchParams(await request.text())),
        signature: request.headers.get('x-twilio-signature') ?? '',
      })
      return new Response('<Response/>', { status: 200, headers: { 'content-type': 'text/xml' } })
    })
    const m = await send('https://app.example.com/twilio/status')
    await double.settle()
    expect(got.map((g) => g.params.MessageStatus)).toEqual(['sent', 'delivered'])
    for (const g of got)
      expect(twilio.validateRequest(DEFAULT_AUTH_TOKEN, g.signature, g.url, g.params)).toBe(true)
    expect(double.callbacks.list({ messageSid: m.sid })[0]).toMatchObject({
      responseStatus: 200,
      responseBody: '<Response/>',
      responseContentType: 'text/xml',
    })
    expect(receiver.received).toEqual([])
  })
})

describe('failing endpoints never crash or hang a test', () => {
  it('records a 500 answer and the configured retry', async () => {
    receiver.answer(() => ({ status: 500, body: 'oops' }))
    const m = await send(`${receiver.base}/fails`)
    await double.settle()
    expect(double.messages.get(m.sid)?.status).toBe('delivered')
    expect(
      double.callbacks.list().map((d) => [d.status, d.attempt, d.responseStatus, d.responseBody]),
    ).toEqual([
      ['sent', 1, 500, 'oops'],
      ['sent', 2, 500, 'oops'],
      ['delivered', 1, 500, 'oops'],
      ['delivered', 2, 500, 'oops'],
    ])
  })

  it('records an unreachable endpoint as an error', async () => {
    const gone = await startReceiver()
    const url = `${gone.base}/gone`
    await gone.close()
    const m = await send(url)
    await double.settle()
    expect(double.messages.get(m.sid)?.status).toBe('delivered')
    const list = double.callbacks.list()
    expect(list).toHaveLength(4)
    for (const d of list) {
      expect(d.responseStatus).toBeUndefined()
      expect(d.error).toMatch(/fetch failed|ECONNREFUSED/)
    }
  })

  it('times out an endpoint that never answers', async () => {
    receiver.answer(() => 'hang')
    const impatient = createTwilioDouble({ callbacks: { timeoutMs: 200 } })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: impatient.httpClient() as never,
    })
    const started = Date.now()
    await direct.messages.create({
      from: DEFAULT_FROM,
      to: '+15550001111',
      body: 'Hi',
      statusCallback: `${receiver.base}/hangs`,
    })
    await impatient.settle()
    expect(impatient.messages.list()[0]?.status).toBe('delivered')
    expect(impatient.callbacks.list().map((d) => [d.status, d.error])).toEqual([
      ['sent', 'timed out after 200 ms'],
      ['delivered', 'timed out after 200 ms'],
    ])
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('records an in-process handler that throws', async () => {
    double.callbacks.handle('https://broken.example.com/', () => {
      throw new Error('handler bug')
    })
    await send('https://broken.example.com/status')
    await double.settle()
    expect(double.callbacks.list().map((d) => d.error)).toEqual(Array(4).fill('handler bug'))
  })

  it('is reached through msw handlers when the test defines them', async () => {
    const { http, HttpResponse } = await import('msw')
    const posted: string[] = []
    server.use(
      http.post('https://hooks.example.net/status', async ({ request }) => {
        posted.push(new URLSearchParams(await request.text()).get('MessageStatus')!)
        return new HttpResponse(null, { status: 204 })
      }),
    )
    await send('https://hooks.example.net/status')
    await double.settle()
    expect(posted).toEqual(['sent', 'delivered'])
    expect(double.callbacks.list().map((d) => d.responseStatus)).toEqual([204, 204])
  })
})
