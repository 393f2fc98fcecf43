import { describe, expect, it } from 'vitest'
import { envelopeJson, type PageLinks, pageEnvelope } from './page-envelope.js'

describe('envelopeJson', () => {
  it('writes the same text as JSON.stringify of the envelope holding its items', () => {
    const items = [
      { sid: 'SM1', body: 'a "quoted" body' },
      { sid: 'SM2', body: 'line\nbreak' },
      { sid: 'SM3', body: 'emoji 😀' },
    ]
    const links: PageLinks[] = [
      { path: '/2010-04-01/Accounts/AC1/Messages.json', pageSize: 20, page: 0, count: 0, hasMore: false },
      {
        path: '/2010-04-01/Accounts/AC1/Messages.json',
        query: ['To=%2B15550001111'],
        pageSize: 3,
        page: 3,
        count: 0,
        hasMore: true,
        cursors: { first: 'SM1', last: 'SM3' },
        uriExtra: 'PageToken=PASM0',
      },
    ]
    for (const l of links)
      for (const page of [items, items.slice(0, 1), []]) {
        const expected = JSON.stringify(pageEnvelope('messages', page, { ...l, count: page.length }))
        const written = envelopeJson(
          pageEnvelope('messages', [], { ...l, count: page.length }),
          'messages',
          page.map((item) => JSON.stringify(item)),
        )
        expect(written).toBe(expected)
      }
  })
})
