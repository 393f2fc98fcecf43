import type twilio from 'twilio'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_FROM } from '../../src/config.js'
import { type CheckedDouble, createCheckedDouble } from '../support/checked-double.js'
import { DOORS, useDoor } from '../support/doors.js'

const A = '+15550001111'
const B = '+15550002222'
const OTHER_FROM = '+15550003333'

describe.each(DOORS)('the twilio client through the %s door: list and filters', (kind) => {
  const door = useDoor(kind)
  let checked: CheckedDouble
  let client: twilio.Twilio
  beforeEach(() => {
    checked = createCheckedDouble()
    client = door.connect(checked.double)
  })
  afterEach(async () => {
    await checked.expectClean(1)
  })

  /** Sends `n` messages to `to` and delivers them; returns SIDs newest first. */
  async function send(n: number, to = A, from = DEFAULT_FROM): Promise<string[]> {
    const sids: string[] = []
    for (let i = 0; i < n; i++) sids.push((await client.messages.create({ to, from, body: `m${i}` })).sid)
    await checked.double.settle()
    return sids.reverse()
  }

  /** Number of List Messages requests made so far. */
  async function listCalls(): Promise<number> {
    await checked.problems()
    return checked.exchanges.filter(
      (e) => e.method === 'GET' && new URL(e.url).pathname.endsWith('/Messages.json'),
    ).length
  }

  it('list() walks every page, newest first, with a pageSize', async () => {
    const sids = await send(7)
    const all = await client.messages.list({ pageSize: 2 })
    expect(all.map((m) => m.sid)).toEqual(sids)
    expect(await listCalls()).toBe(4)
  })

  it('list() and each() stop at a limit across pages', async () => {
    const sids = await send(7)
    expect((await client.messages.list({ limit: 5, pageSize: 2 })).map((m) => m.sid)).toEqual(
      sids.slice(0, 5),
    )
    expect(await listCalls()).toBe(3)
    expect((await client.messages.list({ limit: 3 })).map((m) => m.sid)).toEqual(sids.slice(0, 3))
    expect(await listCalls()).toBe(4)
    const seen: string[] = []
    await new Promise<void>((resolve, reject) => {
      client.messages.each(
        { limit: 6, pageSize: 4, done: (err: Error | null) => (err ? reject(err) : resolve()) },
        (m) => {
          seen.push(m.sid)
        },
      )
    })
    expect(seen).toEqual(sids.slice(0, 6))
  })

  it('each() can remove every message it visits (the page token outlives its message)', async () => {
    const sids = await send(5)
    const seen: string[] = []
    const removals: Promise<boolean>[] = []
    await new Promise<void>((resolve, reject) => {
      client.messages.each(
        { pageSize: 2, done: (err: Error | null) => (err ? reject(err) : resolve()) },
        (m) => {
          seen.push(m.sid)
          removals.push(m.remove())
        },
      )
    })
    expect(await Promise.all(removals)).toEqual([true, true, true, true, true])
    expect(seen).toEqual(sids)
    expect(checked.double.messages.count()).toBe(0)
  })

  it('page(), nextPage() and previousPage() follow the paging URIs', async () => {
    const sids = await send(5)
    const p0 = await client.messages.page({ pageSize: 2 })
    expect(p0.instances.map((m) => m.sid)).toEqual(sids.slice(0, 2))
    const p1 = await p0.nextPage()
    expect(p1!.instances.map((m) => m.sid)).toEqual(sids.slice(2, 4))
    const p2 = await p1!.nextPage()
    expect(p2!.instances.map((m) => m.sid)).toEqual(sids.slice(4))
    expect(await p2!.nextPage()).toBeUndefined()
    const back = await p2!.previousPage()
    expect(back!.instances.map((m) => m.sid)).toEqual(sids.slice(2, 4))
  })

  it('filters by to and from', async () => {
    const toA = await send(3, A)
    const toB = await send(2, B)
    const fromOther = await send(1, B, OTHER_FROM)
    expect((await client.messages.list({ to: A })).map((m) => m.sid)).toEqual(toA)
    expect((await client.messages.list({ to: B, pageSize: 1 })).map((m) => m.sid)).toEqual([
      ...fromOther,
      ...toB,
    ])
    expect((await client.messages.list({ from: OTHER_FROM })).map((m) => m.sid)).toEqual(fromOther)
    expect((await client.messages.list({ to: B, from: DEFAULT_FROM })).map((m) => m.sid)).toEqual(toB)
    expect(await client.messages.list({ to: '+15559999999' })).toEqual([])
  })

  it('filters by dateSent, dateSentBefore and dateSentAfter given as Dates', async () => {
    const byDay: string[][] = []
    for (let day = 0; day < 3; day++) {
      await checked.double.advance(day === 0 ? '9h' : '1d')
      byDay.push(await send(2))
    }
    const [d1, d2, d3] = byDay as [string[], string[], string[]]
    const sids = (ms: { sid: string }[]) => ms.map((m) => m.sid)
    expect(sids(await client.messages.list({ dateSent: new Date('2024-01-02T00:00:00Z') }))).toEqual(d2)
    expect(sids(await client.messages.list({ dateSentBefore: new Date('2024-01-02T00:00:00Z') }))).toEqual(d1)
    expect(
      sids(await client.messages.list({ dateSentAfter: new Date('2024-01-02T00:00:00Z'), pageSize: 1 })),
    ).toEqual([...d3, ...d2])
    expect(
      sids(
        await client.messages.list({
          dateSentAfter: new Date('2024-01-02T00:00:00Z'),
          dateSentBefore: new Date('2024-01-03T00:00:00Z'),
          to: A,
        }),
      ),
    ).toEqual(d2)
    // the client sends YYYY-MM-DDTHH:mm:ssZ; the double echoes it in the page URIs
    await checked.problems()
    const last = checked.exchanges.at(-1)!
    expect(new URL(last.url).searchParams.get('DateSent<')).toBe('2024-01-03T00:00:00Z')
    expect((last.body as any).uri).toContain('DateSent%3C=2024-01-03T00%3A00%3A00Z')
  })
})
