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
