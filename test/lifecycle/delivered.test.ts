/**
 * A message's life through the real `twilio` client and msw: statuses on the virtual clock, price and
 * date_sent at sent, and signed status callbacks received by real HTTP servers on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net'
import express from 'express'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { seedMessage } from '../../src/server/seed.js'
import { mswFor, useHarness } from './support.js'

const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
const h = useHarness()

const statuses = () => h.receiver.received.map((r) => r.params.MessageStatus)

/**
 * A message of a messaging service (the default one) scheduled `hours` after the double's now, through `client`,
 * with `statusCallback` if given.
 */
const scheduleIn = (
  client: twilio.Twilio,
  d: TwilioDouble,
  hours: number,
  service = DEFAULT_MESSAGING_SERVICE_SID,
  statusCallback?: string,
) =>
  client.messages.create({
    messagingServiceSid: service,
    to: '+15550001111',
    body: 'later',
    scheduleType: 'fixed',
    sendAt: new Date(d.now().getTime() + hours * 3_600_000),
    ...(statusCallback ? { statusCallback } : {}),
  })

describe('a message reaching delivered', () => {
  it('moves queued → sending → sent → delivered on the virtual clock', async () => {
    const created = await client.messages.create({
      from: DEFAULT_FROM,
      to: '+15550001111',
      body: 'Hello',
      statusCallback: `${h.receiver.base}/status`,
    })
    expect(created.status).toBe('queued')
    expect(created.price).toBeNull()
    expect(created.dateSent).toBeNull()

    await h.double.advance('1s')
    expect((await client.messages(created.sid).fetch()).status).toBe('sending')
    await h.double.advance('1s')
    const sent = await client.messages(created.sid).fetch()
    expect(sent.status).toBe('sent')
    expect(sent.dateSent?.toISOString()).toBe('2024-01-01T00:00:02.000Z')
    expect(sent.price).toBe('-0.00790')
    expect(sent.priceUnit).toBe('USD')
    await h.double.advance('3s')
    const delivered = await client.messages(created.sid).fetch()
    expect(delivered.status).toBe('delivered')
    expect(delivered.dateUpdated.toISOString()).toBe('2024-01-01T00:00:05.000Z')
    expect(delivered.errorCode).toBeNull()
    expect(h.double.messages.history(created.sid).map((h) => h.status)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
    ])
  })

  it('calls back for sent and delivered only (not the initial queued, not sending), validly signed', async () => {
    const m = await client.messages.create({
      from: DEFAULT_FROM,
      to: '+15550001111',
      body: 'Hello',
      statusCallback: `${h.receiver.base}/status?tenant=acme`,
    })
    await h.double.settle()
    expect(statuses()).toEqual(['sent', 'delivered'])
    for (const r of h.receiver.received) {
      expect(r.method).toBe('POST')
      expect(r.path).toBe('/status?tenant=acme')
      expect(r.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
      const signature = r.headers['x-twilio-signature'] as string
      expect(twilio.validateRequest(DEFAULT_AUTH_TOKEN, signature, r.url, r.params)).toBe(true)
      expect(twilio.validateRequest('another-token', signature, r.url, r.params)).toBe(false)
    }
    const [sent, delivered] = h.receiver.received
    expect(sent!.params).toEqual({
      AccountSid: DEFAULT_ACCOUNT_SID,
      ApiVersion: '2010-04-01',
      From: DEFAULT_FROM,
      MessageSid: m.sid,
      MessageStatus: 'sent',
      SmsSid: m.sid,
      SmsStatus: 'sent',
      To: '+15550001111',
    })
    expect(delivered!.params).toMatchObject({ MessageStatus: 'delivered', SmsStatus: 'delivered' })
    expect(delivered!.params.RawDlrDoneDate).toBe('2401010000')
    expect(delivered!.params.ErrorCode).toBeUndefined()
    expect(delivered!.params.ChannelPrefix).toBeUndefined()
  })

  it('records each delivery with its URL, parameters, headers, signature and answer', async () => {
    h.receiver.answer(() => ({ status: 204 }))
    const m = await client.messages.create({
      from: DEFAULT_FROM,
      to: '+15550001111',
      body: 'Hello',
      statusCallback: `${h.receiver.base}/status`,
    })
    await h.double.settle()
    h.receiver.answer(() => ({ status: 200 }))
    const list = h.double.callbacks.list({ messageSid: m.sid })
    expect(list.map((d) => d.status)).toEqual(['sent', 'delivered'])
    const d = list[1]!
    expect(d).toMatchObject({
      kind: 'status',
      url: `${h.receiver.base}/status`,
      method: 'POST',
      responseStatus: 204,
      responseBody: '',
      attempt: 1,
      at: Date.UTC(2024, 0, 1, 0, 0, 5),
    })
    expect(d.error).toBeUndefined()
    expect(d.headers['x-twilio-signature']).toBe(d.signature)
    expect(d.params.MessageStatus).toBe('delivered')
    expect(h.receiver.received[1]!.headers['x-twilio-signature']).toBe(d.signature)
  })

  it('calls back queued after accepted for a messaging-service message, with MessagingServiceSid', async () => {
    const m = await client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: '+15550001111',
      body: 'Hello',
      statusCallback: `${h.receiver.base}/status`,
    })
    expect(m.status).toBe('accepted')
    expect(m.from).toBeNull()
    expect(m.numSegments).toBe('0')
    await h.double.settle()
    expect(statuses()).toEqual(['queued', 'sent', 'delivered'])
    for (const r of h.receiver.received) {
      expect(r.params.MessagingServiceSid).toBe(DEFAULT_MESSAGING_SERVICE_SID)
      expect(r.params.From).toBe(DEFAULT_FROM)
    }
    const fetched = await client.messages(m.sid).fetch()
    expect(fetched.from).toBe(DEFAULT_FROM)
    expect(fetched.numSegments).toBe('1')
  })

  it('prices per segment at sent, and re-sorts the list by date_sent', async () => {
    const long = 'x'.repeat(161) // two GSM-7 segments
    const first = await client.messages.create({ from: '+15005550006', to: '+15550002222', body: long })
    await h.double.advance('2s')
    // A second sender, so the first message's queue does not hold this one back.
    const second = await client.messages.create({ from: '+15550009999', to: '+15550003333', body: 'Hi' })
    expect((await client.messages.list()).map((x) => x.sid)).toEqual([second.sid, first.sid])
    await h.double.settle()
    const [a, b] = await Promise.all([
      client.messages(first.sid).fetch(),
      client.messages(second.sid).fetch(),
    ])
    expect(a.price).toBe('-0.01580')
    expect(b.price).toBe('-0.00790')
    expect(a.dateSent!.getTime()).toBeLessThan(b.dateSent!.getTime())
    expect((await client.messages.list()).map((x) => x.sid)).toEqual([second.sid, first.sid])

    // Held in the queue, the older message is sent last and moves to the top of the list.
    h.double.scenarios.use({ when: { to: '+15550004444' }, then: { delays: { queued: '30s' } } })
    const slow = await client.messages.create({ from: '+15005550006', to: '+15550004444', body: 'Slow' })
    await h.double.advance('1s')
    const fast = await client.messages.create({ from: '+15550009999', to: '+15550005555', body: 'Fast' })
    expect((await client.messages.list({ limit: 2 })).map((x) => x.sid)).toEqual([fast.sid, slow.sid])
    await h.double.settle()
    expect((await client.messages.list({ limit: 2 })).map((x) => x.sid)).toEqual([slow.sid, fast.sid])
  })
})

