/**
 * Walks docs/fidelity.md: every parameter of Create, Update and List Message and every field of the message
 * JSON in the OpenAPI slice has a row, and no row claims more than the double does. A "takes effect" row
 * runs its probe, a "validated (code)" row is refused with its code and otherwise changes nothing, an
 * "ignored" row takes a malformed value and changes nothing, an "as on Twilio" field runs its probe.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import { type CreateTwilioDoubleOptions, createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { ACCOUNT_PATH, basic, call, get, post } from '../support/requests.js'

const DOC = new URL('../../docs/fidelity.md', import.meta.url)
const OPENAPI = new URL('../../contracts/openapi/twilio_api_v2010.messaging-slice.json', import.meta.url)

type Section = 'create' | 'update' | 'list' | 'json'
interface Row {
  section: Section
  name: string
  claim: 'takes effect' | 'validated' | 'ignored' | 'as on Twilio'
  code?: number
}

const SECTIONS: Record<string, Section> = {
  'Create Message': 'create',
  'Update Message': 'update',
  'List Messages': 'list',
  'The message JSON': 'json',
}

function readTable(): Row[] {
  const rows: Row[] = []
  let section: Section | undefined
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const heading = /^## (.+)$/.exec(line)
    if (heading) section = SECTIONS[heading[1]!.trim()]
    const row = /^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|/.exec(line)
    if (!row || !section) continue
    const claim = /^(takes effect|validated \((\d+)\)|ignored|as on Twilio)$/.exec(row[2]!)
    if (!claim) throw new Error(`docs/fidelity.md: row ${row[1]} claims '${row[2]}', which is no claim`)
    const kind = claim[1]!.startsWith('validated') ? 'validated' : (claim[1] as Row['claim'])
    rows.push({ section, name: row[1]!, claim: kind, ...(claim[2] ? { code: Number(claim[2]) } : {}) })
  }
  return rows
}

/** The parameters and fields of the OpenAPI slice, by section. */
function openApiNames(): Record<Section, string[]> {
  const spec = JSON.parse(readFileSync(OPENAPI, 'utf8'))
  const list = spec.paths['/2010-04-01/Accounts/{AccountSid}/Messages.json']
  const one = spec.paths['/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json']
  const names = (op: any) => [
    ...(op.parameters ?? []).map((p: any) => p.name),
    ...Object.keys(op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema?.properties ?? {}),
  ]
  return {
    create: names(list.post),
    update: names(one.post),
    list: names(list.get),
    json: Object.keys(spec.components.schemas['api.v2010.account.message'].properties),
  }
}

const TO = '+15550001111'
const BASE = { To: TO, From: DEFAULT_FROM, Body: 'Hello' }
const HX = `HX${'a'.repeat(32)}`
const HX_UNSUBMITTED = `HX${'b'.repeat(32)}`
/** A template WhatsApp approved (with a default for its placeholder), and one never submitted. */
const TEMPLATES: CreateTwilioDoubleOptions['contentTemplates'] = [
  { sid: HX, variables: { '1': 'friend' }, types: { 'twilio/text': { body: 'Hi {{1}}' } }, whatsapp: {} },
  { sid: HX_UNSUBMITTED, types: { 'twilio/text': { body: 'Your code is {{1}}' } } },
]
const AP = `AP${'b'.repeat(32)}`
const OTHER_ACCOUNT = { sid: `AC${'2'.repeat(32)}`, authToken: 'other-token' }

/** A double starting at a fixed time: the probes name dates. */
function double(options: CreateTwilioDoubleOptions = {}): TwilioDouble {
  return createTwilioDouble({ seed: 'fidelity', startTime: DEFAULT_START_TIME, ...options })
}

async function create(d: TwilioDouble, params: Record<string, unknown>) {
  return call(d, post('/Messages.json', params))
}

/** The message as the double finally shows it, and its callbacks, after everything has run. */
async function outcome(params: Record<string, unknown>) {
  const d = double()
  const created = await create(d, params)
  expect(created.status, created.text).toBe(201)
  await d.settle()
  return { created: created.body, message: d.messages.get(created.body.sid), callbacks: d.callbacks.list() }
}

/** A malformed value of each validated parameter, and a well-formed one, with what else it needs. */
const VALIDATED: Record<string, { bad: string; good: string; with?: Record<string, unknown> }> = {
  ProvideFeedback: { bad: 'yes', good: 'true' },
  Attempt: { bad: 'two', good: '2' },
  ForceDelivery: { bad: 'maybe', good: 'true' },
  TrafficType: { bad: 'paid', good: 'free' },
  RiskCheck: { bad: 'strict', good: 'disable' },
}

