/**
 * Throughput of the standalone server (create, fetch, list through real HTTP on 127.0.0.1) beside a bare
 * `node:http` server answering a canned 201 on the same machine, measured with autocannon in the same run.
 * Goal: at least half the bare server's requests per second. Run alone: npx tsx bench/server.ts
 */

import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { createRequire, register } from 'node:module'
import type { AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { startServer } from '../src/adapters/server.js'
import { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../src/index.js'
import { builtModule } from './built.js'
import type { BenchResult } from './core.js'

interface AutocannonResult {
  requests: { average: number; total: number }
  non2xx: number
  errors: number
  timeouts: number
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

/** Options of {@link runServerBench}. */
export interface ServerBenchOptions {
  /** Seconds per measurement (default 1). */
  seconds?: number
  /** Rounds of measurements; the median ratio is reported (default 5). */
  rounds?: number
  /** Concurrent connections (default 10). */
  connections?: number
}

const AUTH = `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`
const MESSAGES = `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`
const CREATE_BODY = new URLSearchParams({
  To: '+15558675310',
  From: DEFAULT_FROM,
  Body: 'Hello from the benchmark',
}).toString()

async function measure(url: string, seconds: number, connections: number, request: Record<string, unknown>) {
  const r = await autocannon({ url, connections, duration: seconds, pipelining: 1, ...request })
  if (r.errors > 0 || r.timeouts > 0 || r.non2xx > 0)
    throw new Error(
      `benchmark of ${url} had ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx answers`,
    )
  return r.requests.average
}

type Child = { port: number; stop: () => Promise<void> }

/**
 * `double`: the double's server as the package ships it; `double-plain`: the same with its write batching swapped
 * for writing each answer when it is made (server-plain-hooks.mjs); the others are bare `node:http` servers.
 */
type Mode = 'double' | 'double-plain' | 'bare' | 'keeping' | 'batched'

/** Starts this file in a child process in `mode` (the double's server or a bare one) and waits for its port. */
function spawnServer(mode: Mode): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), `--serve-${mode}`],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const m = /PORT (\d+)/.exec(out)
      if (m)
        resolve({
          port: Number(m[1]),
          stop: async () => {
            child.stdin!.end()
            await exited
          },
        })
    })
    child.once('exit', (code) => reject(new Error(`the ${mode} server exited (${code}) before listening`)))
  })
}

/**
 * What the `keeping` bare server keeps per POST, shaped like a stored message of the double (its fields, a map
 * entry by SID, a place in three lists), so that its rate shows what keeping alone costs on the machine. Its SID
 * is made from the sequence number, as cheaply as the double's seeded one (not with `crypto.randomBytes()`,
 * which costs about 5 µs a call on a virtual machine and would be counted as keeping).
 */
function keptRecord(seq: number, body: string) {
  const now = Date.now()
  return {
    seq,
    sid: `SM${seq.toString(16).padStart(32, '0')}`,
    accountSid: DEFAULT_ACCOUNT_SID,
    to: '+15558675310',
    from: DEFAULT_FROM,
    body,
    numSegments: 1,
    numMedia: 0,
    direction: 'outbound-api',
    status: 'queued',
    messagingServiceSid: null,
    channel: 'sms',
    dateCreated: now,
    dateUpdated: now,
    dateSent: null,
    price: null,
    priceUnit: 'USD',
    errorCode: null,
    errorMessage: null,
    sortKey: now,
    history: 'queued',
    lifecycle: { at: now + 1000, seq, state: 'pending', segments: 1, country: 'US', price: undefined },
  }
}

/**
 * The server and the double as the published package has them (bench/built.ts): the code the CLI runs. `plain`:
 * with the write batching swapped out (server-plain-hooks.mjs), which must be found in exactly one place.
 */
async function builtPackage(plain: boolean): Promise<{
  startServer: typeof startServer
  createTwilioDouble: typeof createTwilioDouble
}> {
  if (plain) register(new URL('server-plain-hooks.mjs', import.meta.url).href)
  const { startServer } = await builtModule<typeof import('../src/adapters/server.js')>('server.js', 'server')
  const { createTwilioDouble } = await builtModule<typeof import('../src/index.js')>('index.js', 'server')
  const swaps = (globalThis as { __serverPlainSwaps?: number }).__serverPlainSwaps ?? 0
  if (plain && swaps !== 1)
    throw new Error(
      `the plain server swaps the write batching in one place of dist/, found ${swaps}: the batching moved or changed; update bench/server-plain-hooks.mjs`,
    )
  return { startServer, createTwilioDouble }
}

