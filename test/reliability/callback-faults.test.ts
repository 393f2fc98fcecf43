/**
 * Faults on the application's side: status callback endpoints that are down, silent past the timeout,
 * failing, or answering garbage. Every attempt is recorded with its error or status, the double keeps
 * answering and its messages reach their final status, and nothing is left unhandled (no-unhandled.ts).
 */
import './no-unhandled.js'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallbackDelivery } from '../../src/callbacks/outbox.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { type BadEndpoints, startBadEndpoints } from './support/bad-endpoints.js'
import { ACCOUNT_A } from './support/doubles.js'
import { recordFigure } from './support/scale.js'

let ep: BadEndpoints
let attemptsRecorded = 0

beforeAll(async () => {
  ep = await startBadEndpoints()
  // The first fetch of a process loads undici (~100 ms on a busy machine); keep it out of the timed runs.
  await (await fetch(ep.mislabeled)).text()
})
afterAll(async () => {
  await ep.close()
  recordFigure('App-side faults', 'failing callback attempts recorded without a crash', attemptsRecorded)
})

const TIMEOUT_MS = 200

/** Sends one message per URL, settles, and returns each message's deliveries. */
async function sendTo(double: TwilioDouble, urls: Record<string, string>) {
  const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
  const sids: Record<string, string> = {}
  let i = 0
  for (const [name, url] of Object.entries(urls)) {
    const m = await client.messages.create({
      from: ACCOUNT_A.from,
      to: `+1555000${String(1000 + i++)}`,
      body: name,
      statusCallback: url,
    })
    sids[name] = m.sid
  }
  const started = performance.now()
  await double.settle()
  const elapsed = performance.now() - started
  const out: Record<string, CallbackDelivery[]> = {}
  for (const [name, sid] of Object.entries(sids)) {
    out[name] = double.callbacks.list({ messageSid: sid })
    expect(double.messages.get(sid)?.status, name).toBe('delivered')
  }
  attemptsRecorded += double.callbacks
    .list()
    .filter((d) => d.error !== undefined || (d.responseStatus ?? 0) >= 300).length
  return { deliveries: out, elapsed }
}

