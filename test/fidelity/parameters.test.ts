/**
 * Parameters of Create Message that Twilio acts on in ways a test can observe, driven through the real `twilio`
 * client: senders (alphanumeric IDs to the US and Canada, US numbers written without their country code), and
 * each refusal answered with Twilio's code and message, with nothing stored.
 */
import twilio from 'twilio'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import { type CreateTwilioDoubleOptions, createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { DOORS, useDoor } from '../support/doors.js'

const TO = '+15550001111'

/** The client's refusal of `call`, as the fields a test reads. */
async function refusal(call: () => Promise<unknown>) {
  const err = await call().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err, 'the call was expected to be refused').toBeInstanceOf(twilio.RestException)
  const e = err as InstanceType<typeof twilio.RestException>
  return { status: e.status, code: e.code, message: e.message, moreInfo: e.moreInfo }
}

/** A create Twilio refuses: its parameters (beside From, To and Body), and the code and message of the refusal. */
interface Refusal {
  title: string
  params: Record<string, unknown>
  code: number
  message: string
}

describe.each(DOORS)('create parameters through the %s door', (kind) => {
  const door = useDoor(kind)
  let double: TwilioDouble
  let client: twilio.Twilio
  const use = (options: CreateTwilioDoubleOptions = {}) => {
    double = createTwilioDouble({ seed: 'parameters', startTime: DEFAULT_START_TIME, ...options })
    client = door.connect(double)
  }
  beforeEach(() => use())

  /**
   * Declares a test per case: the create (`From` the default sender, `To` TO and `Body` Hi, unless the case's
   * parameters say otherwise) is refused with status 400 and the case's code and message, and nothing is stored.
   */
  const itRefuses = (cases: Refusal[]) =>
    it.each(cases.map((c) => [`${c.title} is refused with ${c.code}, and nothing is stored`, c] as const))(
      '%s',
      async (_, { params, code, message }) => {
        const call = () => client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hi', ...params })
        expect(await refusal(call)).toEqual({
          status: 400,
          code,
          message,
          moreInfo: `https://www.twilio.com/docs/errors/${code}`,
        })
        expect(double.messages.count()).toBe(0)
      },
    )

  describe('an alphanumeric sender ID', () => {
    itRefuses(
      [
        ['the US', TO],
        ['Canada', '+14165550123'],
      ].map(([country, to]) => ({
        title: `to ${country}`,
        params: { from: 'MyBrand', to },
        code: 21612,
        message: `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: MyBrand via SMS.`,
      })),
    )

    it('to another country is sent', async () => {
      const m = await client.messages.create({ from: 'MyBrand', to: '+447400123456', body: 'Hi' })
      await double.settle()
      expect([m.from, double.messages.get(m.sid)?.status]).toEqual(['MyBrand', 'delivered'])
    })
  })

  describe('MaxPrice', () => {
    itRefuses(
      [0, -1, Number.NaN].map((maxPrice) => ({
        title: String(maxPrice),
        params: { maxPrice },
        code: 21627,
        message: 'Max Price must be a valid positive float',
      })),
    )

    it('fails a message priced above it with 30010 (the document), or has no effect (maxPrice: obsolete)', async () => {
      const low = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hi', maxPrice: 0.001 })
      await double.settle()
      expect(double.messages.get(low.sid)).toMatchObject({ status: 'failed', error_code: 30010 })
      use({ maxPrice: 'obsolete' })
      const ignored = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hi', maxPrice: 0 })
      await double.settle()
      expect(double.messages.get(ignored.sid)?.status).toBe('delivered')
    })
  })

  describe('ContentRetention and AddressRetention', () => {
    itRefuses([
      {
        title: 'contentRetention: forever',
        params: { contentRetention: 'forever' },
        code: 30029,
        message: 'ContentRetention value used in the request is invalid',
      },
      {
        title: 'addressRetention: hide',
        params: { addressRetention: 'hide' },
        code: 30030,
        message: 'AddressRetention value used in the request is invalid',
      },
    ])

    it('discard: the body is gone from every answer once the message is sent', async () => {
      const m = await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        body: 'Your code is 123456',
        contentRetention: 'discard',
      })
      expect(m.body).toBe('Your code is 123456')
      await double.settle()
      expect((await client.messages(m.sid).fetch()).body).toBe('')
      expect((await client.messages.list({ to: TO })).map((r) => [r.sid, r.body, r.to])).toEqual([
        [m.sid, '', TO],
      ])
    })

    it("obfuscate: the recipient's number ends in XXXX in every answer once the message is sent", async () => {
      const m = await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        body: 'Hi',
        addressRetention: 'obfuscate',
        statusCallback: 'https://app.test/status',
      })
      double.callbacks.handle('https://app.test/', () => new Response(null, { status: 204 }))
      expect(m.to).toBe(TO)
      await double.settle()
      const fetched = await client.messages(m.sid).fetch()
      expect([fetched.to, fetched.from, fetched.body]).toEqual(['+1555000XXXX', DEFAULT_FROM, 'Hi'])
      expect(await client.messages.list({ to: TO })).toEqual([])
      expect((await client.messages.list({ from: DEFAULT_FROM })).map((r) => r.to)).toEqual(['+1555000XXXX'])
      expect(double.callbacks.list({ messageSid: m.sid }).map((c) => [c.status, c.params.To])).toEqual([
        ['sent', '+1555000XXXX'],
        ['delivered', '+1555000XXXX'],
      ])
    })

    it('retain (or nothing) keeps both', async () => {
      const m = await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        body: 'Hi',
        contentRetention: 'retain',
        addressRetention: 'retain',
      })
      await double.settle()
      expect(double.messages.get(m.sid)).toMatchObject({ body: 'Hi', to: TO })
    })
  })

  describe('MMS and SendAsMms', () => {
    const CAT = 'https://example.com/cat.png'
    const UK = '+447400123456'

    it('media to the US is one MMS: MM SID, one segment whatever the body, MMS price', async () => {
      const m = await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        body: 'x'.repeat(300),
        mediaUrl: [CAT],
      })
      await double.settle()
      const sent = await client.messages(m.sid).fetch()
      expect([sent.sid.slice(0, 2), sent.numSegments, sent.numMedia, sent.price]).toEqual([
        'MM',
        '1',
        '1',
        '-0.02000',
      ])
    })

    it("media to a country without MMS goes through Twilio's MMS converter: SMS with a link, MM SID, SMS price", async () => {
      const m = await client.messages.create({ from: DEFAULT_FROM, to: UK, body: 'Look', mediaUrl: [CAT] })
      expect(m.sid).toMatch(/^MM/)
      expect(m.body).toMatch(/^Look\nhttps:\/\/m\.twil\.io\/[0-9A-Za-z]{10}$/)
      await double.settle()
      const sent = await client.messages(m.sid).fetch()
      expect([sent.body, sent.numSegments, sent.numMedia, sent.price, sent.status]).toEqual([
        m.body,
        '1',
        '1',
        '-0.05000',
        'delivered',
      ])
      expect((await client.messages(m.sid).media.list()).map((x) => x.contentType)).toEqual(['image/png'])
    })

    it("goes through the converter to the UK's numbers for drama too (+44 7700 900xxx), at the UK's SMS price", async () => {
      const m = await client.messages.create({
        from: DEFAULT_FROM,
        to: '+447700900123',
        body: 'Look',
        mediaUrl: [CAT],
      })
      expect(m.body).toMatch(/^Look\nhttps:\/\/m\.twil\.io\/[0-9A-Za-z]{10}$/)
      await double.settle()
      expect((await client.messages(m.sid).fetch()).price).toBe('-0.05000')
    })

    it('the MMS countries are an option (Twilio also delivers MMS in Australia)', async () => {
      const AU = '+61412345678'
      const converted = await client.messages.create({
        from: DEFAULT_FROM,
        to: AU,
        body: 'Hi',
        mediaUrl: [CAT],
      })
      expect(converted.body).toMatch(/m\.twil\.io/)
      use({ mmsCountries: ['US', 'CA', 'AU'] })
      const m = await client.messages.create({ from: DEFAULT_FROM, to: AU, body: 'Hi', mediaUrl: [CAT] })
      await double.settle()
      expect(double.messages.get(m.sid)).toMatchObject({ body: 'Hi', num_segments: '1' })
    })

    it('SendAsMms sends one MMS without media: MM SID, one segment, MMS price', async () => {
      const m = await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        body: 'y'.repeat(300),
        sendAsMms: true,
      })
      await double.settle()
      const sent = await client.messages(m.sid).fetch()
      expect([sent.sid.slice(0, 2), sent.numSegments, sent.numMedia, sent.price]).toEqual([
        'MM',
        '1',
        '0',
        '-0.02000',
      ])
      const sms = await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        body: 'y'.repeat(300),
        sendAsMms: false,
      })
      await double.settle()
      expect(double.messages.get(sms.sid)).toMatchObject({ num_segments: '2', price: '-0.01580' })
      expect(sms.sid).toMatch(/^SM/)
    })
  })

  describe('ShortenUrls', () => {
    const LONG = 'https://example.com/rewards/sign-up?campaign=spring&ref=abcdef'
    const shortening = (linkShortening?: { domain: string }) =>
      use({
        accounts: [
          {
            sid: DEFAULT_ACCOUNT_SID,
            authToken: DEFAULT_AUTH_TOKEN,
            messagingServices: [
              {
                sid: DEFAULT_MESSAGING_SERVICE_SID,
                senders: [DEFAULT_FROM],
                ...(linkShortening ? { linkShortening } : {}),
              },
            ],
          },
        ],
      })
    const send = (shortenUrls: boolean) =>
      client.messages.create({
        messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
        to: TO,
        body: `Join now: ${LONG}. Or http://example.org/x`,
        shortenUrls,
      })

    it("rewrites the body's links on a messaging service with Link Shortening", async () => {
      shortening({ domain: 'acme.link' })
      const m = await send(true)
      expect(m.body).toMatch(
        /^Join now: https:\/\/acme\.link\/[0-9A-Za-z]{10}\. Or https:\/\/acme\.link\/[0-9A-Za-z]{10}$/,
      )
      await double.settle()
      expect(double.messages.get(m.sid)).toMatchObject({
        body: m.body,
        num_segments: '1',
        status: 'delivered',
      })
      expect((await send(false)).body).toBe(`Join now: ${LONG}. Or http://example.org/x`)
    })

    it('takes a host name as the domain', () => {
      expect(() => shortening({ domain: 'https://acme.link' })).toThrow(
        /^\[twilio-double\] accounts: messaging service MG0+1: linkShortening.domain must be a host name/,
      )
    })

    it('leaves the links as written on a service without Link Shortening (no error)', async () => {
      shortening()
      expect((await send(true)).body).toBe(`Join now: ${LONG}. Or http://example.org/x`)
    })

    itRefuses([
      {
        title: 'without a messaging service',
        params: { body: LONG, shortenUrls: true },
        code: 21619,
        message:
          'Unable to create record: ShortenUrls requires a MessagingServiceSid with Link Shortening configured',
      },
    ])
  })

  describe('ApplicationSid with StatusCallback', () => {
    const APP = `AP${'0'.repeat(31)}1`
    const withApplication = (options: CreateTwilioDoubleOptions = {}) => {
      use({
        ...options,
        accounts: [
          {
            sid: DEFAULT_ACCOUNT_SID,
            authToken: DEFAULT_AUTH_TOKEN,
            applications: [{ sid: APP, messageStatusCallback: 'https://app.test/application' }],
          },
        ],
      })
      double.callbacks.handle('https://app.test/', () => new Response(null, { status: 204 }))
    }
    const heard = async () => {
      const m = await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        body: 'Hi',
        applicationSid: APP,
        statusCallback: 'https://app.test/own',
      })
      await double.settle()
      return double.callbacks.list({ messageSid: m.sid }).map((c) => `${c.url} ${c.status}`)
    }

    it("the application's message status callback is used and StatusCallback ignored (the document)", async () => {
      withApplication()
      expect(await heard()).toEqual(['https://app.test/application sent'])
    })

    it("StatusCallback is used and ApplicationSid ignored with applicationCallback: 'fallback' (Twilio's OpenAPI description)", async () => {
      withApplication({ applicationCallback: 'fallback' })
      expect(await heard()).toEqual(['https://app.test/own sent', 'https://app.test/own delivered'])
      // without StatusCallback, the application's callback is used
      const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hi', applicationSid: APP })
      await double.settle()
      expect(double.callbacks.list({ messageSid: m.sid }).map((c) => `${c.url} ${c.status}`)).toEqual([
        'https://app.test/application sent',
      ])
    })
  })

  describe('a US From written without its country code', () => {
    it.each(['(500) 555-0006', '500-555-0006', '500.555.0006', '1 500 555 0006'])(
      '%s is the +1 number it names',
      async (from) => {
        const m = await client.messages.create({ from, to: TO, body: 'Hi' })
        expect([m.from, m.status]).toEqual([DEFAULT_FROM, 'queued'])
        await double.settle()
        expect(double.messages.list({ from: DEFAULT_FROM }).map((r) => r.sid)).toEqual([m.sid])
      },
    )

    it("is checked as that number: a magic number's refusal, an account's own numbers (21606)", async () => {
      expect(
        (await refusal(() => client.messages.create({ from: '(500) 555-0001', to: TO, body: 'x' }))).code,
      ).toBe(21212)
      use({ accounts: [{ sid: `AC${'1'.repeat(32)}`, authToken: 'token', phoneNumbers: ['+15558675310'] }] })
      client = door.connect(double, { accountSid: `AC${'1'.repeat(32)}`, authToken: 'token' })
      const m = await client.messages.create({ from: '(555) 867-5310', to: TO, body: 'Hi' })
      expect(m.from).toBe('+15558675310')
      expect(
        (await refusal(() => client.messages.create({ from: '(555) 867-5311', to: TO, body: 'x' }))).code,
      ).toBe(21606)
      expect(double.messages.count()).toBe(1)
    })

    it('a number of another length is no sender (21212)', async () => {
      expect(
        await refusal(() => client.messages.create({ from: '(500) 555-000', to: TO, body: 'x' })),
      ).toMatchObject({ status: 400, code: 21212 })
    })
  })

  describe('Attempt', () => {
    it('takes any integer, as the OpenAPI types it (the reference sets no range)', async () => {
      for (const attempt of [1, 0, -1, 12]) {
        const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hi', attempt })
        expect(m.status).toBe('queued')
      }
    })

    itRefuses(
      ['1.5', 'twice', '+1', '--1'].map((attempt) => ({
        title: `Attempt ${attempt}`,
        params: { attempt },
        code: 21619,
        message: 'Unable to create record: Attempt must be an integer',
      })),
    )
  })
})
