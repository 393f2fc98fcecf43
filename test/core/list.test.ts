import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import type { TwilioDouble } from '../../src/double.js'
import { type CheckedDouble, createCheckedDouble } from '../support/checked-double.js'
import { ACCOUNT_PATH, API, basic, call, createOk, del, get, post } from '../support/requests.js'

const A = '+15550001111'
const B = '+15550002222'
const LIST = `${ACCOUNT_PATH}/Messages.json`

let checked: CheckedDouble
let double: TwilioDouble
beforeEach(() => {
  checked = createCheckedDouble()
  double = checked.double
})
afterEach(async () => {
  await checked.expectClean(1)
})

async function list(query: Record<string, unknown> = {}) {
  const res = await call(double, get('/Messages.json', query))
  expect(res.status, res.text).toBe(200)
  return res.body
}

/** GET a relative page URI as the `twilio` client does (absolute on the API host). */
async function follow(uri: string) {
  const res = await call(double, new Request(`${API}${uri}`, { headers: { authorization: basic() } }))
  expect(res.status, res.text).toBe(200)
  return res.body
}

/** Sends `n` messages and lets them be delivered; returns SIDs newest first. */
async function sendMany(n: number, params: Record<string, unknown> = {}): Promise<string[]> {
  const sids: string[] = []
  for (let i = 0; i < n; i++)
    sids.push((await createOk(double, { To: A, From: DEFAULT_FROM, Body: `m${i}`, ...params })).sid)
  await double.settle()
  return sids.reverse()
}

