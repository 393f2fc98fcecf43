import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import { MAGIC_NUMBERS } from '../../src/scenarios/magic-numbers.js'
import { errorSchema, messagePageSchema, messageSchema } from '../../src/schemas/message.js'
import { createCheckedDouble } from '../support/checked-double.js'
import { ACCOUNT_PATH, API, basic, call, get, post } from '../support/requests.js'

const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/)
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }))
const e164 = fc.oneof(
  fc.integer({ min: 0, max: 9_999_999 }).map((n) => `+1555${String(n).padStart(7, '0')}`),
  fc.constantFrom('+447400123456', '+61412345678', '+4915112345678', '+14155238886', '+442071838750'),
)
const magic = fc.constantFrom(...MAGIC_NUMBERS.map((m) => m.value))
const address = fc.oneof(
  e164,
  magic,
  e164.map((n) => `whatsapp:${n}`),
  fc.constantFrom(
    '+1asd',
    '',
    ' ',
    '12345',
    'MyBrand',
    'ThisIsTooLongX',
    'messenger:12345',
    'fax:+15550001111',
  ),
  text,
)
const boolish = fc.oneof(fc.constantFrom('true', 'false', 'True', 'FALSE'), text)
const mediaUrl = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('https://example.com/cat.jpg', 'https://example.com/a.pdf', 'ftp://x/y.png', 'not a url'),
  text,
)
const body = fc.oneof(
  text,
  fc.string({ unit: 'grapheme', minLength: 150, maxLength: 400 }),
  fc.constantFrom('😀'.repeat(900), 'a'.repeat(1600), 'a'.repeat(1601), '€'.repeat(81), '“smart” — quotes…'),
  fc.string({ minLength: 1590, maxLength: 1700 }),
)
// SendAt around the double's start (2024-01-01T00:00:00Z): before, in and beyond the window
const sendAt = fc.oneof(
  fc
    .integer({ min: -86_400, max: 10 * 86_400 })
    .map((s) => new Date(Date.UTC(2024, 0, 1) + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')),
  text,
)

/** Mostly valid, sometimes anything. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, wild: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: wild, weight: 1 })

/** Optional parameters of Create Message, each valid or not. */
const OPTIONAL: Record<string, fc.Arbitrary<unknown>> = {
  MediaUrl: fc.array(
    mostly(fc.constantFrom('https://example.com/cat.jpg', 'https://example.com/a.pdf'), mediaUrl),
    {
      maxLength: 12,
    },
  ),
  ContentSid: mostly(
    hex32.map((h) => `HX${h}`),
    text,
  ),
  ContentVariables: mostly(fc.constant('{"1":"Ann"}'), fc.oneof(fc.json(), text)),
  StatusCallback: mostly(fc.webUrl(), text),
  ApplicationSid: mostly(
    hex32.map((h) => `AP${h}`),
    text,
  ),
  ValidityPeriod: mostly(
    fc.integer({ min: 1, max: 14_400 }).map(String),
    fc.oneof(fc.integer().map(String), text),
  ),
  MaxPrice: mostly(fc.constantFrom('0.05', '1', '0.0075'), fc.oneof(fc.double().map(String), text)),
  Attempt: mostly(fc.nat().map(String), text),
  ProvideFeedback: mostly(fc.constantFrom('true', 'false'), boolish),
  ForceDelivery: mostly(fc.constantFrom('true', 'false'), boolish),
  SmartEncoded: mostly(fc.constantFrom('true', 'false', 'True'), boolish),
  ShortenUrls: mostly(fc.constantFrom('true', 'false'), boolish),
  SendAsMms: mostly(fc.constantFrom('true', 'false'), boolish),
  ContentRetention: mostly(fc.constantFrom('retain', 'discard'), text),
  AddressRetention: mostly(fc.constantFrom('retain', 'obfuscate'), text),
  TrafficType: mostly(fc.constant('free'), text),
  RiskCheck: mostly(fc.constantFrom('enable', 'disable'), text),
  PersistentAction: fc.array(text, { maxLength: 3 }),
  ScheduleType: mostly(fc.constant('fixed'), text),
  SendAt: sendAt,
  FallbackFrom: address,
  Tags: text,
  'X-Unknown': text,
}

/** Random Create Message parameters: a mostly valid core plus a few optional parameters, valid or not. */
const createParams = fc
  .tuple(
    fc.option(mostly(e164, address), { freq: 12 }),
    fc.oneof(
      fc.record({ From: mostly(fc.constant(DEFAULT_FROM), address) }),
      fc.record({ MessagingServiceSid: mostly(fc.constant(DEFAULT_MESSAGING_SERVICE_SID), text) }),
      fc.record({ From: address, MessagingServiceSid: fc.constant(DEFAULT_MESSAGING_SERVICE_SID) }),
      fc.constant({}),
    ),
    fc.option(mostly(fc.string({ minLength: 1, maxLength: 200 }), body), { freq: 8 }),
    fc
      .array(fc.constantFrom(...Object.keys(OPTIONAL)), { maxLength: 5 })
      .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, OPTIONAL[k]!])))),
  )
  .map(([to, sender, text, extra]) => ({
    ...(to === null ? {} : { To: to }),
    ...sender,
    ...(text === null ? {} : { Body: text }),
    ...extra,
  }))