/** The child side: serve until stdin closes. */
async function serveChild(mode: Mode): Promise<void> {
  let port: number
  let close: () => Promise<void>
  if (mode === 'bare' || mode === 'keeping' || mode === 'batched') {
    // a canned message (201) for every request; a canned page of 20 (200) for GETs of `?page`, for a baseline of
    // the same bytes as the list measurement. `batched` writes its answers as the double's server does: together,
    // once the event loop has read the requests of a turn (setImmediate)
    const canned = await cannedAnswers()
    const waiting: (() => void)[] = []
    const writeWaiting = () => {
      for (const write of waiting.splice(0, waiting.length)) write()
    }
    const bySid = new Map<string, ReturnType<typeof keptRecord>>()
    const lists: ReturnType<typeof keptRecord>[][] = [[], [], []]
    const bare = createServer((req, res) => {
      let text = ''
      if (mode === 'keeping')
        req.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk
        })
      else req.resume()
      req.on('end', () => {
        if (mode === 'keeping' && req.method === 'POST') {
          const r = keptRecord(bySid.size, text)
          bySid.set(r.sid, r)
          for (const list of lists) list.push(r)
        }
        const [status, body] = req.url?.endsWith('?page') ? [200, canned.page] : [201, canned.message]
        const write = () => {
          res.writeHead(status, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          })
          res.end(body)
        }
        if (mode !== 'batched') write()
        else {
          if (waiting.length === 0) setImmediate(writeWaiting)
          waiting.push(write)
        }
      })
    })
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))
    port = (bare.address() as AddressInfo).port
    close = () => new Promise<void>((resolve) => bare.close(() => resolve()))
  } else {
    // the built package, as the CLI runs it (lighter global Request/Response); no sender queue limit, since
    // virtual time stands still
    const built = await builtPackage(mode === 'double-plain')
    const server = await built.startServer({
      double: built.createTwilioDouble({ maxQueueSeconds: false }),
      port: 0,
      overrideGlobalObjects: true,
    })
    port = server.port
    close = () => server.close()
  }
  process.stdout.write(`PORT ${port}\n`)
  process.stdin.resume()
  process.stdin.on('end', () => {
    close().then(() => process.exit(0))
  })
}

