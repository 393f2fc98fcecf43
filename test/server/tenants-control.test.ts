/**
 * The control API scoped to one account (`?account=AC…` or `X-Twilio-Double-Account`): every read and state change
 * acts on that account's tenant alone; without one it acts on the whole double; an unknown or closed account is
 * answered 404 naming it.
 */
import type { Twilio } from 'twilio'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import { ControlApiError, createControlClient } from '../../src/client/index.js'
import { DEFAULT_FROM, DEFAULT_START_TIME } from '../../src/config.js'
import { readEvents } from './support.js'

const TO = '+15558675310'
let server: TwilioDoubleServer
let main: Twilio
const tenants: { sid: string; token: string; client: Twilio }[] = []

beforeAll(async () => {
  server = await startServer({ port: 0, doubleOptions: { startTime: DEFAULT_START_TIME } })
  main = await twilioClientForServer(server)
  for (const name of ['a', 'b']) {
    const account = await main.api.v2010.accounts.create({ friendlyName: name })
    tenants.push({
      sid: account.sid,
      token: account.authToken,
      client: await twilioClientForServer(server, { accountSid: account.sid, authToken: account.authToken }),
    })
  }
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.double.reset()
})

const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/__double${path}`, init)
const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
const send = (client: Twilio, body = 'hi', to = TO) =>
  client.messages.create({ from: DEFAULT_FROM, to, body })

describe('the control API scoped to an account', () => {
  it('lists, fetches and counts one account’s messages; another’s are not found', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]]
    const ma = await send(a.client, 'a')
    const mb = await send(b.client, 'b')
    const byQuery = await (await api(`/messages?account=${a.sid}`)).json()
    expect(byQuery.messages.map((m: { sid: string }) => m.sid)).toEqual([ma.sid])
    const byHeader = await (await api('/messages', { headers: { 'x-twilio-double-account': b.sid } })).json()
    expect(byHeader.messages.map((m: { sid: string }) => m.sid)).toEqual([mb.sid])
    expect((await api(`/messages/${mb.sid}?account=${a.sid}`)).status).toBe(404)
    expect((await api(`/messages/${ma.sid}?account=${a.sid}`)).status).toBe(200)
    const health = await (await api(`/health?account=${a.sid}`)).json()
    expect(health).toMatchObject({ account: a.sid, accounts: [a.sid], messages: 1 })
    // without an account: every account's
    expect((await (await api('/messages')).json()).total).toBe(2)
    const credentials = await (await api(`/credentials?account=${b.sid}`)).json()
    expect(credentials.accounts).toEqual([expect.objectContaining({ sid: b.sid, authToken: b.token })])
    // an accountSid filter naming another account than the scope's is refused
    expect((await api(`/messages?account=${a.sid}&accountSid=${b.sid}`)).status).toBe(400)
  })

  it('adds scenarios, moves the clock, settles and resets one account alone', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]]
    const onA = { 'x-twilio-double-account': a.sid }
    expect((await post('/scenarios', { when: { to: TO }, then: { reject: 21610 } }, onA)).status).toBe(201)
    await expect(send(a.client)).rejects.toMatchObject({ code: 21610 })
    const mb = await send(b.client)
    expect((await (await api(`/scenarios?account=${b.sid}`)).json()).scenarios).toEqual([])

    const advanced = await (await post('/advance', { by: '1h' }, onA)).json()
    expect(advanced.now).toBe('2024-01-01T01:00:00.000Z')
    expect((await (await api(`/health?account=${b.sid}`)).json()).now).toBe('2024-01-01T00:00:00.000Z')
    expect((await (await api('/health')).json()).now).toBe('2024-01-01T00:00:00.000Z')

    const mb2 = await send(b.client, 'second')
    await post(`/settle?account=${a.sid}`)
    expect(server.double.messages.get(mb2.sid)?.status).toBe('queued')
    await post(`/settle?account=${b.sid}`)
    expect(server.double.messages.get(mb2.sid)?.status).toBe('delivered')

    await post(`/reset?account=${b.sid}`)
    expect(server.double.messages.get(mb.sid)).toBeUndefined()
    // a's scenario and clock stay
    expect((await (await api(`/scenarios?account=${a.sid}`)).json()).scenarios).toHaveLength(1)
    expect((await (await api(`/health?account=${a.sid}`)).json()).now).toBe('2024-01-01T01:00:00.000Z')
  })

  it('waits for, streams and simulates inbound messages of one account', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]]
    const waiting = api(`/messages/wait?to=${encodeURIComponent(TO)}&timeout=10s&account=${a.sid}`)
    const stream = await api(`/events?account=${a.sid}`)
    await send(b.client, 'not for a')
    const ma = await send(a.client, 'for a')
    expect((await (await waiting).json()).message.sid).toBe(ma.sid)
    const events = await readEvents(stream.body!, (e) => e.event === 'message')
    const message = events.find((e) => e.event === 'message')!
    expect(message.data.accountSid).toBe(a.sid)

    const inbound = await post(
      '/inbound',
      { from: TO, to: DEFAULT_FROM, body: 'STOP' },
      { 'x-twilio-double-account': b.sid },
    )
    expect(inbound.status).toBe(201)
    expect((await inbound.json()).message.account_sid).toBe(b.sid)
    await expect(send(b.client)).rejects.toMatchObject({ code: 21610 })
    await expect(send(a.client)).resolves.toBeDefined()
  })

  it('answers 404 naming an unknown or closed account, and 400 for two different accounts', async () => {
    const unknown = `AC${'9'.repeat(32)}`
    const res = await api(`/messages?account=${unknown}`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'unknown_account', message: expect.stringContaining(unknown) })
    expect((await post('/reset', undefined, { 'x-twilio-double-account': 'not-a-sid' })).status).toBe(404)

    const closing = await main.api.v2010.accounts.create({ friendlyName: 'closing' })
    await main.api.v2010.accounts(closing.sid).update({ status: 'closed' })
    const closed = await post(`/settle?account=${closing.sid}`)
    expect(closed.status).toBe(404)
    expect((await closed.json()).message).toMatch(new RegExp(`account ${closing.sid} is closed`))

    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]]
    const two = await api(`/health?account=${a.sid}`, { headers: { 'x-twilio-double-account': b.sid } })
    expect(two.status).toBe(400)
    const pact = await post(
      '/provider-states',
      { state: 'a message exists' },
      { 'x-twilio-double-account': a.sid },
    )
    expect(pact.status).toBe(400)
  })

  it('through twilio-double/client with an account: the same scope, and its errors', async () => {
    const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]]
    const sms = createControlClient(server.url, { account: a.sid })
    await send(a.client, 'code 1234')
    await send(b.client, 'code 5678')
    expect((await sms.messages()).map((m) => m.code)).toEqual(['1234'])
    expect((await sms.waitForMessage({ to: TO })).code).toBe('1234')
    await sms.advance('5m')
    expect((await sms.health()).now).toBe('2024-01-01T00:05:00.000Z')
    await sms.reset()
    expect(await sms.messages()).toEqual([])
    expect(server.double.tenant(b.sid).messages.count()).toBe(1)
    const lost = createControlClient(server.url, { account: `AC${'8'.repeat(32)}` })
    await expect(lost.health()).rejects.toMatchObject({ status: 404, error: 'unknown_account' })
    await expect(lost.health()).rejects.toBeInstanceOf(ControlApiError)
  })
})
