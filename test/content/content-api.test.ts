/**
 * Twilio's Content API (content.twilio.com/v1/Content) through the real `twilio` client: templates created,
 * fetched, listed and deleted, their WhatsApp approval requested and read; and messages sent with `ContentSid`,
 * rendered from their template with `ContentVariables`, only an approved template passing WhatsApp's window.
 */
import twilio from 'twilio'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import { type CreateTwilioDoubleOptions, createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { approvalFetchSchema, contentPageSchema, contentSchema } from '../../src/schemas/content.js'
import { DOORS, useDoor } from '../support/doors.js'

const TO = '+15550001111'
const WA_TO = 'whatsapp:+15550001111'
const WA_FROM = `whatsapp:${DEFAULT_FROM}`
const APPROVED = `HX${'a'.repeat(32)}`
const UNSUBMITTED = `HX${'b'.repeat(32)}`
const AUTH = `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/** The client's refusal of `call`, as the fields a test reads. */
async function refusal(call: () => Promise<unknown>) {
  const err = await call().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err, 'the call was expected to be refused').toBeInstanceOf(twilio.RestException)
  const e = err as InstanceType<typeof twilio.RestException>
  return { status: e.status, code: e.code, message: e.message }
}

const TEMPLATES: CreateTwilioDoubleOptions['contentTemplates'] = [
  {
    sid: APPROVED,
    friendlyName: 'order_update',
    variables: { '1': 'customer' },
    types: {
      'twilio/quick-reply': {
        body: 'Hi {{1}}, order {{2}} has shipped',
        actions: [{ title: 'Track', id: 'track' }],
      },
      'twilio/text': { body: 'Hi {{1}}, order {{2}} has shipped. Reply TRACK to track it.' },
    },
    whatsapp: { name: 'order_update', category: 'UTILITY' },
  },
  { sid: UNSUBMITTED, types: { 'twilio/text': { body: 'Your code is {{1}}' } } },
]

describe.each(DOORS)('the Content API through the %s door', (kind) => {
  const door = useDoor(kind)
  let double: TwilioDouble
  let client: twilio.Twilio
  beforeEach(() => {
    double = createTwilioDouble({
      seed: 'content',
      startTime: DEFAULT_START_TIME,
      contentTemplates: TEMPLATES,
    })
    client = door.connect(double)
  })

  it('creates, fetches, lists and deletes templates', async () => {
    const created = await client.content.v1.contents.create({
      friendly_name: 'welcome',
      language: 'en',
      variables: { '1': 'friend' },
      types: { 'twilio/text': { body: 'Welcome, {{1}}!' } },
    } as never)
    expect(created).toMatchObject({
      sid: expect.stringMatching(/^HX[0-9a-f]{32}$/),
      accountSid: DEFAULT_ACCOUNT_SID,
      friendlyName: 'welcome',
      language: 'en',
      variables: { '1': 'friend' },
      types: { 'twilio/text': { body: 'Welcome, {{1}}!' } },
      url: `https://content.twilio.com/v1/Content/${created.sid}`,
      links: {
        approval_create: `https://content.twilio.com/v1/Content/${created.sid}/ApprovalRequests/whatsapp`,
        approval_fetch: `https://content.twilio.com/v1/Content/${created.sid}/ApprovalRequests`,
      },
    })
    expect(created.dateCreated.toISOString()).toBe('2024-01-01T00:00:00.000Z')
    const fetched = await client.content.v1.contents(created.sid).fetch()
    expect(fetched.friendlyName).toBe('welcome')
    const raw = await wire(double, `/v1/Content/${created.sid}`)
    expect(contentSchema.parse(raw)).toMatchObject({
      date_created: expect.stringMatching(ISO),
      sid: created.sid,
    })
    expect(contentPageSchema.parse(await wire(double, '/v1/Content?PageSize=1')).meta).toMatchObject({
      page_size: 1,
      key: 'contents',
      next_page_url: `https://content.twilio.com/v1/Content?PageSize=1&Page=1&PageToken=PA${created.sid}`,
    })
    expect((await client.content.v1.contents.list()).map((c) => c.sid)).toEqual([
      created.sid,
      UNSUBMITTED,
      APPROVED,
    ])
    expect(await client.content.v1.contents(created.sid).remove()).toBe(true)
    expect(await refusal(() => client.content.v1.contents(created.sid).fetch())).toEqual({
      status: 404,
      code: 20404,
      message: `The requested resource /v1/Content/${created.sid} was not found`,
    })
    expect((await client.content.v1.contents.list()).map((c) => c.sid)).toEqual([UNSUBMITTED, APPROVED])
  })

  it('pages the list with next_page_url on content.twilio.com', async () => {
    for (let i = 0; i < 3; i++)
      await client.content.v1.contents.create({
        language: 'en',
        types: { 'twilio/text': { body: `t${i}` } },
      } as never)
    const page = await client.content.v1.contents.page({ pageSize: 2 })
    const text = (c: { types: unknown }) => (c.types as Record<string, { body: string }>)['twilio/text']?.body
    expect(page.instances.map(text)).toEqual(['t2', 't1'])
    const next = await page.nextPage()
    expect(next?.instances.map(text)).toEqual(['t0', 'Your code is {{1}}'])
    expect((await client.content.v1.contents.list({ pageSize: 2 })).length).toBe(5)
  })

  it('refuses a template without language or types (20001), and creates nothing', async () => {
    const e = await refusal(() =>
      client.content.v1.contents.create({ types: { 'twilio/text': { body: 'x' } } } as never),
    )
    expect(e).toMatchObject({ status: 400, code: 20001 })
    expect(
      (await refusal(() => client.content.v1.contents.create({ language: 'en', types: {} } as never))).code,
    ).toBe(20001)
    expect((await client.content.v1.contents.list()).length).toBe(2)
  })

  it("refuses a body written to the twilio client's camelCase types: their types are 20001, their friendlyName ignored", async () => {
    // the client's ContentCreateRequest type says friendlyName and types.twilioText, and sends them as written
    const typed = { friendlyName: 'welcome', language: 'en', types: { twilioText: { body: 'Hi' } } }
    const e = await refusal(() => client.content.v1.contents.create(typed))
    expect(e).toMatchObject({ status: 400, code: 20001 })
    expect((await client.content.v1.contents.list()).length).toBe(2)
    // with the wire's type names, the template is made, and the camelCase name is not one the API reads
    const named = await client.content.v1.contents.create({
      friendlyName: 'welcome',
      language: 'en',
      types: { 'twilio/text': { body: 'Hi' } },
    } as never)
    expect(named.friendlyName).toBe('')
    expect(named.types).toEqual({ 'twilio/text': { body: 'Hi' } })
  })

  it('asks WhatsApp to approve a template: received, then approved', async () => {
    const unsubmitted = await client.content.v1.contents(UNSUBMITTED).approvalFetch().fetch()
    expect(unsubmitted).toMatchObject({
      sid: UNSUBMITTED,
      accountSid: DEFAULT_ACCOUNT_SID,
      whatsapp: { status: 'unsubmitted', name: '', category: '' },
    })
    const request = await client.content.v1
      .contents(UNSUBMITTED)
      .approvalCreate.create({ name: 'login_code', category: 'AUTHENTICATION' } as never)
    expect(request).toMatchObject({
      name: 'login_code',
      category: 'AUTHENTICATION',
      contentType: 'twilio/text',
      status: 'received',
      rejectionReason: '',
    })
    expect((await client.content.v1.contents(UNSUBMITTED).approvalFetch().fetch()).whatsapp.status).toBe(
      'received',
    )
    await double.settle()
    const approved = await client.content.v1.contents(UNSUBMITTED).approvalFetch().fetch()
    expect(
      approvalFetchSchema.parse(await wire(double, `/v1/Content/${UNSUBMITTED}/ApprovalRequests`)),
    ).toBeTruthy()
    expect(approved.whatsapp).toMatchObject({ status: 'approved', name: 'login_code', type: 'whatsapp' })
    const bad = await refusal(() =>
      client.content.v1
        .contents(UNSUBMITTED)
        .approvalCreate.create({ name: 'Login Code', category: 'X' } as never),
    )
    expect(bad).toMatchObject({ status: 400, code: 20001 })
  })

  it('renders the template into the body with ContentVariables and the defaults', async () => {
    const m = await client.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      contentSid: APPROVED,
      contentVariables: JSON.stringify({ '2': 'A-17' }),
    })
    // SMS takes the template's twilio/text
    expect(m.body).toBe('Hi customer, order A-17 has shipped. Reply TRACK to track it.')
    const wa = await client.messages.create({
      from: WA_FROM,
      to: WA_TO,
      contentSid: APPROVED,
      contentVariables: JSON.stringify({ '1': 'Ann', '2': 'B-2' }),
    })
    // WhatsApp takes its quick reply
    expect(wa.body).toBe('Hi Ann, order B-2 has shipped')
    await double.settle()
    expect(double.messages.get(wa.sid)?.status).toBe('delivered')
  })

  it('refuses a ContentSid that names no template (21655) and variables that fill no placeholder (21656)', async () => {
    const unknown = `HX${'c'.repeat(32)}`
    expect(
      await refusal(() => client.messages.create({ from: DEFAULT_FROM, to: TO, contentSid: unknown })),
    ).toEqual({
      status: 400,
      code: 21655,
      message: `The Content Sid ${unknown} is invalid.`,
    })
    for (const contentVariables of ['not json', '[1]', '{"1": {"nested": true}}', '{}'])
      expect(
        (
          await refusal(() =>
            client.messages.create({ from: DEFAULT_FROM, to: TO, contentSid: UNSUBMITTED, contentVariables }),
          )
        ).code,
        contentVariables,
      ).toBe(21656)
    expect(double.messages.count()).toBe(0)
  })

  it('a deleted template, or another account’s, is no template (21655)', async () => {
    const created = await client.content.v1.contents.create({
      language: 'en',
      types: { 'twilio/text': { body: 'x' } },
    } as never)
    await client.content.v1.contents(created.sid).remove()
    expect(
      (await refusal(() => client.messages.create({ from: DEFAULT_FROM, to: TO, contentSid: created.sid })))
        .code,
    ).toBe(21655)
    // another account's template
    const other = `AC${'2'.repeat(32)}`
    const theirs = `HX${'e'.repeat(32)}`
    const two = createTwilioDouble({
      accounts: [
        { sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN },
        { sid: other, authToken: 'other-token' },
      ],
      contentTemplates: [{ sid: theirs, accountSid: other, types: { 'twilio/text': { body: 'theirs' } } }],
    })
    const mine = door.connect(two)
    expect(
      (await refusal(() => mine.messages.create({ from: DEFAULT_FROM, to: TO, contentSid: theirs }))).code,
    ).toBe(21655)
    expect(await refusal(() => mine.content.v1.contents(theirs).fetch())).toMatchObject({
      status: 404,
      code: 20404,
    })
    const owner = door.connect(two, { accountSid: other, authToken: 'other-token' })
    expect((await owner.messages.create({ from: DEFAULT_FROM, to: TO, contentSid: theirs })).body).toBe(
      'theirs',
    )
  })

  it('only an approved template passes the WhatsApp 24-hour window', async () => {
    const approved = await client.messages.create({
      from: WA_FROM,
      to: WA_TO,
      contentSid: APPROVED,
      contentVariables: '{"2":"C-3"}',
    })
    const unsubmitted = await client.messages.create({
      from: WA_FROM,
      to: WA_TO,
      contentSid: UNSUBMITTED,
      contentVariables: '{"1":"123456"}',
    })
    await double.settle()
    expect(double.messages.get(approved.sid)?.status).toBe('delivered')
    expect(double.messages.get(unsubmitted.sid)).toMatchObject({ status: 'failed', error_code: 63016 })
    // inside the window (the user wrote), any template goes out
    await double.inbound({ from: WA_TO, to: WA_FROM, body: 'hi' })
    const inside = await client.messages.create({
      from: WA_FROM,
      to: WA_TO,
      contentSid: UNSUBMITTED,
      contentVariables: '{"1":"654321"}',
    })
    await double.settle()
    expect(double.messages.get(inside.sid)).toMatchObject({
      status: 'delivered',
      body: 'Your code is 654321',
    })
  })

  it('keeps the declared templates across reset(); those the app created are gone', async () => {
    await client.content.v1.contents.create({
      language: 'en',
      types: { 'twilio/text': { body: 'x' } },
    } as never)
    double.reset()
    expect((await client.content.v1.contents.list()).map((c) => c.sid)).toEqual([UNSUBMITTED, APPROVED])
  })

  it('answers the Content API on content.twilio.com only (api.twilio.com/v1/Content is 20404)', async () => {
    const res = await double.fetch('https://api.twilio.com/v1/Content', { headers: { authorization: AUTH } })
    expect([res.status, (await res.json()).code]).toEqual([404, 20404])
  })
})

