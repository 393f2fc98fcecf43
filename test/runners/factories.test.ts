import { faker as sharedFaker } from '@faker-js/faker/locale/en'
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'
import { knownErrorCodes } from '../../src/errors/catalog.js'
import { createFactories, type FactoryChannel } from '../../src/factories/index.js'
import type { MessageDirection, MessageStatus } from '../../src/schemas/common.js'
import { messageStatus } from '../../src/schemas/common.js'
import {
  errorSchema,
  feedbackSchema,
  mediaPageSchema,
  mediaSchema,
  messagePageSchema,
  messageSchema,
} from '../../src/schemas/message.js'
import { createMessageParamsSchema } from '../../src/schemas/params.js'
import { inboundWebhookSchema, statusCallbackSchema } from '../../src/schemas/webhooks.js'
import { checkResponse } from '../support/openapi.js'

const SEEDS = Array.from({ length: 60 }, (_, i) => i * 7919 + 1)
const CHANNELS: FactoryChannel[] = ['sms', 'mms', 'whatsapp']
const OUTBOUND: MessageDirection[] = ['outbound-api', 'outbound-reply', 'outbound-call']
const STATUSES = messageStatus.options.filter((s) => s !== 'received' && s !== 'receiving')
const CALLBACK_STATUSES = [
  'queued',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'read',
  'canceled',
] as const

function expectOpenApi(method: string, path: string | null, status: number, body: unknown): void {
  expect(path).toBeTruthy()
  expect(checkResponse(method, path!, status, body, { allProperties: true })).toEqual([])
}