const checked = createCheckedDouble({ seed: 'property' })
afterAll(async () => {
  await checked.expectClean(300)
})

describe('property: Create Message never fails unexpectedly', () => {
  it('answers a schema-valid message or a schema-valid Twilio error, never 5xx', async () => {
    let created = 0
    let rejected = 0
    const codes: Record<number, number> = {}
    await fc.assert(
      fc.asyncProperty(createParams, async (params) => {
        const res = await call(checked.double, post('/Messages.json', params))
        expect(res.status).toBeLessThan(500)
        if (res.status === 201) {
          const m = messageSchema.parse(res.body)
          // an MMS (media, or SendAsMms on SMS) keeps its MM SID, also when the MMS converter sends it as SMS
          const asMms =
            String((params as Record<string, unknown>).SendAsMms ?? '').toLowerCase() === 'true' &&
            !m.to?.includes(':')
          expect(m.sid).toMatch(Number(m.num_media) > 0 || asMms ? /^MM/ : /^SM/)
          expect(['queued', 'accepted', 'scheduled']).toContain(m.status)
          // the body as sent, plus the MMS converter's link to the media
          expect([...(m.body ?? '')].length).toBeLessThanOrEqual(
            1600 + '\nhttps://m.twil.io/0123456789'.length,
          )
          created++
        } else {
          const e = errorSchema.parse(res.body)
          expect(e.status).toBe(res.status)
          expect(res.status).toBeGreaterThanOrEqual(400)
          rejected++
          codes[e.code] = (codes[e.code] ?? 0) + 1
        }
      }),
      { numRuns: 300, seed: 20240101 },
    )
    // the generators reach both outcomes
    expect(created).toBeGreaterThan(0)
    expect(rejected).toBeGreaterThan(0)
    expect(Object.keys(codes).length).toBeGreaterThan(10)
    await checked.double.settle()
  })

  it('raw form bodies, however malformed, are answered in Twilio shape', async () => {
    const raw = fc.oneof(
      text,
      fc
        .array(fc.tuple(text, text), { maxLength: 6 })
        .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
      fc.constantFrom('%', '%zz=%E0%A4%A', 'To=%2B15550001111&From=%2B15005550006&Body=%F0%9F', '&&=&', 'To'),
    )
    await fc.assert(
      fc.asyncProperty(raw, async (formText) => {
        const res = await call(
          checked.double,
          new Request(`${API}${ACCOUNT_PATH}/Messages.json`, {
            method: 'POST',
            headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
            body: formText,
          }),
        )
        expect(res.status).toBeLessThan(500)
        if (res.status === 201) messageSchema.parse(res.body)
        else errorSchema.parse(res.body)
      }),
      { numRuns: 150, seed: 7 },
    )
  })

  it('random list queries answer a schema-valid page or a Twilio error', async () => {
    const query = fc.record(
      {
        To: address,
        From: address,
        DateSent: sendAt,
        'DateSent<': sendAt,
        'DateSent>': sendAt,
        PageSize: fc.oneof(fc.integer({ min: -5, max: 1100 }).map(String), text),
        Page: fc.oneof(fc.integer({ min: -1, max: 5 }).map(String), text),
        PageToken: fc.oneof(
          hex32.map((h) => `PASM${h}`),
          text,
        ),
      },
      { requiredKeys: [] },
    )
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const res = await call(checked.double, get('/Messages.json', q))
        expect(res.status).toBeLessThan(500)
        if (res.status === 200) messagePageSchema.parse(res.body)
        else errorSchema.parse(res.body)
      }),
      { numRuns: 150, seed: 11 },
    )
  })
})
