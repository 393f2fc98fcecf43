/**
 * The standalone server (startServer) under load and abuse: autocannon in a separate process on create,
 * fetch and list (LOAD_SECONDS, default 2 s; 30 s in `npm run soak`; LOAD_CONNECTIONS, default 100) with
 * 0 errors and 0 non-2xx answers; memory bounded by the retention cap; oversized bodies answered 413;
 * slow and half-sent requests timed out without holding the server; no request leaves the process.
 */
import './no-unhandled.js'
import net from 'node:net'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import type { TwilioDouble } from '../../src/double.js'
import { errorSchema } from '../../src/schemas/message.js'
import { ACCOUNT_A, ACCOUNT_B, basic, twoAccountDouble } from './support/doubles.js'
import { driveClients } from './support/escape-probes.js'
import { heapAfterGc, type LoadResult, MB, runLoad, sampleRss } from './support/load.js'
import { installNetworkTrap } from './support/network-trap.js'
import { recordFigure, scale, timeoutFor } from './support/scale.js'

/** Messages kept per account: the oldest are dropped beyond it. */
const CAP = 1_000

const authA = basic(ACCOUNT_A.sid, ACCOUNT_A.authToken)
const authB = basic(ACCOUNT_B.sid, ACCOUNT_B.authToken)
const form = 'application/x-www-form-urlencoded'

let server: TwilioDoubleServer
let double: TwilioDouble
let fetchSid: string

beforeAll(async () => {
  double = twoAccountDouble({ maxQueueSeconds: false, retention: { maxMessages: CAP } })
  server = await startServer({ double, port: 0 })
  // the message fetched under load lives in account B, which the create load does not fill
  const res = await fetch(`${server.url}/2010-04-01/Accounts/${ACCOUNT_B.sid}/Messages.json`, {
    method: 'POST',
    headers: { authorization: authB, 'content-type': form },
    body: `To=%2B15550001111&From=${encodeURIComponent(ACCOUNT_B.from)}&Body=fetch+me`,
  })
  expect(res.status).toBe(201)
  fetchSid = ((await res.json()) as { sid: string }).sid
})
afterAll(async () => {
  await server?.close()
})

function expectClean(result: LoadResult, label: string): void {
  const summary = `${label}: ${JSON.stringify(result)}`
  expect(result.errors, summary).toBe(0)
  expect(result.timeouts, summary).toBe(0)
  expect(result.non2xx, summary).toBe(0)
  expect(result.resets, summary).toBe(0)
  expect(result.requests, summary).toBeGreaterThan(0)
}

function figure(label: string, r: LoadResult): void {
  recordFigure(
    'Standalone server under load',
    `${label}: ${scale.loadSeconds} s at ${scale.loadConnections} connections`,
    `${r.requests} requests, ${Math.round(r.perSecond)} req/s, p50 ${r.latencyP50} ms, p99 ${r.latencyP99} ms, ${r.errors} errors, ${r.non2xx} non-2xx`,
  )
}

const loadTimeout = timeoutFor(60_000 + scale.loadSeconds * 1000 * 2)

