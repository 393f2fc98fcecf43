/**
 * Twilio's Accounts resource through the real `twilio` client: a main account creates, reads, lists, renames,
 * suspends and closes subaccounts; a parent's credentials act on its subaccounts' paths; a subaccount reaches
 * neither its parent's nor a sibling's data; a closed or suspended account is answered 20005. Every answer is
 * held against the OpenAPI slice (its Account operations) and the zod schemas (test/support/checked-double.ts).
 */
import twilio from 'twilio'
import { afterEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_API_KEY_SECRET,
  DEFAULT_API_KEY_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_START_TIME,
} from '../../src/config.js'
import type { CreateTwilioDoubleOptions, TwilioDouble } from '../../src/double.js'
import { accountPageSchema, accountSchema } from '../../src/schemas/account.js'
import { type CheckedDouble, createCheckedDouble } from '../support/checked-double.js'

const checked: CheckedDouble[] = []
afterEach(async () => {
  for (const c of checked.splice(0)) await c.expectClean(1)
})

/** A double whose every answer is checked after the test. */
function createTwilioDouble(options: CreateTwilioDoubleOptions = {}): TwilioDouble {
  const c = createCheckedDouble(options)
  checked.push(c)
  return c.double
}

const TO = '+15558675310'

function clients(double: TwilioDouble) {
  const httpClient = double.httpClient() as never
  const as = (sid: string, token: string, accountSid?: string) =>
    twilio(sid, token, { httpClient, ...(accountSid ? { accountSid } : {}) })
  return { main: as(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN), as }
}

/** The keys of Twilio's account JSON and of its subresource_uris, in the order of the OpenAPI example. */
const ACCOUNT_KEYS = [
  'auth_token',
  'date_created',
  'date_updated',
  'friendly_name',
  'owner_account_sid',
  'sid',
  'status',
  'subresource_uris',
  'type',
  'uri',
]