/** Probes of the create parameters that take effect: each shows the effect against the same request without. */
const CREATE_EFFECTS: Record<string, () => Promise<void>> = {
  AccountSid: async () => {
    const d = double({
      accounts: [{ sid: DEFAULT_ACCOUNT_SID, authToken: 'twilio-double-auth-token-0000001' }, OTHER_ACCOUNT],
    })
    const m = (await create(d, BASE)).body
    expect(m.account_sid).toBe(DEFAULT_ACCOUNT_SID)
    const other = {
      base: `/2010-04-01/Accounts/${OTHER_ACCOUNT.sid}`,
      auth: basic(OTHER_ACCOUNT.sid, OTHER_ACCOUNT.authToken),
    }
    expect((await call(d, get(`/Messages/${m.sid}.json`, {}, other))).body.code).toBe(20404)
  },
  To: async () => {
    expect((await outcome({ ...BASE, To: '+15550002222' })).message?.to).toBe('+15550002222')
  },
  From: async () => {
    const { created } = await outcome({ ...BASE, From: '+15005550010' })
    expect([created.from, created.status]).toEqual(['+15005550010', 'queued'])
    expect((await outcome({ ...BASE, From: '(500) 555-0010' })).created.from).toBe('+15005550010')
    const alphanumeric = { ...BASE, From: 'MyBrand' }
    expect((await create(double(), alphanumeric)).body.code).toBe(21612)
    expect((await outcome({ ...alphanumeric, To: '+447400123456' })).message?.from).toBe('MyBrand')
  },
  MessagingServiceSid: async () => {
    const { created, message } = await outcome({
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'Hi',
    })
    expect([created.status, created.messaging_service_sid]).toEqual([
      'accepted',
      DEFAULT_MESSAGING_SERVICE_SID,
    ])
    expect(message?.from).toBe(DEFAULT_FROM)
  },
  Body: async () => {
    const { message } = await outcome({ ...BASE, Body: 'x'.repeat(161) })
    expect([message?.body, message?.num_segments]).toEqual(['x'.repeat(161), '2'])
  },
  MediaUrl: async () => {
    const { message } = await outcome({ ...BASE, MediaUrl: ['https://example.com/cat.png'] })
    expect(message?.sid).toMatch(/^MM/)
    expect(message?.num_media).toBe('1')
    // Twilio's MMS converter: to a country without MMS, SMS with a link to the media
    const uk = await outcome({ ...BASE, To: '+447400123456', MediaUrl: ['https://example.com/cat.png'] })
    expect(uk.message).toMatchObject({ sid: expect.stringMatching(/^MM/), num_media: '1', price: '-0.05000' })
    expect(uk.message?.body).toMatch(/^Hello\nhttps:\/\/m\.twil\.io\/\w{10}$/)
  },
  ShortenUrls: async () => {
    expect((await create(double(), { ...BASE, ShortenUrls: 'please' })).body.code).toBe(21619)
    expect((await create(double(), { ...BASE, ShortenUrls: 'true' })).body.code).toBe(21619)
    const d = double({
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: 'twilio-double-auth-token-0000001',
          messagingServices: [
            {
              sid: DEFAULT_MESSAGING_SERVICE_SID,
              senders: [DEFAULT_FROM],
              linkShortening: { domain: 'acme.link' },
            },
          ],
        },
      ],
    })
    const linked = {
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'See https://example.com/a',
    }
    expect((await create(d, { ...linked, ShortenUrls: 'true' })).body.body).toMatch(
      /^See https:\/\/acme\.link\/\w{10}$/,
    )
    expect((await create(d, linked)).body.body).toBe('See https://example.com/a')
  },
  SendAsMms: async () => {
    expect((await create(double(), { ...BASE, SendAsMms: 'sure' })).body.code).toBe(21619)
    const long = { ...BASE, Body: 'x'.repeat(200) }
    expect((await outcome({ ...long, SendAsMms: 'true' })).message).toMatchObject({
      sid: expect.stringMatching(/^MM/),
      num_segments: '1',
      num_media: '0',
      price: '-0.02000',
    })
    expect((await outcome(long)).message).toMatchObject({
      sid: expect.stringMatching(/^SM/),
      num_segments: '2',
    })
  },
  ContentSid: async () => {
    const whatsapp = { To: `whatsapp:${TO}`, From: `whatsapp:${DEFAULT_FROM}`, Body: 'Your code is 1234' }
    expect((await outcome(whatsapp)).message).toMatchObject({ status: 'failed', error_code: 63016 })
    // a template WhatsApp approved passes the window, rendered; one never submitted does not
    const d = double({ contentTemplates: TEMPLATES })
    const approved = (await create(d, { ...whatsapp, ContentSid: HX, ContentVariables: '{"1":"Ada"}' })).body
    const unsubmitted = (
      await create(d, { ...whatsapp, ContentSid: HX_UNSUBMITTED, ContentVariables: '{"1":"1234"}' })
    ).body
    await d.settle()
    expect(d.messages.get(approved.sid)).toMatchObject({ status: 'delivered', body: 'Hi Ada' })
    expect(d.messages.get(unsubmitted.sid)).toMatchObject({ status: 'failed', error_code: 63016 })
    // a SID that names no template of the account
    expect((await create(d, { ...BASE, ContentSid: `HX${'c'.repeat(32)}` })).body.code).toBe(21655)
  },
  ContentVariables: async () => {
    const d = double({ contentTemplates: TEMPLATES })
    const sms = { ...BASE, ContentSid: HX }
    expect((await create(d, { ...sms, ContentVariables: '{"1":"Ada"}' })).body.body).toBe('Hi Ada')
    // the template's default
    expect((await create(d, sms)).body.body).toBe('Hi friend')
    for (const bad of ['{not json', '{"2":"x","1":[]}'])
      expect((await create(d, { ...sms, ContentVariables: bad })).body.code, bad).toBe(21656)
    expect((await create(d, { ...sms, ContentSid: HX_UNSUBMITTED, ContentVariables: '{}' })).body.code).toBe(
      21656,
    )
    expect((await create(d, { ...BASE, ContentVariables: '{"1":"Ada"}' })).body.code).toBe(21654)
    expect(d.messages.count()).toBe(2)
  },
  StatusCallback: async () => {
    const { callbacks } = await outcome({ ...BASE, StatusCallback: 'http://127.0.0.1:9/status' })
    expect(callbacks.map((c) => [c.url, c.status])).toEqual([
      ['http://127.0.0.1:9/status', 'sent'],
      ['http://127.0.0.1:9/status', 'delivered'],
    ])
  },
  ApplicationSid: async () => {
    const d = double({
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: 'twilio-double-auth-token-0000001',
          applications: [{ sid: AP, messageStatusCallback: 'https://app.test/application' }],
        },
      ],
    })
    d.callbacks.handle('https://app.test/', () => undefined)
    await create(d, { ...BASE, ApplicationSid: AP, StatusCallback: 'https://app.test/own' })
    await d.settle()
    // the application hears of sent or failed only, and takes the place of StatusCallback
    expect(d.callbacks.list().map((c) => [c.url, c.status])).toEqual([
      ['https://app.test/application', 'sent'],
    ])
  },
  MaxPrice: async () => {
    expect((await outcome({ ...BASE, MaxPrice: '0.0001' })).message).toMatchObject({
      status: 'failed',
      error_code: 30010,
    })
    expect((await outcome({ ...BASE, MaxPrice: '1' })).message?.status).toBe('delivered')
    for (const bad of ['0', '-1', 'cheap']) {
      const d = double()
      expect((await create(d, { ...BASE, MaxPrice: bad })).body.code, bad).toBe(21627)
      expect(d.messages.count()).toBe(0)
    }
    // Twilio's OpenAPI description: no effect since 2024-06-03
    for (const value of ['0.0001', 'cheap']) {
      const d = double({ maxPrice: 'obsolete' })
      const m = (await create(d, { ...BASE, MaxPrice: value })).body
      await d.settle()
      expect(d.messages.get(m.sid)?.status, value).toBe('delivered')
    }
  },
  ValidityPeriod: async () => {
    // the second message of a long code waits a second in its queue: more than a 1-second validity
    for (const [vp, status] of [
      [undefined, 'delivered'],
      ['1', 'failed'],
    ] as const) {
      const d = double()
      await create(d, BASE)
      const second = (await create(d, { ...BASE, ...(vp ? { ValidityPeriod: vp } : {}) })).body
      await d.settle()
      expect(d.messages.get(second.sid)?.status, `ValidityPeriod ${vp}`).toBe(status)
    }
    // 14,400 s at most (the document), 36,000 s by option (Twilio's OpenAPI description)
    expect((await create(double(), { ...BASE, ValidityPeriod: '14401' })).body.code).toBe(21624)
    expect(
      (await create(double({ maxValidityPeriod: 36_000 }), { ...BASE, ValidityPeriod: '36000' })).status,
    ).toBe(201)
  },
  ContentRetention: async () => {
    const d = double()
    expect((await create(d, { ...BASE, ContentRetention: 'forever' })).body.code).toBe(30029)
    expect(d.messages.count()).toBe(0)
    const { created, message } = await outcome({ ...BASE, ContentRetention: 'discard' })
    expect([created.body, message?.body]).toEqual(['Hello', ''])
    expect((await outcome({ ...BASE, ContentRetention: 'retain' })).message?.body).toBe('Hello')
  },
  AddressRetention: async () => {
    const d = double()
    expect((await create(d, { ...BASE, AddressRetention: 'hide' })).body.code).toBe(30030)
    expect(d.messages.count()).toBe(0)
    const { created, message } = await outcome({ ...BASE, AddressRetention: 'obfuscate' })
    expect([created.to, message?.to]).toEqual([TO, '+1555000XXXX'])
    expect((await outcome({ ...BASE, AddressRetention: 'retain' })).message?.to).toBe(TO)
  },
  SmartEncoded: async () => {
    expect((await outcome({ ...BASE, Body: '“Hi”', SmartEncoded: 'true' })).message?.body).toBe('"Hi"')
    expect((await outcome({ ...BASE, Body: '“Hi”' })).message?.body).toBe('“Hi”')
  },
  ScheduleType: async () => {
    const scheduled = {
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'Later',
      SendAt: '2024-01-01T02:00:00Z',
    }
    expect((await create(double(), { ...scheduled, ScheduleType: 'fixed' })).body.status).toBe('scheduled')
    expect((await create(double(), scheduled)).body.status).toBe('accepted')
  },
  SendAt: async () => {
    const d = double()
    const m = (
      await create(d, {
        To: TO,
        MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
        Body: 'Later',
        ScheduleType: 'fixed',
        SendAt: '2024-01-01T02:00:00Z',
      })
    ).body
    await d.advance('119m')
    expect(d.messages.get(m.sid)?.status).toBe('scheduled')
    await d.settle()
    expect(d.messages.get(m.sid)?.status).toBe('delivered')
    expect(new Date(d.messages.get(m.sid)!.date_sent!).getTime()).toBeGreaterThanOrEqual(
      Date.parse('2024-01-01T02:00:00Z'),
    )
  },
}

