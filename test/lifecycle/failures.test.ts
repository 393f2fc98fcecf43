/**
 * Failures by code at each stage, through the real `twilio` client and msw: the create call rejected,
 * failed while sending, undelivered after sent; and the queue rules (MaxPrice, ValidityPeriod, the
 * sender's four-hour queue).
 */
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { QueueFullError } from '../../src/messaging/errors.js'
import { useHarness } from './support.js'

const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
const h = useHarness()

const send = (over: Record<string, unknown> = {}) =>
  client.messages.create({
    from: DEFAULT_FROM,
    to: '+15550001111',
    body: 'Hello',
    statusCallback: `${h.receiver.base}/status`,
    ...over,
  })

async function rejection(
  p: Promise<unknown>,
): Promise<{ status: number; code: number; message: string; moreInfo: string }> {
  try {
    await p
  } catch (err) {
    return err as never
  }
  throw new Error('expected the call to be rejected')
}

describe('at create', () => {
  it.each([
    [21610, 400, 'Attempt to send to unsubscribed recipient'],
    [
      21408,
      400,
      "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15550001111",
    ],
    [20003, 401, 'Authenticate'],
    [30001, 400, 'Queue overflow'],
  ])('rejects with catalog code %i (HTTP %i)', async (code, status, message) => {
    h.double.scenarios.use({ when: { to: '+15550001111' }, then: { reject: code }, times: 1 })
    const err = await rejection(send())
    expect(err).toMatchObject({
      status,
      code,
      message,
      moreInfo: `https://www.twilio.com/docs/errors/${code}`,
    })
    expect(h.double.messages.count()).toBe(0)
    expect((await send()).status).toBe('queued')
  })
})

describe('failed while sending', () => {
  it.each([30001, 30002, 30004, 30007, 30008, 63016])(
    'fails with %i after sending, without a price',
    async (code) => {
      h.double.scenarios.use({ then: { deliver: 'failed', errorCode: code } })
      const m = await send()
      await h.double.settle()
      const f = await client.messages(m.sid).fetch()
      expect(f).toMatchObject({ status: 'failed', errorCode: code, price: null, dateSent: null })
      expect(f.errorMessage).toBeTruthy()
      expect(h.double.messages.history(m.sid).map((h) => h.status)).toEqual(['queued', 'sending', 'failed'])
      expect(h.receiver.received.map((r) => [r.params.MessageStatus, r.params.ErrorCode])).toEqual([
        ['failed', String(code)],
      ])
      expect(h.receiver.received[0]!.params.RawDlrDoneDate).toBeUndefined()
    },
  )

  it('defaults a failure to 30008', async () => {
    h.double.scenarios.use({ then: { deliver: 'failed' } })
    const m = await send()
    await h.double.settle()
    expect((await client.messages(m.sid).fetch()).errorCode).toBe(30008)
  })
})

describe('undelivered after sent', () => {
  it.each([30003, 30005, 30006, 30007])(
    'ends undelivered with %i, priced, with a delivery receipt date',
    async (code) => {
      h.double.scenarios.use({
        when: { to: '+15550001111' },
        then: { deliver: 'undelivered', errorCode: code },
      })
      const m = await send()
      await h.double.settle()
      const f = await client.messages(m.sid).fetch()
      expect(f).toMatchObject({ status: 'undelivered', errorCode: code, price: '-0.00790' })
      expect(f.dateSent).not.toBeNull()
      expect(h.receiver.received.map((r) => [r.params.MessageStatus, r.params.ErrorCode])).toEqual([
        ['sent', undefined],
        ['undelivered', String(code)],
      ])
      expect(h.receiver.received[1]!.params.RawDlrDoneDate).toMatch(/^\d{10}$/)
    },
  )

  it('ends undelivered with 30003 when only an error code is scripted... after the scripted delays', async () => {
    h.double.scenarios.use({
      then: { errorCode: 30003, delays: { queued: '1m', sending: '2s', sent: '10m' } },
    })
    const m = await send()
    await h.double.advance('1m')
    expect(h.double.messages.get(m.sid)?.status).toBe('sending')
    await h.double.advance('2s')
    expect(h.double.messages.get(m.sid)?.status).toBe('sent')
    await h.double.advance('9m')
    expect(h.double.messages.get(m.sid)?.status).toBe('sent')
    await h.double.advance('1m')
    expect(h.double.messages.get(m.sid)).toMatchObject({ status: 'undelivered', error_code: 30003 })
  })

  it('stops at sent when no delivery receipt is scripted', async () => {
    h.double.scenarios.use({ then: { deliver: 'sent' } })
    const m = await send()
    await h.double.settle()
    expect(h.double.messages.get(m.sid)?.status).toBe('sent')
    expect(h.receiver.received.map((r) => r.params.MessageStatus)).toEqual(['sent'])
  })
})

describe('MaxPrice', () => {
  it('fails with 30010 when the price exceeds MaxPrice', async () => {
    const m = await send({ body: 'x'.repeat(200), maxPrice: 0.01 }) // two segments: $0.0158
    await h.double.settle()
    expect(h.double.messages.get(m.sid)).toMatchObject({ status: 'failed', error_code: 30010, price: null })
    expect(h.receiver.received.map((r) => [r.params.MessageStatus, r.params.ErrorCode])).toEqual([
      ['failed', '30010'],
    ])
  })

  it('sends when the price is within MaxPrice', async () => {
    const m = await send({ maxPrice: 0.0079 })
    await h.double.settle()
    expect(h.double.messages.get(m.sid)?.status).toBe('delivered')
  })
})