describe('factories: every output is a valid wire shape', () => {
  it('messages in every status, channel and direction parse and match the OpenAPI slice', () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const f = createFactories({ seed })
      for (const channel of CHANNELS) {
        for (const status of STATUSES as MessageStatus[]) {
          const m = f.message({ status, channel, direction: f.faker.helpers.arrayElement(OUTBOUND) })
          expect(messageSchema.parse(m)).toEqual(m)
          expect(m.status).toBe(status)
          expectOpenApi('GET', m.uri, 200, m)
        }
        const inbound = f.inboundMessage({ channel })
        expect(messageSchema.parse(inbound).direction).toBe('inbound')
        expect(inbound.status).toBe('received')
        expectOpenApi('GET', inbound.uri, 200, inbound)
      }
    }
  })

  it('messages drawn with no input parse over many seeds', () => {
    for (const seed of SEEDS) {
      const f = createFactories({ seed })
      for (let i = 0; i < 10; i++) messageSchema.parse(f.message())
    }
  })

  it('keeps messages self-consistent: channel, sids, dates, prices, errors', () => {
    for (const seed of SEEDS) {
      const f = createFactories({ seed })
      const mms = f.message({ channel: 'mms', status: 'delivered' })
      expect(mms.sid).toMatch(/^MM/)
      expect(Number(mms.num_media)).toBeGreaterThan(0)
      expect(mms.price).toBe('-0.02000')
      const wa = f.message({ channel: 'whatsapp', status: 'read' })
      expect(wa.to).toMatch(/^whatsapp:\+1\d{10}$/)
      expect(wa.from).toMatch(/^whatsapp:\+1\d{10}$/)
      const queued = f.message({ status: 'queued', channel: 'sms' })
      expect(queued.sid).toMatch(/^SM/)
      expect(queued.date_sent).toBeNull()
      expect(queued.price).toBeNull()
      const delivered = f.message({ status: 'delivered' })
      expect(Date.parse(delivered.date_sent!)).toBeGreaterThan(Date.parse(delivered.date_created!))
      expect(Date.parse(delivered.date_updated!)).toBeGreaterThanOrEqual(Date.parse(delivered.date_sent!))
      expect(Date.parse(delivered.date_created!)).toBeLessThan(Date.UTC(2024, 0, 1))
      const failed = f.message({ status: 'undelivered' })
      expect(failed.error_code).toBeGreaterThanOrEqual(30003)
      expect(failed.error_message).toBeTruthy()
      const accepted = f.message({ status: 'accepted' })
      expect(accepted.messaging_service_sid).toMatch(/^MG/)
      expect(accepted.from).toBeNull()
      expect(accepted.num_segments).toBe('0')
    }
  })

  it('takes given values and overrides', () => {
    const f = createFactories()
    const m = f.message(
      { to: '+15550001111', from: '+15005550006', body: 'Hi', status: 'failed', errorCode: 30007 },
      { price_unit: 'EUR' },
    )
    expect(m).toMatchObject({
      to: '+15550001111',
      from: '+15005550006',
      body: 'Hi',
      status: 'failed',
      error_code: 30007,
      error_message: 'Message filtered',
      price_unit: 'EUR',
      num_segments: '1',
    })
    expect(f.message({ channel: 'whatsapp', to: '+15550001111' }).to).toBe('whatsapp:+15550001111')
    expect(createFactories({ now: '2030-06-01T00:00:00Z' }).message().date_created).toMatch(/2030 /)
  })

  it('media, media pages and feedback parse and match the slice', () => {
    for (const seed of SEEDS) {
      const f = createFactories({ seed })
      const parent = f.message({ channel: 'mms', numMedia: 2 })
      const media = f.media({ message: parent })
      expect(mediaSchema.parse(media).parent_sid).toBe(parent.sid)
      expectOpenApi('GET', media.uri, 200, media)
      const page = f.mediaPage({ message: parent, total: 2 })
      expect(mediaPageSchema.parse(page).media_list).toHaveLength(2)
      expectOpenApi('GET', page.uri, 200, page)
      const feedback = f.feedback({ message: parent })
      expect(feedbackSchema.parse(feedback).message_sid).toBe(parent.sid)
      // the slice declares 200 for CreateMessageFeedback
      expectOpenApi('POST', feedback.uri, 200, feedback)
    }
  })

  it('a media page of a given message lists its media count unless told otherwise', () => {
    const f = createFactories({ seed: 8 })
    for (const numMedia of [1, 2, 5]) {
      const parent = f.message({ channel: 'mms', numMedia })
      expect(f.mediaPage({ message: parent }).media_list).toHaveLength(numMedia)
      expect(f.mediaPage({ message: parent, total: 1 }).media_list).toHaveLength(1)
    }
    expect(f.mediaPage().media_list).toHaveLength(3)
  })

  it('message pages parse, match the slice and carry consistent paging URIs', () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const f = createFactories({ seed })
      const page = f.messagePage({ total: 120, pageSize: 50, page: 1, filters: { To: '+15550001111' } })
      expect(messagePageSchema.parse(page).messages).toHaveLength(50)
      expectOpenApi('GET', page.uri, 200, page)
      expect(page).toMatchObject({ page: 1, page_size: 50, start: 50, end: 99 })
      const path = `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`
      expect(page.first_page_uri).toBe(`${path}?To=%2B15550001111&PageSize=50&Page=0`)
      expect(page.next_page_uri).toBe(
        `${path}?To=%2B15550001111&PageSize=50&Page=2&PageToken=PA${page.messages.at(-1)!.sid}`,
      )
      expect(page.previous_page_uri).toBe(
        `${path}?To=%2B15550001111&PageSize=50&Page=0&PageToken=PB${page.messages[0]!.sid}`,
      )
      expect(page.uri).toMatch(
        /^\/2010-04-01\/.*Messages\.json\?To=%2B15550001111&PageSize=50&Page=1&PageToken=PASM/,
      )
      expect(page.messages.every((m) => m.to === '+15550001111')).toBe(true)
      const dates = page.messages.map((m) => Date.parse(m.date_sent ?? m.date_created!))
      expect(dates).toEqual([...dates].sort((a, b) => b - a))

      const last = f.messagePage({ total: 120, pageSize: 50, page: 2 })
      expect(last.messages).toHaveLength(20)
      expect(last.next_page_uri).toBeNull()
      expect(last).toMatchObject({ start: 100, end: 119 })
      const empty = f.messagePage({ total: 0 })
      expect(empty).toMatchObject({
        messages: [],
        start: 0,
        end: 0,
        next_page_uri: null,
        previous_page_uri: null,
      })
      expectOpenApi('GET', empty.uri, 200, empty)
    }
  })

  it('reads its pages with the real twilio client as the double would serve them', async () => {
    const f = createFactories({ seed: 3 })
    const first = f.messagePage({ total: 3, pageSize: 2 })
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: {
        request: async () => ({ statusCode: 200, body: JSON.stringify(first), headers: {} }),
      } as never,
    })
    const page = await client.messages.page({ pageSize: 2 })
    expect(page.instances.map((m) => m.sid)).toEqual(first.messages.map((m) => m.sid))
    expect(page.nextPageUrl).toBe(`https://api.twilio.com${first.next_page_uri}`)
  })

  it('error bodies for every catalog code parse and equal what the double answers', async () => {
    const f = createFactories({ seed: 9 })
    for (const code of knownErrorCodes()) {
      const body = f.error(code)
      expect(errorSchema.parse(body)).toEqual(body)
      expect(body.code).toBe(code)
      expect(body.more_info).toBe(`https://www.twilio.com/docs/errors/${code}`)
      expectOpenApi('POST', `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`, body.status, body)
    }
    const double = createTwilioDouble()
    const response = await double.handle(
      new Request(`https://api.twilio.com/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'To=%2B15005550001&From=%2B15005550006&Body=x',
      }),
    )
    expect(f.error(21211, { to: '+15005550001' })).toEqual(await response.json())
    expect(() => f.error(0)).toThrow(/\[twilio-double\] error\(code\)/)
  })

  it('status callbacks parse and carry a signature the twilio library accepts', () => {
    for (const seed of SEEDS) {
      const f = createFactories({ seed, authToken: 'secret-token' })
      for (const status of CALLBACK_STATUSES) {
        const channel = f.faker.helpers.arrayElement(CHANNELS)
        const cb = f.statusCallback({ status, channel, url: 'https://app.example.com/hooks/status?tenant=7' })
        expect(statusCallbackSchema.parse(cb.params)).toEqual(cb.params)
        expect(cb.params.MessageStatus).toBe(status)
        expect(cb.params.SmsSid).toBe(cb.params.MessageSid)
        expect(twilio.validateRequest('secret-token', cb.signature, cb.url, cb.params)).toBe(true)
        expect(twilio.validateRequest('other-token', cb.signature, cb.url, cb.params)).toBe(false)
        expect(cb.headers['x-twilio-signature']).toBe(cb.signature)
        expect(Object.fromEntries(new URLSearchParams(cb.body))).toEqual(cb.params)
        if (status === 'failed' || status === 'undelivered') expect(cb.params.ErrorCode).toMatch(/^\d+$/)
        else expect(cb.params.ErrorCode).toBeUndefined()
        if (status === 'read') expect(cb.params.EventType).toBe('READ')
        if (cb.params.ChannelPrefix === 'whatsapp' && status !== 'canceled')
          expect(cb.params.ChannelInstallSid).toMatch(/^XE[0-9a-f]{32}$/)
        else expect(cb.params.ChannelInstallSid).toBeUndefined()
      }
    }
  })

  it('builds the callback of a given message, and a Request an app can take', async () => {
    const f = createFactories({ seed: 5 })
    const m = f.message({ status: 'undelivered', errorCode: 30005, channel: 'sms' })
    const cb = f.statusCallback({ message: m, url: 'https://app.example.com/status' })
    expect(cb.params).toMatchObject({
      MessageSid: m.sid,
      MessageStatus: 'undelivered',
      ErrorCode: '30005',
      To: m.to,
      From: m.from,
      AccountSid: DEFAULT_ACCOUNT_SID,
    })
    expect(cb.params.RawDlrDoneDate).toMatch(/^\d{10}$/)
    const request = cb.request()
    expect(request.method).toBe('POST')
    expect(request.headers.get('x-twilio-signature')).toBe(cb.signature)
    const form = Object.fromEntries(new URLSearchParams(await request.text()))
    expect(twilio.validateRequest(DEFAULT_AUTH_TOKEN, cb.signature, cb.url, form)).toBe(true)
  })

  it('a canceled message and its callback look as the double answers them', async () => {
    const double = createTwilioDouble()
    const hook = 'https://app.example.com/status'
    double.callbacks.handle(hook, () => new Response(null, { status: 204 }))
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    const scheduled = await client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: '+15550001111',
      body: 'See you tomorrow',
      scheduleType: 'fixed',
      sendAt: new Date(Date.now() + 2 * 3_600_000),
      statusCallback: hook,
    })
    await client.messages(scheduled.sid).update({ status: 'canceled' })
    await double.settle()
    const real = double.messages.get(scheduled.sid)!
    const realCallback = double.callbacks.list({ messageSid: scheduled.sid, status: 'canceled' })[0]!.params
    for (const seed of SEEDS.slice(0, 10)) {
      const f = createFactories({ seed })
      const made = f.message({ status: 'canceled', body: 'See you tomorrow' })
      const pick = (m: typeof real) => ({
        num_segments: m.num_segments,
        from: m.from,
        date_sent: m.date_sent,
        price: m.price,
        error_code: m.error_code,
      })
      expect(pick(made)).toEqual(pick(real))
      const callback = f.statusCallback({ status: 'canceled' }).params
      expect(Object.keys(callback).sort()).toEqual(Object.keys(realCallback).sort())
      expect(callback.From).toBe(realCallback.From)
      expect(f.statusCallback({ message: made }).params.From).toBe(realCallback.From)
    }
  })

  it('signed forms carry the headers the double sends, the idempotency token included', async () => {
    const double = createTwilioDouble()
    const hook = 'https://app.example.com/status'
    double.callbacks.handle(hook, () => new Response(null, { status: 204 }))
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    const sent = await client.messages.create({
      from: '+15005550006',
      to: '+15550001111',
      body: 'Hi',
      statusCallback: hook,
    })
    await double.settle()
    const real = double.callbacks.list({ messageSid: sent.sid, status: 'delivered' })[0]!.headers
    expect(real['i-twilio-idempotency-token']).toBe(`${sent.sid}-delivered`)
    const f = createFactories({ seed: 4 })
    const cb = f.statusCallback({ status: 'delivered' })
    expect(Object.keys(cb.headers).sort()).toEqual(Object.keys(real).sort())
    expect(cb.headers['i-twilio-idempotency-token']).toBe(`${cb.params.MessageSid}-delivered`)
    expect(cb.request().headers.get('i-twilio-idempotency-token')).toBe(`${cb.params.MessageSid}-delivered`)
    const hookForm = f.inboundWebhook()
    expect(hookForm.headers['i-twilio-idempotency-token']).toBe(`${hookForm.params.MessageSid}-received`)
  })

  it('status callbacks carry the channel and service fields the double sends with them', () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const f = createFactories({ seed })
      for (const status of ['failed', 'undelivered'] as const) {
        const m = f.message({ channel: 'whatsapp', status })
        const params = f.statusCallback({ message: m }).params
        expect(params.ChannelStatusMessage).toBe(m.error_message)
        expect(f.statusCallback({ channel: 'whatsapp', status }).params.ChannelStatusMessage).toMatch(/\w/)
      }
      expect(f.statusCallback({ channel: 'whatsapp', status: 'delivered' }).params).not.toHaveProperty(
        'ChannelStatusMessage',
      )
      // only a message sent through a messaging service has a queued callback
      expect(f.statusCallback({ status: 'queued' }).params.MessagingServiceSid).toMatch(/^MG/)
      // a WhatsApp message canceled while scheduled never got a sender, nor its channel install
      const canceled = f.statusCallback({ channel: 'whatsapp', status: 'canceled' }).params
      expect(canceled.From).toBe('')
      expect(canceled).not.toHaveProperty('ChannelInstallSid')
      expect(canceled.ChannelPrefix).toBe('whatsapp')
    }
  })

  it('a WhatsApp inbound webhook carries the parameters the double sends, in their order', async () => {
    const business = 'whatsapp:+15005550007'
    const hook = 'https://app.example.com/whatsapp'
    const double = createTwilioDouble({
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          phoneNumbers: [{ number: business, smsUrl: hook }],
        },
      ],
    })
    double.callbacks.handle(hook, () => new Response(null, { status: 204 }))
    await double.inbound({ from: 'whatsapp:+15550004444', to: business, body: 'Where is my order?' })
    const real = double.callbacks.list({ kind: 'inbound' })[0]!.params
    for (const seed of SEEDS.slice(0, 10)) {
      const made = createFactories({ seed }).inboundWebhook({
        channel: 'whatsapp',
        body: 'Where is my order?',
      })
      expect(Object.keys(made.params)).toEqual(Object.keys(real))
      expect(made.params.MessageType).toBe('text')
    }
  })

  it('inbound webhooks parse, carry media for MMS, WhatsApp fields, and a valid signature', () => {
    for (const seed of SEEDS) {
      const f = createFactories({ seed })
      for (const channel of CHANNELS) {
        const hook = f.inboundWebhook({ channel, url: 'https://app.example.com/inbound' })
        expect(inboundWebhookSchema.parse(hook.params)).toEqual(hook.params)
        expect(twilio.validateRequest(DEFAULT_AUTH_TOKEN, hook.signature, hook.url, hook.params)).toBe(true)
        const n = Number(hook.params.NumMedia)
        if (channel === 'mms') {
          expect(n).toBeGreaterThan(0)
          expect(hook.params.MessageSid).toMatch(/^MM/)
          expect(hook.params[`MediaUrl${n - 1}`]).toMatch(
            new RegExp(
              `^https://api\\.twilio\\.com/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/MM[0-9a-f]{32}/Media/ME[0-9a-f]{32}$`,
            ),
          )
        } else expect(n).toBe(0)
        if (channel === 'whatsapp') {
          expect(hook.params.From).toMatch(/^whatsapp:\+/)
          expect(hook.params.WaId).toBe(hook.params.From.replace('whatsapp:+', ''))
          expect(hook.params.FromCity).toBeUndefined()
        } else expect(hook.params.FromCountry).toBe('US')
      }
    }
  })

  it('create parameters parse', () => {
    for (const seed of SEEDS) {
      const f = createFactories({ seed })
      for (const channel of CHANNELS) {
        const p = f.createParams({
          channel,
          messagingService: seed % 2 === 0,
          statusCallback: 'https://a.test/s',
        })
        expect(createMessageParamsSchema.parse(p)).toEqual(p)
        expect(p.From === undefined).toBe(seed % 2 === 0)
        if (channel === 'mms') expect(p.MediaUrl?.length).toBeGreaterThan(0)
      }
    }
  })

  it('rejects impossible pages and dates with a message saying what to pass', () => {
    const f = createFactories()
    expect(() => f.messagePage({ pageSize: 0 })).toThrow(/pageSize must be an integer from 1 to 1000/)
    expect(() => f.messagePage({ total: -1 })).toThrow(/total must be an integer >= 0/)
    expect(() => f.mediaPage({ page: 1.5 })).toThrow(/page must be an integer >= 0/)
    expect(() => createFactories({ now: 'yesterday' })).toThrow(
      /\[twilio-double\] createFactories\(\{ now \}\)/,
    )
  })
})