describe('status callbacks to failing endpoints', () => {
  it('that never answer time out after callbacks.timeoutMs, and the messages still complete', async () => {
    const double = createTwilioDouble({ callbacks: { timeoutMs: TIMEOUT_MS } })
    const { deliveries, elapsed } = await sendTo(double, {
      silent: ep.silent,
      stalls: ep.stalls,
      hangs: ep.silent,
    })
    for (const [name, list] of Object.entries(deliveries)) {
      // sent and delivered, one attempt each
      expect(
        list.map((d) => d.status),
        name,
      ).toEqual(['sent', 'delivered'])
      for (const d of list) {
        expect(d.error, name).toBe(`timed out after ${TIMEOUT_MS} ms`)
        expect(d.durationMs, name).toBeGreaterThanOrEqual(TIMEOUT_MS - 1)
        expect(d.durationMs, name).toBeLessThan(TIMEOUT_MS + 2000)
      }
    }
    // deliveries of different messages overlap: 6 timeouts take far less than 6 × the timeout
    expect(elapsed).toBeLessThan(6 * TIMEOUT_MS + 2000)
  })

  it('that are down, fail or answer garbage are recorded with their error or status', async () => {
    // a generous timeout: these endpoints answer (or fail) at once, whatever the load of the machine
    const double = createTwilioDouble({ callbacks: { timeoutMs: 10_000 } })
    const { deliveries } = await sendTo(double, {
      down: ep.down,
      error500: ep.error500,
      garbage: ep.garbage,
      truncated: ep.truncated,
      reset: ep.reset,
      huge: ep.huge,
      mislabeled: ep.mislabeled,
      redirectLoop: ep.redirectLoop,
    })
    for (const [name, list] of Object.entries(deliveries))
      expect(
        list.map((d) => d.status),
        name,
      ).toEqual(['sent', 'delivered'])
    const errors = (name: string) => deliveries[name]!.map((d) => d.error ?? `HTTP ${d.responseStatus}`)
    for (const e of errors('down')) expect(e).toMatch(/ECONNREFUSED/)
    for (const e of errors('error500')) expect(e).toBe('HTTP 500')
    for (const e of errors('garbage')) expect(e).toMatch(/HPE_|parse/i)
    for (const e of errors('truncated')) expect(e).toMatch(/terminated|other side closed|ECONNRESET|UND_ERR/i)
    for (const e of errors('reset')) expect(e).toMatch(/ECONNRESET|socket/i)
    for (const e of errors('redirectLoop')) expect(e).toMatch(/redirect/i)
    for (const d of deliveries.huge!) {
      expect(d.responseStatus).toBe(200)
      expect(d.responseBody!.length).toBeLessThanOrEqual(65_537)
    }
    for (const d of deliveries.mislabeled!) {
      expect(d.responseStatus).toBe(200)
      expect(d.responseContentType).toBe('text/xml')
      expect(d.responseBody).toBe('{"not": "xml"')
    }
  })

  it('are retried on network errors, 5xx and timeouts, each attempt recorded', async () => {
    const double = createTwilioDouble({ callbacks: { timeoutMs: 10_000, retries: 2 } })
    const { deliveries } = await sendTo(double, {
      down: ep.down,
      error500: `${ep.error500}?retries`,
      error503: ep.error503,
    })
    const slow = createTwilioDouble({ callbacks: { timeoutMs: TIMEOUT_MS, retries: 2 } })
    const timedOut = await sendTo(slow, { silent: ep.silent })
    for (const [name, list] of Object.entries({ ...deliveries, ...timedOut.deliveries })) {
      expect(
        list.map((d) => `${d.status}#${d.attempt}`),
        name,
      ).toEqual(['sent#1', 'sent#2', 'sent#3', 'delivered#1', 'delivered#2', 'delivered#3'])
    }
    expect(ep.hits.get('/500?retries')).toBe(6)
    for (const d of deliveries.error503!) expect(d.responseStatus).toBe(503)
    for (const d of timedOut.deliveries.silent!) expect(d.error).toBe(`timed out after ${TIMEOUT_MS} ms`)
  })

  it('to in-process handlers that throw, reject, hang or return garbage are recorded the same way', async () => {
    const double = createTwilioDouble({ callbacks: { timeoutMs: TIMEOUT_MS } })
    double.callbacks.handle('https://app.test/throws', () => {
      throw new Error('handler exploded')
    })
    double.callbacks.handle('https://app.test/rejects', async () => {
      throw new TypeError('handler rejected')
    })
    double.callbacks.handle('https://app.test/hangs', () => new Promise<Response>(() => {}))
    double.callbacks.handle('https://app.test/garbage', () => ({ status: 'nope' }) as unknown as Response)
    double.callbacks.handle('https://app.test/body-fails', () => {
      const body = new ReadableStream({
        pull(controller) {
          controller.error(new Error('body stream broke'))
        },
      })
      return new Response(body, { status: 200 })
    })
    const { deliveries } = await sendTo(double, {
      throws: 'https://app.test/throws',
      rejects: 'https://app.test/rejects',
      hangs: 'https://app.test/hangs',
      garbage: 'https://app.test/garbage',
      bodyFails: 'https://app.test/body-fails',
    })
    const first = (name: string) => deliveries[name]![0]!
    expect(first('throws').error).toMatch(/handler exploded/)
    expect(first('rejects').error).toMatch(/handler rejected/)
    expect(first('hangs').error).toBe(`timed out after ${TIMEOUT_MS} ms`)
    expect(first('garbage').error).toBeDefined()
    expect(first('bodyFails').error).toMatch(/body stream broke/)
    for (const list of Object.values(deliveries)) expect(list).toHaveLength(2)
  })

  it('never stop the API: the double answers while deliveries are failing', async () => {
    const double = createTwilioDouble({ callbacks: { timeoutMs: TIMEOUT_MS } })
    const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
    const created = []
    for (let i = 0; i < 20; i++)
      created.push(
        await client.messages.create({
          from: ACCOUNT_A.from,
          to: `+1555000${2000 + i}`,
          body: 'x',
          statusCallback: i % 2 ? ep.silent : ep.down,
        }),
      )
    await double.advance('10s')
    // deliveries are in flight (the silent endpoint holds them); the API still answers at once
    const page = await client.messages.list({ limit: 50 })
    expect(page).toHaveLength(20)
    await double.settle()
    expect(double.messages.list().every((m) => m.status === 'delivered')).toBe(true)
    expect(double.callbacks.list()).toHaveLength(40)
    expect(double.callbacks.list().every((d) => d.error !== undefined)).toBe(true)
  })

  it('inbound webhooks to failing endpoints are recorded, reported as Twilio errors, and never throw', async () => {
    const endpoints: Record<string, string> = {
      '+15017120001': ep.down,
      '+15017120002': ep.silent,
      '+15017120003': ep.error500,
      '+15017120004': ep.garbage,
      '+15017120005': ep.mislabeled,
      '+15017120006': ep.huge,
      '+15017120007': ep.redirectLoop,
    }
    const double = createTwilioDouble({
      callbacks: { timeoutMs: TIMEOUT_MS },
      accounts: [
        {
          sid: ACCOUNT_A.sid,
          authToken: ACCOUNT_A.authToken,
          phoneNumbers: Object.entries(endpoints).map(([number, smsUrl]) => ({ number, smsUrl })),
        },
      ],
    })
    const results = await Promise.all(
      Object.keys(endpoints).map((to, i) => double.inbound({ from: `+1555000${5000 + i}`, to, body: 'hi' })),
    )
    await double.settle()
    for (const [i, r] of results.entries()) {
      const label = Object.values(endpoints)[i]!
      expect(r.message.status, label).toBe('received')
      expect(r.deliveries.length, label).toBeGreaterThanOrEqual(1)
      expect(r.errors.length, `${label}: ${JSON.stringify(r.errors)}`).toBeGreaterThan(0)
      expect(r.replies, label).toEqual([])
    }
    // down, silent, 500, not HTTP, redirect loop: HTTP retrieval failure
    for (const i of [0, 1, 2, 3, 6])
      expect(
        results[i]!.errors.map((e) => e.code),
        Object.values(endpoints)[i],
      ).toContain(11200)
    expect(double.callbacks.list({ kind: 'inbound' }).length).toBe(
      results.reduce((n, r) => n + r.deliveries.length, 0),
    )
    expect(double.messages.count()).toBe(7)
  })

  it('with a real clock: a reset while deliveries hang drops them without a crash', async () => {
    const double = createTwilioDouble({ clock: 'real', callbacks: { timeoutMs: TIMEOUT_MS } })
    const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
    await client.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550003000',
      body: 'x',
      statusCallback: ep.silent,
    })
    await double.settle()
    double.reset()
    expect(double.messages.list()).toEqual([])
    await double.settle()
    expect(double.callbacks.list()).toEqual([])
  })
})
