import { setupServer } from 'msw/node'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { twilioHandlers } from '../../src/adapters/msw.js'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'

const TWO_HOURS = 2 * 60 * 60 * 1000
/** An account an app might read from TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN. */
const APP_SID = 'AC0123456789abcdef0123456789abcdef'
const APP_TOKEN = 'the-app-own-auth-token'

describe('time starts now', () => {
  it("starts virtual time at the process clock's time, unless startTime fixes it", () => {
    const before = Date.now()
    const double = createTwilioDouble()
    const after = Date.now()
    expect(double.now().getTime()).toBeGreaterThanOrEqual(before)
    expect(double.now().getTime()).toBeLessThanOrEqual(after)
    expect(createTwilioDouble({ startTime: DEFAULT_START_TIME }).now().toISOString()).toBe(
      '2024-01-01T00:00:00.000Z',
    )
  })

  it('schedules a message two hours from Date.now() through httpClient, as app code writes it', async () => {
    const double = createTwilioDouble()
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    const m = await client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: '+15550001111',
      body: 'Reminder',
      scheduleType: 'fixed',
      sendAt: new Date(Date.now() + TWO_HOURS),
    })
    expect(m.status).toBe('scheduled')
    await double.settle()
    expect(double.messages.get(m.sid)?.status).toBe('delivered')
  })

  describe('through the msw door', () => {
    const double = createTwilioDouble()
    const server = setupServer(...twilioHandlers(double))
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
    afterAll(() => server.close())

    it('schedules a message two hours from Date.now()', async () => {
      const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
      const m = await client.messages.create({
        messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
        to: '+15550001111',
        body: 'Reminder',
        scheduleType: 'fixed',
        sendAt: new Date(Date.now() + TWO_HOURS),
      })
      expect(m.status).toBe('scheduled')
    })
  })
})

describe("the app's own credentials", () => {
  afterEach(() => vi.restoreAllMocks())

  it('takes a well-formed account SID with its token on first use, and holds it to that token', async () => {
    const double = createTwilioDouble()
    const client = twilio(APP_SID, APP_TOKEN, { httpClient: double.httpClient() as never })
    const m = await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi' })
    expect(m.accountSid).toBe(APP_SID)
    expect((await client.messages.list()).map((x) => x.sid)).toEqual([m.sid])
    expect(double.messages.list({ accountSid: APP_SID })).toHaveLength(1)

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const wrongToken = twilio(APP_SID, 'another-token', { httpClient: double.httpClient() as never })
    await expect(wrongToken.messages.list()).rejects.toMatchObject({ status: 401, code: 20003 })
    // the app's credentials on another account's path are refused
    const elsewhere = twilio(APP_SID, APP_TOKEN, {
      accountSid: DEFAULT_ACCOUNT_SID,
      httpClient: double.httpClient() as never,
    })
    await expect(elsewhere.messages.list()).rejects.toMatchObject({ status: 401, code: 20003 })
    // a malformed SID is never taken
    const malformed = twilio('ACnot-a-sid', APP_TOKEN, { httpClient: double.httpClient() as never })
    await expect(malformed.messages.list()).rejects.toMatchObject({ status: 401, code: 20003 })
    expect(warn).toHaveBeenCalledTimes(3)
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /^\[twilio-double\] 20003 .*knows the accounts .*AC0123456789abcdef/,
    )
  })

  it('keeps declared accounts strict, and strictAccounts keeps the default account alone; one line per refusal', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const declared = createTwilioDouble({
      accounts: [{ sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN }],
    })
    const strict = createTwilioDouble({ strictAccounts: true })
    for (const double of [declared, strict]) {
      const client = twilio(APP_SID, APP_TOKEN, { httpClient: double.httpClient() as never })
      await expect(client.messages.list()).rejects.toMatchObject({ status: 401, code: 20003 })
      await expect(client.messages.list()).rejects.toMatchObject({ status: 401, code: 20003 })
    }
    expect(warn).toHaveBeenCalledTimes(2)
    expect(String(warn.mock.calls[0]![0])).toContain(`knows the accounts ${DEFAULT_ACCOUNT_SID};`)
  })

  it('names at most eight open accounts in a refusal, never a closed one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const double = createTwilioDouble({ strictAccounts: true })
    const main = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() as never })
    const subs = []
    for (let i = 0; i < 10; i++) subs.push(await main.api.v2010.accounts.create({ friendlyName: `w${i}` }))
    await main.api.v2010.accounts(subs[0]!.sid).update({ status: 'closed' })
    const client = twilio(APP_SID, APP_TOKEN, { httpClient: double.httpClient() as never })
    await expect(client.messages.list()).rejects.toMatchObject({ status: 401, code: 20003 })
    const line = String(warn.mock.calls[0]![0])
    const open = [DEFAULT_ACCOUNT_SID, ...subs.slice(1).map((s) => s.sid)]
    expect(line).toContain(`knows the accounts ${open.slice(0, 8).join(', ')} and 2 more;`)
    expect(line).not.toContain(subs[0]!.sid)
  })
})

