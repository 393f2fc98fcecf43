/**
 * Fuzzing the core: random and malformed requests across every endpoint (Messages, their media and feedback, and
 * the Accounts resource) and unknown paths, through `double.handle(new Request(...))`, interleaved with clock
 * moves, bursts of parallel requests and resets.
 *
 * Every answer must be below 500 and either a schema-valid resource of the caller's own account (an account: the
 * caller or one of its subaccounts), a schema-valid Twilio error, or an empty 204 to a DELETE; afterwards the state must be consistent
 * (support/consistency.ts) and hold exactly the messages created minus those deleted.
 *
 * Seeded and reproducible: the seed is printed; replay with
 * `FUZZ_SEED=<seed> FUZZ_RUNS=<runs> npx vitest run test/reliability/fuzz.test.ts`.
 */
import './no-unhandled.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CONTROL_PREFIX, createControlApi } from '../../src/adapters/server.js'
import { type TwilioDouble, tenantsOf } from '../../src/double.js'
import { accountPageSchema, accountSchema } from '../../src/schemas/account.js'
import {
  errorSchema,
  feedbackSchema,
  mediaPageSchema,
  mediaSchema,
  messagePageSchema,
  messageSchema,
} from '../../src/schemas/message.js'
import { checkConsistency } from './support/consistency.js'
import { ACCOUNT_A, ACCOUNT_B, basic, formPost, twoAccountDouble } from './support/doubles.js'
import {
  ACCOUNTS,
  accountsRequest,
  buildRequest,
  describeRequest,
  type FuzzRequest,
  fuzzRequest,
  isAuthorised,
  subaccountsOf,
  validCreate,
} from './support/fuzz-requests.js'
import { recordFigure, scale, timeoutFor } from './support/scale.js'

type Action =
  | { kind: 'request'; request: FuzzRequest }
  | { kind: 'burst'; requests: FuzzRequest[] }
  | { kind: 'advance'; ms: number }
  | { kind: 'reset' }

const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fuzzRequest.map((request) => ({ kind: 'request' as const, request })), weight: 300 },
  { arbitrary: validCreate.map((request) => ({ kind: 'request' as const, request })), weight: 90 },
  {
    arbitrary: fc
      .array(fc.oneof(fuzzRequest, validCreate), { minLength: 2, maxLength: 6 })
      .map((requests) => ({ kind: 'burst' as const, requests })),
    weight: 25,
  },
  {
    arbitrary: fc.integer({ min: 0, max: 3 * 3_600_000 }).map((ms) => ({ kind: 'advance' as const, ms })),
    weight: 20,
  },
  { arbitrary: fc.constant({ kind: 'reset' as const }), weight: 1 },
)

type Operation =
  | 'create'
  | 'list'
  | 'fetch'
  | 'update'
  | 'delete'
  | 'media-list'
  | 'media-fetch'
  | 'media-delete'
  | 'feedback'
  | 'account-create'
  | 'account-list'
  | 'account-fetch'
  | 'account-update'

const ACC = '/2010-04-01/Accounts/([^/]+)/Messages'
const OPERATIONS: [string, RegExp, Operation, number][] = [
  ['POST', new RegExp(`^${ACC}\\.json$`), 'create', 201],
  ['GET', new RegExp(`^${ACC}\\.json$`), 'list', 200],
  ['GET', new RegExp(`^${ACC}/([^/]+)\\.json$`), 'fetch', 200],
  ['POST', new RegExp(`^${ACC}/([^/]+)\\.json$`), 'update', 200],
  ['DELETE', new RegExp(`^${ACC}/([^/]+)\\.json$`), 'delete', 204],
  ['GET', new RegExp(`^${ACC}/([^/]+)/Media\\.json$`), 'media-list', 200],
  ['GET', new RegExp(`^${ACC}/([^/]+)/Media/([^/]+)\\.json$`), 'media-fetch', 200],
  ['DELETE', new RegExp(`^${ACC}/([^/]+)/Media/([^/]+)\\.json$`), 'media-delete', 204],
  ['POST', new RegExp(`^${ACC}/([^/]+)/Feedback\\.json$`), 'feedback', 200],
  ['POST', /^\/2010-04-01\/Accounts\.json$/, 'account-create', 201],
  ['GET', /^\/2010-04-01\/Accounts\.json$/, 'account-list', 200],
  ['GET', /^\/2010-04-01\/Accounts\/([^/]+)\.json$/, 'account-fetch', 200],
  ['POST', /^\/2010-04-01\/Accounts\/([^/]+)\.json$/, 'account-update', 200],
]

