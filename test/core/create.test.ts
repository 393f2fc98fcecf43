import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../src/config.js'
import { errorStatus, moreInfo } from '../../src/errors/catalog.js'
import { MAGIC_NUMBERS } from '../../src/scenarios/magic-numbers.js'
import { type CheckedDouble, createCheckedDouble } from '../support/checked-double.js'
import { isRfc2822 } from '../support/openapi.js'
import { ACCOUNT_PATH, call, createOk, get, post } from '../support/requests.js'

const TO = '+15550001111'
const MG_UNKNOWN = `MG${'f'.repeat(32)}`
const HX = `HX${'a'.repeat(32)}`
const IN_2H = '2024-01-01T02:00:00Z'

/** Message texts observed in Twilio's real answers (fact sheet §10). */
const TWILIO_TEXTS: Record<number, string> = {
  21211: "The 'To' number +15005550001 is not a valid phone number.",
  21408:
    "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003",
  21610: 'Attempt to send to unsubscribed recipient',
  21614: 'To number: +15005550009, is not a mobile number',
  21606:
    'The From phone number +15005550007 is not a valid, SMS-capable inbound phone number or short code for your account.',
}

let checked: CheckedDouble
beforeEach(() => {
  checked = createCheckedDouble()
})
afterEach(async () => {
  await checked.expectClean(1)
})

async function createError(params: Record<string, unknown>, c: CheckedDouble = checked) {
  const res = await call(c.double, post('/Messages.json', params))
  expect(res.status, res.text).toBeGreaterThanOrEqual(400)
  expect(res.body.status).toBe(res.status)
  expect(res.body.more_info).toBe(moreInfo(res.body.code))
  expect(res.status).toBe(errorStatus(res.body.code))
  expect(Object.keys(res.body).sort()).toEqual(['code', 'message', 'more_info', 'status'])
  return res.body as { code: number; message: string; status: number }
}

