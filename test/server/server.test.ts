import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  rewriteTwilioUrl,
  startServer,
  type TwilioDoubleServer,
  twilioClientForServer,
} from '../../src/adapters/server.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'
import { AUTH, MESSAGES_PATH, rawExchange } from './support.js'

let server: TwilioDoubleServer

beforeAll(async () => {
  server = await startServer({
    port: 0,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    maxBodyBytes: 64 * 1024,
  })
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.double.reset()
})

const form = (params: Record<string, string>) => new URLSearchParams(params).toString()
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  })

describe('the standalone server with the real twilio client', () => {
  it('listens on 127.0.0.1 and a free port when asked for port 0', () => {
    expect(server.host).toBe('127.0.0.1')
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
  })

  it('creates, fetches, lists, redacts and deletes a message over HTTP', async () => {
    const client = await twilioClientForServer(server)
    const created = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi there' })
    expect(created.sid).toMatch(/^SM[0-9a-f]{32}$/)
    expect(created.status).toBe('queued')

    const settled = await fetch(`${server.url}/__double/settle`, { method: 'POST' })
    expect(settled.status).toBe(200)
    expect((await client.messages(created.sid).fetch()).status).toBe('delivered')

    const listed = await client.messages.list({ to: '+15558675310', limit: 10 })
    expect(listed.map((m) => m.sid)).toEqual([created.sid])

    expect((await client.messages(created.sid).update({ body: '' })).body).toBe('')
    expect(await client.messages(created.sid).remove()).toBe(true)
    await expect(client.messages(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 })
  })

  it('answers Twilio errors the way Twilio does (the client throws RestException)', async () => {
    const client = await twilioClientForServer(server.url)
    await expect(
      client.messages.create({ to: '+15005550001', from: DEFAULT_FROM, body: 'x' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21211,
    })
    const wrong = await twilioClientForServer(server.url, { authToken: 'not-the-token' })
    await expect(wrong.messages.list({ limit: 1 })).rejects.toMatchObject({ status: 401, code: 20003 })
  })

  it('rewrites edge and region hosts of the client too', async () => {
    expect(rewriteTwilioUrl('https://api.sydney.au1.twilio.com/2010-04-01/x.json', server.url)).toBe(
      `${server.url}/2010-04-01/x.json`,
    )
    expect(rewriteTwilioUrl('https://example.com/twilio.com', server.url)).toBe(
      'https://example.com/twilio.com',
    )
    const client = await twilioClientForServer(server, { clientOptions: { region: 'au1', edge: 'sydney' } })
    const msg = await client.messages.create({
      to: '+15558675310',
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      body: 'G’day',
    })
    expect(msg.status).toBe('accepted')
  })

  it('serves many clients at once', async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => twilioClientForServer(server)))
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        clients[i % clients.length]!.messages.create({
          to: `+1555867${String(i).padStart(4, '0')}`,
          from: DEFAULT_FROM,
          body: `n${i}`,
        }),
      ),
    )
    expect(new Set(created.map((m) => m.sid)).size).toBe(40)
    const fetched = await Promise.all(
      created.map((m, i) => clients[(i + 1) % clients.length]!.messages(m.sid).fetch()),
    )
    expect(fetched.map((m) => m.body)).toEqual(created.map((_, i) => `n${i}`))
    expect(server.double.messages.count()).toBe(40)
  })
})