describe('ValidityPeriod', () => {
  it('fails the messages still queued when it runs out (a long code sends 1 message per second)', async () => {
    const sids: string[] = []
    for (let i = 0; i < 10; i++) sids.push((await send({ to: `+1555000200${i}`, validityPeriod: 5 })).sid)
    await h.double.settle()
    const results = sids.map((sid) => h.double.messages.get(sid)!)
    expect(results.map((m) => m.status)).toEqual([...Array(5).fill('delivered'), ...Array(5).fill('failed')])
    for (const m of results.slice(5)) {
      expect(m).toMatchObject({
        error_code: 30001,
        error_message: 'Queue overflow',
        price: null,
        date_sent: null,
      })
      expect(h.double.messages.history(m.sid!).map((h) => [h.status, h.at.toISOString()])).toEqual([
        ['queued', '2024-01-01T00:00:00.000Z'],
        ['failed', '2024-01-01T00:00:05.000Z'],
      ])
    }
    const failedCallbacks = h.receiver.received.filter((r) => r.params.MessageStatus === 'failed')
    expect(failedCallbacks.map((r) => r.params.ErrorCode)).toEqual(Array(5).fill('30001'))
  })

  it('can use another error code, such as 30036', async () => {
    const other = createTwilioDouble({ validityErrorCode: 30036 })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: other.httpClient() as never,
    })
    const sids: string[] = []
    for (let i = 0; i < 3; i++)
      sids.push(
        (
          await direct.messages.create({
            from: DEFAULT_FROM,
            to: '+15550001111',
            body: 'x',
            validityPeriod: 1,
          })
        ).sid,
      )
    await other.settle()
    expect(sids.map((s) => other.messages.get(s)?.error_code)).toEqual([null, 30036, 30036])
  })
})

describe("a sender's queue", () => {
  it('answers 429 when the queue already holds its limit of traffic, with Retry-After', async () => {
    const small = createTwilioDouble({ maxQueueSeconds: 5 })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: small.httpClient() as never,
    })
    for (let i = 0; i < 5; i++)
      await direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'x' })
    const err = await rejection(direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'x' }))
    expect(err).toMatchObject({ status: 429, code: 20429 })
    const raw = await small.fetch(
      `https://api.twilio.com/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ From: DEFAULT_FROM, To: '+15550001111', Body: 'x' }),
      },
    )
    expect(raw.status).toBe(429)
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    // Another sender has its own queue; and the queue drains with time.
    expect(
      (await direct.messages.create({ from: '+15550009999', to: '+15550001111', body: 'x' })).status,
    ).toBe('queued')
    await small.advance('2s')
    expect((await direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'x' })).status).toBe(
      'queued',
    )
  })

  it('holds four hours of traffic by default (144 messages at one per 100 seconds)', async () => {
    const busy = createTwilioDouble({
      senderRates: { longCode: 0.01, shortCode: 100, tollFree: 3, alphanumeric: 10, whatsapp: 80 },
    })
    const create = () =>
      busy.backend.createMessage({
        accountSid: DEFAULT_ACCOUNT_SID,
        from: DEFAULT_FROM,
        to: '+15550001111',
        body: 'x',
      })
    for (let i = 0; i < 144; i++) await create()
    // the domain refuses it; the HTTP layer answers 429 with Retry-After (the test above)
    await expect(create()).rejects.toThrow(QueueFullError)
    await busy.advance('100s')
    expect((await create()).status).toBe('queued')
  })

  it('counts segments: a long code sends one segment per second', async () => {
    const small = createTwilioDouble({ maxQueueSeconds: 6 })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: small.httpClient() as never,
    })
    const body = 'y'.repeat(400) // three segments
    await direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body })
    await direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body })
    expect(
      await rejection(direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body })),
    ).toMatchObject({
      status: 429,
    })
  })

  it('fails a messaging-service message with 30001 when every sender of the pool is full', async () => {
    const small = createTwilioDouble({ maxQueueSeconds: 2 })
    const sids = await sendThroughService(small, 4)
    expect(sids.map((s) => small.messages.get(s)?.status)).toEqual([
      'delivered',
      'delivered',
      'failed',
      'failed',
    ])
    expect(small.messages.get(sids[3]!)?.error_code).toBe(30001)
    expect(small.messages.history(sids[3]!).map((h) => h.status)).toEqual(['accepted', 'failed'])
  })

  it('spreads a messaging service’s messages over the senders of its pool', async () => {
    const pooled = createTwilioDouble({
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          messagingServices: [
            { sid: DEFAULT_MESSAGING_SERVICE_SID, senders: ['+15550000001', '+15550000002'] },
          ],
        },
      ],
    })
    const sids = await sendThroughService(pooled, 4)
    expect(sids.map((s) => pooled.messages.get(s)?.from)).toEqual([
      '+15550000001',
      '+15550000002',
      '+15550000001',
      '+15550000002',
    ])
  })

  it('fails a messaging-service message with 21704 when its pool is empty', async () => {
    const empty = createTwilioDouble({
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID }],
        },
      ],
    })
    const [sid] = await sendThroughService(empty, 1)
    expect(empty.messages.get(sid!)).toMatchObject({ status: 'failed', error_code: 21704 })
  })
})

/** Sends `n` messages through the default messaging service with the real `twilio` client, then settles. */
async function sendThroughService(double: TwilioDouble, n: number): Promise<string[]> {
  const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() as never })
  const sids: string[] = []
  for (let i = 0; i < n; i++) {
    const m = await client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: '+15550001111',
      body: 'x',
    })
    sids.push(m.sid)
  }
  await double.settle()
  return sids
}
