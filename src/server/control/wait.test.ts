import twilio from 'twilio'
import { beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM, DEFAULT_START_TIME } from '../../config.js'
import { createTwilioDouble, type TwilioDouble } from '../../double.js'
import { type ControlApi, createControlApi } from './index.js'

let double: TwilioDouble
let control: ControlApi
let client: ReturnType<typeof twilio>

beforeEach(() => {
  // a fixed start on whole seconds: the test names times
  double = createTwilioDouble({ startTime: DEFAULT_START_TIME })
  control = createControlApi(double)
  client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
})

const get = (path: string) => control.handle(new Request(`http://127.0.0.1/__double${path}`))
const wait = (query: string) => get(`/messages/wait?${query}`)
const send = (to: string, body: string) => client.messages.create({ to, from: DEFAULT_FROM, body })
/** Lets the control API read the request and start listening (no real time passes). */
const turn = () => new Promise((resolve) => setImmediate(resolve))

/** A pending answer, with whether it has arrived yet. */
function pending(answer: Promise<Response>) {
  const state = { done: false, answer }
  answer.then(() => {
    state.done = true
  })
  return state
}

describe('GET /__double/messages/wait', () => {
  it('answers a message created while it waits, with its codes and links', async () => {
    const waiting = pending(wait('to=%2B15558675310'))
    await turn()
    expect(waiting.done).toBe(false)
    await send('+15550000000', 'Your code is 111111') // another number: still waiting
    await turn()
    expect(waiting.done).toBe(false)
    const sent = await send('+15558675310', 'Your Acme code is 482913. Or tap https://acme.test/l/x9')
    const res = await waiting.answer
    expect(res.status).toBe(200)
    const { message } = await res.json()
    expect(message).toMatchObject({
      sid: sent.sid,
      to: '+15558675310',
      body: 'Your Acme code is 482913. Or tap https://acme.test/l/x9',
      codes: ['482913'],
      links: ['https://acme.test/l/x9'],
    })
  })

  it('without after, answers the newest stored match at once', async () => {
    await send('+15558675310', 'first 1111')
    const second = await send('+15558675310', 'second 2222')
    const { message } = await (await wait('to=%2B15558675310')).json()
    expect(message.sid).toBe(second.sid)
  })

  it('with after a SID, answers the next message after it, skipping none, then waits for the next one', async () => {
    const [a, b, c] = [
      await send('+15558675310', 'a'),
      await send('+15558675310', 'b'),
      await send('+15558675310', 'c'),
    ]
    expect((await (await wait(`to=%2B15558675310&after=${a.sid}`)).json()).message.sid).toBe(b.sid)
    expect((await (await wait(`to=%2B15558675310&after=${b.sid}`)).json()).message.sid).toBe(c.sid)
    const next = pending(wait(`to=%2B15558675310&after=${c.sid}`))
    await turn()
    expect(next.done).toBe(false)
    const d = await send('+15558675310', 'd')
    expect((await (await next.answer).json()).message.sid).toBe(d.sid)
  })

  it('with after a time, answers a message created after it (virtual time)', async () => {
    const early = await send('+15558675310', 'early')
    await double.advance('5s')
    const late = await send('+15558675310', 'late')
    const after = encodeURIComponent(early.dateCreated.toUTCString())
    expect((await (await wait(`to=%2B15558675310&after=${after}`)).json()).message.sid).toBe(late.sid)
    const iso = encodeURIComponent('2024-01-01T00:00:06Z')
    expect((await wait(`to=%2B15558675310&after=${iso}&timeout=0s`)).status).toBe(408)
  })

  it('serves several waiters at once, each with its own message; from and body filter too', async () => {
    const toA = pending(wait('to=%2B15550000001'))
    const toB = pending(wait('to=%2B15550000002'))
    const fromUs = pending(wait(`from=${encodeURIComponent(DEFAULT_FROM)}&body=WELCOME`))
    const pattern = pending(wait(`body=${encodeURIComponent('/code:? [A-Z0-9]{6}$/')}`))
    await turn()
    const b = await send('+15550000002', 'for B')
    const a = await send('+15550000001', 'for A')
    await turn()
    expect([toA.done, toB.done, fromUs.done, pattern.done]).toEqual([true, true, false, false])
    const welcome = await send('+15550000003', 'Welcome aboard')
    const coded = await send('+15550000004', 'Your code: AB12CD')
    const sids = await Promise.all(
      [toA, toB, fromUs, pattern].map(async (w) => (await (await w.answer).json()).message.sid),
    )
    expect(sids).toEqual([a.sid, b.sid, welcome.sid, coded.sid])
  })

  it('answers an inbound message too', async () => {
    const waiting = pending(wait('from=%2B15558675310&body=yes'))
    await turn()
    await double.inbound({ from: '+15558675310', to: DEFAULT_FROM, body: 'YES please' })
    const { message } = await (await waiting.answer).json()
    expect(message).toMatchObject({ direction: 'inbound', body: 'YES please', codes: [], links: [] })
  })

  it('answers 408 after the timeout, saying what it waited for', async () => {
    const res = await wait('to=%2B15558675310&timeout=0s')
    expect(res.status).toBe(408)
    const body = await res.json()
    expect(body.error).toBe('timeout')
    expect(body.message).toContain('no message to +15558675310 arrived within 0 ms')
  })

  it('answers 503 when the server stops while it waits', async () => {
    const waiting = wait('to=%2B15558675310&timeout=60s')
    await turn()
    control.closeStreams()
    expect((await waiting).status).toBe(503)
  })

  it.each([
    ['', 'give at least one of to, from or body'],
    ['to=', 'give at least one of to, from or body'],
    ['to=%2B15558675310&timeout=61s', 'timeout must be at most 60s'],
    ['to=%2B15558675310&timeout=30', 'timeout must be a duration with its unit'],
    ['to=%2B15558675310&timeout=soon', 'timeout must be a duration with its unit'],
    ['to=%2B15558675310&after=yesterday', 'after must be a message SID'],
    ['to=%2B15558675310&after=SM123', 'after must be a message SID'],
    ['to=%2B15558675310&after=SM0123456789abcdef0123456789abcdef', 'no stored message has the SID'],
    ['body=%2F(%2F', 'is not a valid pattern'],
    ['to=%2B15558675310&sid=SM1', "unknown query parameter 'sid'"],
  ])('refuses ?%s with 400 saying what to fix', async (query, message) => {
    const res = await wait(query)
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error).toBe('bad_request')
    expect(body.message).toContain(message)
  })
})