describe('the standalone server with plain HTTP', () => {
  it('answers a form POST with Twilio JSON and a content-length', async () => {
    const res = await post(
      MESSAGES_PATH,
      form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'curl-style' }),
    )
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const text = await res.text()
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)))
    expect(JSON.parse(text)).toMatchObject({
      body: 'curl-style',
      status: 'queued',
      account_sid: DEFAULT_ACCOUNT_SID,
    })
  })

  it("lets a web page of another origin call Twilio's paths (CORS, preflight included), never the control API", async () => {
    const origin = { origin: 'http://localhost:5173' }
    const preflight = await fetch(`${server.url}${MESSAGES_PATH}`, {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(200)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, DELETE, OPTIONS')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization')
    const created = await post(
      MESSAGES_PATH,
      form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'from a page' }),
      origin,
    )
    expect(created.status).toBe(201)
    expect(created.headers.get('access-control-allow-origin')).toBe('*')
    expect(created.headers.get('access-control-expose-headers')).toBe('ETag')
    const control = await fetch(`${server.url}/__double/reset`, { method: 'POST', headers: origin })
    expect(control.status).toBe(403)
    expect(control.headers.get('access-control-allow-origin')).toBeNull()
    const plain = await post(
      MESSAGES_PATH,
      form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'from curl' }),
    )
    expect(plain.headers.get('access-control-allow-origin')).toBeNull()
    expect(server.double.messages.count()).toBe(2)
  })

  it('answers every other path with Twilio 20404, never anything else', async () => {
    // (`/` itself is the inbox page)
    for (const path of [
      '/favicon.ico',
      '/2010-04-01/Accounts.xml',
      '/v1/Services',
      '/2010-04-01/Accounts/x',
    ]) {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: AUTH } })
      const text = await res.text()
      expect(res.status, `${path}: ${text} ${JSON.stringify([...res.headers])}`).toBe(404)
      expect(JSON.parse(text)).toMatchObject({ code: 20404, status: 404 })
    }
  })

  it("answers a method the Fetch API cannot carry (TRACE) with Twilio's 405 while exchange listeners watch, never 500", async () => {
    const seen: string[] = []
    const stop = server.double.onExchange((request) => seen.push(request.method))
    try {
      const trace = await rawExchange(server.port, [
        `TRACE ${MESSAGES_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nConnection: close\r\n\r\n`,
      ])
      expect(trace.status, trace.text).toBe(405)
      expect(JSON.parse(trace.text.slice(trace.text.indexOf('\r\n\r\n') + 4))).toMatchObject({
        code: 20004,
        status: 405,
      })
      // the listeners still see every exchange a Fetch Request can stand for
      const list = await fetch(`${server.url}${MESSAGES_PATH}`, { headers: { authorization: AUTH } })
      expect(list.status).toBe(200)
      expect(seen).toEqual(['GET'])
    } finally {
      stop()
    }
  })

  it('reads chunked bodies (no content-length) below the limit', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('To=%2B15558675310&From=%2B15005550006'))
        c.enqueue(new TextEncoder().encode('&Body=streamed'))
        c.close()
      },
    })
    const res = await fetch(`${server.url}${MESSAGES_PATH}`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(201)
    expect((await res.json()).body).toBe('streamed')
  })
})

