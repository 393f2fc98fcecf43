/**
 * Each account is a tenant: its own store, scenarios, numbers and opt-outs, sender queues, callbacks and virtual
 * clock. What one tenant does (create, advance, settle, reset, STOP) is not seen by another; what the double does
 * without naming an account (its scenarios, advance, settle, reset) reaches them all.
 */
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import {
  type CreateTwilioDoubleOptions,
  createTwilioDouble,
  type TwilioDouble,
  tenantsOf,
} from '../../src/double.js'
import { toHaveSentMessage, toHaveSentMessages } from '../../src/testing/matchers.js'
import { heapAfterGc } from '../reliability/support/load.js'

const TO = '+15558675310'
const HOUR = 3_600_000

async function setup(options: CreateTwilioDoubleOptions = {}) {
  const double = createTwilioDouble({ startTime: DEFAULT_START_TIME, ...options })
  const httpClient = double.httpClient() as never
  const main = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient })
  const make = async (name: string) => {
    const account = await main.api.v2010.accounts.create({ friendlyName: name })
    return { sid: account.sid, client: twilio(account.sid, account.authToken, { httpClient }) }
  }
  return { double, main, a: await make('a'), b: await make('b') }
}

type Sender = Awaited<ReturnType<typeof setup>>['a']

/**
 * What each of `count` creates of account `a` to TO gives ('sent' or the error code), joined by spaces, with `noise`
 * creates of account `b` before each.
 */
async function outcomes(a: Sender, b: Sender, count: number, noise: number): Promise<string> {
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < noise; j++)
      await b.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'n' }).catch(() => undefined)
    out.push(
      await a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' }).then(
        () => 'sent',
        (err: { code?: number }) => String(err.code),
      ),
    )
  }
  return out.join(' ')
}

function sids(double: TwilioDouble, accountSid?: string): string[] {
  return double.messages.list(accountSid ? { accountSid } : {}).map((m) => m.sid!)
}