describe('GET /__double/messages/wait across accounts', () => {
  const TO = '+15558675310'
  const query = (sid?: string) => `to=%2B15558675310${sid ? `&after=${sid}` : ''}`
  const answered = async (res: Promise<Response>) => (await (await res).json()).message.sid
  /** A subaccount of the default account, and a way to send from it. */
  const subaccount = async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'second' })
    const c = twilio(sub.sid, sub.authToken, { httpClient: double.httpClient() })
    return { sid: sub.sid, send: (body: string) => c.messages.create({ to: TO, from: DEFAULT_FROM, body }) }
  }

  it('with after a SID and no account, answers the next message of any account after it, skipping none', async () => {
    const other = await subaccount()
    // the subaccount's first messages come before the default account's, which counts its own from one
    for (const body of ['o1', 'o2', 'o3']) await other.send(body)
    const m1 = await send(TO, 'm1')
    const o4 = await other.send('o4')
    const m2 = await send(TO, 'm2')
    expect(await answered(wait(query(m1.sid)))).toBe(o4.sid)
    expect(await answered(wait(query(o4.sid)))).toBe(m2.sid)
    const next = pending(wait(query(m2.sid)))
    await turn()
    expect(next.done).toBe(false)
    const o5 = await other.send('o5')
    expect(await answered(next.answer)).toBe(o5.sid)
  })

  it('without after and no account, answers the newest stored match of any account', async () => {
    const other = await subaccount()
    for (const body of ['m1', 'm2', 'm3']) await send(TO, body)
    const o1 = await other.send('o1')
    expect(await answered(wait(query()))).toBe(o1.sid)
    const m4 = await send(TO, 'm4')
    expect(await answered(wait(query()))).toBe(m4.sid)
  })

  it("with after a time and no account, reads it on the double's clock, whichever account's clock leads or lags", async () => {
    const other = await subaccount()
    /** The double's time, as the health endpoint tells it (the time a test reads before it acts). */
    const doubleNow = async () => encodeURIComponent((await (await get('/health')).json()).now)
    await double.tenant(other.sid).advance('1h') // the subaccount's clock leads the double's by an hour
    await other.send('early') // 01:00:00 on its clock, 00:00:00 on the double's
    await double.advance('5s') // every clock
    const since = await doubleNow() // 00:00:05
    expect((await wait(`${query()}&after=${since}&timeout=0s`)).status).toBe(408)
    await double.advance('1s')
    const late = await other.send('late') // 01:00:06 on its clock, 00:00:06 on the double's
    expect(await answered(wait(`${query()}&after=${since}`))).toBe(late.sid)
    // with the account named, a time is read on that account's own clock
    const ownClock = encodeURIComponent('2024-01-01T01:00:05Z')
    expect(await answered(get(`/messages/wait?${query()}&after=${ownClock}&account=${other.sid}`))).toBe(
      late.sid,
    )

    await double.tenant(DEFAULT_ACCOUNT_SID).advance('2h') // now the subaccount's clock lags by an hour
    const later = await doubleNow() // 02:00:06
    expect((await wait(`${query()}&after=${later}&timeout=0s`)).status).toBe(408)
    await double.advance('1s')
    const lagging = await other.send('lagging') // 01:00:07 on its clock, 02:00:07 on the double's
    expect(await answered(wait(`${query()}&after=${later}`))).toBe(lagging.sid)
    const m1 = await send(TO, 'm1') // the double's own account, on the double's clock
    expect(await answered(wait(query(lagging.sid)))).toBe(m1.sid)
  })

  it("with after a time and no account, still tells older messages from newer ones after a reset of the double's own account alone", async () => {
    const other = await subaccount()
    const doubleNow = async () => encodeURIComponent((await (await get('/health')).json()).now)
    await double.advance('1h') // every clock: 01:00:00
    const before = await other.send('before the reset') // made an hour into the double's clock
    const reset = await control.handle(
      new Request(`http://127.0.0.1/__double/reset?account=${DEFAULT_ACCOUNT_SID}`, { method: 'POST' }),
    )
    expect(reset.status).toBe(200)
    const since = await doubleNow() // the double's clock is back at its start: 00:00:00
    expect(decodeURIComponent(since)).toBe('2024-01-01T00:00:00.000Z')
    // the subaccount's message was made before the reset: it is not after any time the double's clock now reads
    expect((await wait(`${query()}&after=${since}&timeout=0s`)).status).toBe(408)
    await double.advance('1s')
    const m1 = await send(TO, 'after the reset') // 00:00:01 on the double's clock
    expect(await answered(wait(`${query()}&after=${since}`))).toBe(m1.sid)
    const o2 = await other.send('after the reset too') // 01:00:01 on its own clock, 00:00:01 on the double's
    expect(await answered(wait(query(m1.sid)))).toBe(o2.sid)
    expect(await answered(wait(`${query()}&after=${since}&body=too`))).toBe(o2.sid)
    // the subaccount's message is still there, before both
    expect(await answered(wait(query(before.sid)))).toBe(m1.sid)
  })

  it("with an account, answers that account's next message alone", async () => {
    const other = await subaccount()
    const o1 = await other.send('o1')
    await send(TO, 'm1')
    const o2 = await other.send('o2')
    const scoped = (sid: string) => get(`/messages/wait?${query(sid)}&account=${other.sid}`)
    expect(await answered(scoped(o1.sid))).toBe(o2.sid)
    const next = pending(scoped(o2.sid))
    await turn()
    await send(TO, 'm2')
    await turn()
    expect(next.done).toBe(false)
    const o3 = await other.send('o3')
    expect(await answered(next.answer)).toBe(o3.sid)
  })
})

describe('codes and links on every message of the control API', () => {
  it('lists, shows and streams messages with codes and links', async () => {
    const sent = await send('+15558675310', '認証コード：AB12CD https://acme.test/v')
    const expected = { sid: sent.sid, codes: ['AB12CD'], links: ['https://acme.test/v'] }
    expect((await (await get('/messages')).json()).messages[0]).toMatchObject(expected)
    expect((await (await get(`/messages/${sent.sid}`)).json()).message).toMatchObject(expected)

    const events = await get('/events')
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader()
    await double.settle()
    let text = ''
    while (!text.includes('"delivered"')) text += (await reader.read()).value
    await reader.cancel()
    const delivered = text
      .split('\n\n')
      .find((frame) => frame.startsWith('event: message') && frame.includes('"status":"delivered"'))!
    expect(JSON.parse(delivered.slice(delivered.indexOf('data: ') + 6)).message).toMatchObject(expected)
  })
})
