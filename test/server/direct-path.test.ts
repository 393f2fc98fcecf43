import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer } from '../../src/adapters/server.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_START_TIME } from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble, wireDoorOf } from '../../src/double.js'
import { SimulatedNetworkError, type WireRequest } from '../../src/http/pipeline.js'
import { AUTH, MESSAGES_PATH, rawExchange } from './support.js'

// The server answers Twilio's paths straight from node:http into the double's pipeline (no Fetch objects);
// every answer must be byte for byte what double.handle() gives for the same request.

interface Step {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT'
  path: string | ((sids: string[]) => string)
  body?: string
  auth?: string
  /** Runs on both doubles before the request. */
  before?: (double: TwilioDouble) => unknown
}

const form = (params: Record<string, string | string[]>) => {
  const out = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) out.append(k, x)
  return out.toString()
}
const message = (i: number) => (sids: string[]) => MESSAGES_PATH.replace('.json', `/${sids[i]}.json`)

const steps: Step[] = [
  {
    method: 'POST',
    path: MESSAGES_PATH,
    body: form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'héllo 👋' }),
  },
  {
    method: 'POST',
    path: MESSAGES_PATH,
    body: form({
      To: '+15558675311',
      From: DEFAULT_FROM,
      Body: 'pictures',
      MediaUrl: ['https://example.com/a.png', 'https://example.com/b.jpg'],
    }),
  },
  {
    method: 'POST',
    path: MESSAGES_PATH,
    body: form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'third' }),
  },
  { method: 'POST', path: MESSAGES_PATH, body: form({ To: 'not a number', From: DEFAULT_FROM, Body: 'x' }) },
  { method: 'POST', path: MESSAGES_PATH, body: form({ From: DEFAULT_FROM, Body: 'no To' }) },
  { method: 'GET', path: message(0) },
  { method: 'GET', path: `${MESSAGES_PATH}?To=%2B15558675310&PageSize=1` },
  // a page read again is answered from the kept one, as bytes (a multi-byte body among them)
  { method: 'GET', path: `${MESSAGES_PATH}?To=%2B15558675310&PageSize=2` },
  { method: 'GET', path: `${MESSAGES_PATH}?To=%2B15558675310&PageSize=2` },
  { method: 'GET', path: `${MESSAGES_PATH}?To=%2B15558675310&PageSize=2` },
  { method: 'GET', path: `${MESSAGES_PATH}?PageSize=2&Page=1` },
  { method: 'GET', path: `${MESSAGES_PATH}?PageSize=0` },
  { method: 'GET', path: (sids) => `${MESSAGES_PATH}?PageSize=1&PageToken=PA${sids[2]}` },
  { method: 'GET', path: (sids) => `${MESSAGES_PATH.replace('.json', '')}/${sids[1]}/Media.json` },
  { method: 'POST', path: message(0), body: form({ Body: '' }), before: (d) => d.settle() },
  // the kept page is not answered once its messages changed (sent, delivered, redacted)
  { method: 'GET', path: `${MESSAGES_PATH}?To=%2B15558675310&PageSize=2` },
  {
    method: 'POST',
    path: (sids) => `${message(0)(sids).replace('.json', '')}/Feedback.json`,
    body: form({ Outcome: 'confirmed' }),
  },
  { method: 'GET', path: message(0) },
  { method: 'PUT', path: message(0) },
  {
    method: 'GET',
    path: MESSAGES_PATH,
    auth: `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:wrong`).toString('base64')}`,
  },
  { method: 'GET', path: '/2010-04-01/Accounts/ACnope/Calls.json' },
  {
    method: 'POST',
    path: MESSAGES_PATH,
    body: form({ To: '+15558675312', From: DEFAULT_FROM, Body: 'busy' }),
    before: (d) =>
      d.scenarios.use({ when: { to: '+15558675312' }, then: { fault: 429, retryAfter: 7 }, times: 1 }),
  },
  {
    method: 'POST',
    path: MESSAGES_PATH,
    body: form({ To: '+15558675313', From: DEFAULT_FROM, Body: 'refused' }),
    before: (d) => d.scenarios.use({ when: { to: '+15558675313' }, then: { reject: 21610 } }),
  },
  { method: 'DELETE', path: message(2) },
  { method: 'GET', path: message(2) },
]

let server: TwilioDoubleServer
let reference: TwilioDouble

beforeAll(async () => {
  server = await startServer({
    port: 0,
    double: createTwilioDouble({ seed: 'direct-path', startTime: DEFAULT_START_TIME }),
  })
  reference = createTwilioDouble({ seed: 'direct-path', startTime: DEFAULT_START_TIME })
})
afterAll(async () => {
  await server.close()
})

const HEADERS = ['content-type', 'content-length', 'retry-after', 'allow']
const answer = async (res: Response) => ({
  status: res.status,
  headers: Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)])),
  body: await res.text(),
})

describe('the server answers Twilio paths without Fetch objects', () => {
  it('gives the same status, headers and bytes as double.handle() for every kind of request', async () => {
    const sids: string[] = []
    const seenPages = new Map<string, string[]>()
    for (const step of steps) {
      await step.before?.(server.double)
      await step.before?.(reference)
      const path = typeof step.path === 'string' ? step.path : step.path(sids)
      const init: RequestInit = {
        method: step.method,
        headers: {
          authorization: step.auth ?? AUTH,
          ...(step.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: step.body,
      }
      const viaServer = await answer(await fetch(`${server.url}${path}`, init))
      const viaHandle = await answer(
        await reference.handle(new Request(`https://api.twilio.com${path}`, init)),
      )
      expect(viaServer, `${step.method} ${path}`).toEqual(viaHandle)
      if (step.method === 'GET') seenPages.set(path, [...(seenPages.get(path) ?? []), viaServer.body])
      if (step.method === 'POST' && path === MESSAGES_PATH && viaServer.status === 201)
        sids.push(JSON.parse(viaServer.body).sid)
    }
    const pages = seenPages.get(`${MESSAGES_PATH}?To=%2B15558675310&PageSize=2`)!
    expect(pages).toHaveLength(4)
    expect(pages[2]).toBe(pages[0])
    expect(pages[3]).not.toBe(pages[0])
    expect(
      JSON.parse(pages[3]!).messages.map((m: { status: string; body: string }) => [m.status, m.body]),
    ).toEqual([
      ['delivered', 'third'],
      ['delivered', ''],
    ])
    expect(sids).toHaveLength(3)
    expect(server.double.messages.count()).toBe(2)
  })

  it('goes through handle() while an onExchange listener wants Fetch objects', async () => {
    const seen: string[] = []
    const off = server.double.onExchange((request, response) =>
      seen.push(`${request.method} ${response.status}`),
    )
    try {
      const res = await fetch(`${server.url}${MESSAGES_PATH}?PageSize=1`, {
        headers: { authorization: AUTH },
      })
      expect(res.status).toBe(200)
      expect(seen).toEqual(['GET 200'])
    } finally {
      off()
    }
    await fetch(`${server.url}${MESSAGES_PATH}?PageSize=1`, { headers: { authorization: AUTH } })
    expect(seen).toHaveLength(1)
  })

  it('shows onExchange listeners the headers the client sent', async () => {
    const seen: Headers[] = []
    const off = server.double.onExchange((request) => void seen.push(request.headers))
    try {
      await fetch(`${server.url}${MESSAGES_PATH}?PageSize=1`, {
        headers: { authorization: AUTH, 'x-request-id': 'abc-123', 'idempotency-key': 'k1' },
      })
    } finally {
      off()
    }
    expect(seen).toHaveLength(1)
    expect(Object.fromEntries(seen[0]!)).toMatchObject({
      authorization: AUTH,
      'x-request-id': 'abc-123',
      'idempotency-key': 'k1',
      host: new URL(server.url).host,
    })
  })
})

