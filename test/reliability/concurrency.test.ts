/**
 * Concurrency: creates sent all at once through the real `twilio` client and each door lose nothing, get
 * unique SIDs and never get another request's answer; a list read with PageToken links while messages
 * are being created shows no duplicate and skips none of the messages that existed when it started.
 *
 * Sizes: CONCURRENCY_CREATES (default 2,000; 10,000 in `npm run soak`) and CONCURRENCY_MSW_CREATES for
 * msw and nock (default 500; 10,000 in the soak run): their interception of the client's http requests
 * costs 5 to 10 ms a request under load, so 10,000 through msw takes about a minute on two cores.
 *
 * Sender queues: the double models Twilio's per-sender queue (a long code sends 1 message/s and its queue
 * holds 4 hours of traffic; beyond, creates answer 429/30001). Runs from one sender therefore use
 * `maxQueueSeconds: false`, so that they measure loss rather than throttling at any size; one run spreads
 * the creates over 100 senders with the default limits.
 */
import './no-unhandled.js'
import { setupServer } from 'msw/node'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { twilioHandlers } from '../../src/adapters/msw.js'
import type { TwilioDouble } from '../../src/double.js'
import { checkConsistency } from './support/consistency.js'
import { ACCOUNT_A, ACCOUNT_B, basic, twoAccountDouble } from './support/doubles.js'
import { recordFigure, scale, timeoutFor } from './support/scale.js'

type Client = ReturnType<typeof twilio>

const to = (i: number) => `+1555${String(i).padStart(7, '0')}`

interface CreateResult {
  sid: string
  to: string | null
  body: string | null
}

/** Sends `n` creates at once, each with its own To and Body; returns the answers in request order. */
async function createAll(
  n: number,
  create: (i: number) => Promise<CreateResult>,
): Promise<{ results: CreateResult[]; ms: number }> {
  const started = performance.now()
  const results = await Promise.all(Array.from({ length: n }, (_, i) => create(i)))
  return { results, ms: performance.now() - started }
}

async function expectNoneLost(
  double: TwilioDouble,
  results: CreateResult[],
  label: string,
  ms: number,
): Promise<void> {
  const n = results.length
  // every answer is the answer to its own request
  const mismatched = results.filter((r, i) => r.to !== to(i) || r.body !== `message ${i}`)
  expect(mismatched.slice(0, 3), `${label}: answers mixed up between requests`).toEqual([])
  const sids = new Set(results.map((r) => r.sid))
  expect(sids.size, `${label}: unique SIDs`).toBe(n)
  expect(double.messages.count(), `${label}: stored`).toBe(n)
  const stored = new Set(double.messages.list().map((m) => m.sid))
  expect(
    [...sids].filter((s) => !stored.has(s)),
    `${label}: lost`,
  ).toEqual([])
  const problems = await checkConsistency(double, [ACCOUNT_A, ACCOUNT_B], {
    expected: new Map([
      [ACCOUNT_A.sid, sids],
      [ACCOUNT_B.sid, new Set()],
    ]),
    pageSize: 1000,
    maxFilters: 2,
    maxIndexChecks: 200,
  })
  expect(problems, label).toEqual([])
  recordFigure(
    'Concurrency',
    `${label}: parallel creates, lost, duplicate SIDs`,
    `${n}, 0, 0`,
    `${(ms / 1000).toFixed(1)} s`,
  )
}

function fromClient(client: Client, from = () => ACCOUNT_A.from) {
  return async (i: number): Promise<CreateResult> => {
    const m = await client.messages.create({ from: from(), to: to(i), body: `message ${i}` })
    return { sid: m.sid, to: m.to, body: m.body }
  }
}