describe('list', () => {
  it('an empty list has the exact envelope', async () => {
    expect(await list()).toEqual({
      end: 0,
      first_page_uri: `${LIST}?PageSize=50&Page=0`,
      messages: [],
      next_page_uri: null,
      page: 0,
      page_size: 50,
      previous_page_uri: null,
      start: 0,
      uri: `${LIST}?PageSize=50&Page=0`,
    })
  })

  it('is sorted by date sent, newest first', async () => {
    const sids = await sendMany(4)
    const page = await list()
    expect(page.messages.map((m: any) => m.sid)).toEqual(sids)
    const sent = page.messages.map((m: any) => Date.parse(m.date_sent))
    expect([...sent].sort((x, y) => y - x)).toEqual(sent)
    expect(new Set(sent).size).toBe(4)
  })

  it('pages with the exact envelope, echoing filters URL-encoded, through next_page_uri and previous_page_uri', async () => {
    const sids = await sendMany(5)
    await sendMany(1, { To: B })
    const p0 = await list({ To: A, PageSize: 2 })
    const q = `To=%2B15550001111&PageSize=2`
    expect({ ...p0, messages: p0.messages.map((m: any) => m.sid) }).toEqual({
      end: 1,
      first_page_uri: `${LIST}?${q}&Page=0`,
      messages: sids.slice(0, 2),
      next_page_uri: `${LIST}?${q}&Page=1&PageToken=PA${sids[1]}`,
      page: 0,
      page_size: 2,
      previous_page_uri: null,
      start: 0,
      uri: `${LIST}?${q}&Page=0`,
    })
    const p1 = await follow(p0.next_page_uri)
    expect({ ...p1, messages: p1.messages.map((m: any) => m.sid) }).toEqual({
      end: 3,
      first_page_uri: `${LIST}?${q}&Page=0`,
      messages: sids.slice(2, 4),
      next_page_uri: `${LIST}?${q}&Page=2&PageToken=PA${sids[3]}`,
      page: 1,
      page_size: 2,
      previous_page_uri: `${LIST}?${q}&Page=0&PageToken=PB${sids[2]}`,
      start: 2,
      uri: `${LIST}?${q}&Page=1&PageToken=PA${sids[1]}`,
    })
    const p2 = await follow(p1.next_page_uri)
    expect(p2.messages.map((m: any) => m.sid)).toEqual(sids.slice(4))
    expect(p2).toMatchObject({ start: 4, end: 4, page: 2, next_page_uri: null })
    // back with PB
    const back = await follow(p1.previous_page_uri)
    expect(back.messages.map((m: any) => m.sid)).toEqual(sids.slice(0, 2))
    expect(back.page).toBe(0)
    expect(back.next_page_uri).toBe(`${LIST}?${q}&Page=1&PageToken=PA${sids[1]}`)
  })

  it('PageToken PA/PB given directly', async () => {
    const sids = await sendMany(6)
    const after = await list({ PageSize: 2, Page: 1, PageToken: `PA${sids[1]}` })
    expect(after.messages.map((m: any) => m.sid)).toEqual([sids[2], sids[3]])
    const before = await list({ PageSize: 2, Page: 1, PageToken: `PB${sids[4]}` })
    expect(before.messages.map((m: any) => m.sid)).toEqual([sids[2], sids[3]])
    for (const token of ['PAnope', `PX${sids[0]}`, `PA${'SM'}${'0'.repeat(32)}`]) {
      const res = await call(double, get('/Messages.json', { PageToken: token }))
      expect(res.status).toBe(400)
      expect(res.body.code).toBe(20001)
    }
  })

  it('Page without a token skips Page × PageSize messages', async () => {
    const sids = await sendMany(5)
    const p = await list({ PageSize: 2, Page: 1 })
    expect(p.messages.map((m: any) => m.sid)).toEqual([sids[2], sids[3]])
    expect(p).toMatchObject({ start: 2, end: 3, page: 1 })
    expect(p.previous_page_uri).toBe(`${LIST}?PageSize=2&Page=0&PageToken=PB${sids[2]}`)
  })

  it('PageSize: 1 and 1000 pass, 1001 → 20007, 0 / abc / -1 → 20001; default 50', async () => {
    await sendMany(3)
    expect((await list({ PageSize: 1 })).messages).toHaveLength(1)
    expect((await list({ PageSize: 1000 })).page_size).toBe(1000)
    const tooBig = await call(double, get('/Messages.json', { PageSize: 1001 }))
    expect(tooBig.status).toBe(400)
    expect(tooBig.body).toMatchObject({ code: 20007, status: 400 })
    for (const bad of ['0', 'abc', '-1', '2.5']) {
      const res = await call(double, get('/Messages.json', { PageSize: bad }))
      expect(res.status, bad).toBe(400)
      expect(res.body.code).toBe(20001)
    }
    expect((await list()).page_size).toBe(50)
    for (const page of ['x', '-1', '9'.repeat(400), '9'.repeat(20)]) {
      const badPage = await call(double, get('/Messages.json', { Page: page }))
      expect(badPage.status, page).toBe(400)
      expect(badPage.body.code).toBe(20001)
    }
    expect(await list({ Page: 1_000_000, PageSize: 1000 })).toMatchObject({
      start: 1e9,
      end: 1e9,
      messages: [],
    })
  })

  it('filters by To and From (formatting ignored)', async () => {
    await sendMany(2)
    await sendMany(1, { To: B })
    await sendMany(1, { To: B, From: '+15550003333' })
    expect((await list({ To: A })).messages).toHaveLength(2)
    expect((await list({ To: '+1 555 000 2222' })).messages).toHaveLength(2)
    expect((await list({ From: '+15550003333' })).messages.map((m: any) => m.to)).toEqual([B])
    expect((await list({ To: B, From: DEFAULT_FROM })).messages).toHaveLength(1)
    expect((await list({ To: '+15559999999' })).messages).toEqual([])
  })

  it('From matches the sender a messaging service picked', async () => {
    const m = await createOk(double, { To: A, MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID, Body: 'x' })
    expect((await list({ From: DEFAULT_FROM })).messages).toEqual([])
    await double.settle()
    expect((await list({ From: DEFAULT_FROM })).messages.map((x: any) => x.sid)).toEqual([m.sid])
  })

  describe('DateSent filters', () => {
    // one message sent on each of 2024-01-01, -02, -03 at about 10:00:02Z
    async function threeDays(): Promise<string[]> {
      const sids: string[] = []
      for (let day = 0; day < 3; day++) {
        await double.advance(day === 0 ? '10h' : '24h')
        sids.push((await createOk(double, { To: A, From: DEFAULT_FROM, Body: `day ${day + 1}` })).sid)
        await double.advance('10s')
      }
      return sids
    }
    const sidsOf = (p: any) => p.messages.map((m: any) => m.sid)

    it('DateSent=YYYY-MM-DD and the YYYY-MM-DDTHH:mm:ssZ form the twilio client sends', async () => {
      const [d1, d2, d3] = await threeDays()
      expect(sidsOf(await list({ DateSent: '2024-01-02' }))).toEqual([d2])
      expect(sidsOf(await list({ DateSent: '2024-01-02T00:00:00Z' }))).toEqual([d2])
      expect(sidsOf(await list({ DateSent: '2024-01-03' }))).toEqual([d3])
      expect(sidsOf(await list({ DateSent: '2024-01-01' }))).toEqual([d1])
      expect(sidsOf(await list({ DateSent: '2024-01-04' }))).toEqual([])
    })

    it('DateSent< is on or before, DateSent> on or after, and they combine', async () => {
      const [d1, d2, d3] = await threeDays()
      // a day alone names the whole day: "on and before a specific date", on or after its start
      expect(sidsOf(await list({ 'DateSent<': '2024-01-02' }))).toEqual([d2, d1])
      expect(sidsOf(await list({ 'DateSent<': '2024-01-01' }))).toEqual([d1])
      expect(sidsOf(await list({ 'DateSent>': '2024-01-02' }))).toEqual([d3, d2])
      expect(sidsOf(await list({ 'DateSent>': '2024-01-02', 'DateSent<': '2024-01-02' }))).toEqual([d2])
      expect(sidsOf(await list({ 'DateSent>': '2024-01-02', 'DateSent<': '2024-01-03' }))).toEqual([d3, d2])
      // date-times are exact and inclusive: day 2's message was sent at 10:00:02Z
      const sent = Date.parse(double.messages.get(d2!)!.date_sent!)
      const iso = new Date(sent).toISOString().replace('.000', '')
      expect(sidsOf(await list({ 'DateSent>': iso, 'DateSent<': iso }))).toEqual([d2])
      const justAfter = new Date(sent + 1000).toISOString().replace('.000', '')
      expect(sidsOf(await list({ 'DateSent>': justAfter }))).toEqual([d3])
      // raw query text as in Twilio's docs: DateSent<=YYYY-MM-DD is the key "DateSent<"
      const raw = await call(
        double,
        new Request(`${API}${LIST}?DateSent%3E=2024-01-02&PageSize=1`, {
          headers: { authorization: basic() },
        }),
      )
      expect(sidsOf(raw.body)).toEqual([d3])
      expect(raw.body.uri).toBe(`${LIST}?DateSent%3E=2024-01-02&PageSize=1&Page=0`)
      expect(raw.body.next_page_uri).toBe(
        `${LIST}?DateSent%3E=2024-01-02&PageSize=1&Page=1&PageToken=PA${d3}`,
      )
      expect(sidsOf(await follow(raw.body.next_page_uri))).toEqual([d2])
    })

    it('messages not sent yet match no DateSent filter', async () => {
      await createOk(double, {
        To: A,
        MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
        Body: 'later',
        ScheduleType: 'fixed',
        SendAt: '2024-01-01T02:00:00Z',
      })
      expect((await list({ DateSent: '2024-01-01' })).messages).toEqual([])
      expect((await list({ 'DateSent>': '2023-01-01' })).messages).toEqual([])
      expect((await list()).messages).toHaveLength(1)
    })

    it("takes every date format of Twilio's examples and echoes it as Twilio writes it (spaces as +)", async () => {
      const [d1, d2, d3] = await threeDays()
      // each names a moment between day 2's message (2024-01-02T10:00:02Z) and day 3's
      const cases: [string, string][] = [
        ['01/02/2024 05:00:00 MST', '01%2F02%2F2024+05%3A00%3A00+MST'], // 12:00Z
        ['01/02/2024 12:00:00', '01%2F02%2F2024+12%3A00%3A00'], // no zone: GMT
        ['01/02/2024 07:00:00 -0500', '01%2F02%2F2024+07%3A00%3A00+-0500'],
        ['2024-01-02 12:00:00.000', '2024-01-02+12%3A00%3A00.000'],
        ['Tue, 02 Jan 2024 12:00:00 -0000', 'Tue%2C+02+Jan+2024+12%3A00%3A00+-0000'],
      ]
      for (const [value, echoed] of cases) {
        const page = await list({ 'DateSent<': value, PageSize: 1 })
        expect(sidsOf(page), value).toEqual([d2])
        expect(page.uri, value).toBe(`${LIST}?DateSent%3C=${echoed}&PageSize=1&Page=0`)
        expect(sidsOf(await follow(page.next_page_uri)), value).toEqual([d1])
        expect(sidsOf(await list({ 'DateSent>': value })), value).toEqual([d3])
      }
      // a day alone in that form is the whole day
      expect(sidsOf(await list({ DateSent: '01/03/2024' }))).toEqual([d3])
      for (const bad of [
        '13/02/2024 05:00:00 MST',
        '02/30/2024',
        '01/02/2024 25:00:00',
        '01/02/2024 05:00:00 XYZ',
      ]) {
        const res = await call(double, get('/Messages.json', { 'DateSent<': bad }))
        expect(res.status, bad).toBe(400)
        expect(res.body.message, bad).toContain('MM/DD/YYYY HH:mm:ss MST')
      }
    })

    it('a date that is not a date is an error', async () => {
      const res = await call(double, get('/Messages.json', { DateSent: 'yesterday' }))
      expect(res.status).toBe(400)
      expect(res.body.code).toBe(20001)
    })
  })

  it('cursors stay stable while messages are created during iteration: no duplicates, no skips', async () => {
    const original = await sendMany(7)
    const seen: string[] = []
    let page = await list({ PageSize: 3 })
    for (;;) {
      seen.push(...page.messages.map((m: any) => m.sid))
      // new traffic between pages, sent and delivered before the next page is read
      await createOk(double, { To: A, From: DEFAULT_FROM, Body: 'new' })
      await createOk(double, { To: B, From: DEFAULT_FROM, Body: 'new' })
      await double.settle()
      if (!page.next_page_uri) break
      page = await follow(page.next_page_uri)
    }
    expect(seen).toEqual(original)
    expect(double.messages.count()).toBe(7 + 6)
  })

  it('cursors of a filtered list stay stable too', async () => {
    const original = await sendMany(5)
    const seen: string[] = []
    let page = await list({ To: A, PageSize: 2 })
    for (;;) {
      seen.push(...page.messages.map((m: any) => m.sid))
      await createOk(double, { To: A, From: DEFAULT_FROM, Body: 'new' })
      if (!page.next_page_uri) break
      page = await follow(page.next_page_uri)
    }
    expect(seen).toEqual(original)
  })

  it('cursors survive the deletion of the message they point at (list-and-delete loops)', async () => {
    const sids = await sendMany(5)
    const p0 = await list({ PageSize: 2 })
    for (const m of p0.messages) expect((await call(double, del(`/Messages/${m.sid}.json`))).status).toBe(204)
    const p1 = await follow(p0.next_page_uri)
    expect(p1.messages.map((m: any) => m.sid)).toEqual(sids.slice(2, 4))
    expect((await call(double, del(`/Messages/${sids[2]}.json`))).status).toBe(204)
    const back = await follow(p1.previous_page_uri)
    expect(back.messages.map((m: any) => m.sid)).toEqual([])
    const p2 = await follow(p1.next_page_uri)
    expect(p2.messages.map((m: any) => m.sid)).toEqual([sids[4]])
    expect(p2.next_page_uri).toBeNull()
  })

  it('lists only the account of the path', async () => {
    await sendMany(1)
    const res = await call(double, post('/Messages.json', { To: B, From: DEFAULT_FROM, Body: 'x' }))
    expect(res.status).toBe(201)
    expect((await list()).messages.every((m: any) => m.account_sid === res.body.account_sid)).toBe(true)
  })
})