const ACCOUNT_OPERATIONS: readonly Operation[] = [
  'account-create',
  'account-list',
  'account-fetch',
  'account-update',
]

function classify(
  method: string,
  pathname: string,
): { op: Operation; status: number; match: RegExpExecArray } | undefined {
  let path = pathname
  try {
    path = decodeURIComponent(pathname)
  } catch {
    // kept as sent
  }
  for (const [m, re, op, status] of OPERATIONS) {
    const match = re.exec(path)
    if (match && m === method) return { op, status, match }
  }
  return undefined
}

const SCHEMAS: Record<
  Operation,
  { safeParse(v: unknown): { success: boolean; error?: { message: string } } } | undefined
> = {
  create: messageSchema,
  list: messagePageSchema,
  fetch: messageSchema,
  update: messageSchema,
  delete: undefined,
  'media-list': mediaPageSchema,
  'media-fetch': mediaSchema,
  'media-delete': undefined,
  feedback: feedbackSchema,
  'account-create': accountSchema,
  'account-list': accountPageSchema,
  'account-fetch': accountSchema,
  'account-update': accountSchema,
}

/** The accounts an answer holds data of that `principal` may not see (an account: neither it nor its subaccount). */
function foreignOf(op: Operation, body: any, principal: string): string[] {
  if (ACCOUNT_OPERATIONS.includes(op)) {
    const accounts: any[] = op === 'account-list' ? body.accounts : [body]
    return accounts.filter((a) => a.sid !== principal && a.owner_account_sid !== principal).map((a) => a.sid)
  }
  const sids: string[] =
    op === 'list'
      ? body.messages.map((m: any) => m.account_sid)
      : op === 'media-list'
        ? body.media_list.map((m: any) => m.account_sid)
        : [body.account_sid]
  return sids.filter((sid) => sid !== principal)
}

interface Stats {
  requests: number
  byStatus: Map<number, number>
  byOperation: Map<string, number>
  advances: number
  resets: number
  checkpoints: number
  maxStored: number
  closedSubaccounts: number
}

/** Counters of a fuzz run, all at zero. */
function newStats(): Stats {
  return {
    requests: 0,
    byStatus: new Map(),
    byOperation: new Map(),
    advances: 0,
    resets: 0,
    checkpoints: 0,
    maxStored: 0,
    closedSubaccounts: 0,
  }
}