describe('the standalone server under load', () => {
  it(
    'creates: 0 errors, 0 non-2xx, memory bounded by the retention cap',
    async () => {
      const createUrl = `${server.url}/2010-04-01/Accounts/${ACCOUNT_A.sid}/Messages.json`
      const createLoad = {
        url: createUrl,
        method: 'POST',
        headers: { authorization: authA, 'content-type': form },
        body: `To=%2B15550001111&From=${encodeURIComponent(ACCOUNT_A.from)}&Body=load+test+%F0%9F%9A%80`,
        connections: scale.loadConnections,
      }
      // fill the store up to its cap first, so that what follows measures the steady state
      const fill = await runLoad({ ...createLoad, amount: CAP + 500 })
      expectClean(fill, 'fill')
      expect(double.messages.count({ accountSid: ACCOUNT_A.sid })).toBe(CAP)
      const heapBefore = heapAfterGc()
      const rssBefore = process.memoryUsage().rss
      const rss = sampleRss()
      const result = await runLoad({ ...createLoad, duration: scale.loadSeconds })
      const { peak } = rss.stop()
      const heapAfter = heapAfterGc()
      expectClean(result, 'create')
      figure('create', result)
      // the retention cap holds: the oldest messages were dropped
      expect(double.messages.count({ accountSid: ACCOUNT_A.sid })).toBe(CAP)
      const growth = heapAfter - heapBefore
      const perCreate = growth / result.requests
      recordFigure(
        'Standalone server under load',
        `memory with retention.maxMessages ${CAP}`,
        `heap ${(heapBefore / MB).toFixed(0)} → ${(heapAfter / MB).toFixed(0)} MB after ${result.requests} more creates (${perCreate.toFixed(0)} B/create retained); RSS ${(rssBefore / MB).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB`,
      )
      // Bounded: beyond the cap, creates retain (almost) nothing. A leak of one record per create would
      // retain about 1 KB each.
      expect(
        growth,
        `heap grew ${(growth / MB).toFixed(1)} MB over ${result.requests} creates with the store at its cap (${perCreate.toFixed(0)} B/create)`,
      ).toBeLessThan(8 * MB + 100 * result.requests)
    },
    loadTimeout,
  )

  it(
    'fetches: 0 errors, 0 non-2xx',
    async () => {
      const result = await runLoad({
        url: `${server.url}/2010-04-01/Accounts/${ACCOUNT_B.sid}/Messages/${fetchSid}.json`,
        headers: { authorization: authB },
        connections: scale.loadConnections,
        duration: scale.loadSeconds,
      })
      expectClean(result, 'fetch')
      figure('fetch', result)
    },
    loadTimeout,
  )

  it(
    'lists (50 a page): 0 errors, 0 non-2xx',
    async () => {
      const result = await runLoad({
        url: `${server.url}/2010-04-01/Accounts/${ACCOUNT_A.sid}/Messages.json?PageSize=50`,
        headers: { authorization: authA },
        connections: scale.loadConnections,
        duration: scale.loadSeconds,
      })
      expectClean(result, 'list')
      figure('list', result)
    },
    loadTimeout,
  )
})

/** Sends raw bytes on a new connection; resolves with what came back when the server closed it. */
function rawExchange(
  port: number,
  chunks: string[],
  opts: { endAfter?: boolean; timeoutMs?: number } = {},
): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const socket = net.connect(port, '127.0.0.1')
    let response = ''
    const guard = setTimeout(() => {
      socket.destroy()
      reject(new Error(`the server held the connection for more than ${opts.timeoutMs ?? 10_000} ms`))
    }, opts.timeoutMs ?? 10_000)
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c)
      if (opts.endAfter) socket.end()
    })
    socket.on('data', (d) => {
      response += d.toString('latin1')
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(guard)
      resolve({ response, closedAfterMs: performance.now() - started })
    })
  })
}

describe('retention caps', () => {
  it('free the messages they drop (nothing keeps a dropped message alive)', async () => {
    const capped = await startServer({
      double: twoAccountDouble({ maxQueueSeconds: false, retention: { maxMessages: 50 } }),
      port: 0,
    })
    try {
      const client = await twilioClientForServer(capped.url, {
        accountSid: ACCOUNT_A.sid,
        authToken: ACCOUNT_A.authToken,
      })
      const dropped: WeakRef<object>[] = []
      for (let i = 0; i < 250; i++) {
        const m = await client.messages.create({ from: ACCOUNT_A.from, to: '+15550003333', body: `m ${i}` })
        if (i < 200) dropped.push(new WeakRef(capped.double.backend.findMessage(m.sid)!))
        // reads keep rendered messages and pages for a while: they must not keep dropped messages alive
        await client.messages(m.sid).fetch()
        if (i % 10 === 9) await client.messages.list({ to: '+15550003333', pageSize: 20, limit: 20 })
      }
      expect(capped.double.messages.count()).toBe(50)
      heapAfterGc()
      await new Promise((resolve) => setImmediate(resolve))
      heapAfterGc()
      const alive = dropped.filter((w) => w.deref() !== undefined).length
      recordFigure(
        'Standalone server under load',
        'messages dropped by the retention cap still held in memory',
        `${alive} of 200`,
      )
      expect(alive, `${alive} of 200 dropped messages are still held in memory`).toBe(0)
    } finally {
      await capped.close()
    }
  })

  it('bound the recorded callbacks (callbacks.maxRecorded)', async () => {
    const d = twoAccountDouble({
      callbacks: { maxRecorded: 30, fetch: async () => new Response(null, { status: 204 }) },
    })
    const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: d.httpClient() })
    for (let i = 0; i < 40; i++)
      await client.messages.create({
        from: ACCOUNT_A.from,
        to: `+1555000${4000 + i}`,
        body: 'x',
        statusCallback: 'https://hooks.app.test/s',
      })
    await d.settle()
    const list = d.callbacks.list()
    expect(list).toHaveLength(30)
    // the newest are kept
    expect(list.at(-1)!.id).toBe(80)
  })
})

