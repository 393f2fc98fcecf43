import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import type { TwilioDouble } from '../../src/double.js'
import { type CheckedDouble, createCheckedDouble } from '../support/checked-double.js'
import { ACCOUNT_PATH, call, createOk, del, get, post } from '../support/requests.js'

const TO = '+15550001111'
const UNKNOWN_SM = `SM${'0'.repeat(32)}`

let checked: CheckedDouble
let double: TwilioDouble
beforeEach(() => {
  checked = createCheckedDouble()
  double = checked.double
})
afterEach(async () => {
  await checked.expectClean(1)
})

const sms = () => createOk(double, { To: TO, From: DEFAULT_FROM, Body: 'secret' })
const scheduled = () =>
  createOk(double, {
    To: TO,
    MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
    Body: 'later',
    ScheduleType: 'fixed',
    SendAt: '2024-01-01T02:00:00Z',
  })

describe('fetch', () => {
  it('answers the message as created, and later as delivered', async () => {
    const m = await sms()
    const res = await call(double, get(`/Messages/${m.sid}.json`))
    expect(res.status).toBe(200)
    // as created, with the Feedback subresource Create does not name
    const base = `${ACCOUNT_PATH}/Messages/${m.sid}`
    expect(res.body).toEqual({
      ...m,
      subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    })
    await double.settle()
    expect((await call(double, get(`/Messages/${m.sid}.json`))).body).toMatchObject({
      sid: m.sid,
      status: 'delivered',
    })
  })

  it('an unknown SID is 20404 naming the path', async () => {
    const res = await call(double, get(`/Messages/${UNKNOWN_SM}.json`))
    expect(res.status).toBe(404)
    expect(res.body).toEqual({
      code: 20404,
      message: `The requested resource ${ACCOUNT_PATH}/Messages/${UNKNOWN_SM}.json was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    })
  })
})

describe('update', () => {
  it("Body='' redacts and keeps every other property", async () => {
    const m = await sms()
    await double.settle()
    const before = double.messages.get(m.sid)!
    await double.advance('1m')
    const res = await call(double, post(`/Messages/${m.sid}.json`, { Body: '' }))
    expect(res.status).toBe(200)
    // "redact the text of a message while keeping the other message resource properties intact"
    // (the Message resource document): date_updated included, as in the redactBody example of Twilio's OpenAPI
    expect(res.body).toEqual({ ...before, body: '' })
    expect(double.messages.get(m.sid)).toEqual({ ...before, body: '' })
  })

  it("Body='x' is rejected: a body can only be redacted", async () => {
    const m = await sms()
    const res = await call(double, post(`/Messages/${m.sid}.json`, { Body: 'x' }))
    expect(res.status).toBe(400)
    expect(res.body.code).toBe(20001)
    expect(double.messages.get(m.sid)?.body).toBe('secret')
  })

  it('Status=canceled cancels a scheduled message: it is never sent', async () => {
    const m = await scheduled()
    const res = await call(double, post(`/Messages/${m.sid}.json`, { Status: 'canceled' }))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ sid: m.sid, status: 'canceled', date_sent: null })
    await double.settle()
    expect(double.messages.get(m.sid)?.status).toBe('canceled')
    expect(double.messages.history(m.sid).map((h) => h.status)).toEqual(['scheduled', 'canceled'])
  })

  it('Status=canceled on a queued, accepted or delivered message → 30409', async () => {
    const queued = await sms()
    const accepted = await createOk(double, {
      To: TO,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      Body: 'x',
    })
    for (const sid of [queued.sid, accepted.sid]) {
      const res = await call(double, post(`/Messages/${sid}.json`, { Status: 'canceled' }))
      expect(res.status).toBe(400)
      expect(res.body.code).toBe(30409)
    }
    await double.settle()
    const done = await call(double, post(`/Messages/${queued.sid}.json`, { Status: 'canceled' }))
    expect(done.body.code).toBe(30409)
    expect(double.messages.get(queued.sid)?.status).toBe('delivered')
  })

  it('any other Status is rejected', async () => {
    const m = await scheduled()
    for (const status of ['sent', 'cancelled', 'delivered']) {
      const res = await call(double, post(`/Messages/${m.sid}.json`, { Status: status }))
      expect(res.status).toBe(400)
      expect(res.body.code).toBe(20001)
    }
    expect(double.messages.get(m.sid)?.status).toBe('scheduled')
  })

  it('a refused update changes nothing: Status=canceled with a new Body leaves the message scheduled', async () => {
    const m = await scheduled()
    const before = double.messages.get(m.sid)
    const res = await call(double, post(`/Messages/${m.sid}.json`, { Status: 'canceled', Body: 'new text' }))
    expect(res.status).toBe(400)
    expect(res.body.code).toBe(20001)
    expect(double.messages.get(m.sid)).toEqual(before)
    expect(double.messages.history(m.sid).map((h) => h.status)).toEqual(['scheduled'])
    // still sent at its time
    await double.settle()
    expect(double.messages.get(m.sid)?.status).toBe('delivered')
  })

  it('an unknown SID is 20404', async () => {
    const res = await call(double, post(`/Messages/${UNKNOWN_SM}.json`, { Body: '' }))
    expect(res.status).toBe(404)
    expect(res.body.code).toBe(20404)
  })
})

describe('delete', () => {
  it('answers 20009 until the message is final, then 204 and it is gone', async () => {
    const m = await sms()
    const early = await call(double, del(`/Messages/${m.sid}.json`))
    expect(early.status).toBe(400)
    expect(early.body).toMatchObject({ code: 20009, status: 400 })
    await double.settle()
    const res = await call(double, del(`/Messages/${m.sid}.json`))
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
    expect(res.headers.get('content-length')).toBe('0')
    expect((await call(double, get(`/Messages/${m.sid}.json`))).status).toBe(404)
    expect((await call(double, del(`/Messages/${m.sid}.json`))).status).toBe(404)
    expect(double.messages.count()).toBe(0)
  })

  it('a canceled message can be deleted; a scheduled one cannot', async () => {
    const m = await scheduled()
    expect((await call(double, del(`/Messages/${m.sid}.json`))).body.code).toBe(20009)
    await call(double, post(`/Messages/${m.sid}.json`, { Status: 'canceled' }))
    expect((await call(double, del(`/Messages/${m.sid}.json`))).status).toBe(204)
  })

  it('media go with their message', async () => {
    const m = await createOk(double, { To: TO, From: DEFAULT_FROM, MediaUrl: 'https://example.com/a.png' })
    await double.settle()
    const media = (await call(double, get(`/Messages/${m.sid}/Media.json`))).body.media_list
    expect(media).toHaveLength(1)
    expect((await call(double, del(`/Messages/${m.sid}.json`))).status).toBe(204)
    expect((await call(double, get(`/Messages/${m.sid}/Media/${media[0].sid}.json`))).status).toBe(404)
  })
})

describe('media', () => {
  const urls = [
    'https://example.com/cat.jpg',
    'https://example.com/clip.MP4?x=1',
    'https://example.com/card.vcf',
    'https://example.com/noext',
  ]
  const types = ['image/jpeg', 'video/mp4', 'text/vcard', 'application/octet-stream']

  it('lists ME media with content types from the URL extension', async () => {
    const m = await createOk(double, { To: TO, From: DEFAULT_FROM, Body: 'pics', MediaUrl: urls })
    const res = await call(double, get(`/Messages/${m.sid}/Media.json`))
    expect(res.status).toBe(200)
    const path = `${ACCOUNT_PATH}/Messages/${m.sid}/Media.json`
    expect(res.body).toMatchObject({
      start: 0,
      end: 3,
      page: 0,
      page_size: 50,
      uri: `${path}?PageSize=50&Page=0`,
      first_page_uri: `${path}?PageSize=50&Page=0`,
      next_page_uri: null,
      previous_page_uri: null,
    })
    const list = res.body.media_list
    expect(list.map((x: any) => x.content_type).sort()).toEqual([...types].sort())
    for (const item of list) {
      expect(item.sid).toMatch(/^ME[0-9a-f]{32}$/)
      expect(item).toMatchObject({
        account_sid: DEFAULT_ACCOUNT_SID,
        parent_sid: m.sid,
        uri: `${ACCOUNT_PATH}/Messages/${m.sid}/Media/${item.sid}.json`,
      })
    }
    expect(new Set(list.map((x: any) => x.sid)).size).toBe(4)
    expect(double.messages.mediaUrls(m.sid)).toEqual(urls)
  })

  it('pages the media list', async () => {
    const m = await createOk(double, { To: TO, From: DEFAULT_FROM, MediaUrl: urls })
    const list = `/Messages/${m.sid}/Media.json`
    const page = async (query: Record<string, string | number>) => (await call(double, get(list, query))).body
    const p0 = await page({ PageSize: 3 })
    expect(p0.media_list).toHaveLength(3)
    expect(p0.next_page_uri).toBe(
      `${ACCOUNT_PATH}${list}?PageSize=3&Page=1&PageToken=PA${p0.media_list[2].sid}`,
    )
    const p1 = await page({ PageSize: 3, Page: 1 })
    expect(p1.media_list).toHaveLength(1)
    expect(p1).toMatchObject({ start: 3, end: 3, next_page_uri: null })
    // the cursor pages: after the third item, then back before the fourth
    const next = await page({ PageSize: 3, Page: 1, PageToken: `PA${p0.media_list[2].sid}` })
    expect(next.media_list).toEqual(p1.media_list)
    expect(next.uri).toBe(`${ACCOUNT_PATH}${list}?PageSize=3&Page=1&PageToken=PA${p0.media_list[2].sid}`)
    expect(next.previous_page_uri).toBe(
      `${ACCOUNT_PATH}${list}?PageSize=3&Page=0&PageToken=PB${p1.media_list[0].sid}`,
    )
    const back = await page({ PageSize: 3, Page: 0, PageToken: `PB${p1.media_list[0].sid}` })
    expect(back.media_list).toEqual(p0.media_list)
    for (const token of ['PAnope', `PA${p0.media_list[0].sid.replace('ME', 'SM')}`, `PAME${'0'.repeat(32)}`])
      expect(await page({ PageToken: token })).toMatchObject({ status: 400, code: 20001 })
    expect((await page({ PageSize: 1001 })).code).toBe(20007)
  })

  it('refuses a malformed query with the error Twilio gives, the first problem in its order', async () => {
    const m = await createOk(double, { To: TO, From: DEFAULT_FROM, MediaUrl: urls })
    const list = `/Messages/${m.sid}/Media.json`
    const answer = async (query: Record<string, string>) => {
      const res = await call(double, get(list, query))
      return { status: res.status, code: res.body.code, message: res.body.message }
    }
    const dates = 'use YYYY-MM-DD, YYYY-MM-DDTHH:mm:ssZ, MM/DD/YYYY HH:mm:ss MST or an RFC 2822 date'
    const unknown = `PAME${'0'.repeat(32)}`
    const cases: [Record<string, string>, number, string][] = [
      [{ PageSize: '0' }, 20001, "Invalid PageSize '0': use an integer from 1 to 1000"],
      [{ PageSize: 'x' }, 20001, "Invalid PageSize 'x': use an integer from 1 to 1000"],
      [{ PageSize: '2.5' }, 20001, "Invalid PageSize '2.5': use an integer from 1 to 1000"],
      [{ PageSize: '-3' }, 20001, "Invalid PageSize '-3': use an integer from 1 to 1000"],
      [{ PageSize: ' 1001 ' }, 20007, 'Page size too large. Maximum page size is 1000.'],
      [{ Page: '-1' }, 20001, "Invalid Page '-1': use an integer >= 0"],
      [{ Page: '9'.repeat(20) }, 20001, `Invalid Page '${'9'.repeat(20)}': the page is out of range`],
      [{ DateCreated: 'soon' }, 20001, `Invalid DateCreated 'soon': ${dates}`],
      [{ 'DateCreated<': 'soon' }, 20001, `Invalid DateCreated< 'soon': ${dates}`],
      [{ 'DateCreated>': 'soon' }, 20001, `Invalid DateCreated> 'soon': ${dates}`],
      [{ PageToken: 'PAnope' }, 20001, "Invalid PageToken 'PAnope'"],
      [{ PageToken: unknown }, 20001, `Invalid PageToken '${unknown}'`],
    ]
    for (const [query, code, message] of cases)
      expect(await answer(query), JSON.stringify(query)).toEqual({ status: 400, code, message })
    // every parameter malformed: the first in Twilio's order is named
    const order = ['PageSize', 'Page', 'DateCreated', 'DateCreated<', 'DateCreated>', 'PageToken']
    for (let i = 0; i < order.length; i++) {
      const query = Object.fromEntries(order.slice(i).map((k) => [k, 'x']))
      expect((await answer(query)).message).toMatch(new RegExp(`^Invalid ${order[i]} 'x'`))
    }
    // spaces around a number are allowed, an empty value is a parameter not given
    const spaced = (await call(double, get(list, { PageSize: ' 2 ', Page: '', PageToken: '' }))).body
    expect([spaced.page_size, spaced.page, spaced.media_list.length]).toEqual([2, 0, 2])
    // the message is looked up before its query is read
    expect((await call(double, get(`/Messages/${UNKNOWN_SM}/Media.json`, { PageSize: '0' }))).body.code).toBe(
      20404,
    )
  })

  it('fetches and deletes one media item', async () => {
    const m = await createOk(double, { To: TO, From: DEFAULT_FROM, MediaUrl: urls.slice(0, 2) })
    const list = (await call(double, get(`/Messages/${m.sid}/Media.json`))).body.media_list
    const one = await call(double, get(`/Messages/${m.sid}/Media/${list[0].sid}.json`))
    expect(one.status).toBe(200)
    expect(one.body).toEqual(list[0])
    const gone = await call(double, del(`/Messages/${m.sid}/Media/${list[0].sid}.json`))
    expect(gone.status).toBe(204)
    expect((await call(double, get(`/Messages/${m.sid}/Media/${list[0].sid}.json`))).status).toBe(404)
    expect((await call(double, del(`/Messages/${m.sid}/Media/${list[0].sid}.json`))).status).toBe(404)
    const left = (await call(double, get(`/Messages/${m.sid}/Media.json`))).body.media_list
    expect(left.map((x: any) => x.sid)).toEqual([list[1].sid])
  })

  it('an SMS has an empty media list; unknown messages and media are 20404', async () => {
    const m = await sms()
    expect((await call(double, get(`/Messages/${m.sid}/Media.json`))).body.media_list).toEqual([])
    expect((await call(double, get(`/Messages/${UNKNOWN_SM}/Media.json`))).body.code).toBe(20404)
    expect((await call(double, get(`/Messages/${m.sid}/Media/ME${'0'.repeat(32)}.json`))).body.code).toBe(
      20404,
    )
  })
})

describe('feedback', () => {
  it('records the outcome and answers the feedback resource', async () => {
    const m = await createOk(double, {
      To: TO,
      From: DEFAULT_FROM,
      Body: 'code 1234',
      ProvideFeedback: 'true',
    })
    const res = await call(double, post(`/Messages/${m.sid}/Feedback.json`, { Outcome: 'confirmed' }))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      account_sid: DEFAULT_ACCOUNT_SID,
      message_sid: m.sid,
      outcome: 'confirmed',
      date_created: 'Mon, 01 Jan 2024 00:00:00 +0000',
      date_updated: 'Mon, 01 Jan 2024 00:00:00 +0000',
      uri: `${ACCOUNT_PATH}/Messages/${m.sid}/Feedback.json`,
    })
    await double.advance('1m')
    const again = await call(double, post(`/Messages/${m.sid}/Feedback.json`, { Outcome: 'unconfirmed' }))
    expect(again.body).toMatchObject({
      outcome: 'unconfirmed',
      date_created: 'Mon, 01 Jan 2024 00:00:00 +0000',
      date_updated: 'Mon, 01 Jan 2024 00:01:00 +0000',
    })
  })

  it('ProvideFeedback is checked, then kept nowhere: a message created without it takes feedback alike', async () => {
    const asked = await createOk(double, {
      To: TO,
      From: DEFAULT_FROM,
      Body: 'code 1234',
      ProvideFeedback: 'true',
    })
    const plain = await sms()
    expect(double.backend.findMessage(asked.sid)!.extra).toBeUndefined()
    for (const m of [asked, plain]) {
      const res = await call(double, post(`/Messages/${m.sid}/Feedback.json`, { Outcome: 'confirmed' }))
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ message_sid: m.sid, outcome: 'confirmed' })
    }
    const bad = await call(
      double,
      post('/Messages.json', { To: TO, From: DEFAULT_FROM, Body: 'x', ProvideFeedback: 'yes' }),
    )
    expect(bad.body.code).toBe(21619)
  })

  it('rejects an unknown Outcome and an unknown message', async () => {
    const m = await sms()
    expect(
      (await call(double, post(`/Messages/${m.sid}/Feedback.json`, { Outcome: 'maybe' }))).body.code,
    ).toBe(20001)
    const res = await call(double, post(`/Messages/${UNKNOWN_SM}/Feedback.json`, { Outcome: 'confirmed' }))
    expect(res.status).toBe(404)
  })
})