describe('global options', () => {
  it('takes the delays of each status from the double options', async () => {
    const slow = createTwilioDouble({
      startTime: DEFAULT_START_TIME,
      delays: { queued: '1m', sending: '30s', sent: '1h' },
    })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: slow.httpClient() as never })
    const m = await direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi' })
    await slow.settle()
    expect(slow.messages.history(m.sid).map((h) => [h.status, h.at.toISOString()])).toEqual([
      ['queued', '2024-01-01T00:00:00.000Z'],
      ['sending', '2024-01-01T00:01:00.000Z'],
      ['sent', '2024-01-01T00:01:30.000Z'],
      ['delivered', '2024-01-01T01:01:30.000Z'],
    ])
  })

  it('prices with a custom price table', async () => {
    const priced = createTwilioDouble({
      prices: { sms: { US: 0.01, default: 0.1 }, mms: 0.02, whatsapp: 0.005 },
    })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: priced.httpClient() as never,
    })
    const us = await direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi' })
    const fr = await direct.messages.create({ from: '+15550009999', to: '+33612345678', body: 'Salut' })
    await priced.settle()
    expect(priced.messages.get(us.sid)?.price).toBe('-0.01000')
    expect(priced.messages.get(fr.sid)?.price).toBe('-0.10000')
  })

  it('keeps the built-in prices of channels and countries a partial table leaves out', async () => {
    // SMS by country without a default: other countries keep the built-in $0.05; MMS keeps its built-in prices
    const priced = createTwilioDouble({ prices: { sms: { US: 0.01, GB: 0.04 } } })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: priced.httpClient() as never,
    })
    const send = (to: string, extra: Record<string, unknown> = {}) =>
      direct.messages.create({ from: '+15550009999', to, body: 'Hi', ...extra })
    const sids = [
      (await send('+15550001111')).sid,
      (await send('+447400123456')).sid,
      (await send('+33612345678')).sid,
      (await send('+15550001111', { mediaUrl: ['https://example.com/a.png'] })).sid,
    ]
    await priced.settle()
    expect(sids.map((sid) => priced.messages.get(sid)?.price)).toEqual([
      '-0.01000',
      '-0.04000',
      '-0.05000',
      '-0.02000',
    ])
    // sender rates too: only the named kind changes
    const slow = createTwilioDouble({ senderRates: { longCode: 0.5 } })
    const slowClient = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: slow.httpClient() as never,
    })
    const first = await slowClient.messages.create({ from: '+15550009999', to: '+15550001111', body: 'a' })
    const second = await slowClient.messages.create({ from: '+15550009999', to: '+15550001111', body: 'b' })
    await slow.settle()
    const sentAt = (sid: string) =>
      slow.messages
        .history(sid)
        .find((x) => x.status === 'sending')!
        .at.getTime()
    expect(sentAt(second.sid) - sentAt(first.sid)).toBe(2000)
  })

  it('refuses unknown options and bad prices, rates and scheduling windows, naming the fix', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ delaysx: {}, seeds: 1 }, /unknown options 'delaysx', 'seeds'; the options are accounts, seed,/],
      [
        { prices: { sms: 'cheap' } },
        /prices\.sms must be a price in USD \(a number >= 0\) or prices by country code/,
      ],
      [{ prices: { sms: { US: -1 } } }, /prices\.sms must be a price/],
      [{ prices: { fax: 1 } }, /prices\.fax: unknown channel; use sms, mms, whatsapp/],
      // a calling code or a lower-case code would never match a message's country: refused, not ignored
      [
        { prices: { sms: { '44': 0.04, default: 0.05 } } },
        /prices\.sms: '44' is not a country code; key prices by ISO 3166 country code in capitals \(US, GB, FR\)/,
      ],
      [{ prices: { mms: { gb: 0.2 } } }, /prices\.mms: 'gb' is not a country code/],
      [{ senderRates: { longCode: 0 } }, /senderRates\.longCode must be messages per second, a number > 0/],
      [
        { senderRates: { carrierPigeon: 1 } },
        /senderRates\.carrierPigeon: unknown sender kind; use longCode,/,
      ],
      [{ scheduling: { minAhead: '2h', maxAhead: '1h' } }, /minAhead \(2h\) is later than maxAhead \(1h\)/],
      [{ clock: 'real', startTime: '2030-01-01' }, /with clock: 'real' the double reads the process clock/],
      // below the top level too, and values the double would otherwise ignore or misread: refused, naming the place
      [{ seed: {} }, /createTwilioDouble\(\): seed: expected a string or a number/],
      [
        { delays: { queud: 5 } },
        /createTwilioDouble\(\): delays: unknown key 'queud' \(known: accepted, queued, sending, sent, delivered\)/,
      ],
      [
        { maxQueueSeconds: -3 },
        /createTwilioDouble\(\): maxQueueSeconds: expected seconds \(a number > 0\) or false/,
      ],
      [{ retention: { maxMessages: 0 } }, /retention\.maxMessages: expected a whole number of messages >= 1/],
      [
        { callbacks: { netwrok: true } },
        /callbacks: unknown key 'netwrok' \(known: timeoutMs, retries, maxRecorded, network, fetch\)/,
      ],
      [{ callbacks: { retries: 1.5 } }, /callbacks\.retries must be an integer >= 0 \(got 1\.5\)/],
      [
        { callbacks: { network: 'yes' } },
        /createTwilioDouble\(\): callbacks\.network: expected true or false \(got "yes"\)/,
      ],
      [
        { validityErrorCode: 30 },
        /validityErrorCode 30 is not in the catalog; use 30001 \(the default\) or e\.g\. 30036/,
      ],
      [
        {
          accounts: [
            {
              sid: DEFAULT_ACCOUNT_SID,
              authToken: DEFAULT_AUTH_TOKEN,
              phoneNumbers: [{ number: DEFAULT_FROM, smsURL: 'http://127.0.0.1:3000/sms' }],
            },
          ],
        },
        /accounts\[0\]\.phoneNumbers\[0\]: unknown key 'smsURL' \(known: number, smsUrl, smsMethod, smsFallbackUrl, smsFallbackMethod\)/,
      ],
      [
        {
          accounts: [
            {
              sid: DEFAULT_ACCOUNT_SID,
              authToken: DEFAULT_AUTH_TOKEN,
              phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: 'http://127.0.0.1:3000/sms', smsMethod: 'PUT' }],
            },
          ],
        },
        /^\[twilio-double\] accounts\[0\]\.phoneNumbers\[0\]\.smsMethod: expected 'GET' or 'POST' \(got "PUT"\)$/,
      ],
      [
        {
          accounts: [
            {
              sid: DEFAULT_ACCOUNT_SID,
              authToken: DEFAULT_AUTH_TOKEN,
              messagingServices: [
                { sid: DEFAULT_MESSAGING_SERVICE_SID, inboundUrl: 'http://127.0.0.1:3000/sms' },
              ],
            },
          ],
        },
        /accounts\[0\]\.messagingServices\[0\]: unknown key 'inboundUrl' \(known: sid, senders, statusCallback, inboundRequestUrl,/,
      ],
      [
        {
          accounts: [
            { sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, phoneNumbers: ['+1 555 CALL ME'] },
          ],
        },
        /accounts: phone number '\+1 555 CALL ME' of AC[0-9a-f]{32} is no number a message can come from: write it in E\.164 \('\+15550001111'\), as a short code, an alphanumeric sender ID or a channel address \(whatsapp:\+15550001111\)/,
      ],
      // a webhook no delivery could reach (no scheme): refused when declared, not when its first message comes
      [
        {
          accounts: [
            {
              sid: DEFAULT_ACCOUNT_SID,
              authToken: 't',
              phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: 'localhost:3000/sms' }],
            },
          ],
        },
        /^\[twilio-double\] accounts: smsUrl of \+15005550006 \(AC0{31}1\) must be an http or https URL, such as http:\/\/127\.0\.0\.1:3000\/sms \(got "localhost:3000\/sms"\)$/,
      ],
      [
        {
          accounts: [
            {
              sid: DEFAULT_ACCOUNT_SID,
              authToken: 't',
              phoneNumbers: [
                { number: DEFAULT_FROM, smsUrl: 'http://127.0.0.1:3000/sms', smsFallbackUrl: 'ftp://x/y' },
              ],
            },
          ],
        },
        /accounts: smsFallbackUrl of \+15005550006 \(AC0{31}1\) must be an http or https URL/,
      ],
      [
        {
          accounts: [
            {
              sid: DEFAULT_ACCOUNT_SID,
              authToken: 't',
              messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, statusCallback: '/status' }],
            },
          ],
        },
        /accounts: statusCallback of MG0{31}1 \(AC0{31}1\) must be an http or https URL/,
      ],
      [
        {
          accounts: [
            {
              sid: DEFAULT_ACCOUNT_SID,
              authToken: 't',
              messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, inboundRequestUrl: 'x' }],
            },
          ],
        },
        /accounts: inboundRequestUrl of MG0{31}1 \(AC0{31}1\) must be an http or https URL/,
      ],
      [
        {
          accounts: [
            {
              sid: DEFAULT_ACCOUNT_SID,
              authToken: 't',
              applications: [{ sid: `AP${'0'.repeat(32)}`, messageStatusCallback: 'cb' }],
            },
          ],
        },
        /accounts: messageStatusCallback of AP0{32} \(AC0{31}1\) must be an http or https URL/,
      ],
    ]
    for (const [options, message] of cases)
      expect(() => createTwilioDouble(options as never), JSON.stringify(options)).toThrow(message)
  })

  it('reads a number the account owns written without +1 as the US number it is, as a From is read', async () => {
    const d = createTwilioDouble({
      accounts: [
        { sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, phoneNumbers: ['(555) 000-9999'] },
      ],
    })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: d.httpClient() as never })
    const sent = await direct.messages.create({ from: '+15550009999', to: '+15550001111', body: 'owned' })
    expect(sent.from).toBe('+15550009999')
    await expect(
      direct.messages.create({ from: '+15550008888', to: '+15550001111', body: 'not owned' }),
    ).rejects.toMatchObject({ code: 21606 })
  })

  it('states the scheduling window in the units it was given', async () => {
    const d = createTwilioDouble({ scheduling: { minAhead: '5m', maxAhead: '1h' } })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: d.httpClient() as never })
    await expect(scheduleIn(direct, d, 2)).rejects.toMatchObject({
      code: 35114,
      message: expect.stringContaining('between 5 minutes and 1 hour'),
    })
  })

  it("refuses a scheduled message beyond the account's limit with 35125; canceled and sent ones free their place", async () => {
    const d = createTwilioDouble({ scheduling: { maxScheduled: 2 } })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: d.httpClient() as never })
    const schedule = (hours: number) => scheduleIn(direct, d, hours)
    const first = await schedule(2)
    const second = await schedule(3)
    expect([first.status, second.status]).toEqual(['scheduled', 'scheduled'])
    await expect(schedule(4)).rejects.toMatchObject({
      status: 400,
      code: 35125,
      message: 'Maximum limit reached in the account for scheduling messages',
    })
    // a message sent now does not count, nor is it refused
    const now = await direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'now' })
    expect(now.status).toBe('queued')
    await direct.messages(first.sid).update({ status: 'canceled' })
    expect((await schedule(4)).status).toBe('scheduled')
    await expect(schedule(5)).rejects.toMatchObject({ code: 35125 })
    // once the second is sent (its SendAt passed), its place is free again
    await d.advance('3h')
    expect((await direct.messages(second.sid).fetch()).status).not.toBe('scheduled')
    expect((await schedule(5)).status).toBe('scheduled')
    await expect(schedule(6)).rejects.toMatchObject({ code: 35125 })
    // a reset starts the count again
    d.reset()
    expect((await schedule(2)).status).toBe('scheduled')
  })

  it('frees the place of a scheduled message that retention drops', async () => {
    const d = createTwilioDouble({ scheduling: { maxScheduled: 1 }, retention: { maxMessages: 1 } })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: d.httpClient() as never })
    const schedule = () => scheduleIn(direct, d, 2)
    const first = await schedule()
    // the next create pushes the scheduled message out of the store: it will never be sent
    await direct.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'now' })
    await expect(direct.messages(first.sid).fetch()).rejects.toMatchObject({ status: 404 })
    expect((await schedule()).status).toBe('scheduled')
  })

  it('counts seeded scheduled messages too, until they are canceled', async () => {
    const d = createTwilioDouble({ scheduling: { maxScheduled: 1 } })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: d.httpClient() as never })
    const seeded = seedMessage(d, { status: 'scheduled' })
    await expect(scheduleIn(direct, d, 2)).rejects.toMatchObject({ code: 35125 })
    expect((await direct.messages(seeded.sid!).update({ status: 'canceled' })).status).toBe('canceled')
    expect((await scheduleIn(direct, d, 2)).status).toBe('scheduled')
  })

  it('frees the place of a scheduled message a seed replaces, and sends no callback of it', async () => {
    const d = createTwilioDouble({ scheduling: { maxScheduled: 1 } })
    const direct = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: d.httpClient() as never })
    const first = await scheduleIn(direct, d, 2, DEFAULT_MESSAGING_SERVICE_SID, `${h.receiver.base}/status`)
    seedMessage(d, { sid: first.sid, status: 'delivered', body: 'seeded' })
    expect((await scheduleIn(direct, d, 2)).status).toBe('scheduled')
    await d.settle()
    expect(h.receiver.received.filter((r) => r.params.MessageSid === first.sid)).toEqual([])
    expect((await direct.messages(first.sid).fetch()).body).toBe('seeded')
  })

  it('counts the scheduled messages of each account apart', async () => {
    const other = { sid: `AC${'b'.repeat(32)}`, token: 'other-token', service: `MG${'b'.repeat(32)}` }
    const d = createTwilioDouble({
      scheduling: { maxScheduled: 1 },
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }],
        },
        {
          sid: other.sid,
          authToken: other.token,
          messagingServices: [{ sid: other.service, senders: ['+15550007777'] }],
        },
      ],
    })
    const schedule = (sid: string, token: string, service: string) =>
      scheduleIn(twilio(sid, token, { httpClient: d.httpClient() as never }), d, 2, service)
    expect(
      (await schedule(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_MESSAGING_SERVICE_SID)).status,
    ).toBe('scheduled')
    expect((await schedule(other.sid, other.token, other.service)).status).toBe('scheduled')
    await expect(
      schedule(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_MESSAGING_SERVICE_SID),
    ).rejects.toMatchObject({ code: 35125 })
    await expect(schedule(other.sid, other.token, other.service)).rejects.toMatchObject({ code: 35125 })
  })

  it('refuses a scheduling limit that is no whole number', () => {
    expect(() => createTwilioDouble({ scheduling: { maxScheduled: 1.5 } })).toThrow(
      /\[twilio-double\] createTwilioDouble\(\): scheduling\.maxScheduled: expected a whole number of messages >= 0 \(got 1\.5\)/,
    )
  })
})