function fuzzer(double: TwilioDouble, stats: Stats) {
  const expected = new Map<string, Set<string>>([
    [ACCOUNT_A.sid, new Set()],
    [ACCOUNT_B.sid, new Set()],
  ])
  const everSeen = new Set<string>()

  const exchange = async (r: FuzzRequest): Promise<void> => {
    const { request } = buildRequest(double, r)
    const method = request.method.toUpperCase()
    const pathname = new URL(request.url).pathname
    const problems: string[] = []
    let res: Response
    try {
      res = await double.handle(request)
    } catch (err) {
      throw new Error(`handle() threw ${String(err)}\nrequest: ${describeRequest(r)}`)
    }
    const bytes = new Uint8Array(await res.arrayBuffer())
    const text = new TextDecoder().decode(bytes)
    stats.requests++
    stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1)
    if (res.status >= 500) problems.push(`server error ${res.status}`)
    const length = res.headers.get('content-length')
    if (length === null || Number(length) !== bytes.byteLength)
      problems.push(`content-length ${length} but ${bytes.byteLength} bytes`)
    const hit = classify(method, pathname)
    const principal = ACCOUNTS[r.principal].sid
    // CORS headers answer browsers (an Origin) and preflights, and no one else
    const cors = request.headers.has('origin') || method === 'OPTIONS'
    if ((res.headers.get('access-control-allow-origin') === '*') !== cors)
      problems.push(
        cors ? 'an answer to a browser without CORS headers' : 'CORS headers for a non-browser client',
      )
    if (method === 'OPTIONS' && res.status === 200) {
      // a CORS preflight: no body, for a path some operation has, whoever asks
      stats.byOperation.set('preflight', (stats.byOperation.get('preflight') ?? 0) + 1)
      if (bytes.byteLength !== 0) problems.push('a preflight with a body')
      if (!['GET', 'POST', 'DELETE'].some((m) => classify(m, pathname)))
        problems.push(`a preflight answered for ${pathname}, which no operation has`)
    } else if (res.status === 204) {
      if (bytes.byteLength !== 0) problems.push('a 204 with a body')
      if (hit?.status === 204) stats.byOperation.set(hit.op, (stats.byOperation.get(hit.op) ?? 0) + 1)
      else problems.push(`a 204 to ${method} ${pathname}`)
      if (!isAuthorised(r)) problems.push(`success without valid credentials (${r.auth})`)
    } else {
      let body: any
      try {
        body = JSON.parse(text)
      } catch {
        problems.push('the body is not JSON')
      }
      if (body !== undefined && res.status >= 400) {
        const parsed = errorSchema.safeParse(body)
        if (!parsed.success) problems.push(`not a schema-valid Twilio error: ${parsed.error.message}`)
        else if (body.status !== res.status)
          problems.push(`error body status ${body.status} on an HTTP ${res.status}`)
      } else if (body !== undefined) {
        if (!hit) problems.push(`success ${res.status} for ${method} ${pathname}, which is no operation`)
        else {
          stats.byOperation.set(hit.op, (stats.byOperation.get(hit.op) ?? 0) + 1)
          if (res.status !== hit.status)
            problems.push(`${hit.op} answered ${res.status}, expected ${hit.status}`)
          const parsed = SCHEMAS[hit.op]!.safeParse(body)
          if (!parsed.success) problems.push(`${hit.op} body is not schema-valid: ${parsed.error?.message}`)
          else {
            if (!isAuthorised(r)) problems.push(`success without valid credentials (${r.auth})`)
            const foreign = foreignOf(hit.op, body, principal)
            if (foreign.length > 0) problems.push(`answer holds data of another account: ${foreign[0]}`)
            if ((hit.op === 'account-fetch' || hit.op === 'account-update') && body.sid !== hit.match[1])
              problems.push(`${hit.op} of ${hit.match[1]} answered account ${body.sid}`)
            if (hit.op === 'create') {
              if (everSeen.has(body.sid) && expected.get(principal)!.has(body.sid))
                problems.push(`SID ${body.sid} given twice`)
              expected.get(principal)!.add(body.sid)
              everSeen.add(body.sid)
            } else if (hit.op === 'fetch' || hit.op === 'update') {
              if (!expected.get(principal)!.has(body.sid))
                problems.push(`${hit.op} answered unknown message ${body.sid}`)
            }
          }
        }
      }
    }
    if (res.status === 204 && hit?.op === 'delete') {
      const sid = hit.match[2]!
      if (!expected.get(principal)!.delete(sid)) problems.push(`deleted ${sid}, which was not stored`)
    }
    if (problems.length > 0)
      throw new Error(
        `${problems.join('\n')}\nrequest: ${describeRequest(r)}\nsent: ${method} ${request.url}\nanswer: ${res.status} ${text.slice(0, 600)}`,
      )
  }

  const checkpoint = async () => {
    stats.checkpoints++
    stats.maxStored = Math.max(stats.maxStored, double.messages.count())
    const problems = await checkConsistency(double, [ACCOUNT_A, ACCOUNT_B], { expected })
    if (problems.length > 0) throw new Error(`inconsistent state:\n${problems.slice(0, 20).join('\n')}`)
  }

  const reset = () => {
    double.reset()
    stats.resets++
    for (const s of expected.values()) s.clear()
  }

  /**
   * Closes the subaccounts still open, through the API as their owner would, once there are more than 40: a closed
   * one's state is freed (its tenant no longer moves with every advance and reset), and it can still be fetched.
   */
  const closeSubaccounts = async () => {
    const open = (tenantsOf(double)?.accounts() ?? []).filter(
      (a) => a.status !== 'closed' && a.ownerSid !== a.sid,
    )
    if (open.length <= 40) return
    for (const sub of open) {
      const owner = sub.ownerSid === ACCOUNT_A.sid ? ACCOUNT_A : ACCOUNT_B
      const res = await double.handle(
        formPost(
          `https://api.twilio.com/2010-04-01/Accounts/${sub.sid}.json`,
          { Status: 'closed' },
          basic(owner.sid, owner.authToken),
        ),
      )
      if (res.status !== 200)
        throw new Error(`closing ${sub.sid} answered ${res.status}: ${await res.text()}`)
      stats.closedSubaccounts++
    }
  }

  let sinceCheck = 0
  const run = async (a: Action): Promise<void> => {
    if (a.kind === 'request') await exchange(a.request)
    else if (a.kind === 'burst') await Promise.all(a.requests.map(exchange))
    else if (a.kind === 'advance') {
      await double.advance(a.ms)
      stats.advances++
    } else {
      await checkpoint()
      reset()
    }
    if (++sinceCheck >= 500 || double.messages.count() > 250) {
      sinceCheck = 0
      await checkpoint()
      if (double.messages.count() > 250) reset()
    }
    await closeSubaccounts()
  }
  return { run, checkpoint }
}

