import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_API_KEY_SECRET,
  DEFAULT_API_KEY_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../src/config.js'
import type { TwilioDouble } from '../../src/double.js'
import { type CheckedDouble, createCheckedDouble } from '../support/checked-double.js'
import { ACCOUNT_PATH, API, basic, call, createOk, del, get, post, request } from '../support/requests.js'

const OTHER_SID = `AC${'b'.repeat(32)}`
const OTHER_TOKEN = 'other-token'
const OTHER_KEY = `SK${'b'.repeat(32)}`
const OTHER_PATH = `/2010-04-01/Accounts/${OTHER_SID}`
const UNAUTHENTICATED = {
  code: 20003,
  message: 'Authenticate',
  more_info: 'https://www.twilio.com/docs/errors/20003',
  status: 401,
  detail: 'Your AccountSid or AuthToken was incorrect.',
}

let checked: CheckedDouble
let double: TwilioDouble
beforeEach(() => {
  checked = createCheckedDouble({
    accounts: [
      {
        sid: DEFAULT_ACCOUNT_SID,
        authToken: DEFAULT_AUTH_TOKEN,
        apiKeys: [{ sid: DEFAULT_API_KEY_SID, secret: DEFAULT_API_KEY_SECRET }],
        messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }],
      },
      { sid: OTHER_SID, authToken: OTHER_TOKEN, apiKeys: [{ sid: OTHER_KEY, secret: 'other-secret' }] },
    ],
  })
  double = checked.double
})
afterEach(async () => {
  await checked.expectClean(1)
})

/** One request per operation of the API, for a message and media of the default account. */
async function everyOperation(auth: string | null): Promise<Request[]> {
  const m = await createOk(double, {
    To: '+15550001111',
    From: DEFAULT_FROM,
    MediaUrl: 'https://example.com/a.png',
  })
  const me = double.backend.findMessage(m.sid)!.media![0]!.sid
  const o = { auth }
  return [
    post('/Messages.json', { To: '+15550001111', From: DEFAULT_FROM, Body: 'x' }, o),
    get('/Messages.json', {}, o),
    get(`/Messages/${m.sid}.json`, {}, o),
    post(`/Messages/${m.sid}.json`, { Body: '' }, o),
    get(`/Messages/${m.sid}/Media.json`, {}, o),
    get(`/Messages/${m.sid}/Media/${me}.json`, {}, o),
    del(`/Messages/${m.sid}/Media/${me}.json`, o),
    post(`/Messages/${m.sid}/Feedback.json`, { Outcome: 'confirmed' }, o),
    del(`/Messages/${m.sid}.json`, o),
  ]
}

describe('authentication', () => {
  it.each([
    ['no credentials', null],
    ['a wrong auth token', basic(DEFAULT_ACCOUNT_SID, 'wrong')],
    ['an unknown account', basic(`AC${'9'.repeat(32)}`, DEFAULT_AUTH_TOKEN)],
    ['a wrong API key secret', basic(DEFAULT_API_KEY_SID, 'wrong')],
    ['a malformed header', 'Basic !!!not-base64'],
    ['no colon', `Basic ${Buffer.from(DEFAULT_ACCOUNT_SID).toString('base64')}`],
    ['another scheme', `Bearer ${DEFAULT_AUTH_TOKEN}`],
  ])('%s → 401 20003 on every operation, and nothing changes', async (_, auth) => {
    const requests = await everyOperation(auth)
    const before = double.messages.list()
    for (const req of requests) {
      const res = await call(double, req)
      expect(res.status, `${req.method} ${req.url}`).toBe(401)
      expect(res.body).toEqual(UNAUTHENTICATED)
    }
    expect(double.messages.list()).toEqual(before)
  })

  it('an API key SID and secret of the account are accepted', async () => {
    const auth = basic(DEFAULT_API_KEY_SID, DEFAULT_API_KEY_SECRET)
    const created = await call(
      double,
      post('/Messages.json', { To: '+15550001111', From: DEFAULT_FROM, Body: 'x' }, { auth }),
    )
    expect(created.status).toBe(201)
    expect(created.body.account_sid).toBe(DEFAULT_ACCOUNT_SID)
    expect((await call(double, get(`/Messages/${created.body.sid}.json`, {}, { auth }))).status).toBe(200)
  })

  it("another account's path → 401 20003, never its data", async () => {
    const theirs = await call(
      double,
      post(
        '/Messages.json',
        { To: '+15550001111', From: DEFAULT_FROM, Body: 'private' },
        {
          base: OTHER_PATH,
          auth: basic(OTHER_SID, OTHER_TOKEN),
        },
      ),
    )
    expect(theirs.status).toBe(201)
    const sid = theirs.body.sid
    for (const req of [
      get('/Messages.json', {}, { base: OTHER_PATH }),
      get(`/Messages/${sid}.json`, {}, { base: OTHER_PATH }),
      post(`/Messages/${sid}.json`, { Body: '' }, { base: OTHER_PATH }),
      post('/Messages.json', { To: '+15550001111', From: DEFAULT_FROM, Body: 'x' }, { base: OTHER_PATH }),
      get(
        '/Messages.json',
        {},
        { base: OTHER_PATH, auth: basic(DEFAULT_API_KEY_SID, DEFAULT_API_KEY_SECRET) },
      ),
      get('/Messages.json', {}, { auth: basic(OTHER_KEY, 'other-secret') }),
    ]) {
      const res = await call(double, req)
      expect(res.status).toBe(401)
      expect(res.body).toEqual(UNAUTHENTICATED)
      expect(res.text).not.toContain(sid)
      expect(res.text).not.toContain('private')
    }
    // with one's own path, another account's message does not exist
    const own = await call(double, get(`/Messages/${sid}.json`))
    expect(own.status).toBe(404)
    expect(own.text).not.toContain('private')
    expect((await call(double, get('/Messages.json'))).body.messages).toEqual([])
    expect(double.messages.get(sid)?.body).toBe('private')
  })
})