describe('a messaging service the double does not know', () => {
  afterEach(() => vi.restoreAllMocks())
  /** A messaging service of the app's own Twilio account. */
  const APP_SERVICE = 'MG0123456789abcdef0123456789abcdef'
  const OTHER_SERVICE = 'MGfedcba9876543210fedcba9876543210'
  const hints = (warn: { mock: { calls: unknown[][] } }) =>
    warn.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('[twilio-double] 21701'))

  it("answers Twilio's 21701 and logs one line per service, saying how to declare it on an account taken on first use", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const double = createTwilioDouble()
    const client = twilio(APP_SID, APP_TOKEN, { httpClient: double.httpClient() as never })
    const send = (messagingServiceSid: string) =>
      client.messages.create({ messagingServiceSid, to: '+15550001111', body: 'Hi' })
    const refusal = {
      status: 400,
      code: 21701,
      message: `The Messaging Service Sid ${APP_SERVICE} is invalid.`,
      moreInfo: 'https://www.twilio.com/docs/errors/21701',
    }
    await expect(send(APP_SERVICE)).rejects.toMatchObject(refusal)
    await expect(send(APP_SERVICE)).rejects.toMatchObject(refusal)
    // a service named in From is the same service
    await expect(
      client.messages.create({ from: APP_SERVICE, to: '+15550001111', body: 'Hi' }),
    ).rejects.toMatchObject(refusal)
    expect(hints(warn)).toEqual([
      `[twilio-double] 21701: account ${APP_SID} asked for messaging service ${APP_SERVICE}, and the double knows no such service (${APP_SID} was taken on first use, so it has none); declare the account with it: createTwilioDouble({ accounts: [{ sid: '${APP_SID}', authToken: '<its auth token>', messagingServices: [{ sid: '${APP_SERVICE}', senders: ['<its sender numbers>'] }] }] }) (with accounts declared, only they are taken, unless you add strictAccounts: false); a standalone server's --config file takes the same accounts`,
    ])
    expect(hints(warn)[0]).not.toContain(APP_TOKEN)
    // another service gets its own line, once
    await expect(send(OTHER_SERVICE)).rejects.toMatchObject({ code: 21701 })
    await expect(send(OTHER_SERVICE)).rejects.toMatchObject({ code: 21701 })
    expect(hints(warn)).toHaveLength(2)
    expect(hints(warn)[1]).toContain(`asked for messaging service ${OTHER_SERVICE},`)

    // Twilio's answer itself is as it was: nothing of the hint in it
    const raw = await double.fetch(`https://api.twilio.com/2010-04-01/Accounts/${APP_SID}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${APP_SID}:${APP_TOKEN}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ MessagingServiceSid: APP_SERVICE, To: '+15550001111', Body: 'Hi' }),
    })
    expect(raw.status).toBe(400)
    expect(await raw.json()).toEqual({
      code: 21701,
      message: `The Messaging Service Sid ${APP_SERVICE} is invalid.`,
      more_info: 'https://www.twilio.com/docs/errors/21701',
      status: 400,
    })
    expect(hints(warn)).toHaveLength(2)
  })

  it('sends once the service is declared as the line says', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const double = createTwilioDouble({
      accounts: [
        {
          sid: APP_SID,
          authToken: APP_TOKEN,
          messagingServices: [{ sid: APP_SERVICE, senders: ['+15005550006'] }],
        },
      ],
    })
    const client = twilio(APP_SID, APP_TOKEN, { httpClient: double.httpClient() as never })
    const m = await client.messages.create({
      messagingServiceSid: APP_SERVICE,
      to: '+15550001111',
      body: 'Hi',
    })
    expect(m.messagingServiceSid).toBe(APP_SERVICE)
    expect(warn).not.toHaveBeenCalled()
  })

  it("logs nothing for a known service, a malformed SID or a scenario's 21701", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const double = createTwilioDouble()
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    await client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: '+15550001111',
      body: 'Hi',
    })
    await expect(
      client.messages.create({ messagingServiceSid: 'MGnot-a-service', to: '+15550001111', body: 'Hi' }),
    ).rejects.toMatchObject({ code: 21701 })
    double.scenarios.use({ when: { to: '+15550002222' }, then: { reject: 21701 } })
    await expect(
      client.messages.create({ messagingServiceSid: APP_SERVICE, to: '+15550002222', body: 'Hi' }),
    ).rejects.toMatchObject({ code: 21701 })
    expect(warn).not.toHaveBeenCalled()
  })

  it("names the default account's service, and declares the default account with it and its own", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const double = createTwilioDouble()
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    await expect(
      client.messages.create({ messagingServiceSid: APP_SERVICE, to: '+15550001111', body: 'Hi' }),
    ).rejects.toMatchObject({ code: 21701 })
    expect(hints(warn)).toEqual([
      `[twilio-double] 21701: account ${DEFAULT_ACCOUNT_SID} asked for messaging service ${APP_SERVICE}, and the double knows no such service (${DEFAULT_ACCOUNT_SID} has ${DEFAULT_MESSAGING_SERVICE_SID}); declare it with the default account's own: createTwilioDouble({ accounts: [{ sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, apiKeys: [{ sid: DEFAULT_API_KEY_SID, secret: DEFAULT_API_KEY_SECRET }], messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }, { sid: '${APP_SERVICE}', senders: ['<its sender numbers>'] }] }] }) (with accounts declared, only they are taken, unless you add strictAccounts: false); a standalone server's --config file takes the same accounts`,
    ])
  })

  it("on a declared account, names its services and where to add the service; on a subaccount, its owner's", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const double = createTwilioDouble({
      accounts: [{ sid: APP_SID, authToken: APP_TOKEN, messagingServices: [{ sid: OTHER_SERVICE }] }],
    })
    const main = twilio(APP_SID, APP_TOKEN, { httpClient: double.httpClient() as never })
    await expect(
      main.messages.create({ messagingServiceSid: APP_SERVICE, to: '+15550001111', body: 'Hi' }),
    ).rejects.toMatchObject({ code: 21701 })
    expect(hints(warn)).toEqual([
      `[twilio-double] 21701: account ${APP_SID} asked for messaging service ${APP_SERVICE}, and the double knows no such service (${APP_SID} has ${OTHER_SERVICE}); add { sid: '${APP_SERVICE}', senders: ['<its sender numbers>'] } to the messagingServices of ${APP_SID} in createTwilioDouble({ accounts }); a standalone server's --config file takes the same accounts`,
    ])

    const sub = await main.api.v2010.accounts.create({ friendlyName: 'ci worker 1' })
    const inSub = twilio(sub.sid, sub.authToken, { httpClient: double.httpClient() as never })
    const THIRD = 'MG00000000000000000000000000000abc'
    await expect(
      inSub.messages.create({ messagingServiceSid: THIRD, to: '+15550001111', body: 'Hi' }),
    ).rejects.toMatchObject({ code: 21701 })
    expect(hints(warn)[1]).toBe(
      `[twilio-double] 21701: account ${sub.sid} asked for messaging service ${THIRD}, and the double knows no such service (${sub.sid}, a subaccount of ${APP_SID} made with a copy of ${APP_SID}'s services, has ${OTHER_SERVICE}); add { sid: '${THIRD}', senders: ['<its sender numbers>'] } to the messagingServices of ${APP_SID} in createTwilioDouble({ accounts }); a standalone server's --config file takes the same accounts`,
    )
  })
})