describe('the wire door', () => {
  const request = (to: string): WireRequest => {
    const headers: Record<string, string> = {
      authorization: AUTH,
      'content-type': 'application/x-www-form-urlencoded',
      'x-request-id': `req-${to}`,
    }
    return {
      method: 'POST',
      url: `http://localhost${MESSAGES_PATH}`,
      header: (name: string) => headers[name],
      headerEntries: () => Object.entries(headers),
      body: new URLSearchParams({ To: to, From: DEFAULT_FROM, Body: 'Hi' }).toString(),
    }
  }

  it('answers through the one pipeline: a promise of the answer, a network error as a rejection', async () => {
    const double = createTwilioDouble()
    const door = wireDoorOf(double)!
    await expect(door.dispatch(request('+15558675310'))).resolves.toMatchObject({ status: 201 })

    double.scenarios.use({ when: { to: '+15558675311' }, then: { latency: '1s' }, times: 1 })
    await expect(door.dispatch(request('+15558675311'))).resolves.toMatchObject({ status: 201 })

    double.scenarios.use({ when: { to: '+15558675312' }, then: { networkError: true }, times: 1 })
    await expect(door.dispatch(request('+15558675312'))).rejects.toBeInstanceOf(SimulatedNetworkError)
    double.scenarios.use({
      when: { to: '+15558675313' },
      then: { latency: '1s', networkError: true },
      times: 1,
    })
    await expect(door.dispatch(request('+15558675313'))).rejects.toBeInstanceOf(SimulatedNetworkError)
    expect(double.messages.count()).toBe(2)
  })

  it('serves onExchange listeners with Fetch copies of what went through it', async () => {
    const double = createTwilioDouble()
    const seen: string[] = []
    double.onExchange(async (req, res) => {
      seen.push(
        `${req.method} ${new URL(req.url).pathname} ${res.status} ${req.headers.get('authorization') === AUTH} ${req.headers.get('x-request-id')}`,
      )
    })
    await wireDoorOf(double)!.dispatch(request('+15558675310'))
    expect(seen).toEqual([`POST ${MESSAGES_PATH} 201 true req-+15558675310`])
  })
})