/** The JSON the double answers a GET of `path` on content.twilio.com with (the default account's credentials). */
async function wire(double: TwilioDouble, path: string): Promise<unknown> {
  const res = await double.fetch(`https://content.twilio.com${path}`, { headers: { authorization: AUTH } })
  expect(res.status).toBe(200)
  return res.json()
}

describe('the Content API on a hostile body', () => {
  it('refuses JSON nested more than 32 deep with 20001 (Twilio reads no template that deep), never 500, creating nothing', async () => {
    const double = createTwilioDouble()
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`
    const bodies = [
      `{"friendly_name":"x","language":"en","types":{"twilio/text":{"body":${deep(50_000)}}}}`,
      `{"friendly_name":"x","language":"en","types":{"twilio/text":{"body":"hi"}},"extra":${deep(40)}}`,
    ]
    for (const body of bodies) {
      const res = await double.handle(
        new Request('https://content.twilio.com/v1/Content', {
          method: 'POST',
          headers: { authorization: AUTH, 'content-type': 'application/json' },
          body,
        }),
      )
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({
        code: 20001,
        message: 'Invalid JSON in the request body: arrays and objects nested more than 32 deep',
      })
    }
    const list = await double.handle(
      new Request('https://content.twilio.com/v1/Content', { headers: { authorization: AUTH } }),
    )
    expect((await list.json()).contents).toEqual([])
  })
})
