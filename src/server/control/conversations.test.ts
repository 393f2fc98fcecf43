import twilio from 'twilio'
import { beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM, DEFAULT_START_TIME } from '../../config.js'
import { createTwilioDouble, type TwilioDouble } from '../../double.js'
import { type ControlApi, createControlApi } from './index.js'

const USER = '+15558675310'
const OTHER = '+15550001111'
const WHATSAPP_FROM = 'whatsapp:+14155238886'
let double: TwilioDouble
let control: ControlApi
let client: ReturnType<typeof twilio>

beforeEach(() => {
  double = createTwilioDouble({
    startTime: DEFAULT_START_TIME,
    accounts: [
      {
        sid: DEFAULT_ACCOUNT_SID,
        authToken: DEFAULT_AUTH_TOKEN,
        phoneNumbers: [DEFAULT_FROM, WHATSAPP_FROM],
      },
    ],
  })
  control = createControlApi(double)
  client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
})

const get = async (path: string) => {
  const res = await control.handle(new Request(`http://127.0.0.1/__double${path}`))
  return { status: res.status, body: await res.json() }
}
const send = (to: string, body: string, from = DEFAULT_FROM) => client.messages.create({ to, from, body })
const receive = (from: string, body: string, to = DEFAULT_FROM) => double.inbound({ from, to, body })
const path = (ours: string, theirs: string) =>
  `/conversations/${encodeURIComponent(ours)}/${encodeURIComponent(theirs)}`

describe('GET /__double/conversations', () => {
  it('groups messages by the pair of addresses, both ways, the most recently active first', async () => {
    await send(USER, 'Your code is 482913')
    await double.advance('1m')
    await send(OTHER, 'Hello other')
    await double.advance('1m')
    await receive(USER, 'Thanks!')
    // the same user on WhatsApp is another conversation
    await send(`whatsapp:${USER}`, 'On WhatsApp', WHATSAPP_FROM)

    const { status, body } = await get('/conversations')
    expect(status).toBe(200)
    expect(body.total).toBe(3)
    expect(
      body.conversations.map(
        (c: { ours: string; theirs: string; count: number; last: { body: string } }) =>
          `${c.ours} ${c.theirs} ${c.count} ${c.last.body}`,
      ),
    ).toEqual([
      `${WHATSAPP_FROM} whatsapp:${USER} 1 On WhatsApp`,
      `${DEFAULT_FROM} ${USER} 2 Thanks!`,
      `${DEFAULT_FROM} ${OTHER} 1 Hello other`,
    ])
    expect((await get('/conversations?limit=1')).body).toMatchObject({ total: 3 })
    expect((await get('/conversations?limit=1')).body.conversations).toHaveLength(1)
    expect((await get('/conversations?limit=x')).status).toBe(400)
  })

  it("gives one conversation's messages oldest first, with their codes, in creation order at one instant", async () => {
    // the clock stands still: the order of the store decides
    const code = await send(USER, 'Your code is 482913')
    await receive(USER, 'Got it, thanks')
    const link = await send(USER, 'Sign in at https://acme.test/l/x9')
    await send(OTHER, 'Not in this conversation')

    const { status, body } = await get(path(DEFAULT_FROM, USER))
    expect(status).toBe(200)
    expect(body).toMatchObject({ ours: DEFAULT_FROM, theirs: USER, total: 3 })
    expect(body.messages.map((m: { body: string; direction: string }) => `${m.direction} ${m.body}`)).toEqual(
      [
        'outbound-api Your code is 482913',
        'inbound Got it, thanks',
        'outbound-api Sign in at https://acme.test/l/x9',
      ],
    )
    expect(body.messages[0]).toMatchObject({ sid: code.sid, codes: ['482913'], links: [] })
    expect(body.messages[2]).toMatchObject({ sid: link.sid, codes: [], links: ['https://acme.test/l/x9'] })

    // the newest `limit`, still oldest first; a number written another way names the same conversation
    const last = await get(`${path(DEFAULT_FROM, '+1 (555) 867-5310')}?limit=2`)
    expect(last.body.total).toBe(3)
    expect(last.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'Got it, thanks',
      'Sign in at https://acme.test/l/x9',
    ])
    expect((await get(path(DEFAULT_FROM, '+15550009999'))).body).toMatchObject({ messages: [], total: 0 })
  })

  it("acts on the account the request names: another account's conversations are not listed", async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'tenant' })
    const subClient = twilio(sub.sid, sub.authToken, { httpClient: double.httpClient() })
    await send(USER, 'main account')
    await subClient.messages.create({ to: OTHER, from: DEFAULT_FROM, body: 'subaccount' })
    const all = await get('/conversations')
    expect(all.body.total).toBe(2)
    const theirs = await get(`/conversations?account=${sub.sid}`)
    expect(theirs.body.conversations.map((c: { theirs: string }) => c.theirs)).toEqual([OTHER])
    const none = await get(`${path(DEFAULT_FROM, USER)}?account=${sub.sid}`)
    expect(none.body.messages).toEqual([])
  })

  it("orders the conversations of every account by the double's clock, whichever account's clock leads", async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'tenant' })
    const subClient = twilio(sub.sid, sub.authToken, { httpClient: double.httpClient() })
    await double.tenant(sub.sid).advance('1h') // the subaccount's clock leads the double's by an hour
    await subClient.messages.create({ to: OTHER, from: DEFAULT_FROM, body: 'subaccount, first' })
    await double.advance('1m')
    await send(USER, 'main account, a minute later')
    const all = await get('/conversations')
    expect(all.body.conversations.map((c: { last: { body: string } }) => c.last.body)).toEqual([
      'main account, a minute later',
      'subaccount, first',
    ])
    // named, the subaccount is read on its own clock, as before
    const theirs = await get(`/conversations?account=${sub.sid}`)
    expect(theirs.body.conversations.map((c: { theirs: string }) => c.theirs)).toEqual([OTHER])
  })

  it("keeps the order of the conversations of every account after a reset of the double's own account alone", async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'tenant' })
    const subClient = twilio(sub.sid, sub.authToken, { httpClient: double.httpClient() })
    await double.advance('1h') // every clock
    await subClient.messages.create({ to: OTHER, from: DEFAULT_FROM, body: 'subaccount, before the reset' })
    const reset = await control.handle(
      new Request(`http://127.0.0.1/__double/reset?account=${DEFAULT_ACCOUNT_SID}`, { method: 'POST' }),
    )
    expect(reset.status).toBe(200)
    await double.advance('1m')
    await send(USER, 'main account, after the reset')
    const all = await get('/conversations')
    expect(all.body.conversations.map((c: { last: { body: string } }) => c.last.body)).toEqual([
      'main account, after the reset',
      'subaccount, before the reset',
    ])
  })
})