describe('answers written together at the end of a turn of the event loop', () => {
  let server: TwilioDoubleServer
  beforeAll(async () => {
    server = await startServer({ port: 0 })
  })
  afterAll(() => server.close())

  const create = (to: string, close = false) => {
    const body = new URLSearchParams({ To: to, From: DEFAULT_FROM, Body: 'Hi' }).toString()
    return [
      `POST ${MESSAGES_PATH} HTTP/1.1`,
      'Host: 127.0.0.1',
      `Authorization: ${AUTH}`,
      'Content-Type: application/x-www-form-urlencoded',
      `Content-Length: ${body.length}`,
      ...(close ? ['Connection: close'] : []),
      '',
      body,
    ].join('\r\n')
  }
  const answersIn = (text: string) =>
    [...text.matchAll(/HTTP\/1\.1 (\d{3})[\s\S]*?\r\n\r\n(\{[^\r]*?\}(?=HTTP|$))/g)].map((m) => ({
      status: Number(m[1]),
      to: (JSON.parse(m[2]!) as { to: string }).to,
    }))

  it('keeps the order of the answers of requests pipelined on one connection', async () => {
    const exchange = await rawExchange(server.port, [
      create('+15558675310') + create('+15558675311') + create('+15558675312', true),
    ])
    expect(answersIn(exchange.text)).toEqual([
      { status: 201, to: '+15558675310' },
      { status: 201, to: '+15558675311' },
      { status: 201, to: '+15558675312' },
    ])
  })

  it("cuts the connection for a scenario's network failure only after the answers made before it", async () => {
    server.double.scenarios.use({ when: { to: '+15558675321' }, then: { networkError: true }, times: 1 })
    const exchange = await rawExchange(server.port, [
      create('+15558675320') + create('+15558675321') + create('+15558675322', true),
    ])
    expect(answersIn(exchange.text)).toEqual([{ status: 201, to: '+15558675320' }])
    expect(exchange.closedByServer).toBe(true)
  })

  it('answers many connections at once, each with its own answer', async () => {
    const tos = Array.from({ length: 40 }, (_, i) => `+1555867${String(5400 + i)}`)
    const answers = await Promise.all(
      tos.map(async (to) => {
        const res = await fetch(`${server.url}${MESSAGES_PATH}`, {
          method: 'POST',
          headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ To: to, From: DEFAULT_FROM, Body: 'Hi' }),
        })
        return { status: res.status, to: ((await res.json()) as { to: string }).to }
      }),
    )
    expect(answers).toEqual(tos.map((to) => ({ status: 201, to })))
  })
})