/** Probes of Update Message's parameters. */
const UPDATE_EFFECTS: Record<string, () => Promise<void>> = {
  AccountSid: async () => {
    const d = double({
      accounts: [{ sid: DEFAULT_ACCOUNT_SID, authToken: 'twilio-double-auth-token-0000001' }, OTHER_ACCOUNT],
    })
    const m = (await create(d, BASE)).body
    await d.settle()
    const other = {
      base: `/2010-04-01/Accounts/${OTHER_ACCOUNT.sid}`,
      auth: basic(OTHER_ACCOUNT.sid, OTHER_ACCOUNT.authToken),
    }
    expect((await call(d, post(`/Messages/${m.sid}.json`, { Body: '' }, other))).body.code).toBe(20404)
    expect(d.messages.get(m.sid)?.body).toBe('Hello')
  },
  Sid: async () => {
    const d = double()
    const m = (await create(d, BASE)).body
    await d.settle()
    expect((await call(d, post(`/Messages/SM${'0'.repeat(32)}.json`, { Body: '' }))).body.code).toBe(20404)
    expect((await call(d, post(`/Messages/${m.sid}.json`, { Body: '' }))).body.sid).toBe(m.sid)
  },
  Body: async () => {
    const d = double()
    const m = (await create(d, BASE)).body
    await d.settle()
    expect((await call(d, post(`/Messages/${m.sid}.json`, { Body: 'edited' }))).status).toBe(400)
    expect((await call(d, post(`/Messages/${m.sid}.json`, { Body: '' }))).body.body).toBe('')
    expect(d.messages.get(m.sid)?.body).toBe('')
  },
  Status: async () => {
    const d = double()
    const m = (
      await create(d, {
        To: TO,
        MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
        Body: 'Later',
        ScheduleType: 'fixed',
        SendAt: '2024-01-01T02:00:00Z',
      })
    ).body
    expect((await call(d, post(`/Messages/${m.sid}.json`, { Status: 'canceled' }))).body.status).toBe(
      'canceled',
    )
    await d.settle()
    expect(d.messages.get(m.sid)?.status).toBe('canceled')
  },
}