describe('creates in parallel', () => {
  it(
    `through the twilio client with double.httpClient(): ${scale.creates} at once`,
    async () => {
      const double = twoAccountDouble({ maxQueueSeconds: false })
      const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
      const { results, ms } = await createAll(scale.creates, fromClient(client))
      await expectNoneLost(double, results, 'twilio client + httpClient', ms)
    },
    timeoutFor(30_000, 5, scale.creates),
  )

  it(
    `through the twilio client with msw (twilioHandlers): ${scale.mswCreates} at once`,
    async () => {
      const double = twoAccountDouble({ maxQueueSeconds: false })
      const server = setupServer(...twilioHandlers(double))
      server.listen({ onUnhandledRequest: 'error' })
      try {
        const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken)
        const { results, ms } = await createAll(scale.mswCreates, fromClient(client))
        await expectNoneLost(double, results, 'twilio client + msw', ms)
      } finally {
        server.close()
      }
    },
    timeoutFor(30_000, 20, scale.mswCreates),
  )

  it(
    `through double.fetch: ${scale.creates} at once`,
    async () => {
      const double = twoAccountDouble({ maxQueueSeconds: false })
      const url = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_A.sid}/Messages.json`
      const { results, ms } = await createAll(scale.creates, async (i) => {
        const res = await double.fetch(url, {
          method: 'POST',
          headers: {
            authorization: basic(ACCOUNT_A.sid, ACCOUNT_A.authToken),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ To: to(i), From: ACCOUNT_A.from, Body: `message ${i}` }).toString(),
        })
        expect(res.status).toBe(201)
        return (await res.json()) as CreateResult
      })
      await expectNoneLost(double, results, 'double.fetch', ms)
    },
    timeoutFor(30_000, 5, scale.creates),
  )

  it(
    `from 100 senders with the default queue limits: ${scale.creates} at once`,
    async () => {
      const double = twoAccountDouble()
      const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
      let k = 0
      const { results, ms } = await createAll(
        scale.creates,
        fromClient(client, () => `+1500555${String(1000 + (k++ % 100))}`),
      )
      await expectNoneLost(double, results, 'twilio client + httpClient, 100 senders', ms)
      const froms = new Set(double.messages.list().map((m) => m.from))
      expect(froms.size).toBe(100)
      // the From index of each sender holds exactly its messages
      for (const from of froms) expect(double.messages.count({ from: from! })).toBe(scale.creates / 100)
    },
    timeoutFor(30_000, 5, scale.creates),
  )
})

/**
 * Reads every page of the list with `page()` / `nextPage()` (PageToken links) while `create` runs
 * alongside; returns the SIDs in the order read and how many creates finished during the read.
 */
async function iterateWhileCreating(
  client: Client,
  create: (i: number) => Promise<unknown>,
  options: { pageSize: number; creates: number; batch: number },
): Promise<{ seen: string[]; pages: number; createdDuring: number }> {
  let reading = true
  let started = false
  let createdDuring = 0
  const creator = (async () => {
    for (let i = 0; i < options.creates; i += options.batch) {
      await Promise.all(
        Array.from({ length: Math.min(options.batch, options.creates - i) }, async (_, j) => {
          await create(100_000 + i + j)
          if (started && reading) createdDuring++
        }),
      )
    }
  })()
  const seen: string[] = []
  let pages = 0
  interface SidPage {
    instances: { sid: string }[]
    nextPage(): Promise<SidPage | undefined>
  }
  let page = (await client.messages.page({ pageSize: options.pageSize })) as unknown as SidPage
  started = true
  for (;;) {
    pages++
    seen.push(...page.instances.map((m) => m.sid))
    // give the creator a turn between pages
    await new Promise((resolve) => setImmediate(resolve))
    const next = await page.nextPage()
    if (!next) break
    page = next
  }
  reading = false
  await creator
  return { seen, pages, createdDuring }
}

describe('a list read with PageToken while messages are created', () => {
  let server: ReturnType<typeof setupServer>
  beforeAll(() => {
    server = setupServer()
    server.listen({ onUnhandledRequest: 'error' })
  })
  afterAll(() => server.close())

  for (const door of ['httpClient', 'msw'] as const) {
    it(
      `shows no duplicate and skips none of the messages that existed (${door})`,
      async () => {
        const double = twoAccountDouble({ maxQueueSeconds: false })
        let client: Client
        if (door === 'msw') {
          server.resetHandlers(...twilioHandlers(double))
          client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken)
        } else client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
        const existing = 600
        const seeder = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
        for (let i = 0; i < existing; i++)
          await seeder.messages.create({ from: ACCOUNT_A.from, to: to(i % 37), body: `existing ${i}` })
        const before = new Set(double.messages.list().map((m) => m.sid!))
        const { seen, pages, createdDuring } = await iterateWhileCreating(
          client,
          (i) => client.messages.create({ from: ACCOUNT_A.from, to: to(i % 41), body: `new ${i}` }),
          { pageSize: 25, creates: 400, batch: 8 },
        )
        expect(createdDuring, 'creates finished while the list was read').toBeGreaterThan(0)
        expect(seen.length - new Set(seen).size, 'duplicates').toBe(0)
        const seenSet = new Set(seen)
        expect(
          [...before].filter((s) => !seenSet.has(s)),
          'skipped',
        ).toEqual([])
        const after = new Set(double.messages.list().map((m) => m.sid!))
        expect(
          seen.filter((s) => !after.has(s)),
          'phantoms',
        ).toEqual([])
        expect(double.messages.count()).toBe(existing + 400)
        recordFigure(
          'Concurrency',
          `PageToken read during creates (${door}): pages, messages read, created meanwhile, duplicates, skipped`,
          `${pages}, ${seen.length}, ${createdDuring}, 0, 0`,
        )
      },
      timeoutFor(60_000),
    )
  }
})