describe("the twilio package's express webhook() middleware", () => {
  let base = ''
  let close: () => Promise<void>
  const accepted: Record<string, string>[] = []
  beforeAll(async () => {
    const app = express()
    app.use(express.urlencoded({ extended: false }))
    app.post('/sms/status', twilio.webhook(DEFAULT_AUTH_TOKEN), (req, res) => {
      accepted.push(req.body)
      res.status(200).end()
    })
    app.post(
      '/pinned/status',
      twilio.webhook(DEFAULT_AUTH_TOKEN, { url: 'http://placeholder' }),
      (_req, res) => {
        res.status(200).end()
      },
    )
    const listener = app.listen(0, '127.0.0.1')
    await new Promise<void>((r) => listener.once('listening', () => r()))
    base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
    close = () =>
      new Promise<void>((r) => {
        listener.closeAllConnections()
        listener.close(() => r())
      })
  })
  afterAll(() => close())

  it('accepts the signed status callbacks', async () => {
    const m = await client.messages.create({
      from: DEFAULT_FROM,
      to: '+15550001111',
      body: 'Hello',
      statusCallback: `${base}/sms/status`,
    })
    await h.double.settle()
    expect(h.double.callbacks.list({ messageSid: m.sid }).map((d) => [d.status, d.responseStatus])).toEqual([
      ['sent', 200],
      ['delivered', 200],
    ])
    expect(accepted.map((p) => p.MessageStatus)).toEqual(['sent', 'delivered'])
  })

  it('accepts them with the url option set to the configured callback URL', async () => {
    const app = express()
    app.use(express.urlencoded({ extended: false }))
    const url = 'https://public.example.com/sms/status?site=1'
    app.post(
      '/sms/status',
      twilio.webhook(DEFAULT_AUTH_TOKEN, { url }),
      (_req, res) => void res.status(200).end(),
    )
    // The app sits behind a proxy: Twilio signs the public URL, the request reaches the app in-process.
    h.double.callbacks.handle('https://public.example.com/', async (request) => {
      const listener = app.listen(0, '127.0.0.1')
      await new Promise<void>((r) => listener.once('listening', () => r()))
      try {
        const port = (listener.address() as AddressInfo).port
        return await fetch(`http://127.0.0.1:${port}/sms/status?site=1`, {
          method: 'POST',
          headers: request.headers,
          body: await request.text(),
        })
      } finally {
        listener.closeAllConnections()
        listener.close()
      }
    })
    await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi', statusCallback: url })
    await h.double.settle()
    expect(h.double.callbacks.list().map((d) => d.responseStatus)).toEqual([200, 200])
  })

  it('rejects them (403) when the configured URL differs from the signed one', async () => {
    await client.messages.create({
      from: DEFAULT_FROM,
      to: '+15550001111',
      body: 'Hi',
      statusCallback: `${base}/pinned/status`,
    })
    await h.double.settle()
    expect(h.double.callbacks.list().map((d) => d.responseStatus)).toEqual([403, 403])
    expect(h.double.callbacks.list()[0]!.responseBody).toBe('Twilio Request Validation Failed.')
  })
})