/** The double's answers to the measured create and list requests, made once, for the bare server to repeat. */
async function cannedAnswers(): Promise<{ message: string; page: string }> {
  const double = createTwilioDouble()
  const { sid } = await double.backend.createMessage({
    accountSid: DEFAULT_ACCOUNT_SID,
    to: '+15558675310',
    from: DEFAULT_FROM,
    body: 'Hello from the benchmark',
  })
  for (let i = 0; i < 50; i++)
    await double.backend.createMessage({
      accountSid: DEFAULT_ACCOUNT_SID,
      to: '+15550000002',
      from: DEFAULT_FROM,
      body: 'seed',
    })
  const page = await double.handle(
    new Request(`https://api.twilio.com${MESSAGES}?To=%2B15550000002&PageSize=20`, {
      headers: { authorization: AUTH },
    }),
  )
  return { message: JSON.stringify(double.messages.get(sid)), page: await page.text() }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Measures requests per second of create, fetch and list through the standalone server (in its own process, as
 * the CLI runs it) and of a bare node:http server answering a canned 201 (in its own process), with autocannon in
 * this process, and returns the ratios (goal: at least 0.5). The machine's speed drifts from second to second,
 * so the measurements are interleaved: each round measures the bare server and then each operation, a ratio is
 * taken within each round, and the median over the rounds is reported.
 *
 * @example
 * for (const r of await runServerBench({ seconds: 1, rounds: 5 })) console.log(r.name, r.value, r.unit)
 */
export async function runServerBench(options: ServerBenchOptions = {}): Promise<BenchResult[]> {
  const seconds = options.seconds ?? 1
  const rounds = options.rounds ?? 5
  const connections = options.connections ?? 10
  const post = {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
    body: CREATE_BODY,
  }
  const get = { method: 'GET', headers: { authorization: AUTH } }

  const [bare, keeping, batched, server, plain] = await Promise.all([
    spawnServer('bare'),
    spawnServer('keeping'),
    spawnServer('batched'),
    spawnServer('double'),
    spawnServer('double-plain'),
  ])
  try {
    const url = `http://127.0.0.1:${server.port}`
    const plainUrl = `http://127.0.0.1:${plain.port}`
    const seedOn = async (base: string, to: string) => {
      const res = await fetch(`${base}${MESSAGES}`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: to, From: DEFAULT_FROM, Body: 'seed' }),
      })
      return ((await res.json()) as { sid: string }).sid
    }
    const seed = (to: string) => Promise.all([seedOn(url, to), seedOn(plainUrl, to)])
    const [sid, plainSid] = await seed('+15550000001')
    for (let i = 0; i < 50; i++) await seed('+15550000002')
    const targets = {
      bare: { url: `http://127.0.0.1:${bare.port}${MESSAGES}`, request: post },
      'bare page': { url: `http://127.0.0.1:${bare.port}${MESSAGES}?page`, request: get },
      'bare keeping': { url: `http://127.0.0.1:${keeping.port}${MESSAGES}`, request: post },
      'bare batched': { url: `http://127.0.0.1:${batched.port}${MESSAGES}`, request: post },
      create: { url: `${url}${MESSAGES}`, request: post },
      fetch: { url: `${url}${MESSAGES.replace('.json', `/${sid}.json`)}`, request: get },
      'list (page of 20)': { url: `${url}${MESSAGES}?To=%2B15550000002&PageSize=20`, request: get },
      'plain create': { url: `${plainUrl}${MESSAGES}`, request: post },
      'plain fetch': { url: `${plainUrl}${MESSAGES.replace('.json', `/${plainSid}.json`)}`, request: get },
      'plain list (page of 20)': {
        url: `${plainUrl}${MESSAGES}?To=%2B15550000002&PageSize=20`,
        request: get,
      },
    }
    const rps: Record<keyof typeof targets, number[]> = {
      bare: [],
      'bare page': [],
      'bare keeping': [],
      'bare batched': [],
      create: [],
      fetch: [],
      'list (page of 20)': [],
      'plain create': [],
      'plain fetch': [],
      'plain list (page of 20)': [],
    }
    // warm-up (JIT) of every path, then the rounds
    for (const t of Object.values(targets)) await measure(t.url, 1, connections, t.request)
    for (let round = 0; round < rounds; round++)
      for (const [name, t] of Object.entries(targets))
        rps[name as keyof typeof targets].push(await measure(t.url, seconds, connections, t.request))

    const ratio = (
      name: 'create' | 'fetch' | 'list (page of 20)',
      base: 'bare' | 'bare page' | 'bare keeping' = 'bare',
    ) => {
      const value = median(rps[name].map((r, i) => r / rps[base][i]!))
      const against =
        base === 'bare'
          ? 'bare node:http'
          : base === 'bare page'
            ? 'bare node:http, same bytes'
            : 'bare node:http keeping a record per create'
      return {
        name: `server ${name}: req/s vs ${against} (${Math.round(median(rps[name]))} vs ${Math.round(median(rps[base]))})`,
        value,
        unit: 'x',
        goal: base === 'bare' ? '>= 0.50' : 'context',
        pass: base === 'bare' ? value >= 0.5 : true,
      } satisfies BenchResult
    }
    // the write batching: the double's server with it against the same server writing each answer when made
    const batching = (name: 'create' | 'fetch' | 'list (page of 20)') =>
      ({
        name: `server ${name}: with write batching vs without (${Math.round(median(rps[name]))} vs ${Math.round(median(rps[`plain ${name}`]))})`,
        value: median(rps[name].map((r, i) => r / rps[`plain ${name}`][i]!)),
        unit: 'x',
        goal: 'context',
        pass: true,
      }) satisfies BenchResult
    return [
      {
        name: 'server baseline: bare node:http canned 201',
        value: median(rps.bare),
        unit: 'req/s',
        goal: 'baseline',
        pass: true,
      },
      ratio('create'),
      // what keeping a message-sized record per request (and nothing else) costs a bare server on this machine
      {
        name: 'server baseline: bare node:http keeping a message-sized record per create',
        value: median(rps['bare keeping'].map((r, i) => r / rps.bare[i]!)),
        unit: 'x',
        goal: 'context',
        pass: true,
      },
      ratio('create', 'bare keeping'),
      // the double's server writes the answers of a turn together: what that alone does for a bare server
      {
        name: 'server baseline: bare node:http writing its answers once per turn, as the double does',
        value: median(rps['bare batched'].map((r, i) => r / rps.bare[i]!)),
        unit: 'x',
        goal: 'context',
        pass: true,
      },
      ratio('fetch'),
      ratio('list (page of 20)'),
      // a page of 20 is twenty times the bytes of one message: what a server that does nothing but answer them gets
      {
        name: 'server baseline: bare node:http, a canned page of 20 (same bytes)',
        value: median(rps['bare page'].map((r, i) => r / rps.bare[i]!)),
        unit: 'x',
        goal: 'context',
        pass: true,
      },
      ratio('list (page of 20)', 'bare page'),
      batching('create'),
      batching('fetch'),
      batching('list (page of 20)'),
    ]
  } finally {
    await Promise.all([bare.stop(), keeping.stop(), batched.stop(), server.stop(), plain.stop()])
  }
}

const childMode = process.argv.find((a) => /^--serve-(double|double-plain|bare|keeping|batched)$/.test(a))
if (childMode) {
  await serveChild(childMode.slice('--serve-'.length) as Mode)
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runServerBench()
  for (const r of results)
    console.log(
      `${r.pass ? 'ok  ' : 'MISS'}  ${r.name.padEnd(64)} ${r.value.toFixed(r.unit === 'x' ? 2 : 0).padStart(8)} ${r.unit.padEnd(5)} goal ${r.goal}`,
    )
  if (results.some((r) => !r.pass)) process.exitCode = 1
}