/** A double whose answers break the rules now and then: the fuzzer must notice. */
function brokenDouble(kind: '5xx' | 'schema' | 'leak'): TwilioDouble {
  const double = twoAccountDouble({ callbacks: { fetch: async () => new Response(null, { status: 204 }) } })
  let n = 0
  const handle = double.handle
  return {
    ...double,
    handle: async (request: Request) => {
      const res = await handle(request)
      // break every seventh JSON answer (a 204 has no body to break)
      if (res.status >= 300 || res.status === 204 || ++n % 7 !== 0) return res
      const page = await res.clone().json()
      // break the resource itself: the first item of a page, or the answer when it is one resource
      const body = Array.isArray(page.messages)
        ? page.messages[0]
        : Array.isArray(page.media_list)
          ? page.media_list[0]
          : Array.isArray(page.accounts)
            ? page.accounts[0]
            : page
      if (body === undefined) return res
      if (kind === '5xx')
        return Response.json(
          { code: 20500, message: 'x', more_info: 'https://x.test', status: 500 },
          { status: 500 },
        )
      if (kind === 'schema') delete body.sid
      if (kind === 'leak' && 'owner_account_sid' in body) {
        // an account of the other main account
        const owner = body.owner_account_sid === ACCOUNT_A.sid ? ACCOUNT_B.sid : ACCOUNT_A.sid
        body.owner_account_sid = owner
        body.sid = owner
      } else if (kind === 'leak')
        body.account_sid = body.account_sid === ACCOUNT_A.sid ? ACCOUNT_B.sid : ACCOUNT_A.sid
      const text = JSON.stringify(page)
      return new Response(text, {
        status: res.status,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) },
      })
    },
  }
}

describe('the fuzzer itself', () => {
  it.each(['5xx', 'schema', 'leak'] as const)(
    'catches a double that answers %s now and then',
    async (kind) => {
      const double = brokenDouble(kind)
      const stats = newStats()
      const { run } = fuzzer(double, stats)
      const failure = await fc
        .assert(
          fc.asyncProperty(action, async (a) => {
            await run(a)
          }),
          { seed: scale.fuzzSeed, numRuns: 400, endOnFailure: true },
        )
        .then(
          () => undefined,
          (err: Error) => `${err.message}\n${String((err.cause as Error | undefined)?.message ?? '')}`,
        )
      expect(failure).toMatch(
        kind === '5xx' ? /server error 500/ : kind === 'schema' ? /not schema-valid/ : /another account/,
      )
    },
  )
})