describe('create: validation errors, one per rule', () => {
  it('21604 without To', async () => {
    const e = await createError({ From: DEFAULT_FROM, Body: 'hi' })
    expect(e).toMatchObject({ code: 21604, status: 400, message: "A 'To' phone number is required." })
    expect((await createError({ To: '  ', From: DEFAULT_FROM, Body: 'hi' })).code).toBe(21604)
  })

  it('21603 without From or MessagingServiceSid', async () => {
    const e = await createError({ To: TO, Body: 'hi' })
    expect(e).toMatchObject({ code: 21603, message: "A 'From' phone number is required." })
  })

  it('21602 without Body, MediaUrl or ContentSid', async () => {
    expect(await createError({ To: TO, From: DEFAULT_FROM })).toMatchObject({
      code: 21602,
      message: 'Message body is required.',
    })
    expect((await createError({ To: TO, From: DEFAULT_FROM, Body: '' })).code).toBe(21602)
  })

  it('21617 for a body over 1,600 characters (1,600 passes)', async () => {
    expect((await createError({ To: TO, From: DEFAULT_FROM, Body: 'a'.repeat(1601) })).code).toBe(21617)
    const ok = await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: 'a'.repeat(1600) })
    expect(ok.body).toHaveLength(1600)
    expect(ok.num_segments).toBe('11')
  })

  it('21623 for more than 10 MediaUrl (10 pass)', async () => {
    const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://example.com/m${i}.png`)
    expect((await createError({ To: TO, From: DEFAULT_FROM, MediaUrl: urls(11) })).code).toBe(21623)
    const ok = await createOk(checked.double, { To: TO, From: DEFAULT_FROM, MediaUrl: urls(10) })
    expect(ok.num_media).toBe('10')
  })

  it('21620 for media URLs that are not http(s) URLs', async () => {
    for (const url of ['not a url', 'ftp://example.com/a.png', 'https://']) {
      const e = await createError({
        To: TO,
        From: DEFAULT_FROM,
        MediaUrl: ['https://example.com/a.png', url],
      })
      expect(e.code).toBe(21620)
      expect(e.message).toContain(url)
    }
  })

  it("21211 for a To that is no phone number, e.g. '+1asd', with Twilio's text", async () => {
    expect(await createError({ To: '+1asd', From: DEFAULT_FROM, Body: 'hi' })).toEqual({
      code: 21211,
      message: "The 'To' number +1asd is not a valid phone number.",
      more_info: 'https://www.twilio.com/docs/errors/21211',
      status: 400,
    })
    for (const to of ['hello', '5550001111', '+', 'fax:+15550001111', 'whatsapp:hello'])
      expect((await createError({ To: to, From: DEFAULT_FROM, Body: 'hi' })).code).toBe(21211)
  })

  it('21211 when To equals From (also across formatting)', async () => {
    expect((await createError({ To: DEFAULT_FROM, From: DEFAULT_FROM, Body: 'hi' })).code).toBe(21211)
    expect((await createError({ To: '+1 500-555-0006', From: DEFAULT_FROM, Body: 'hi' })).code).toBe(21211)
  })

  it('21910 when From and To are on different channels (WhatsApp, Messenger)', async () => {
    for (const [to, from] of [
      ['whatsapp:+15550001111', DEFAULT_FROM],
      [TO, 'whatsapp:+15005550006'],
      ['messenger:1234567', DEFAULT_FROM],
    ]) {
      const e = await createError({ To: to, From: from, Body: 'hi' })
      expect(e).toMatchObject({
        code: 21910,
        message: 'Invalid From and To pair. From and To should be of the same channel',
      })
    }
  })

  it('21212 for a From that is no number, short code or sender ID', async () => {
    for (const from of ['ThisIsTooLongX', '+1asd', '12', 'hello!'])
      expect((await createError({ To: TO, From: from, Body: 'hi' })).code).toBe(21212)
  })

  it('21606 for a From the account does not own, once it lists its numbers', async () => {
    const c = createCheckedDouble({
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          phoneNumbers: ['+15550009999'],
          messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: ['+15550008888'] }],
        },
      ],
    })
    const e = await createError({ To: TO, From: '+15550007777', Body: 'hi' }, c)
    expect(e.code).toBe(21606)
    expect(e.message).toBe(
      'The From phone number +15550007777 is not a valid, SMS-capable inbound phone number or short code for your account.',
    )
    // owned numbers and the senders of the account's services pass
    await createOk(c.double, { To: TO, From: '+1 555 000 9999', Body: 'hi' })
    await createOk(c.double, { To: TO, From: '+15550008888', Body: 'hi' })
    await c.expectClean(3)
    // by default any sender is accepted
    await createOk(checked.double, { To: TO, From: '+15550007777', Body: 'hi' })
  })

  it('21624 for a ValidityPeriod out of 1..14400 or not an integer', async () => {
    for (const vp of ['0', '14401', 'abc', '-5', '1.5'])
      expect((await createError({ To: TO, From: DEFAULT_FROM, Body: 'hi', ValidityPeriod: vp })).code).toBe(
        21624,
      )
    await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: 'hi', ValidityPeriod: '14400' })
    await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: 'hi', ValidityPeriod: '1' })
  })

  it('21701 for an unknown or malformed MessagingServiceSid', async () => {
    const e = await createError({ To: TO, MessagingServiceSid: MG_UNKNOWN, Body: 'hi' })
    expect(e).toMatchObject({ code: 21701 })
    expect(e.message).toContain(MG_UNKNOWN)
    expect((await createError({ To: TO, MessagingServiceSid: 'MGnope', Body: 'hi' })).code).toBe(21701)
  })

  it('21609 for an invalid StatusCallback (no URL, underscore host, over 4000 chars)', async () => {
    const long = `https://example.com/${'a'.repeat(4000)}`
    for (const cb of ['not a url', 'https://my_host.example.com/cb', long])
      expect((await createError({ To: TO, From: DEFAULT_FROM, Body: 'hi', StatusCallback: cb })).code).toBe(
        21609,
      )
    await createOk(checked.double, {
      To: TO,
      From: DEFAULT_FROM,
      Body: 'hi',
      StatusCallback: 'https://example.com/cb',
    })
  })

  it('21654 ContentVariables without ContentSid, 21655 bad ContentSid, 21656 bad ContentVariables', async () => {
    const c = createCheckedDouble({
      contentTemplates: [{ sid: HX, types: { 'twilio/text': { body: 'Hi {{1}}' } } }],
    })
    const base = { To: TO, From: DEFAULT_FROM }
    expect((await createError({ ...base, Body: 'hi', ContentVariables: '{"1":"x"}' }, c)).code).toBe(21654)
    expect((await createError({ ...base, ContentSid: 'HX123' }, c)).code).toBe(21655)
    // a double without templates knows no SID
    expect((await createError({ ...base, ContentSid: HX })).code).toBe(21655)
    // a well-formed SID that names no template of the account
    expect((await createError({ ...base, ContentSid: `HX${'b'.repeat(32)}` }, c)).code).toBe(21655)
    for (const cv of ['not json', '[1,2]', '"text"', 'null', '{}', '{"1":[]}'])
      expect((await createError({ ...base, ContentSid: HX, ContentVariables: cv }, c)).code, cv).toBe(21656)
    const ok = await createOk(c.double, { ...base, ContentSid: HX, ContentVariables: '{"1":"Ann"}' })
    expect([ok.status, ok.body]).toEqual(['queued', 'Hi Ann'])
    await c.expectClean(1)
  })

  it('35111 for ScheduleType=fixed without SendAt', async () => {
    const e = await createError({
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'hi',
      ScheduleType: 'fixed',
    })
    expect(e).toMatchObject({ code: 35111, message: 'SendAt timestamp is missing' })
  })

  it('35114 for a SendAt under 60 minutes or beyond 7 days ahead, or not a date-time', async () => {
    const base = {
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'hi',
      ScheduleType: 'fixed',
    }
    // the double starts at 2024-01-01T00:00:00Z
    for (const sendAt of [
      '2024-01-01T00:59:59Z',
      '2023-12-31T00:00:00Z',
      '2024-01-08T00:00:01Z',
      '2024-02-01T00:00:00Z',
      'tomorrow',
      '2024-01-02',
    ])
      expect((await createError({ ...base, SendAt: sendAt })).code, sendAt).toBe(35114)
    for (const sendAt of ['2024-01-01T01:00:00Z', '2024-01-08T00:00:00Z']) {
      const ok = await createOk(checked.double, { ...base, SendAt: sendAt })
      expect(ok.status).toBe('scheduled')
    }
  })

  it('the scheduling window is an option', async () => {
    const c = createCheckedDouble({ scheduling: { minAhead: '15m', maxAhead: '35d' } })
    const base = {
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'hi',
      ScheduleType: 'fixed',
    }
    expect((await createOk(c.double, { ...base, SendAt: '2024-01-01T00:15:00Z' })).status).toBe('scheduled')
    expect((await createOk(c.double, { ...base, SendAt: '2024-02-05T00:00:00Z' })).status).toBe('scheduled')
    expect((await createError({ ...base, SendAt: '2024-01-01T00:14:00Z' }, c)).code).toBe(35114)
    await c.expectClean(3)
    await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: 'hi' })
  })

  it('scheduling with From only: parameters dropped, sent now (default)', async () => {
    const m = await createOk(checked.double, {
      To: TO,
      From: DEFAULT_FROM,
      Body: 'hi',
      ScheduleType: 'fixed',
      SendAt: IN_2H,
    })
    expect(m.status).toBe('queued')
    await checked.double.advance('5s')
    expect(checked.double.messages.get(m.sid)?.status).toBe('delivered')
  })

  it("35118 for scheduling with From only when scheduling.fromOnly is 'reject'", async () => {
    const c = createCheckedDouble({ scheduling: { fromOnly: 'reject' } })
    const e = await createError(
      { To: TO, From: DEFAULT_FROM, Body: 'hi', ScheduleType: 'fixed', SendAt: IN_2H },
      c,
    )
    expect(e).toMatchObject({ code: 35118, message: 'MessagingServiceSid is required to schedule a message' })
    await c.expectClean(1)
    await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: 'hi' })
  })

  describe("Twilio's test-credential magic numbers", () => {
    for (const magic of MAGIC_NUMBERS) {
      it(`${magic.param} ${magic.value} → ${magic.code ?? '201 queued'}`, async () => {
        const params =
          magic.param === 'From'
            ? { To: TO, From: magic.value, Body: 'hi' }
            : { To: magic.value, From: DEFAULT_FROM, Body: 'hi' }
        if (magic.code === undefined) {
          expect((await createOk(checked.double, params)).status).toBe('queued')
          return
        }
        const e = await createError(params)
        expect(e.code).toBe(magic.code)
        const text = TWILIO_TEXTS[magic.code]
        if (text) expect(e.message).toBe(text)
        expect(checked.double.messages.count()).toBe(0)
      })
    }

    it('are off with magicNumbers: false', async () => {
      const c = createCheckedDouble({ magicNumbers: false })
      expect((await createOk(c.double, { To: '+15005550002', From: DEFAULT_FROM, Body: 'hi' })).status).toBe(
        'queued',
      )
      await c.expectClean(1)
      await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: 'hi' })
    })
  })

  it('strictNumbers applies full validity: fictional numbers → 21211, landlines → 21614', async () => {
    const c = createCheckedDouble({ strictNumbers: true })
    const e = await createError({ To: '+15555550100', From: DEFAULT_FROM, Body: 'hi' }, c)
    expect(e.code).toBe(21211)
    expect((await createError({ To: '+442071838750', From: DEFAULT_FROM, Body: 'hi' }, c)).code).toBe(21614)
    expect((await createOk(c.double, { To: '+447400123456', From: DEFAULT_FROM, Body: 'hi' })).to).toBe(
      '+447400123456',
    )
    await c.expectClean(3)
    // lenient by default
    expect(
      (await createOk(checked.double, { To: '+15555550100', From: DEFAULT_FROM, Body: 'hi' })).status,
    ).toBe('queued')
  })

  it('a failed create stores nothing', async () => {
    await createError({ To: '+1asd', From: DEFAULT_FROM, Body: 'hi' })
    expect(checked.double.messages.list()).toEqual([])
  })
})