async function raw(
  double: TwilioDouble,
  method: string,
  path: string,
  auth: [string, string],
  body?: string,
) {
  const res = await double.fetch(`https://api.twilio.com${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(auth.join(':')).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    body,
  })
  return { status: res.status, json: (await res.json()) as Record<string, any> }
}

describe('the Accounts resource', () => {
  it('creates a subaccount with its own SID and token, in the shape of Twilio account JSON', async () => {
    const double = createTwilioDouble({ startTime: DEFAULT_START_TIME })
    const { main } = clients(double)
    const sub = await main.api.v2010.accounts.create({ friendlyName: 'ci worker 1' })
    expect(sub.sid).toMatch(/^AC[0-9a-f]{32}$/)
    expect(sub.sid).not.toBe(DEFAULT_ACCOUNT_SID)
    expect(sub.authToken).toMatch(/^[0-9a-f]{32}$/)
    expect(sub).toMatchObject({
      friendlyName: 'ci worker 1',
      ownerAccountSid: DEFAULT_ACCOUNT_SID,
      status: 'active',
      type: 'Full',
      uri: `/2010-04-01/Accounts/${sub.sid}.json`,
    })
    expect(sub.dateCreated.toISOString()).toBe('2024-01-01T00:00:00.000Z')
    expect(sub.subresourceUris.messages).toBe(`/2010-04-01/Accounts/${sub.sid}/Messages.json`)

    const wire = await raw(double, 'GET', `/2010-04-01/Accounts/${sub.sid}.json`, [
      DEFAULT_ACCOUNT_SID,
      DEFAULT_AUTH_TOKEN,
    ])
    expect(wire.status).toBe(200)
    expect(Object.keys(wire.json)).toEqual(ACCOUNT_KEYS)
    expect(accountSchema.parse(wire.json)).toMatchObject({ date_created: 'Mon, 01 Jan 2024 00:00:00 +0000' })
    expect(Object.keys(wire.json.subresource_uris)).toHaveLength(20)
  })

  it('names a subaccount created without a FriendlyName as Twilio does, and gives each a different SID', async () => {
    const double = createTwilioDouble({ startTime: Date.UTC(2024, 0, 1, 13, 5) })
    const { main } = clients(double)
    const a = await main.api.v2010.accounts.create()
    const b = await main.api.v2010.accounts.create()
    expect(a.friendlyName).toBe('SubAccount Created at 2024-01-01 1:05 pm')
    expect(a.sid).not.toBe(b.sid)
    expect(a.authToken).not.toBe(b.authToken)
  })

  it('fetches the main account itself: its own owner, named as declared', async () => {
    const double = createTwilioDouble({
      accounts: [{ sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, friendlyName: 'Acme' }],
    })
    const me = await clients(double).main.api.v2010.accounts(DEFAULT_ACCOUNT_SID).fetch()
    expect(me).toMatchObject({
      sid: DEFAULT_ACCOUNT_SID,
      ownerAccountSid: DEFAULT_ACCOUNT_SID,
      friendlyName: 'Acme',
      authToken: DEFAULT_AUTH_TOKEN,
      status: 'active',
    })
  })

  it('lists the account and its subaccounts, filtered by name and status, page by page', async () => {
    const double = createTwilioDouble()
    const { main } = clients(double)
    const subs = []
    for (let i = 0; i < 5; i++) subs.push(await main.api.v2010.accounts.create({ friendlyName: `w${i}` }))
    await main.api.v2010.accounts(subs[1]!.sid).update({ status: 'suspended' })

    const all = await main.api.v2010.accounts.list({ pageSize: 2 })
    expect(all.map((a) => a.sid)).toEqual([DEFAULT_ACCOUNT_SID, ...subs.map((s) => s.sid)])
    const named = await main.api.v2010.accounts.list({ friendlyName: 'w3' })
    expect(named.map((a) => a.sid)).toEqual([subs[3]!.sid])
    const suspended = await main.api.v2010.accounts.list({ status: 'suspended' })
    expect(suspended.map((a) => a.sid)).toEqual([subs[1]!.sid])

    const page = await raw(double, 'GET', '/2010-04-01/Accounts.json?Status=active&PageSize=2', [
      DEFAULT_ACCOUNT_SID,
      DEFAULT_AUTH_TOKEN,
    ])
    expect(accountPageSchema.parse(page.json)).toMatchObject({
      first_page_uri: '/2010-04-01/Accounts.json?Status=active&PageSize=2&Page=0',
      next_page_uri: `/2010-04-01/Accounts.json?Status=active&PageSize=2&Page=1&PageToken=PA${subs[0]!.sid}`,
      page: 0,
      page_size: 2,
      start: 0,
      end: 1,
    })
    // a subaccount lists itself alone
    const sub = clients(double).as(subs[0]!.sid, subs[0]!.authToken)
    expect((await sub.api.v2010.accounts.list()).map((a) => a.sid)).toEqual([subs[0]!.sid])
  })

  it('pages as the Messages list does (PageToken cursors in the paging URIs): the real client walks every account across pages', async () => {
    const double = createTwilioDouble()
    const { main, as } = clients(double)
    const subs: string[] = []
    for (let i = 0; i < 60; i++)
      subs.push((await main.api.v2010.accounts.create({ friendlyName: `w${i}` })).sid)
    const every = [DEFAULT_ACCOUNT_SID, ...subs]
    const sids = (accounts: { sid: string }[]) => accounts.map((a) => a.sid)

    // 61 accounts: two pages of the default size 50, more of smaller sizes
    expect(sids(await main.api.v2010.accounts.list())).toEqual(every)
    expect(sids(await main.api.v2010.accounts.list({ limit: 55, pageSize: 20 }))).toEqual(every.slice(0, 55))
    expect(sids(await main.api.v2010.accounts.list({ limit: 61 }))).toEqual(every)
    const seen: string[] = []
    await new Promise<void>((resolve, reject) =>
      main.api.v2010.accounts.each({
        pageSize: 7,
        callback: (a) => {
          seen.push(a.sid)
        },
        done: (err?: Error) => (err ? reject(err) : resolve()),
      }),
    )
    expect(seen).toEqual(every)

    // page by page, forward then back, each link carrying the cursor of its page
    const first = await main.api.v2010.accounts.page({ pageSize: 25 })
    expect(sids(first.instances)).toEqual(every.slice(0, 25))
    expect(first.nextPageUrl).toBe(
      `https://api.twilio.com/2010-04-01/Accounts.json?PageSize=25&Page=1&PageToken=PA${every[24]}`,
    )
    const second = await first.nextPage()!
    expect(sids(second.instances)).toEqual(every.slice(25, 50))
    const third = await second.nextPage()!
    expect(sids(third.instances)).toEqual(every.slice(50))
    expect(third.nextPageUrl).toBeUndefined()
    expect(third.previousPageUrl).toBe(
      `https://api.twilio.com/2010-04-01/Accounts.json?PageSize=25&Page=1&PageToken=PB${every[50]}`,
    )
    expect(sids((await third.previousPage()!).instances)).toEqual(every.slice(25, 50))
    // a token alone: the page just after (PA) or just before (PB) its account
    const after = await main.api.v2010.accounts.page({ pageSize: 3, pageToken: `PA${every[9]}` })
    expect(sids(after.instances)).toEqual(every.slice(10, 13))
    const before = await main.api.v2010.accounts.page({ pageSize: 3, pageToken: `PB${every[9]}` })
    expect(sids(before.instances)).toEqual(every.slice(6, 9))

    // the envelope: Page numbers the page, the token places it, the filters are echoed before both
    const auth: [string, string] = [DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN]
    const page = await raw(
      double,
      'GET',
      `/2010-04-01/Accounts.json?PageSize=2&Page=1&PageToken=PA${every[1]}`,
      auth,
    )
    expect(sids(accountPageSchema.parse(page.json).accounts as { sid: string }[])).toEqual(every.slice(2, 4))
    expect(page.json).toMatchObject({
      first_page_uri: '/2010-04-01/Accounts.json?PageSize=2&Page=0',
      uri: `/2010-04-01/Accounts.json?PageSize=2&Page=1&PageToken=PA${every[1]}`,
      next_page_uri: `/2010-04-01/Accounts.json?PageSize=2&Page=2&PageToken=PA${every[3]}`,
      previous_page_uri: `/2010-04-01/Accounts.json?PageSize=2&Page=0&PageToken=PB${every[2]}`,
      page: 1,
      page_size: 2,
      start: 2,
      end: 3,
    })

    // filtered lists page by the same cursors, whatever the filters say of the cursor's account
    for (const sid of [subs[3]!, subs[40]!])
      await main.api.v2010.accounts(sid).update({ status: 'suspended' })
    expect(sids(await main.api.v2010.accounts.list({ status: 'suspended', pageSize: 1 }))).toEqual([
      subs[3],
      subs[40],
    ])
    const active = every.filter((sid) => sid !== subs[3] && sid !== subs[40])
    expect(sids(await main.api.v2010.accounts.list({ status: 'active', pageSize: 9 }))).toEqual(active)
    const filtered = await raw(
      double,
      'GET',
      `/2010-04-01/Accounts.json?Status=suspended&PageSize=1&PageToken=PA${subs[2]}`,
      auth,
    )
    expect(sids(filtered.json.accounts)).toEqual([subs[3]])
    expect(filtered.json.next_page_uri).toBe(
      `/2010-04-01/Accounts.json?Status=suspended&PageSize=1&Page=1&PageToken=PA${subs[3]}`,
    )

    // a subaccount's list holds itself alone: a token naming another account is refused
    const sub = as(subs[0]!, (await main.api.v2010.accounts(subs[0]!).fetch()).authToken)
    await expect(
      sub.api.v2010.accounts.page({ pageToken: `PA${DEFAULT_ACCOUNT_SID}` }),
    ).rejects.toMatchObject({
      status: 400,
      code: 20001,
      message: `Invalid PageToken 'PA${DEFAULT_ACCOUNT_SID}'`,
    })
  })

  it('renames; the owner suspends, reactivates and closes a subaccount, which then stays closed', async () => {
    const double = createTwilioDouble({ startTime: DEFAULT_START_TIME })
    const { main, as } = clients(double)
    const created = await main.api.v2010.accounts.create({ friendlyName: 'before' })
    await double.advance('1h')
    const renamed = await main.api.v2010.accounts(created.sid).update({ friendlyName: 'after' })
    expect(renamed.friendlyName).toBe('after')
    expect(renamed.dateUpdated.toISOString()).toBe('2024-01-01T01:00:00.000Z')
    // an empty FriendlyName is no rename: the name and the date it was updated stay
    await double.advance('1h')
    const unchanged = await main.api.v2010.accounts(created.sid).update({ friendlyName: '' })
    expect(unchanged.friendlyName).toBe('after')
    expect(unchanged.dateUpdated.toISOString()).toBe('2024-01-01T01:00:00.000Z')

    const sub = as(created.sid, created.authToken)
    await main.api.v2010.accounts(created.sid).update({ status: 'suspended' })
    await expect(sub.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })).rejects.toMatchObject({
      status: 403,
      code: 20005,
    })
    await main.api.v2010.accounts(created.sid).update({ status: 'active' })
    await expect(sub.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })).resolves.toMatchObject({
      status: 'queued',
    })

    const closed = await main.api.v2010.accounts(created.sid).update({ status: 'closed' })
    expect(closed.status).toBe('closed')
    // still listed and fetched by its owner, as on Twilio
    expect((await main.api.v2010.accounts(created.sid).fetch()).status).toBe('closed')
    expect((await main.api.v2010.accounts.list({ status: 'closed' })).map((a) => a.sid)).toEqual([
      created.sid,
    ])
    // its credentials, and its owner's on its paths, are answered "Account not active"
    await expect(sub.messages.list()).rejects.toMatchObject({ status: 403, code: 20005 })
    const onItsPath = as(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, created.sid)
    await expect(onItsPath.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })).rejects.toMatchObject({
      status: 403,
      code: 20005,
      message: 'Account not active',
    })
    // and it cannot be reopened
    await expect(main.api.v2010.accounts(created.sid).update({ status: 'active' })).rejects.toMatchObject({
      status: 403,
      code: 20005,
    })
  })

  it("lets a parent's credentials (auth token or API key) act on its subaccount's paths", async () => {
    const double = createTwilioDouble()
    const { main, as } = clients(double)
    const created = await main.api.v2010.accounts.create()
    const parentOnSub = as(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, created.sid)
    const m = await parentOnSub.messages.create({ from: DEFAULT_FROM, to: TO, body: 'from the parent' })
    expect(m.accountSid).toBe(created.sid)
    const keyOnSub = as(DEFAULT_API_KEY_SID, DEFAULT_API_KEY_SECRET, created.sid)
    expect((await keyOnSub.messages(m.sid).fetch()).body).toBe('from the parent')
    expect((await as(created.sid, created.authToken).messages.list()).map((x) => x.sid)).toEqual([m.sid])
  })

  it("keeps a subaccount out of its parent's and its siblings' data (20003 on their paths, 20404 for their accounts)", async () => {
    const double = createTwilioDouble()
    const { main, as } = clients(double)
    const one = await main.api.v2010.accounts.create()
    const two = await main.api.v2010.accounts.create()
    const parentMessage = await main.messages.create({ from: DEFAULT_FROM, to: TO, body: 'parent' })
    const subOne = as(one.sid, one.authToken)

    const onParent = as(one.sid, one.authToken, DEFAULT_ACCOUNT_SID)
    await expect(onParent.messages(parentMessage.sid).fetch()).rejects.toMatchObject({
      status: 401,
      code: 20003,
    })
    await expect(onParent.messages.list()).rejects.toMatchObject({ status: 401, code: 20003 })
    const onSibling = as(one.sid, one.authToken, two.sid)
    await expect(onSibling.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })).rejects.toMatchObject({
      status: 401,
      code: 20003,
    })
    for (const other of [DEFAULT_ACCOUNT_SID, two.sid])
      await expect(subOne.api.v2010.accounts(other).fetch()).rejects.toMatchObject({
        status: 404,
        code: 20404,
        message: `The requested resource /2010-04-01/Accounts/${other}.json was not found`,
      })
    // nor may it create subaccounts, or change a status (its own or another's)
    await expect(subOne.api.v2010.accounts.create()).rejects.toMatchObject({ status: 403, code: 20003 })
    await expect(subOne.api.v2010.accounts(one.sid).update({ status: 'closed' })).rejects.toMatchObject({
      status: 403,
      code: 20003,
    })
    await expect(
      main.api.v2010.accounts(DEFAULT_ACCOUNT_SID).update({ status: 'suspended' }),
    ).rejects.toMatchObject({
      status: 403,
      code: 20003,
    })
  })

  it('refuses an unknown Status with 20001 and an unknown account with 20404', async () => {
    const double = createTwilioDouble()
    const auth: [string, string] = [DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN]
    const sub = await raw(double, 'POST', '/2010-04-01/Accounts.json', auth, 'FriendlyName=x')
    expect(sub.status).toBe(201)
    const bad = await raw(double, 'POST', `/2010-04-01/Accounts/${sub.json.sid}.json`, auth, 'Status=gone')
    const invalidStatus = {
      status: 400,
      json: {
        code: 20001,
        message: "Invalid Status 'gone': use active, suspended or closed",
        more_info: 'https://www.twilio.com/docs/errors/20001',
        status: 400,
      },
    }
    expect(bad).toEqual(invalidStatus)
    // the parameters are refused before the account is looked at: an unknown one, or the caller's own
    const unknownSid = `AC${'e'.repeat(32)}`
    for (const sid of [unknownSid, DEFAULT_ACCOUNT_SID])
      expect(await raw(double, 'POST', `/2010-04-01/Accounts/${sid}.json`, auth, 'Status=gone')).toEqual(
        invalidStatus,
      )
    // nothing changed; an empty Status is a parameter not given
    const same = await raw(double, 'POST', `/2010-04-01/Accounts/${sub.json.sid}.json`, auth, 'Status=')
    expect(same).toMatchObject({ status: 200, json: { status: 'active', friendly_name: 'x' } })
    const list = await raw(double, 'GET', '/2010-04-01/Accounts.json?Status=gone', auth)
    expect(list).toMatchObject({ status: 400, json: { code: 20001 } })
    const unknown = `AC${'f'.repeat(32)}`
    const missing = await raw(double, 'GET', `/2010-04-01/Accounts/${unknown}.json`, auth)
    expect(missing).toMatchObject({ status: 404, json: { code: 20404 } })
    const noAuth = await raw(double, 'GET', '/2010-04-01/Accounts.json', [DEFAULT_ACCOUNT_SID, 'wrong'])
    expect(noAuth).toMatchObject({ status: 401, json: { code: 20003 } })
  })

  it("refuses a malformed Read Accounts query with Twilio's error body, as the Messages list: PageSize, Page, Status, then PageToken", async () => {
    const double = createTwilioDouble()
    const auth: [string, string] = [DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN]
    const list = (query: string) => raw(double, 'GET', `/2010-04-01/Accounts.json?${query}`, auth)
    const refusal = (code: number, message: string) => ({
      status: 400,
      json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 },
    })
    const invalidSize = (v: string) =>
      refusal(20001, `Invalid PageSize '${v}': use an integer from 1 to 1000`)
    const big = '9'.repeat(20)
    const unknown = `AC${'f'.repeat(32)}`
    const cases: [string, ReturnType<typeof refusal>][] = [
      ['Status=gone', refusal(20001, "Invalid Status 'gone': use active, suspended or closed")],
      ['Status=Active', refusal(20001, "Invalid Status 'Active': use active, suspended or closed")],
      ['Status=gone&Status=active', refusal(20001, "Invalid Status 'gone': use active, suspended or closed")],
      ['PageSize=0', invalidSize('0')],
      ['PageSize=x', invalidSize('x')],
      ['PageSize=2.5', invalidSize('2.5')],
      ['PageSize=-3', invalidSize('-3')],
      ['PageSize=1001', refusal(20007, 'Page size too large. Maximum page size is 1000.')],
      ['PageSize=+1001+', refusal(20007, 'Page size too large. Maximum page size is 1000.')],
      ['Page=-1', refusal(20001, "Invalid Page '-1': use an integer >= 0")],
      ['Page=x', refusal(20001, "Invalid Page 'x': use an integer >= 0")],
      [`Page=${big}`, refusal(20001, `Invalid Page '${big}': the page is out of range`)],
      ['PageToken=anything', refusal(20001, "Invalid PageToken 'anything'")],
      [`PageToken=PASM${'0'.repeat(32)}`, refusal(20001, `Invalid PageToken 'PASM${'0'.repeat(32)}'`)],
      // a well-formed token naming no account of the list
      [`PageToken=PB${unknown}`, refusal(20001, `Invalid PageToken 'PB${unknown}'`)],
      // the first problem in the order of the Messages list is named
      ['Status=gone&Page=-1&PageSize=0&PageToken=x', invalidSize('0')],
      ['Status=gone&Page=-1&PageToken=x', refusal(20001, "Invalid Page '-1': use an integer >= 0")],
      ['PageToken=x&Status=gone', refusal(20001, "Invalid Status 'gone': use active, suspended or closed")],
      ['Page=-1&PageSize=0', invalidSize('0')],
    ]
    for (const [query, answer] of cases) expect(await list(query), query).toEqual(answer)

    // an empty value is a parameter not given; spaces around a number are allowed
    await clients(double).main.api.v2010.accounts.create({ friendlyName: 'w1' })
    for (const query of ['PageSize=&Page=&Status=&FriendlyName=&PageToken=', 'PageSize=+50+&Page=+0+']) {
      const page = await list(query)
      expect(page.status, query).toBe(200)
      expect(accountPageSchema.parse(page.json), query).toMatchObject({
        first_page_uri: '/2010-04-01/Accounts.json?PageSize=50&Page=0',
        page: 0,
        page_size: 50,
        end: 1,
      })
    }
  })
})