describe('the standalone server against abuse', () => {
  it('answers oversized bodies 413 in Twilio’s error shape, with or without a declared length', async () => {
    const big = 'Body=' + 'x'.repeat(1_048_576 + 10)
    const url = `${server.url}/2010-04-01/Accounts/${ACCOUNT_A.sid}/Messages.json`
    const declared = await fetch(url, {
      method: 'POST',
      headers: { authorization: authA, 'content-type': form },
      body: big,
    })
    expect(declared.status).toBe(413)
    expect(errorSchema.safeParse(await declared.json()).success).toBe(true)
    // chunked: no content-length, the server counts while reading
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)))
        controller.close()
      },
    })
    const chunked = await fetch(url, {
      method: 'POST',
      headers: { authorization: authA, 'content-type': form },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(errorSchema.safeParse(await chunked.json()).success).toBe(true)
    // the server still answers
    const ok = await fetch(`${server.url}/2010-04-01/Accounts/${ACCOUNT_B.sid}/Messages/${fetchSid}.json`, {
      headers: { authorization: authB },
    })
    expect(ok.status).toBe(200)
  })

  it(
    'times out slow and half-sent requests without holding the server',
    async () => {
      const slow = await startServer({
        double: twoAccountDouble(),
        port: 0,
        headersTimeoutMs: 500,
        requestTimeoutMs: 1_000,
        keepAliveTimeoutMs: 500,
      })
      try {
        const path = `/2010-04-01/Accounts/${ACCOUNT_A.sid}/Messages.json`
        const auth = `authorization: ${authA}\r\n`
        const abusers = [
          // headers never finished
          ...Array.from({ length: 50 }, () =>
            rawExchange(slow.port, [`POST ${path} HTTP/1.1\r\nHost: x\r\n${auth}`]),
          ),
          // a body shorter than declared
          ...Array.from({ length: 50 }, () =>
            rawExchange(slow.port, [
              `POST ${path} HTTP/1.1\r\nHost: x\r\n${auth}content-type: ${form}\r\ncontent-length: 100\r\n\r\nTo=%2B1555`,
            ]),
          ),
          // nothing at all
          ...Array.from({ length: 50 }, () => rawExchange(slow.port, [])),
          // half-closed after a partial request line
          rawExchange(slow.port, ['POST /2010-04-01/Acc'], { endAfter: true }),
        ]
        // while they hang, a well-behaved client is answered at once
        const client = await twilioClientForServer(slow.url, {
          accountSid: ACCOUNT_A.sid,
          authToken: ACCOUNT_A.authToken,
        })
        const started = performance.now()
        for (let i = 0; i < 20; i++)
          await client.messages.create({ from: ACCOUNT_A.from, to: '+15550002222', body: `ok ${i}` })
        const wellBehavedMs = performance.now() - started
        expect(wellBehavedMs).toBeLessThan(5_000)
        const results = await Promise.all(abusers)
        // each abusive connection was closed by the server, near its timeout
        for (const r of results) expect(r.closedAfterMs).toBeLessThan(5_000)
        expect(slow.double.messages.count()).toBe(20)
        recordFigure(
          'Standalone server against abuse',
          'slow or half-sent connections closed by the server',
          `${results.length} of ${results.length}, the slowest after ${Math.round(Math.max(...results.map((r) => r.closedAfterMs)))} ms (headersTimeoutMs 500, requestTimeoutMs 1000); 20 creates meanwhile in ${Math.round(wellBehavedMs)} ms`,
        )
      } finally {
        await slow.close()
      }
    },
    timeoutFor(30_000),
  )

  it('lets no request leave the process: every operation on every edge and region host goes to the server', async () => {
    const trap = await installNetworkTrap()
    try {
      const calls = await driveClients(
        (opts) =>
          twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, {
            ...opts,
            httpClient: new (class extends twilio.RequestClient {
              override request<T>(o: Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0]) {
                return super.request<T>({ ...o, uri: o.uri.replace(/^https:\/\/[^/]+/, server.url) } as never)
              }
            })(),
          }) as ReturnType<typeof twilio>,
      )
      expect(calls).toBeGreaterThan(0)
      expect(trap.escapes()).toEqual([])
      expect(trap.attempts.every((a) => a.route === 'loopback')).toBe(true)
      expect(trap.attempts.length).toBeGreaterThan(0)
    } finally {
      await trap.uninstall()
    }
  })
})