describe('routing', () => {
  it.each([
    '/',
    '/2010-04-01/Accounts.xml',
    `${ACCOUNT_PATH}/Calls.json`,
    `${ACCOUNT_PATH}/Messages`,
    `${ACCOUNT_PATH}/Messages/SM${'0'.repeat(32)}/Foo.json`,
    `/v1/Services`,
  ])('unknown path %s → 404 20404 JSON', async (path) => {
    const res = await call(double, new Request(`${API}${path}`, { headers: { authorization: basic() } }))
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.body).toEqual({
      code: 20404,
      message: `The requested resource ${path} was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    })
  })

  it('edge and region hosts are the same API', async () => {
    const res = await call(
      double,
      new Request(`https://api.sydney.au1.twilio.com${ACCOUNT_PATH}/Messages.json`, {
        headers: { authorization: basic() },
      }),
    )
    expect(res.status).toBe(200)
    expect(res.body.uri).toBe(`${ACCOUNT_PATH}/Messages.json?PageSize=50&Page=0`)
  })

  it.each([
    ['PUT', '/Messages.json', 'GET, POST'],
    ['PATCH', '/Messages.json', 'GET, POST'],
    ['DELETE', '/Messages.json', 'GET, POST'],
    ['PUT', `/Messages/SM${'0'.repeat(32)}.json`, 'GET, POST, DELETE'],
    ['POST', `/Messages/SM${'0'.repeat(32)}/Media.json`, 'GET'],
    ['POST', `/Messages/SM${'0'.repeat(32)}/Media/ME${'0'.repeat(32)}.json`, 'GET, DELETE'],
    ['GET', `/Messages/SM${'0'.repeat(32)}/Feedback.json`, 'POST'],
  ])('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const res = await call(double, request(method, path))
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual(allow.split(', ').sort())
    expect(res.body).toMatchObject({ code: 20004, status: 405 })
  })
})

describe('onExchange', () => {
  it('gives listeners a copy of the request with every header it came with, and its answer', async () => {
    const seen: { headers: Record<string, string>; body: string; status: number }[] = []
    double.onExchange(async (request, response) => {
      seen.push({
        headers: Object.fromEntries(request.headers),
        body: await request.text(),
        status: response.status,
      })
    })
    const sent = post('/Messages.json', { To: '+15550001111', From: DEFAULT_FROM, Body: 'hi' })
    sent.headers.set('x-request-id', 'abc-123')
    sent.headers.set('idempotency-key', 'key-1')
    sent.headers.set('user-agent', 'my-app/1.0')
    expect((await double.handle(sent)).status).toBe(201)
    await new Promise((resolve) => setImmediate(resolve))
    expect(seen).toEqual([
      {
        headers: {
          accept: 'application/json',
          authorization: basic(),
          'content-type': 'application/x-www-form-urlencoded',
          'idempotency-key': 'key-1',
          'user-agent': 'my-app/1.0',
          'x-request-id': 'abc-123',
        },
        body: 'To=%2B15550001111&From=%2B15005550006&Body=hi',
        status: 201,
      },
    ])
  })
})

