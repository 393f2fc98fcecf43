import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'
import type { MessageRecord } from '../../src/messaging/types.js'
import { createControlApi } from '../../src/server/control/index.js'

const TOTAL = 1_000_000
const TO = ['+15550001111', '+15550002222', '+15550003333', '+15550004444']

/**
 * A store of a million messages, added as they are (no create rules, no lifecycle): every path that reads the
 * whole store must work at that size (a spread of the store into one call once overflowed the stack at about
 * 130,000 messages).
 */
describe('a double holding 1,000,000 messages', () => {
  const double = createTwilioDouble()
  const start = double.now().getTime()
  const sidOf = (i: number) => `SM${i.toString(16).padStart(32, '0')}`
  const newest = sidOf(TOTAL - 1)

  beforeAll(() => {
    const body = 'Your code is 123456'
    for (let i = 0; i < TOTAL; i++) {
      const at = start + i
      const record: Omit<MessageRecord, 'seq'> = {
        sid: sidOf(i),
        accountSid: DEFAULT_ACCOUNT_SID,
        to: TO[i % 4]!,
        from: DEFAULT_FROM,
        body,
        numSegments: 1,
        numMedia: 0,
        direction: 'outbound-api',
        status: i % 5 === 0 ? 'undelivered' : 'delivered',
        messagingServiceSid: null,
        channel: 'sms',
        dateCreated: at,
        dateUpdated: at,
        dateSent: at,
        price: '-0.00790',
        priceUnit: 'USD',
        errorCode: null,
        errorMessage: null,
        sortKey: at,
        history: 'delivered',
      }
      double.backend.addRecord(record)
    }
  }, 300_000)

  it('counts and lists them, newest first', () => {
    expect(double.messages.count()).toBe(TOTAL)
    expect(double.messages.count({ to: TO[1] })).toBe(TOTAL / 4)
    expect(double.messages.count({ status: 'undelivered' })).toBe(TOTAL / 5)
    const all = double.backend.allMessages()
    expect(all).toHaveLength(TOTAL)
    expect(all[0]!.sid).toBe(newest)
    expect(all.at(-1)!.sid).toBe(sidOf(0))
    // 200,000 messages in wire shape (more than the ~130,000 arguments a call can take)
    const undelivered = double.messages.list({ status: 'undelivered' })
    expect(undelivered).toHaveLength(TOTAL / 5)
    expect(undelivered[0]!.sid).toBe(sidOf(TOTAL - 5))
    expect(undelivered.at(-1)!.sid).toBe(sidOf(0))
  }, 120_000)

  it("answers the control API's health and messages", async () => {
    const control = createControlApi(double)
    const health = await (await control.handle(new Request('http://localhost/__double/health'))).json()
    expect(health).toMatchObject({ status: 'ok', messages: TOTAL })
    const page = await (
      await control.handle(new Request('http://localhost/__double/messages?limit=3&status=delivered'))
    ).json()
    expect(page).toMatchObject({ count: 3, total: TOTAL - TOTAL / 5 })
    expect(page.messages[0].sid).toBe(newest)
  }, 60_000)

  it('pages through the API with a cursor at any depth', async () => {
    const auth = `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`
    const base = `https://api.twilio.com/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`
    const res = await double.handle(
      new Request(`${base}?PageSize=2&Page=499999`, { headers: { authorization: auth } }),
    )
    const page = await res.json()
    expect(page.messages.map((m: { sid: string }) => m.sid)).toEqual([sidOf(1), sidOf(0)])
  })
})