describe('factories: seeded determinism', () => {
  const everything = (seed: number) => {
    const f = createFactories({ seed })
    return [
      f.message(),
      f.message({ channel: 'whatsapp', status: 'read' }),
      f.inboundMessage({ channel: 'mms' }),
      f.media(),
      f.feedback(),
      f.messagePage({ total: 7, pageSize: 3, page: 1 }),
      f.mediaPage(),
      f.error(21610),
      f.statusCallback({ status: 'delivered' }).params,
      f.inboundWebhook({ channel: 'mms' }).params,
      f.createParams(),
    ]
  }

  it('gives the same outputs for the same seed', () => {
    for (const seed of SEEDS.slice(0, 10)) expect(everything(seed)).toEqual(everything(seed))
  })

  it('gives different outputs for different seeds', () => {
    expect(everything(1)).not.toEqual(everything(2))
    expect(createFactories({ seed: 1 }).message().sid).not.toBe(createFactories({ seed: 2 }).message().sid)
  })

  it('seed() restarts the sequence', () => {
    const f = createFactories({ seed: 11 })
    const a = [f.message(), f.message()]
    f.seed(11)
    expect([f.message(), f.message()]).toEqual(a)
  })

  it('leaves the shared faker instance alone', () => {
    sharedFaker.seed(123)
    const before = [sharedFaker.string.uuid(), sharedFaker.person.fullName()]
    sharedFaker.seed(123)
    const f = createFactories({ seed: 1 })
    f.message()
    f.faker.seed(99)
    f.statusCallback()
    expect([sharedFaker.string.uuid(), sharedFaker.person.fullName()]).toEqual(before)
    expect(f.faker).not.toBe(sharedFaker)
  })
})
