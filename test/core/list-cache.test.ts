import { beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import type { MessageResource } from '../../src/schemas/message.js'
import { call, createOk, del, get, post } from '../support/requests.js'

// A list read again while nothing changed is answered from a kept page; every change a list can see must
// make the next read fresh. Each step reads the same lists twice and checks them against the inspector.

const A = '+15550001111'
const B = '+15550002222'

let double: TwilioDouble
beforeEach(() => {
  double = createTwilioDouble({ seed: 'list-cache' })
})

async function page(query: Record<string, unknown>) {
  const res = await call(double, get('/Messages.json', query))
  expect(res.status, res.text).toBe(200)
  return res.body as { messages: { sid: string }[]; next_page_uri: string | null; end: number }
}

/** Reads each list twice: both reads equal, and the page is the inspector's newest messages. */
async function expectFresh(step: string) {
  const reads: [Record<string, unknown>, (m: MessageResource) => boolean][] = [
    [{ To: A, PageSize: 3 }, (m) => m.to === A],
    [{ From: DEFAULT_FROM, PageSize: 20 }, (m) => m.from === DEFAULT_FROM],
    [{ 'DateSent>': '2000-01-01', PageSize: 20 }, (m) => m.date_sent !== null],
    [{ PageSize: 2, Page: 1 }, () => true],
  ]
  for (const [query, matches] of reads) {
    const first = await page(query)
    const again = await page(query)
    expect(again, `${step}: ${JSON.stringify(query)} read twice`).toEqual(first)
    const size = Number(query.PageSize)
    const offset = Number(query.Page ?? 0) * size
    const expected = double.messages.list().filter(matches)
    expect(first.messages, `${step}: ${JSON.stringify(query)}`).toEqual(expected.slice(offset, offset + size))
    expect(first.next_page_uri !== null, `${step}: ${JSON.stringify(query)} next page`).toBe(
      expected.length > offset + size,
    )
  }
}

describe('lists read again', () => {
  it('are fresh after every change a list can see', async () => {
    await expectFresh('empty')
    const first = await createOk(double, { To: A, From: DEFAULT_FROM, Body: 'one' })
    await expectFresh('one created')
    await createOk(double, { To: B, From: DEFAULT_FROM, Body: 'two' })
    await createOk(double, { To: A, From: DEFAULT_FROM, Body: 'three' })
    await expectFresh('three created')
    await double.advance('1s')
    await expectFresh('some sending')
    await double.settle()
    await expectFresh('delivered (date sent set)')
    const redacted = await call(double, post(`/Messages/${first.sid}.json`, { Body: '' }))
    expect(redacted.status).toBe(200)
    await expectFresh('redacted')
    await createOk(double, { To: A, MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID, Body: 'service' })
    await expectFresh('accepted by a service')
    await double.settle()
    await expectFresh('service picked its sender')
    expect((await call(double, del(`/Messages/${first.sid}.json`))).status).toBe(204)
    await expectFresh('deleted')
    double.backend.updateMessage({
      accountSid: DEFAULT_ACCOUNT_SID,
      messageSid: double.messages.list()[0]!.sid!,
      body: '',
    })
    await expectFresh('redacted through the backend')
    double.reset()
    await expectFresh('reset')
  })

  it('are kept by the query as it was sent: other words for the same page agree, other filters never share one', async () => {
    for (const [to, body] of [
      [A, 'a1'],
      [B, 'b1'],
      [A, 'a2'],
      [B, 'b2'],
    ] as const)
      await createOk(double, { To: to, From: DEFAULT_FROM, Body: body })
    const bodies = async (query: string) => {
      const res = await call(double, get(`/Messages.json?${query}`))
      expect(res.status, res.text).toBe(200)
      return (res.body as { messages: { to: string; body: string }[] }).messages.map(
        (m) => `${m.to} ${m.body}`,
      )
    }
    const a = encodeURIComponent(A)
    const b = encodeURIComponent(B)
    for (let round = 0; round < 2; round++) {
      expect(await bodies(`To=${a}&PageSize=5`)).toEqual([`${A} a2`, `${A} a1`])
      expect(await bodies(`PageSize=5&To=${a}`)).toEqual([`${A} a2`, `${A} a1`])
      expect(await bodies(`To=${a}&PageSize=5&Page=0`)).toEqual([`${A} a2`, `${A} a1`])
      expect(await bodies(`To=${b}&PageSize=5`)).toEqual([`${B} b2`, `${B} b1`])
      expect(await bodies(`To=${a}&PageSize=1`)).toEqual([`${A} a2`])
      expect(await bodies(`To=${a}&PageSize=1&Page=1`)).toEqual([`${A} a1`])
      expect(await bodies('PageSize=5')).toEqual([`${B} b2`, `${A} a2`, `${B} b1`, `${A} a1`])
    }
  })
})
