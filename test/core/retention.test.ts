import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'

const A = '+15550001111'
const B = '+15550002222'
const SECOND_FROM = '+15558670001'

/**
 * A store at its cap drops its oldest message at every create. The cap here is above the point where the
 * store gives back the slots of dropped messages, so that both the dropping and the giving back are read.
 */
describe('retention.maxMessages', () => {
  it('keeps the newest messages, listed, filtered, paged and fetched as if nothing had been dropped', async () => {
    const CAP = 1_500
    const double = createTwilioDouble({
      retention: { maxMessages: CAP },
      maxQueueSeconds: false,
    })
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    const created: { sid: string; to: string; from: string }[] = []
    for (let i = 0; i < 4_000; i++) {
      const to = i % 3 === 0 ? B : A
      const from = i % 2 === 0 ? DEFAULT_FROM : SECOND_FROM
      const m = await double.backend.createMessage({
        accountSid: DEFAULT_ACCOUNT_SID,
        to: to,
        from: from,
        body: `m${i}`,
      })
      created.push({ sid: m.sid, to, from })
    }
    const kept = created.slice(-CAP).reverse()
    expect(double.messages.count()).toBe(CAP)

    const all = await client.messages.list({ pageSize: 1000 })
    expect(all.map((m) => m.sid)).toEqual(kept.map((m) => m.sid))
    const toB = await client.messages.list({ to: B, pageSize: 200 })
    expect(toB.map((m) => m.sid)).toEqual(kept.filter((m) => m.to === B).map((m) => m.sid))
    const fromSecond = await client.messages.list({ from: SECOND_FROM, pageSize: 200 })
    expect(fromSecond.map((m) => m.sid)).toEqual(kept.filter((m) => m.from === SECOND_FROM).map((m) => m.sid))

    // paging forward with page tokens reads each kept message once
    type Page = { instances: { sid: string }[]; nextPage: () => Promise<unknown> | undefined }
    const paged: string[] = []
    let page: Page | undefined = await client.messages.page({ pageSize: 400 })
    while (page) {
      paged.push(...page.instances.map((m) => m.sid))
      page = (await page.nextPage()) as Page | undefined
    }
    expect(paged).toEqual(kept.map((m) => m.sid))

    expect((await client.messages(kept.at(-1)!.sid).fetch()).body).toBe(`m${4_000 - CAP}`)
    await expect(client.messages(created[0]!.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 })
    await expect(client.messages(created[4_000 - CAP - 1]!.sid).fetch()).rejects.toMatchObject({
      status: 404,
    })

    // a page token naming a dropped message still reads from where it was
    const afterDropped = await client.messages.page({
      pageToken: `PB${created[4_000 - CAP - 1]!.sid}`,
      pageSize: 3,
    })
    expect(afterDropped.instances.map((m) => m.sid)).toEqual(kept.slice(-3).map((m) => m.sid))

    // sending re-sorts every kept message by its date sent; the cap still holds after more creates
    await double.settle()
    for (let i = 0; i < 10; i++)
      await client.messages.create({ to: A, from: DEFAULT_FROM, body: `after ${i}` })
    expect(double.messages.count()).toBe(CAP)
    const after = await client.messages.list({ pageSize: 1000 })
    expect(after).toHaveLength(CAP)
    expect(after.slice(0, 10).map((m) => m.body)).toEqual(
      Array.from({ length: 10 }, (_, i) => `after ${9 - i}`),
    )
    expect(new Set(after.map((m) => m.sid)).size).toBe(CAP)
  })

  it('keeps page tokens of the last 5,000 or more dropped messages working while thousands more are dropped', async () => {
    const double = createTwilioDouble({ retention: { maxMessages: 100 }, maxQueueSeconds: false })
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    const sids: string[] = []
    for (let i = 0; i < 12_100; i++)
      sids.push(
        (
          await double.backend.createMessage({
            accountSid: DEFAULT_ACCOUNT_SID,
            to: A,
            from: DEFAULT_FROM,
            body: `m${i}`,
          })
        ).sid,
      )
    const oldestKept = sids.slice(-100)
    for (const dropped of [sids[11_999]!, sids[12_000 - 5_000]!]) {
      const page = await client.messages.page({ pageToken: `PB${dropped}`, pageSize: 2 })
      expect(page.instances.map((m) => m.sid)).toEqual([oldestKept[1], oldestKept[0]])
    }
    // the first dropped are long forgotten: their tokens are refused as Twilio refuses an unknown one
    await expect(client.messages.page({ pageToken: `PB${sids[0]}`, pageSize: 2 })).rejects.toMatchObject({
      status: 400,
      code: 20001,
    })
  })
})