describe('the standalone server under bad input', () => {
  it('answers 413 to a body over the limit, by content-length or while streaming, and keeps serving', async () => {
    const big = 'x'.repeat(70 * 1024)
    const res = await post(MESSAGES_PATH, `To=%2B15558675310&Body=${big}`)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ status: 413, message: expect.stringContaining('65536 bytes') })

    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(10 * 1024).fill(65))
        c.close()
      },
    })
    const res2 = await fetch(`${server.url}${MESSAGES_PATH}`, {
      method: 'POST',
      headers: { authorization: AUTH },
      body: chunked,
      duplex: 'half',
    } as RequestInit)
    expect(res2.status).toBe(413)

    const control = await fetch(`${server.url}/__double/scenarios`, { method: 'POST', body: big })
    expect(control.status).toBe(413)
    expect(await control.json()).toEqual({ error: 'payload_too_large', message: expect.any(String) })

    expect((await fetch(`${server.url}/__double/health`)).status).toBe(200)
  })

  it('keeps Twilio paths at 1 MiB when maxBodyBytes is larger, watched or not; the control API takes more', async () => {
    const roomy = await startServer({ port: 0, maxBodyBytes: 3 * 1024 * 1024 })
    try {
      const body = `To=%2B15558675310&From=${encodeURIComponent(DEFAULT_FROM)}&Body=${'x'.repeat(1_100_000)}`
      const send = () =>
        fetch(`${roomy.url}${MESSAGES_PATH}`, {
          method: 'POST',
          headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        })
      const direct = await send()
      expect(direct.status).toBe(413)
      expect(await direct.json()).toMatchObject({
        status: 413,
        message: expect.stringContaining('1048576 bytes'),
      })
      // with an onExchange listener the request goes through double.handle(): the same answer
      const off = roomy.double.onExchange(() => {})
      try {
        const watched = await send()
        expect(watched.status).toBe(413)
        expect(await watched.json()).toMatchObject({ message: expect.stringContaining('1048576 bytes') })
      } finally {
        off()
      }
      expect(roomy.double.messages.count()).toBe(0)
      // a control body over 1 MiB is read and used
      const control = await fetch(`${roomy.url}/__double/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'y'.repeat(1_100_000),
          when: { to: '+15558675310' },
          then: { reject: 21610 },
        }),
      })
      expect(control.status).toBe(201)
      const refused = await fetch(`${roomy.url}${MESSAGES_PATH}`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'Hi' }),
      })
      expect(refused.status).toBe(400)
      expect(await refused.json()).toMatchObject({ code: 21610 })
    } finally {
      await roomy.close()
    }
  })

  it('answers garbage on the wire with 400 and survives', async () => {
    const garbage = await rawExchange(server.port, ['THIS IS NOT HTTP\r\n\r\n'])
    expect(garbage.status).toBe(400)
    const badHeader = await rawExchange(server.port, ['GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'])
    expect(badHeader.status).toBe(400)
    const badHost = await rawExchange(server.port, [
      'GET /__double/health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n',
    ])
    expect(badHost.status).toBe(400)
    expect((await fetch(`${server.url}/__double/health`)).status).toBe(200)
  })

  it('says in a JSON body what was wrong with a request the HTTP parser refuses (400, 431, 408), and closes the connection', async () => {
    const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))
    const garbage = await rawExchange(server.port, ['THIS IS NOT HTTP\r\n\r\n'])
    expect(garbage.status).toBe(400)
    expect(garbage.closedByServer).toBe(true)
    expect(garbage.text).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i)
    expect(bodyOf(garbage.text)).toEqual({
      error: 'bad_request',
      message: expect.stringMatching(
        /^malformed request \(HPE_INVALID_METHOD: .+\): send an HTTP\/1\.1 request .*Content-Length or chunked/,
      ),
    })
    // a body Node's own client sends unframed with a GET (no Content-Length, not chunked) reads as a next request
    const unframed = await rawExchange(server.port, [
      `GET ${MESSAGES_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\n\r\nTo=1`,
    ])
    expect(unframed.text).toMatch(/HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"error":"bad_request"/)
    const huge = await rawExchange(server.port, [
      `GET ${MESSAGES_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`,
    ])
    expect(huge.status).toBe(431)
    expect(bodyOf(huge.text)).toEqual({
      error: 'headers_too_large',
      message: expect.stringMatching(/headers/),
    })
    const stalled = await rawExchange(server.port, ['GET /__double/health HTTP/1.1\r\nHost: 127.0.0.1\r\n'])
    expect(stalled.status).toBe(408)
    expect(bodyOf(stalled.text)).toEqual({
      error: 'request_timeout',
      message: expect.stringMatching(/300 ms/),
    })
    expect((await fetch(`${server.url}/__double/health`)).status).toBe(200)
  })

  it('answers malformed Twilio requests in Twilio shape', async () => {
    const badEscape = await fetch(`${server.url}/2010-04-01/Accounts/%E0%A4%A/Messages.json`, {
      headers: { authorization: AUTH },
    })
    expect([401, 404]).toContain(badEscape.status)
    expect(await badEscape.json()).toHaveProperty('code')
    const badAuth = await post(MESSAGES_PATH, 'To=1', { authorization: 'Basic %%%' })
    expect(badAuth.status).toBe(401)
    const brokenForm = await post(MESSAGES_PATH, 'To=%ZZ&&=&From=%2B15005550006&Body=%')
    expect(brokenForm.status).toBe(400)
    expect((await brokenForm.json()).code).toBe(21211)
  })

  it('survives clients that disconnect mid-request or mid-body', async () => {
    const head = `POST ${MESSAGES_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n`
    const cut = await rawExchange(server.port, [head, 'To=%2B1555', 'destroy'])
    expect(cut.closedByServer).toBe(false)
    const cutHeaders = await rawExchange(server.port, ['GET /__double/health HTTP/1.1\r\nHo', 'destroy'])
    expect(cutHeaders.closedByServer).toBe(false)
    const sse = new AbortController()
    const events = await fetch(`${server.url}/__double/events`, { signal: sse.signal })
    expect(events.status).toBe(200)
    sse.abort()
    expect((await fetch(`${server.url}/__double/health`)).status).toBe(200)
    expect(server.double.messages.count()).toBe(0)
  })

  it('times out requests whose headers never complete (408) and closes the connection', async () => {
    const stalled = await rawExchange(server.port, ['GET /__double/health HTTP/1.1\r\nHost: 127.0.0.1\r\n'])
    expect(stalled.closedByServer).toBe(true)
    expect(stalled.status).toBe(408)
  })

  it('times out requests whose body never completes', async () => {
    const head = `POST ${MESSAGES_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n`
    const stalled = await rawExchange(server.port, [head, 'To=%2B15558675310'])
    expect(stalled.closedByServer).toBe(true)
    expect(server.double.messages.count()).toBe(0)
    expect((await fetch(`${server.url}/__double/health`)).status).toBe(200)
  })

  it('answers after a scenario latency (virtual time moves), and drops the connection after one when asked', async () => {
    const before = server.double.now().getTime()
    server.double.scenarios.use({ when: { to: '+15558675310' }, then: { latency: '2s' }, times: 1 })
    const slow = await post(MESSAGES_PATH, form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'late' }))
    expect(slow.status).toBe(201)
    expect(server.double.now().getTime() - before).toBe(2000)
    server.double.scenarios.use({
      when: { to: '+15558675310' },
      then: { latency: '1s', networkError: true },
      times: 1,
    })
    await expect(
      post(MESSAGES_PATH, form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'lost' })),
    ).rejects.toThrow()
    server.double.scenarios.use({
      when: { to: '+15558675310' },
      then: { latency: '1s', reject: 21610 },
      times: 1,
    })
    const refused = await post(MESSAGES_PATH, form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'no' }))
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ code: 21610 })
    expect(server.double.messages.list().map((m) => m.body)).toEqual(['late'])
  })

  it('turns a networkError scenario into a dropped connection', async () => {
    server.double.scenarios.use({ when: { to: '+15558675310' }, then: { networkError: true }, times: 1 })
    await expect(
      post(MESSAGES_PATH, form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'x' })),
    ).rejects.toThrow()
    const ok = await post(MESSAGES_PATH, form({ To: '+15558675310', From: DEFAULT_FROM, Body: 'x' }))
    expect(ok.status).toBe(201)
  })
})

describe('starting and stopping', () => {
  it('reports a port in use clearly', async () => {
    await expect(startServer({ port: server.port })).rejects.toThrow(
      /\[twilio-double\] port \d+ on 127\.0\.0\.1 is already in use/,
    )
  })

  it('rejects bad options', async () => {
    await expect(startServer({ port: -1 })).rejects.toThrow(/port must be an integer/)
    await expect(startServer({ port: 0, maxBodyBytes: 0 })).rejects.toThrow(
      /maxBodyBytes must be a positive number/,
    )
  })

  it('closes with open event streams and keep-alive connections, then refuses connections', async () => {
    const double = createTwilioDouble()
    const s = await startServer({ double, port: 0 })
    expect(s.double).toBe(double)
    const client = await twilioClientForServer(s)
    await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'before close' })
    const events = await fetch(`${s.url}/__double/events`)
    const reading = events.text()
    await s.close()
    await expect(reading).resolves.toContain('event: hello')
    await s.close()
    await expect(fetch(`${s.url}/__double/health`)).rejects.toThrow()
  })
})