describe('fuzzing the core', () => {
  it(
    `answers ${scale.fuzzRuns} random and malformed requests without a 5xx and stays consistent`,
    async () => {
      const started = performance.now()
      let delivered = 0
      const double = twoAccountDouble({
        // status callbacks of fuzzed messages are answered in-process: the fuzzer never reaches a network
        callbacks: {
          fetch: async () => {
            delivered++
            return new Response(null, { status: 204 })
          },
        },
      })
      const stats = newStats()
      const { run, checkpoint } = fuzzer(double, stats)
      console.log(
        `[fuzz] seed=${scale.fuzzSeed} runs=${scale.fuzzRuns} — replay: FUZZ_SEED=${scale.fuzzSeed} FUZZ_RUNS=${scale.fuzzRuns} npx vitest run test/reliability/fuzz.test.ts`,
      )
      await fc.assert(
        fc.asyncProperty(action, async (a) => {
          await run(a)
        }),
        { seed: scale.fuzzSeed, numRuns: scale.fuzzRuns, endOnFailure: true },
      )
      await double.settle()
      await checkpoint()
      const seconds = (performance.now() - started) / 1000
      const histogram = [...stats.byStatus]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}:${n}`)
        .join(' ')
      console.log(
        `[fuzz] ${stats.requests} requests in ${seconds.toFixed(1)} s; statuses ${histogram}; operations ${JSON.stringify(Object.fromEntries(stats.byOperation))}; ${stats.advances} clock moves, ${stats.resets} resets, ${stats.checkpoints} consistency checks, up to ${stats.maxStored} stored, ${delivered} callbacks`,
      )
      expect([...stats.byStatus.keys()].filter((s) => s >= 500)).toEqual([])
      // the fuzzer must reach every operation's success path, or it proves little
      if (scale.fuzzRuns >= 2000)
        for (const op of [
          'create',
          'list',
          'fetch',
          'update',
          'delete',
          'media-list',
          'media-fetch',
          'media-delete',
          'feedback',
          ...ACCOUNT_OPERATIONS,
        ])
          expect(stats.byOperation.get(op) ?? 0, `successful ${op} answers`).toBeGreaterThan(0)
      recordFigure('Fuzzing', 'seed', scale.fuzzSeed)
      recordFigure('Fuzzing', 'fast-check runs', scale.fuzzRuns)
      recordFigure('Fuzzing', 'requests', stats.requests)
      recordFigure('Fuzzing', 'answers 5xx', 0)
      recordFigure('Fuzzing', 'statuses', histogram)
      recordFigure('Fuzzing', 'consistency checks passed', stats.checkpoints)
      recordFigure('Fuzzing', 'duration (s)', seconds.toFixed(1))
    },
    timeoutFor(60_000, 3, scale.fuzzRuns),
  )
})

describe('fuzzing the Accounts resource', () => {
  const runs = Math.max(300, Math.floor(scale.fuzzRuns / 4))
  it(
    `answers ${runs} random requests to the Accounts routes with a valid account or page of the caller's, or Twilio's error, never a 5xx`,
    async () => {
      const double = twoAccountDouble({
        callbacks: { fetch: async () => new Response(null, { status: 204 }) },
      })
      const stats = newStats()
      const { run, checkpoint } = fuzzer(double, stats)
      const accountAction: fc.Arbitrary<Action> = fc.oneof(
        { arbitrary: accountsRequest.map((request) => ({ kind: 'request' as const, request })), weight: 40 },
        {
          arbitrary: fc
            .array(accountsRequest, { minLength: 2, maxLength: 6 })
            .map((requests) => ({ kind: 'burst' as const, requests })),
          weight: 4,
        },
        { arbitrary: validCreate.map((request) => ({ kind: 'request' as const, request })), weight: 4 },
        {
          arbitrary: fc.integer({ min: 0, max: 3_600_000 }).map((ms) => ({ kind: 'advance' as const, ms })),
          weight: 2,
        },
      )
      await fc.assert(
        fc.asyncProperty(accountAction, async (a) => {
          await run(a)
        }),
        { seed: scale.fuzzSeed, numRuns: runs, endOnFailure: true },
      )
      await double.settle()
      await checkpoint()
      const histogram = [...stats.byStatus]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}:${n}`)
        .join(' ')
      const subaccounts =
        subaccountsOf(double, ACCOUNT_A.sid).length + subaccountsOf(double, ACCOUNT_B.sid).length
      console.log(
        `[fuzz] Accounts: ${stats.requests} requests; statuses ${histogram}; operations ${JSON.stringify(Object.fromEntries(stats.byOperation))}; ${subaccounts} subaccounts made, ${stats.closedSubaccounts} of them closed by the fuzzer to free their state`,
      )
      expect([...stats.byStatus.keys()].filter((s) => s >= 500)).toEqual([])
      for (const op of ACCOUNT_OPERATIONS)
        expect(stats.byOperation.get(op) ?? 0, `successful ${op} answers`).toBeGreaterThan(0)
      expect(subaccounts).toBeGreaterThan(0)
      recordFigure('Fuzzing', 'Accounts requests (statuses)', `${stats.requests} (${histogram})`)
    },
    timeoutFor(60_000, 3, runs),
  )
})

const CONTROL_PATHS = [
  '/health',
  '/reset',
  '/messages',
  '/messages/$SID',
  '/messages/%E0%A4%A',
  '/callbacks',
  '/scenarios',
  '/advance',
  '/settle',
  '/inbound',
  '/provider-states',
  '/events',
  '',
  '/',
  '/nope',
  '/messages/',
  '//health',
]