/** A double holding messages on two days, to two recipients, from two senders, and in another account. */
async function listed() {
  const d = double({
    accounts: [{ sid: DEFAULT_ACCOUNT_SID, authToken: 'twilio-double-auth-token-0000001' }, OTHER_ACCOUNT],
  })
  await create(d, { ...BASE, Body: 'day 1' })
  await d.settle()
  await d.advance('24h')
  await create(d, { ...BASE, To: '+15550002222', From: '+15005550010', Body: 'day 2' })
  await d.settle()
  const other = {
    base: `/2010-04-01/Accounts/${OTHER_ACCOUNT.sid}`,
    auth: basic(OTHER_ACCOUNT.sid, OTHER_ACCOUNT.authToken),
  }
  await call(d, post('/Messages.json', { ...BASE, Body: 'elsewhere' }, other))
  const bodies = async (query: Record<string, unknown>) =>
    ((await call(d, get('/Messages.json', query))).body.messages as { body: string }[]).map((m) => m.body)
  return { d, bodies }
}

const LIST_EFFECTS: Record<string, () => Promise<void>> = {
  AccountSid: async () => expect(await (await listed()).bodies({})).toEqual(['day 2', 'day 1']),
  To: async () => expect(await (await listed()).bodies({ To: TO })).toEqual(['day 1']),
  From: async () => expect(await (await listed()).bodies({ From: '+15005550010' })).toEqual(['day 2']),
  DateSent: async () => expect(await (await listed()).bodies({ DateSent: '2024-01-01' })).toEqual(['day 1']),
  'DateSent<': async () =>
    expect(await (await listed()).bodies({ 'DateSent<': '2024-01-01' })).toEqual(['day 1']),
  'DateSent>': async () =>
    expect(await (await listed()).bodies({ 'DateSent>': '2024-01-02' })).toEqual(['day 2']),
  PageSize: async () => {
    const { d, bodies } = await listed()
    expect(await bodies({ PageSize: 1 })).toEqual(['day 2'])
    expect((await call(d, get('/Messages.json', { PageSize: 1001 }))).body.code).toBe(20007)
  },
  Page: async () => {
    const { d } = await listed()
    const first = (await call(d, get('/Messages.json', { PageSize: 1 }))).body
    const next = new URL(first.next_page_uri, 'https://api.twilio.com')
    expect(next.searchParams.get('Page')).toBe('1')
    const second = (await call(d, new Request(next, { headers: { authorization: basic() } }))).body
    expect([second.page, second.messages[0].body]).toEqual([1, 'day 1'])
  },
  PageToken: async () => {
    const { d } = await listed()
    const first = (await call(d, get('/Messages.json', { PageSize: 1 }))).body
    const token = new URL(first.next_page_uri, 'https://api.twilio.com').searchParams.get('PageToken')
    expect(token).toMatch(/^PA/)
    const second = (await call(d, get('/Messages.json', { PageSize: 1, Page: 1, PageToken: token }))).body
    expect(second.messages.map((m: { body: string }) => m.body)).toEqual(['day 1'])
  },
}

