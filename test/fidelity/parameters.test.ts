/**
 * Parameters of Create Message that Twilio acts on in ways a test can observe, driven through the real `twilio`
 * client: senders (alphanumeric IDs to the US and Canada, US numbers written without their country code), and
 * each refusal answered with Twilio's code and message, with nothing stored.
 */
import twilio from 'twilio'
import { beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_FROM, DEFAULT_START_TIME } from '../../src/config.js'
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

describe.each(DOORS)('create parameters through the %s door', (kind) => {
  const door = useDoor(kind)
  let double: TwilioDouble
  let client: twilio.Twilio
  const use = (options: CreateTwilioDoubleOptions = {}) => {
    double = createTwilioDouble({ seed: 'parameters', startTime: DEFAULT_START_TIME, ...options })
    client = door.connect(double)
  }
  beforeEach(() => use())

  describe('an alphanumeric sender ID', () => {
    it.each([
      ['the US', TO],
      ['Canada', '+14165550123'],
    ])('to %s is refused with 21612, and nothing is stored', async (_, to) => {
      expect(await refusal(() => client.messages.create({ from: 'MyBrand', to, body: 'Hi' }))).toEqual({
        status: 400,
        code: 21612,
        message: `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: MyBrand via SMS.`,
        moreInfo: 'https://www.twilio.com/docs/errors/21612',
      })
      expect(double.messages.count()).toBe(0)
    })

    it('to another country is sent', async () => {
      const m = await client.messages.create({ from: 'MyBrand', to: '+447400123456', body: 'Hi' })
      await double.settle()
      expect([m.from, double.messages.get(m.sid)?.status]).toEqual(['MyBrand', 'delivered'])
    })
  })

  describe('MaxPrice', () => {
    it.each([0, -1, Number.NaN])('%s is refused with 21627, and nothing is stored', async (maxPrice) => {
      expect(
        await refusal(() => client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hi', maxPrice })),
      ).toEqual({
        status: 400,
        code: 21627,
        message: 'Max Price must be a valid positive float',
        moreInfo: 'https://www.twilio.com/docs/errors/21627',
      })
      expect(double.messages.count()).toBe(0)
    })

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
})