describe('responses', () => {
  it('every answer carries content-type and an exact content-length', async () => {
    const requests = await everyOperation(basic())
    await double.settle()
    const answers = []
    for (const req of requests) {
      const res = await double.handle(req)
      const bytes = (await res.arrayBuffer()).byteLength
      answers.push(res.status)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect(Number(res.headers.get('content-length'))).toBe(bytes)
    }
    expect(answers).toEqual([201, 200, 200, 200, 200, 200, 204, 200, 204])
  })

  it("every answer of Twilio's API to a browser, errors included, carries its CORS headers; a preflight is answered without credentials", async () => {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers':
        'Accept, Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, Idempotency-Key',
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
      'access-control-expose-headers': 'ETag',
      'access-control-allow-credentials': 'true',
    }
    const corsOf = (headers: Headers) =>
      Object.fromEntries([...headers].filter(([name]) => name.startsWith('access-control-')))
    const requests = [
      ...(await everyOperation(basic())),
      post('/Messages.json', { To: '+15550001111', Body: 'no sender' }), // 400 21603
      get('/Messages.json', {}, { auth: null }), // 401
      get('/Nothing.json'), // 404
      request('PUT', '/Messages.json'), // 405
    ]
    await double.settle()
    const statuses = []
    for (const req of requests) {
      req.headers.set('origin', 'http://localhost:5173')
      const res = await double.handle(req)
      statuses.push(res.status)
      expect(corsOf(res.headers), `${req.method} ${req.url}`).toEqual(cors)
    }
    // other clients (the twilio client, curl) send no Origin and get none: they never read them
    const plain = await double.handle(get('/Messages.json'))
    expect(corsOf(plain.headers)).toEqual({})
    expect(statuses).toEqual([201, 200, 200, 200, 200, 200, 204, 200, 204, 400, 401, 404, 405])

    const preflight = await double.handle(request('OPTIONS', '/Messages.json', { auth: null }))
    expect(preflight.status).toBe(200)
    expect(corsOf(preflight.headers)).toEqual(cors)
    expect(await preflight.text()).toBe('')
    const unknown = await call(double, request('OPTIONS', '/Nothing.json', { auth: null }))
    expect([unknown.status, unknown.body.code]).toEqual([404, 20404])
  })

  it('multi-byte bodies have their byte length', async () => {
    const res = await double.handle(
      post('/Messages.json', { To: '+15550001111', From: DEFAULT_FROM, Body: 'héllo 😀' }),
    )
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(Number(res.headers.get('content-length'))).toBe(bytes.byteLength)
    expect(bytes.byteLength).toBeGreaterThan(new TextDecoder().decode(bytes).length)
  })

  it('a body over 1 MiB is refused with a Twilio error', async () => {
    const res = await call(
      double,
      post('/Messages.json', { To: '+15550001111', From: DEFAULT_FROM, Body: 'a'.repeat(1_100_000) }),
    )
    expect(res.status).toBe(413)
    expect(res.body.code).toBe(20001)
  })

  it('a POST that is not a form is read as no parameters', async () => {
    const res = await call(
      double,
      new Request(`${API}${ACCOUNT_PATH}/Messages.json`, {
        method: 'POST',
        headers: { authorization: basic(), 'content-type': 'application/json' },
        body: JSON.stringify({ To: '+15550001111', From: DEFAULT_FROM, Body: 'x' }),
      }),
    )
    expect(res.status).toBe(400)
    expect(res.body.code).toBe(21604)
  })

  it('a scenario fault answers Twilio-shaped 429 / 500 / 503', async () => {
    double.scenarios.use({ when: { to: '+15550004444' }, then: { fault: 429, retryAfter: 3 }, times: 1 })
    const res = await double.handle(
      post('/Messages.json', { To: '+15550004444', From: DEFAULT_FROM, Body: 'x' }),
    )
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('3')
    expect(await res.json()).toMatchObject({ code: 20429, message: 'Too Many Requests', status: 429 })
  })
})