/** One message with media and a messaging service, created, then run to its end. */
async function finished() {
  const d = double()
  const created = (
    await create(d, {
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'Hi',
      MediaUrl: 'https://example.com/a.png',
    })
  ).body
  await d.settle()
  const failed = (await create(d, { To: '+15005550001', From: DEFAULT_FROM, Body: 'x' })).body
  const undelivered = (await create(d, { ...BASE, To: '+15550003333' })).body
  d.scenarios.use({ when: { to: '+15550004444' }, then: { deliver: 'undelivered', errorCode: 30003 } })
  const lost = (await create(d, { ...BASE, To: '+15550004444' })).body
  await d.settle()
  return {
    d,
    created,
    message: d.messages.get(created.sid)!,
    failed,
    undelivered,
    lost: d.messages.get(lost.sid)!,
  }
}

const RFC_2822 = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/

const FIELD_EFFECTS: Record<string, () => Promise<void>> = {
  account_sid: async () => expect((await finished()).message.account_sid).toBe(DEFAULT_ACCOUNT_SID),
  api_version: async () => expect((await finished()).message.api_version).toBe('2010-04-01'),
  body: async () => expect((await finished()).message.body).toBe('Hi'),
  date_created: async () => {
    const { created, message } = await finished()
    expect(message.date_created).toMatch(RFC_2822)
    expect(message.date_created).toBe(created.date_created)
  },
  date_sent: async () => {
    const { created, message } = await finished()
    expect(created.date_sent).toBeNull()
    expect(message.date_sent).toMatch(RFC_2822)
  },
  date_updated: async () => {
    const { created, message } = await finished()
    expect(message.date_updated).toMatch(RFC_2822)
    expect(Date.parse(message.date_updated!)).toBeGreaterThan(Date.parse(created.date_updated))
  },
  direction: async () => expect((await finished()).message.direction).toBe('outbound-api'),
  error_code: async () => {
    const { message, lost } = await finished()
    expect([message.error_code, lost.error_code]).toEqual([null, 30003])
  },
  error_message: async () => {
    const { message, lost } = await finished()
    expect(message.error_message).toBeNull()
    expect(lost.error_message).toEqual(expect.any(String))
  },
  from: async () => {
    const { created, message } = await finished()
    expect([created.from, message.from]).toEqual([null, DEFAULT_FROM])
  },
  messaging_service_sid: async () =>
    expect((await finished()).message.messaging_service_sid).toBe(DEFAULT_MESSAGING_SERVICE_SID),
  num_media: async () => expect((await finished()).message.num_media).toBe('1'),
  num_segments: async () => expect((await finished()).message.num_segments).toBe('1'),
  price: async () => {
    const { created, message } = await finished()
    expect(created.price).toBeNull()
    expect(Number(message.price)).toBeLessThan(0)
  },
  price_unit: async () => expect((await finished()).message.price_unit).toBe('USD'),
  sid: async () => {
    const { message, undelivered } = await finished()
    expect([message.sid, undelivered.sid]).toEqual([
      expect.stringMatching(/^MM[0-9a-f]{32}$/),
      expect.stringMatching(/^SM[0-9a-f]{32}$/),
    ])
  },
  status: async () => {
    const { created, message } = await finished()
    expect([created.status, message.status]).toEqual(['accepted', 'delivered'])
  },
  subresource_uris: async () => {
    const { created, message } = await finished()
    const base = `${ACCOUNT_PATH}/Messages/${message.sid}`
    expect([created.subresource_uris, message.subresource_uris]).toEqual([
      { media: `${base}/Media.json` },
      { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    ])
  },
  to: async () => expect((await finished()).message.to).toBe(TO),
  uri: async () => {
    const { message } = await finished()
    expect(message.uri).toBe(`${ACCOUNT_PATH}/Messages/${message.sid}.json`)
  },
}

const PROBES: Record<Section, Record<string, () => Promise<void>>> = {
  create: CREATE_EFFECTS,
  update: UPDATE_EFFECTS,
  list: LIST_EFFECTS,
  json: FIELD_EFFECTS,
}

const rows = readTable()

describe('docs/fidelity.md', () => {
  it('has a row for every parameter and field of the OpenAPI slice, and none it does not name', () => {
    const names = openApiNames()
    for (const section of Object.keys(names) as Section[])
      expect(
        rows
          .filter((r) => r.section === section)
          .map((r) => r.name)
          .sort(),
        section,
      ).toEqual([...new Set(names[section])].sort())
  })

  for (const row of rows) {
    const title = `${row.section} ${row.name}: ${row.claim}${row.code ? ` (${row.code})` : ''}`
    if (row.claim === 'takes effect' || row.claim === 'as on Twilio') {
      it(title, async () => {
        const probe = PROBES[row.section][row.name]
        expect(probe, `no probe shows the effect of ${row.name}`).toBeDefined()
        await probe!()
      })
    } else if (row.claim === 'validated') {
      it(title, async () => {
        const values = VALIDATED[row.name]
        expect(values, `no values for ${row.name}`).toBeDefined()
        const refused = await create(double(), { ...BASE, ...values!.with, [row.name]: values!.bad })
        expect([refused.status, refused.body.code], refused.text).toEqual([400, row.code])
        // a well-formed value changes nothing a test can observe
        expect(await outcome({ ...BASE, ...values!.with, [row.name]: values!.good })).toEqual(
          await outcome({ ...BASE, ...values!.with }),
        )
      })
    } else {
      it(title, async () => {
        expect(row.section, 'only create parameters can be ignored here').toBe('create')
        expect(await outcome({ ...BASE, [row.name]: 'anything at all' })).toEqual(await outcome(BASE))
      })
    }
  }
})
