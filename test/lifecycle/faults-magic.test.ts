/**
 * HTTP faults, network errors and latency from scenarios, the client's autoRetry on 429, and Twilio's
 * test-credential magic numbers, through the real `twilio` client and msw.
 */
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { mswFor } from './support.js'

let double: TwilioDouble
let server: ReturnType<typeof mswFor>
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

beforeAll(() => {
  double = createTwilioDouble({ startTime: DEFAULT_START_TIME })
  server = mswFor(double)
})
afterEach(() => double.reset())
afterAll(() => server.close())

const send = (over: Record<string, unknown> = {}, c: twilio.Twilio = client) =>
  c.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hello', ...over })

async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p
  } catch (err) {
    return err as Record<string, unknown>
  }
  throw new Error('expected the call to be rejected')
}

describe('faults', () => {
  it("a scenario's then function that throws or gives a bad outcome answers 500 saying what to fix, and creates nothing", async () => {
    double.scenarios.use({
      name: 'flaky carrier',
      when: { to: '+15550001111' },
      then: () => {
        throw new Error('boom')
      },
    })
    expect(await rejection(send())).toMatchObject({
      status: 500,
      code: 20500,
      message: expect.stringMatching(
        /^\[twilio-double\] scenario 'flaky carrier': its 'then' function threw \(boom\); fix it, or return undefined/,
      ),
    })
    double.scenarios.clear()
    double.scenarios.use({ then: () => ({ fault: 404 }) as never })
    expect(await rejection(send())).toMatchObject({
      status: 500,
      code: 20500,
      message: expect.stringContaining('fault'),
    })
    expect(double.messages.count()).toBe(0)
  })

  it("is retried by the client's autoRetry on 429, and the message is created once", async () => {
    const retrying = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { autoRetry: true, maxRetries: 2 })
    double.scenarios.use({ then: { fault: 429, retryAfter: 1 }, times: 2 })
    const m = await send({}, retrying)
    expect(m.status).toBe('queued')
    expect(double.messages.count()).toBe(1)
  })

  it('answers 429 with Retry-After and code 20429 to a client without autoRetry', async () => {
    double.scenarios.use({ then: { fault: 429, retryAfter: 7 }, times: 1 })
    const seen: Response[] = []
    const stop = double.onExchange((_, response) => void seen.push(response))
    expect(await rejection(send())).toMatchObject({ status: 429, code: 20429, message: 'Too Many Requests' })
    stop()
    expect(seen[0]!.headers.get('retry-after')).toBe('7')
    expect((await send()).status).toBe('queued')
  })

  it.each([500, 503] as const)('answers an HTTP %i fault', async (fault) => {
    double.scenarios.use({ then: { fault }, times: 1 })
    expect(await rejection(send())).toMatchObject({ status: fault })
    expect(double.messages.count()).toBe(0)
  })

  it('fails a fetch with a fault on its operation only', async () => {
    const m = await send()
    double.scenarios.use({ when: { operation: 'fetch' }, then: { fault: 503 }, times: 1 })
    expect(await rejection(client.messages(m.sid).fetch())).toMatchObject({ status: 503 })
    expect((await client.messages(m.sid).fetch()).sid).toBe(m.sid)
  })

  it('fails the request at the network level', async () => {
    double.scenarios.use({ then: { networkError: true }, times: 1 })
    const err = await rejection(send())
    expect(err).toBeInstanceOf(Error)
    expect(err.status).toBeUndefined()
    expect(double.messages.count()).toBe(0)
  })

  it('adds latency in virtual time: the clock moves while the call runs', async () => {
    double.scenarios.use({ then: { latency: '3s' }, times: 1 })
    const m = await send()
    expect(m.dateCreated.toISOString()).toBe('2024-01-01T00:00:03.000Z')
    expect(double.now().toISOString()).toBe('2024-01-01T00:00:03.000Z')
  })

  it('combines latency with a rejection', async () => {
    double.scenarios.use({ then: { latency: '2s', reject: 21611 }, times: 1 })
    expect(await rejection(send())).toMatchObject({ code: 21611 })
    expect(double.now().toISOString()).toBe('2024-01-01T00:00:02.000Z')
  })

  it('applies a seeded probability the same way in two doubles with the same seed', async () => {
    const run = async () => {
      const d = createTwilioDouble({ seed: 'flaky' })
      const c = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: d.httpClient() as never })
      d.scenarios.use({ then: { fault: 503 }, probability: 0.5 })
      const out: string[] = []
      for (let i = 0; i < 12; i++)
        out.push(
          await send({}, c).then(
            (m) => m.sid,
            () => 'fault',
          ),
        )
      return out
    }
    const a = await run()
    expect(await run()).toEqual(a)
    expect(a).toContain('fault')
    expect(a.some((x) => x.startsWith('SM'))).toBe(true)
  })
})

describe('magic numbers', () => {
  it.each([
    ['From', '+15005550001', 21212],
    ['From', '+15005550007', 21606],
    ['From', '+15005550008', 21611],
    ['To', '+15005550001', 21211],
    ['To', '+15005550002', 21612],
    ['To', '+15005550003', 21408],
    ['To', '+15005550004', 21610],
    ['To', '+15005550009', 21614],
  ])('%s %s answers %i', async (param, value, code) => {
    const err = await rejection(send(param === 'From' ? { from: value } : { to: value }))
    expect(err).toMatchObject({ status: 400, code, moreInfo: `https://www.twilio.com/docs/errors/${code}` })
    expect(double.messages.count()).toBe(0)
  })

  it('passes From +15005550006', async () => {
    expect((await send({ from: '+15005550006' })).status).toBe('queued')
  })

  it('is off with magicNumbers: false', async () => {
    const plain = createTwilioDouble({ magicNumbers: false })
    const c = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: plain.httpClient() as never })
    for (const to of ['+15005550002', '+15005550003', '+15005550004', '+15005550009'])
      expect((await send({ to }, c)).status).toBe('queued')
    expect((await send({ from: '+15005550008' }, c)).status).toBe('queued')
  })
})