describe('a tenant per account', () => {
  it("keeps each subaccount's messages to itself, through the API and the inspection helpers", async () => {
    const { double, a, b } = await setup()
    const ma = await a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'to a' })
    const mb = await b.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'to b' })
    expect((await a.client.messages.list()).map((m) => m.sid)).toEqual([ma.sid])
    expect((await b.client.messages.list()).map((m) => m.sid)).toEqual([mb.sid])
    await expect(a.client.messages(mb.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 })
    expect(
      double
        .tenant(a.sid)
        .messages.list()
        .map((m) => m.sid),
    ).toEqual([ma.sid])
    expect(double.tenant(a.sid).messages.get(mb.sid)).toBeUndefined()
    // the double itself sees every account's messages
    expect(sids(double).sort()).toEqual([ma.sid, mb.sid].sort())
    expect(double.messages.get(mb.sid)?.account_sid).toBe(b.sid)
    // the matchers take a tenant as they take a double
    expect(toHaveSentMessage.call({}, double.tenant(a.sid), { body: 'to a' }).pass).toBe(true)
    expect(toHaveSentMessage.call({}, double.tenant(a.sid), { body: 'to b' }).pass).toBe(false)
    expect(toHaveSentMessages.call({}, double, 2).pass).toBe(true)
  })

  it("applies a tenant's scenarios to it alone, and the double's to every account", async () => {
    const { double, main, a, b } = await setup()
    double.tenant(a.sid).scenarios.use({ when: { to: TO }, then: { reject: 21610 } })
    await expect(a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })).rejects.toMatchObject({
      code: 21610,
    })
    await expect(b.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })).resolves.toBeDefined()
    await expect(main.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })).resolves.toBeDefined()
    expect(double.tenant(a.sid).scenarios.list()).toHaveLength(1)
    expect(double.tenant(b.sid).scenarios.list()).toHaveLength(0)

    double.scenarios.use({ when: { body: 'all' }, then: { reject: 21612 } })
    for (const client of [main, a.client, b.client])
      await expect(
        client.messages.create({ from: DEFAULT_FROM, to: '+15550009999', body: 'all' }),
      ).rejects.toMatchObject({
        code: 21612,
      })
    // the tenant's own scenario wins over the double's
    double.tenant(b.sid).scenarios.use({ when: { body: 'all' }, then: { reject: 21614 } })
    await expect(
      b.client.messages.create({ from: DEFAULT_FROM, to: '+15550009999', body: 'all' }),
    ).rejects.toMatchObject({
      code: 21614,
    })
    // clearing the double's scenarios clears every tenant's too
    double.scenarios.clear()
    await expect(a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'all' })).resolves.toBeDefined()
  })

  it("moves a tenant's clock alone; the double's advance moves every clock and keeps their offsets", async () => {
    const { double, a, b } = await setup()
    const ma = await a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })
    const mb = await b.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })
    await double.tenant(a.sid).advance('1h')
    expect(double.tenant(a.sid).now().getTime()).toBe(DEFAULT_START_TIME + HOUR)
    expect(double.tenant(b.sid).now().getTime()).toBe(DEFAULT_START_TIME)
    expect(double.now().getTime()).toBe(DEFAULT_START_TIME)
    expect(double.messages.get(ma.sid)?.status).toBe('delivered')
    expect(double.messages.get(mb.sid)?.status).toBe('queued')

    await double.advance('30m')
    expect(double.tenant(a.sid).now().getTime()).toBe(DEFAULT_START_TIME + 1.5 * HOUR)
    expect(double.tenant(b.sid).now().getTime()).toBe(DEFAULT_START_TIME + 0.5 * HOUR)
    expect(double.messages.get(mb.sid)?.status).toBe('delivered')
    // dates a tenant writes are its own clock's
    const later = await a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'later' })
    expect(later.dateCreated.getTime()).toBe(DEFAULT_START_TIME + 1.5 * HOUR)
  })

  it('settles and resets a tenant alone; the double settles and resets them all (accounts stay)', async () => {
    const { double, main, a, b } = await setup()
    const ma = await a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })
    const mb = await b.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })
    const mm = await main.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })
    await double.tenant(a.sid).settle()
    expect(double.messages.get(ma.sid)?.status).toBe('delivered')
    expect(double.messages.get(mb.sid)?.status).toBe('queued')
    expect(double.messages.get(mm.sid)?.status).toBe('queued')

    await double.tenant(a.sid).advance('2h')
    double.tenant(a.sid).reset()
    expect(sids(double, a.sid)).toEqual([])
    expect(double.tenant(a.sid).now().getTime()).toBe(DEFAULT_START_TIME)
    expect(sids(double, b.sid)).toEqual([mb.sid])
    expect(sids(double, DEFAULT_ACCOUNT_SID)).toEqual([mm.sid])

    await double.settle()
    expect(double.messages.get(mb.sid)?.status).toBe('delivered')
    expect(double.messages.get(mm.sid)?.status).toBe('delivered')
    double.reset()
    expect(double.messages.count()).toBe(0)
    // the subaccounts stay, each with a fresh state
    await expect(
      a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'again' }),
    ).resolves.toBeDefined()
    expect(sids(double, a.sid)).toHaveLength(1)
  })

  it("gives each tenant its own sender queues: one account's backlog answers 429 to it alone", async () => {
    const { a, b, main } = await setup({ maxQueueSeconds: 3 })
    for (let i = 0; i < 3; i++) await a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: `${i}` })
    await expect(
      a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'full' }),
    ).rejects.toMatchObject({
      status: 429,
      code: 20429,
    })
    await expect(b.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'b' })).resolves.toBeDefined()
    await expect(main.messages.create({ from: DEFAULT_FROM, to: TO, body: 'main' })).resolves.toBeDefined()
  })

  it("keeps each tenant's opt-outs and messaging services: a STOP to one account's number blocks only it", async () => {
    const { double, a, b } = await setup()
    const stop = await double.tenant(a.sid).inbound({ from: TO, to: DEFAULT_FROM, body: 'STOP' })
    expect(stop.message.account_sid).toBe(a.sid)
    await expect(a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })).rejects.toMatchObject({
      code: 21610,
    })
    await expect(
      b.client.messages.create({ messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID, to: TO, body: 'x' }),
    ).resolves.toMatchObject({ accountSid: b.sid })
    // without an account, an inbound message goes to the first account that has the number
    const hello = await double.inbound({ from: TO, to: DEFAULT_FROM, body: 'hello' })
    expect(hello.message.account_sid).toBe(DEFAULT_ACCOUNT_SID)
  })

  it("records each tenant's callbacks apart; the double's receivers reach tenants made later", async () => {
    const { double, main, a } = await setup()
    const seen: string[] = []
    double.callbacks.handle('https://app.test/', (request) => {
      seen.push(new URL(request.url).pathname)
      return new Response(null, { status: 204 })
    })
    const created = await main.api.v2010.accounts.create({ friendlyName: 'later' })
    const later = twilio(created.sid, created.authToken, { httpClient: double.httpClient() as never })
    await later.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      body: 'x',
      statusCallback: 'https://app.test/later',
    })
    await a.client.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      body: 'x',
      statusCallback: 'https://app.test/a',
    })
    await double.settle()
    expect(new Set(seen)).toEqual(new Set(['/later', '/a']))
    expect(
      double
        .tenant(a.sid)
        .callbacks.list()
        .every((d) => d.accountSid === a.sid),
    ).toBe(true)
    expect(double.tenant(a.sid).callbacks.list().length).toBeGreaterThan(0)
    expect(double.callbacks.list().length).toBe(
      double.tenant(a.sid).callbacks.list().length + double.tenant(created.sid).callbacks.list().length,
    )
  })

  it('frees a closed account: the registry drops its state, and nothing of it is listed or reachable', async () => {
    const { double, main, a, b } = await setup()
    await a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })
    const registry = tenantsOf(double)!
    const before = registry.tenant(a.sid)!
    expect(registry.tenants()).toContain(before)
    await main.api.v2010.accounts(a.sid).update({ status: 'closed' })
    expect(registry.tenant(a.sid)).toBeUndefined()
    expect(registry.backendOf(a.sid)).toBeUndefined()
    expect(registry.tenants()).not.toContain(before)
    expect(registry.tenants()).toHaveLength(2)
    expect(sids(double, a.sid)).toEqual([])
    expect(() => double.tenant(a.sid)).toThrow(/account AC[0-9a-f]{32} is closed/)
    // the others are untouched; a reset does not bring it back
    await expect(b.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'b' })).resolves.toBeDefined()
    double.reset()
    expect(registry.tenant(a.sid)).toBeUndefined()
    expect(registry.get(a.sid)?.status).toBe('closed')
  })

  it("lets the collector take a closed tenant's state, a receiver of the whole double notwithstanding", async () => {
    const { double, main, a } = await setup()
    await a.client.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      body: 'x',
      statusCallback: 'https://app.test/s',
    })
    const stop = double.callbacks.handle('https://app.test/', () => new Response(null, { status: 204 }))
    const tenant = new WeakRef(tenantsOf(double)!.tenant(a.sid)!)
    await main.api.v2010.accounts(a.sid).update({ status: 'closed' })
    // a turn of the event loop: the WeakRef made above no longer holds its target
    await new Promise((resolve) => setTimeout(resolve, 0))
    heapAfterGc()
    expect(tenant.deref()).toBeUndefined()
    stop()
  })

  it('makes each declared account a tenant of its own', async () => {
    const other = `AC${'b'.repeat(32)}`
    const double = createTwilioDouble({
      startTime: DEFAULT_START_TIME,
      accounts: [
        { sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN },
        { sid: other, authToken: 'other-token' },
      ],
    })
    await double.tenant(other).advance('1h')
    expect(double.now().getTime()).toBe(DEFAULT_START_TIME)
    expect(double.tenant(other).now().getTime()).toBe(DEFAULT_START_TIME + HOUR)
    expect(double.backend).toBe(double.tenant(DEFAULT_ACCOUNT_SID).backend)
    expect(double.backend).not.toBe(double.tenant(other).backend)
    expect(() => double.tenant(`AC${'c'.repeat(32)}`)).toThrow(/no account AC[c]{32}/)
  })

  it('draws the same subaccount and message SIDs from the same seed, whatever the other tenants do', async () => {
    const run = async (noise: boolean) => {
      const { a, b } = await setup({ seed: 'tenants' })
      if (noise)
        for (let i = 0; i < 3; i++) await b.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'n' })
      const m = await a.client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })
      return [a.sid, b.sid, m.sid]
    }
    expect(await run(true)).toEqual(await run(false))
  })

  it("draws a scenario's probability from each account's own generator: another account's traffic changes none of its picks", async () => {
    /** Which of 16 creates of account a a double-wide rule of probability 0.5 refuses, with `noise` creates of b before each. */
    const picks = async (noise: number, seed = 'flaky') => {
      const { double, a, b } = await setup({ seed })
      double.scenarios.use({ when: { to: TO }, then: { reject: 21610 }, probability: 0.5 })
      return outcomes(a, b, 16, noise)
    }
    const alone = await picks(0)
    expect(alone).toContain('21610')
    expect(alone).toContain('sent')
    expect(await picks(1)).toBe(alone)
    expect(await picks(3)).toBe(alone)
    // seeded from the double's seed and the account: the same seed repeats them, another draws others
    expect(await picks(0)).toBe(alone)
    expect(await picks(0, 'other seed')).not.toBe(alone)
  })

  it("draws for a tenant's own probability scenarios and the double's behind them from its generator, which its reset restarts", async () => {
    const { double, a, b } = await setup({ seed: 'flaky' })
    const draw = async (noise: number) => {
      double.tenant(a.sid).scenarios.use({ then: { reject: 21610 }, probability: 0.5 })
      const out = await outcomes(a, b, 12, noise)
      double.tenant(a.sid).reset()
      return out
    }
    double.scenarios.use({ when: { to: TO }, then: { reject: 21612 }, probability: 0.5 })
    const first = await draw(0)
    expect(first).toContain('sent')
    expect(await draw(2)).toBe(first)
  })
})