describe('create: the message it answers', () => {
  it('From → 201 queued SM message with every field of the resource', async () => {
    const res = await call(
      checked.double,
      post('/Messages.json', { To: TO, From: DEFAULT_FROM, Body: 'Hello' }),
    )
    expect(res.status).toBe(201)
    const m = res.body
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/)
    const base = `${ACCOUNT_PATH}/Messages/${m.sid}`
    expect(m).toEqual({
      body: 'Hello',
      num_segments: '1',
      direction: 'outbound-api',
      from: DEFAULT_FROM,
      to: TO,
      date_updated: 'Mon, 01 Jan 2024 00:00:00 +0000',
      price: null,
      error_message: null,
      uri: `${base}.json`,
      account_sid: DEFAULT_ACCOUNT_SID,
      num_media: '0',
      status: 'queued',
      messaging_service_sid: null,
      sid: m.sid,
      date_sent: null,
      date_created: 'Mon, 01 Jan 2024 00:00:00 +0000',
      error_code: null,
      price_unit: 'USD',
      api_version: '2010-04-01',
      // Create names the Media subresource alone, as in Twilio's OpenAPI examples of Create
      subresource_uris: { media: `${base}/Media.json` },
    })
    // the stored message is the one answered, and names the Feedback subresource too (as Fetch does)
    expect(checked.double.messages.get(m.sid)).toEqual({
      ...m,
      subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    })
  })

  it('To is stored in E.164 without formatting; channel addresses keep their prefix', async () => {
    expect(
      (await createOk(checked.double, { To: '+1 (555) 000-1111', From: DEFAULT_FROM, Body: 'x' })).to,
    ).toBe(TO)
    const wa = await createOk(checked.double, {
      To: 'whatsapp:+15550001111',
      From: 'whatsapp:+15005550006',
      Body: 'x',
    })
    expect(wa).toMatchObject({ to: 'whatsapp:+15550001111', from: 'whatsapp:+15005550006' })
  })

  it('alphanumeric sender IDs (outside the US and Canada) and short codes are senders', async () => {
    const uk = '+447400123456'
    expect((await createOk(checked.double, { To: uk, From: 'MyBrand', Body: 'x' })).from).toBe('MyBrand')
    expect((await createOk(checked.double, { To: TO, From: '12345', Body: 'x' })).from).toBe('12345')
  })

  it('MessagingServiceSid → accepted, from null, num_segments 0; the sender is picked later', async () => {
    const m = await createOk(checked.double, {
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'Hello',
    })
    expect(m).toMatchObject({
      status: 'accepted',
      from: null,
      num_segments: '0',
      messaging_service_sid: DEFAULT_MESSAGING_SERVICE_SID,
    })
    await checked.double.settle()
    expect(checked.double.messages.get(m.sid)).toMatchObject({
      status: 'delivered',
      from: DEFAULT_FROM,
      num_segments: '1',
    })
  })

  it('a messaging service SID passed as From works like MessagingServiceSid', async () => {
    const m = await createOk(checked.double, { To: TO, From: DEFAULT_MESSAGING_SERVICE_SID, Body: 'x' })
    expect(m).toMatchObject({ status: 'accepted', messaging_service_sid: DEFAULT_MESSAGING_SERVICE_SID })
  })

  it('ScheduleType=fixed + SendAt with a service → scheduled, date_sent null until sent', async () => {
    const m = await createOk(checked.double, {
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'later',
      ScheduleType: 'fixed',
      SendAt: IN_2H,
    })
    expect(m).toMatchObject({ status: 'scheduled', date_sent: null, num_segments: '0' })
    await checked.double.advance('1h')
    expect(checked.double.messages.get(m.sid)?.status).toBe('scheduled')
    await checked.double.advance('1h')
    await checked.double.advance('10s')
    const sent = checked.double.messages.get(m.sid)!
    expect(sent.status).toBe('delivered')
    expect(new Date(sent.date_sent!).getTime()).toBeGreaterThanOrEqual(Date.parse(IN_2H))
  })

  it('MediaUrl → MM SID and num_media; media-only messages need no body', async () => {
    const m = await createOk(checked.double, {
      To: TO,
      From: DEFAULT_FROM,
      MediaUrl: ['https://example.com/cat.jpg', 'https://example.com/doc.pdf'],
    })
    expect(m.sid).toMatch(/^MM[0-9a-f]{32}$/)
    expect(m).toMatchObject({ num_media: '2', body: '' })
    const sms = await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: 'x' })
    expect(sms.sid).toMatch(/^SM/)
    expect(sms.num_media).toBe('0')
  })

  it('a WhatsApp message keeps one media item', async () => {
    const m = await createOk(checked.double, {
      To: 'whatsapp:+15550001111',
      From: 'whatsapp:+15005550006',
      MediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'],
    })
    expect(m.num_media).toBe('1')
  })

  it('a WhatsApp message ignores the media URLs after its first, as the document says: no 21623 past 10, no 21620 for them', async () => {
    const extra = Array.from({ length: 11 }, (_, i) =>
      i === 1 ? 'not a url' : `https://example.com/${i}.png`,
    )
    const m = await createOk(checked.double, {
      To: 'whatsapp:+15550001111',
      From: 'whatsapp:+15005550006',
      MediaUrl: ['https://example.com/first.png', ...extra],
    })
    expect(m.num_media).toBe('1')
    const media = await call(checked.double, get(`/Messages/${m.sid}/Media.json`))
    expect(media.body.media_list.map((x: { content_type: string }) => x.content_type)).toEqual(['image/png'])
    // the first one is the message's media: checked as ever
    const bad = await createError({
      To: 'whatsapp:+15550001111',
      From: 'whatsapp:+15005550006',
      MediaUrl: ['not a url', 'https://example.com/a.png'],
    })
    expect(bad.code).toBe(21620)
  })

  it.each([
    ['a'.repeat(160), '1'],
    ['a'.repeat(161), '2'],
    ['a'.repeat(306), '2'],
    ['a'.repeat(307), '3'],
    ['€'.repeat(80), '1'],
    ['€'.repeat(81), '2'],
    ['Ж'.repeat(70), '1'],
    ['Ж'.repeat(71), '2'],
    ['Ж'.repeat(134), '2'],
    ['Ж'.repeat(135), '3'],
    ['😀'.repeat(35), '1'],
    ['😀'.repeat(36), '2'],
    [`${'a'.repeat(159)}é`, '1'],
    [`${'a'.repeat(159)}ç`, '3'],
  ])('num_segments of a %#th body by GSM-7 / UCS-2 rules', async (body, segments) => {
    const m = await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: body })
    expect(m.num_segments).toBe(segments)
  })

  it('SmartEncoded replaces look-alikes so the body stays GSM-7', async () => {
    const text = `“Don’t” — wait… ${'x'.repeat(60)}`
    const plain = await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: text })
    expect(plain).toMatchObject({ body: text, num_segments: '2' })
    const smart = await createOk(checked.double, {
      To: TO,
      From: DEFAULT_FROM,
      Body: text,
      SmartEncoded: 'true',
    })
    expect(smart.body).toBe(`"Don't" - wait... ${'x'.repeat(60)}`)
    expect(smart.num_segments).toBe('1')
    // with a character that has no GSM-7 look-alike, nothing is replaced
    const emoji = await createOk(checked.double, {
      To: TO,
      From: DEFAULT_FROM,
      Body: '“hi” 😀',
      SmartEncoded: 'true',
    })
    expect(emoji.body).toBe('“hi” 😀')
  })

  it('price is null until sent, then a negative decimal string; dates are RFC 2822', async () => {
    const m = await createOk(checked.double, { To: TO, From: DEFAULT_FROM, Body: 'x' })
    expect(m.price).toBeNull()
    expect(isRfc2822(m.date_created)).toBe(true)
    await checked.double.settle()
    const sent = checked.double.messages.get(m.sid)!
    expect(sent.price).toMatch(/^-\d+\.\d+$/)
    expect(sent.price_unit).toBe('USD')
    for (const d of [sent.date_created, sent.date_updated, sent.date_sent]) expect(isRfc2822(d!)).toBe(true)
    expect(sent.date_sent).toBe('Mon, 01 Jan 2024 00:00:02 +0000')
  })

  it('booleans and enums of the resource are validated', async () => {
    const base = { To: TO, From: DEFAULT_FROM, Body: 'x' }
    expect((await createError({ ...base, ProvideFeedback: 'yes' })).code).toBe(21619)
    expect((await createError({ ...base, ContentRetention: 'forever' })).code).toBe(30029)
    expect((await createError({ ...base, AddressRetention: 'hide' })).code).toBe(30030)
    const ok = await createOk(checked.double, {
      ...base,
      ProvideFeedback: 'true',
      ForceDelivery: 'false',
      SendAsMms: 'true',
      ContentRetention: 'retain',
      AddressRetention: 'obfuscate',
      RiskCheck: 'disable',
      TrafficType: 'free',
      PersistentAction: ['mailto:a@example.com', 'geo:1,2'],
      Attempt: '1',
      MaxPrice: '0.05',
    })
    expect(ok.status).toBe('queued')
  })

  it('the same seed gives the same SIDs', async () => {
    const a = createCheckedDouble({ seed: 7 })
    const b = createCheckedDouble({ seed: 7 })
    const params = { To: TO, From: DEFAULT_FROM, Body: 'x' }
    const [ma, mb] = [await createOk(a.double, params), await createOk(b.double, params)]
    expect(ma.sid).toBe(mb.sid)
    await a.expectClean(1)
    await b.expectClean(1)
    await createOk(checked.double, params)
  })
})