const controlRequest = fc.record({
  method: fc.oneof(
    { arbitrary: fc.constantFrom('GET', 'POST'), weight: 6 },
    { arbitrary: fc.constantFrom('DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'), weight: 1 },
  ),
  path: fc.oneof(
    { arbitrary: fc.constantFrom(...CONTROL_PATHS), weight: 8 },
    { arbitrary: fc.string({ maxLength: 20 }).map((s) => `/${s}`), weight: 1 },
  ),
  query: fc.constantFrom(
    '',
    '?status=delivered',
    '?status=bogus',
    '?kind=inbound',
    '?kind=x',
    '?to=%2B15550001111',
    '?direction=up',
    '?messageSid=%zz',
  ),
  body: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.json({ maxDepth: 3 }), weight: 3 },
    {
      arbitrary: fc.constantFrom(
        '{"by":"90s"}',
        '{"by":-5}',
        '{"by":"forever"}',
        '{"by":1e308}',
        '{"from":"+15550001111","to":"+15005550006","body":"hi"}',
        '{"from":7}',
        '{"when":{"to":"+15550001111"},"then":{"deliver":"failed","errorCode":30008}}',
        '{"when":{"to":{"$regex":"(a+)+$"}},"then":{"reject":21610}}',
        '{"scenarios":[]}',
        '{"state":"a message exists","params":{"sid":"SM00000000000000000000000000000001"}}',
        '{"state":"nope"}',
        '{"action":"teardown"}',
        '{',
        '\u0000',
        '[]',
        'null',
      ),
      weight: 4,
    },
  ),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
})

describe('fuzzing the control API of the standalone server', () => {
  const runs = Math.max(200, Math.floor(scale.fuzzRuns / 4))
  it(
    `answers ${runs} random requests with JSON and never a 5xx (501 excepted), never throwing`,
    async () => {
      const double = twoAccountDouble({
        callbacks: { fetch: async () => new Response(null, { status: 204 }) },
      })
      const control = createControlApi(double)
      const statuses = new Map<number, number>()
      await fc.assert(
        fc.asyncProperty(controlRequest, async (r) => {
          const sid = double.messages.list()[0]?.sid ?? 'SM00000000000000000000000000000001'
          const url = `http://127.0.0.1:4010${CONTROL_PREFIX}${r.path.replace('$SID', sid)}${r.query}`
          const upper = r.method.toUpperCase()
          const body = upper === 'GET' || upper === 'HEAD' || r.body === undefined ? undefined : r.body
          const controller = new AbortController()
          const request = new Request(url, {
            method: r.method,
            headers: r.contentType ? { 'content-type': r.contentType } : {},
            body,
            signal: controller.signal,
          })
          let res: Response
          try {
            res = await control.handle(request)
          } catch (err) {
            throw new Error(`control.handle() threw ${String(err)} for ${r.method} ${url} ${body ?? ''}`)
          }
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          const label = `${r.method} ${url} ${body ?? ''} → ${res.status}`
          if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
            controller.abort()
            await res.body?.cancel()
            expect(res.status, label).toBe(200)
            return
          }
          const text = await res.text()
          if (res.status >= 500 && res.status !== 501) throw new Error(`${label}: ${text}`)
          if (text !== '') {
            let parsed: unknown
            try {
              parsed = JSON.parse(text)
            } catch {
              throw new Error(`${label}: body is not JSON: ${text.slice(0, 200)}`)
            }
            if (
              res.status >= 400 &&
              !(parsed && typeof parsed === 'object' && 'error' in parsed && 'message' in parsed)
            )
              throw new Error(`${label}: error without { error, message }: ${text.slice(0, 200)}`)
          }
        }),
        {
          seed: scale.fuzzSeed,
          numRuns: runs,
          endOnFailure: true,
          // always tried: a clock move past the range of dates
          examples: [
            [
              {
                method: 'POST',
                path: '/advance',
                query: '',
                body: '{"by":1e308}',
                contentType: 'application/json',
              },
            ],
          ],
        },
      )
      control.closeStreams()
      await double.settle()
      const problems = await checkConsistency(double, [ACCOUNT_A, ACCOUNT_B])
      expect(problems).toEqual([])
      const histogram = [...statuses]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}:${n}`)
        .join(' ')
      console.log(`[fuzz] control API: ${runs} requests; statuses ${histogram}`)
      recordFigure('Fuzzing', 'control API requests (statuses)', `${runs} (${histogram})`)
    },
    timeoutFor(60_000, 3, runs),
  )
})