describe('where status callbacks go', () => {
  const SERVICE = 'MG00000000000000000000000000000002'
  const APP = 'AP00000000000000000000000000000001'
  let routed: TwilioDouble
  let routedServer: ReturnType<typeof mswFor>
  beforeAll(() => {
    h.server.close()
    routed = createTwilioDouble({
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          messagingServices: [
            { sid: SERVICE, senders: [DEFAULT_FROM], statusCallback: `${h.receiver.base}/service` },
          ],
          applications: [{ sid: APP, messageStatusCallback: `${h.receiver.base}/application` }],
        },
      ],
    })
    routedServer = mswFor(routed)
  })
  afterAll(() => {
    routedServer.close()
    h.server = mswFor(h.double)
  })
  afterEach(() => routed.reset())

  const paths = () => h.receiver.received.map((r) => `${r.path} ${r.params.MessageStatus}`)

  it("uses the messaging service's status callback when the message names none", async () => {
    await client.messages.create({ messagingServiceSid: SERVICE, to: '+15550001111', body: 'Hi' })
    await routed.settle()
    expect(paths()).toEqual(['/service queued', '/service sent', '/service delivered'])
  })

  it("prefers StatusCallback to the messaging service's", async () => {
    await client.messages.create({
      messagingServiceSid: SERVICE,
      to: '+15550001111',
      body: 'Hi',
      statusCallback: `${h.receiver.base}/message`,
    })
    await routed.settle()
    expect(paths()).toEqual(['/message queued', '/message sent', '/message delivered'])
  })

  it("prefers the application's message status callback to StatusCallback, and tells it sent or failed only", async () => {
    await client.messages.create({
      messagingServiceSid: SERVICE,
      to: '+15550001111',
      body: 'Hi',
      applicationSid: APP,
      statusCallback: `${h.receiver.base}/message`,
    })
    await routed.settle()
    expect(paths()).toEqual(['/application sent'])
    routed.scenarios.use({ then: { deliver: 'failed', errorCode: 30007 } })
    await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi', applicationSid: APP })
    await routed.settle()
    expect(paths()).toEqual(['/application sent', '/application failed'])
    expect(h.receiver.received[1]!.params.ErrorCode).toBe('30007')
  })

  it('sends no callback when no URL applies', async () => {
    await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi' })
    await routed.settle()
    expect(h.receiver.received).toEqual([])
    expect(routed.callbacks.list()).toEqual([])
  })
})
