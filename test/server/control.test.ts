import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_START_TIME } from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { startApp } from '../inbound/app.js'
import { readEvents } from './support.js'

let server: TwilioDoubleServer
const SID = 'SM0123456789abcdef0123456789abcdef'

beforeAll(async () => {
  server = await startServer({ port: 0, doubleOptions: { startTime: DEFAULT_START_TIME } })
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.double.reset()
})

const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/__double${path}`, init)
const postJson = (path: string, body: unknown) =>
  api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

async function sendOne(to = '+15558675310', extra: Record<string, unknown> = {}) {
  const client = await twilioClientForServer(server)
  return client.messages.create({ to, from: DEFAULT_FROM, body: 'Hello', ...extra })
}

describe('control API: state of the double', () => {
  it('GET health reports time, accounts and counts', async () => {
    await sendOne()
    const res = await api('/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      status: 'ok',
      now: '2024-01-01T00:00:00.000Z',
      accounts: ['AC00000000000000000000000000000001'],
      messages: 1,
      inFlight: 1,
    })
  })

  it('POST reset empties the double', async () => {
    await sendOne()
    expect((await postJson('/reset', {})).status).toBe(200)
    expect(server.double.messages.count()).toBe(0)
  })

  it('GET messages lists in wire shape with filters, and rejects unknown filter values', async () => {
    const a = await sendOne('+15550000001')
    await sendOne('+15550000002')
    const all = await (await api('/messages')).json()
    expect(all.count).toBe(2)
    const one = await (await api('/messages?to=%2B15550000001')).json()
    expect(one.messages.map((m: { sid: string }) => m.sid)).toEqual([a.sid])
    expect((await (await api('/messages?status=delivered')).json()).count).toBe(0)
    const bad = await api('/messages?status=lost')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      error: 'bad_request',
      message: expect.stringContaining("status 'lost'"),
    })
    expect((await api('/messages?direction=sideways')).status).toBe(400)
  })

  it('GET messages/:sid gives history, media and callbacks; 404 for unknown SIDs', async () => {
    server.double.callbacks.handle(
      'https://app.example.com/status',
      () => new Response(null, { status: 204 }),
    )
    const msg = await sendOne('+15558675310', {
      statusCallback: 'https://app.example.com/status',
      mediaUrl: ['https://example.com/a.png'],
    })
    await postJson('/settle', {})
    const res = await api(`/messages/${msg.sid}`)
    expect(res.status).toBe(200)
    const detail = await res.json()
    expect(detail.message).toMatchObject({ sid: msg.sid, status: 'delivered' })
    expect(detail.history.map((h: { status: string }) => h.status)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
    ])
    expect(detail.history[0].at).toBe('2024-01-01T00:00:00.000Z')
    expect(detail.mediaUrls).toEqual(['https://example.com/a.png'])
    // no callback for the initial status (queued)
    expect(detail.callbacks.map((c: { status: string }) => c.status)).toEqual(['sent', 'delivered'])
    expect(detail.feedback).toBeNull()
    await (await twilioClientForServer(server)).messages(msg.sid).feedback.create({ outcome: 'confirmed' })
    expect((await (await api(`/messages/${msg.sid}`)).json()).feedback).toMatchObject({
      message_sid: msg.sid,
      outcome: 'confirmed',
    })
    const missing = await api(`/messages/${SID}`)
    expect(missing.status).toBe(404)
    expect((await missing.json()).error).toBe('not_found')
  })

  it('GET callbacks lists deliveries with filters', async () => {
    server.double.callbacks.handle(/app\.example\.com/, () => undefined)
    const msg = await sendOne('+15558675310', { statusCallback: 'https://app.example.com/status' })
    await postJson('/settle', {})
    const all = await (await api('/callbacks')).json()
    expect(all.count).toBe(2)
    const delivered = await (await api(`/callbacks?messageSid=${msg.sid}&status=delivered`)).json()
    expect(delivered.callbacks).toHaveLength(1)
    expect(delivered.callbacks[0].params).toMatchObject({ MessageStatus: 'delivered', MessageSid: msg.sid })
    expect((await api('/callbacks?kind=carrier-pigeon')).status).toBe(400)
  })
})

describe('control API: scenarios and time', () => {
  it('POST scenarios takes RegExps as {"source","flags"} and "/re/" strings', async () => {
    const res = await postJson('/scenarios', [
      { name: 'opted out', when: { to: { source: '^\\+1555000', flags: '' } }, then: { reject: 21610 } },
      { when: { body: '/^urgent/i' }, then: { deliver: 'undelivered', errorCode: 30003 } },
    ])
    expect(res.status).toBe(201)
    const added = await res.json()
    expect(added.added).toBe(2)
    expect(added.scenarios[1].when.body).toEqual({ source: '^urgent', flags: 'i' })
    await expect(sendOne('+15550001234')).rejects.toMatchObject({ code: 21610 })
    const client = await twilioClientForServer(server)
    const urgent = await client.messages.create({
      to: '+15558675310',
      from: DEFAULT_FROM,
      body: 'URGENT: call me',
    })
    await postJson('/settle', {})
    expect(server.double.messages.get(urgent.sid)).toMatchObject({ status: 'undelivered', error_code: 30003 })
    expect((await (await api('/scenarios')).json()).scenarios).toHaveLength(2)
    expect((await api('/scenarios', { method: 'DELETE' })).status).toBe(200)
    expect(server.double.scenarios.list()).toEqual([])
  })

  it('POST scenarios accepts {"scenarios":[...]} and a single object', async () => {
    expect((await postJson('/scenarios', { scenarios: [{ then: { fault: 503 } }] })).status).toBe(201)
    expect(
      (await postJson('/scenarios', { when: { to: '+15558675310' }, then: { reject: 21211 } })).status,
    ).toBe(201)
    expect(server.double.scenarios.list()).toHaveLength(2)
  })

  it('rejects bad scenario input with a clear 4xx JSON error', async () => {
    const cases: [unknown, string, RegExp][] = [
      ['{not json', 'invalid_json', /not valid JSON/],
      ['', 'bad_request', /needs a JSON body/],
      [{ when: { to: '+1555' } }, 'bad_request', /needs a "then" object/],
      [{ then: { reject: 99999 } }, 'bad_request', /99999 is not in the catalog/],
      [
        { when: { to: { source: '(' } }, then: { reject: 21610 } },
        'bad_request',
        /not a valid regular expression/,
      ],
      [{ when: { to: 42 }, then: { reject: 21610 } }, 'bad_request', /when\.to must be a string/],
      [[], 'bad_request', /at least one scenario/],
      [
        { when: { operation: 'teleport' }, then: { reject: 21610 } },
        'bad_request',
        /unknown operation 'teleport'/,
      ],
    ]
    for (const [body, error, message] of cases) {
      const res = await postJson('/scenarios', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      const json = await res.json()
      expect(json.error, JSON.stringify(body)).toBe(error)
      expect(json.message, JSON.stringify(body)).toMatch(message)
    }
    expect(server.double.scenarios.list()).toEqual([])
  })

  it('POST advance moves virtual time; POST settle runs everything', async () => {
    const msg = await sendOne()
    const res = await postJson('/advance', { by: '90s' })
    expect(await res.json()).toEqual({ now: '2024-01-01T00:01:30.000Z' })
    expect(server.double.messages.get(msg.sid)?.status).toBe('delivered')
    expect((await (await postJson('/advance', { by: 1000 })).json()).now).toBe('2024-01-01T00:01:31.000Z')
    expect((await postJson('/settle', {})).status).toBe(200)
    for (const bad of [{}, { by: 'soon' }, { by: -5 }, { by: null }]) {
      const r = await postJson('/advance', bad)
      expect(r.status, JSON.stringify(bad)).toBe(400)
      const body = (await r.json()) as { error: string; message: string }
      expect(body.error).toBe('bad_request')
      // the answer is the control API's own: no `[twilio-double]` prefix, whatever part of the double refused it
      expect(body.message, JSON.stringify(bad)).not.toContain('[twilio-double]')
      expect(body.message.length).toBeGreaterThan(10)
    }
  })

  it('POST advance on a real clock answers 409 and says what to do instead', async () => {
    const real = await startServer({ double: createTwilioDouble({ clock: 'real' }), port: 0 })
    try {
      const res = await fetch(`${real.url}/__double/advance`, {
        method: 'POST',
        body: JSON.stringify({ by: '90s' }),
      })
      expect(res.status).toBe(409)
      expect(await res.json()).toEqual({
        error: 'real_clock',
        message: expect.stringMatching(/real clock .*\/__double\/settle .*--clock virtual/),
      })
    } finally {
      await real.close()
    }
  })

  it('words each refused query or body: what is wrong and what to send', async () => {
    const send = (method: string, path: string, body?: unknown) =>
      api(path, { method, body: body === undefined ? undefined : JSON.stringify(body) })
    const cases: [Promise<Response>, string][] = [
      [send('POST', '/advance', [1]), 'the body must be a JSON object such as {"by":"90s"}'],
      [send('POST', '/advance', { by: '90s', unit: 's' }), 'unknown field "unit"; known fields: by'],
      [
        send('POST', '/provider-states', { state: 'a message exists', action: 'later' }),
        '"action" must be setup or teardown',
      ],
      [send('POST', '/provider-states', {}), '"state" is required'],
      [
        send('POST', '/provider-states', { state: 'a message exists', params: [] }),
        'the body must be a JSON object such as {"sid":"SM…"}',
      ],
      [send('POST', '/inbound', { from: '', to: DEFAULT_FROM }), '"from" must be a non-empty string'],
      [
        send('POST', '/inbound', { from: '+15558675310', to: DEFAULT_FROM, body: 7 }),
        '"body" must be a string',
      ],
      [send('GET', '/messages?limit=x'), `"limit" must be a whole number (got 'x')`],
      [
        send('GET', '/messages?channel=fax'),
        "channel 'fax' is not a channel; use one of sms, mms, whatsapp, messenger, rcs",
      ],
      [send('GET', '/callbacks?kind=x'), "kind 'x' is not a callback kind; use status or inbound"],
      // a misspelt filter would otherwise list everything, as if nothing were asked
      [
        send('GET', '/messages?limt=5&too=%2B1555'),
        "unknown query parameters 'limt', 'too'; known: to, from, status, direction, accountSid, channel, q, offset, limit",
      ],
      [
        send('GET', '/callbacks?messagesid=SM1'),
        "unknown query parameter 'messagesid'; known: messageSid, status, kind",
      ],
      [send('GET', '/conversations?limt=1'), "unknown query parameter 'limt'; known: limit"],
      [send('GET', '/conversations/a/b?max=1'), "unknown query parameter 'max'; known: limit"],
      [
        send('DELETE', '/numbers/%2B15005550006?acountSid=AC1'),
        "unknown query parameter 'acountSid'; known: accountSid",
      ],
      [
        send('PUT', '/numbers/%2B15005550006', {
          smsUrl: 'http://127.0.0.1:1/sms',
          smsMethd: 'GET',
          port: 1,
        }),
        'unknown fields "smsMethd", "port"; known fields: smsUrl, smsMethod, smsFallbackUrl, smsFallbackMethod, accountSid',
      ],
    ]
    for (const [answer, message] of cases) {
      const res = await answer
      expect(res.status, message).toBe(400)
      expect(await res.json()).toEqual({ error: 'bad_request', message })
    }
    // a refused body changes nothing
    expect(server.double.now().toISOString()).toBe('2024-01-01T00:00:00.000Z')
  })

  it('refuses a body nested deeper than 32 arrays and objects on every endpoint that reads one, never 500', async () => {
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`
    const bodies: [string, string, string][] = [
      ['POST', '/scenarios', `{"when":{"to":${deep(50_000)}},"then":{"reject":21610}}`],
      ['POST', '/scenarios', `{"name":[${deep(50_000)}],"then":{"reject":21610}}`],
      ['POST', '/provider-states', `{"state":"a message exists","params":{"sid":${deep(50_000)}}}`],
      ['POST', '/advance', `{"by":${deep(40)}}`],
      ['POST', '/inbound', `[${deep(40)}]`],
      ['PUT', '/numbers/%2B15005550006', `{"smsUrl":${deep(40)}}`],
    ]
    for (const [method, path, body] of bodies) {
      const res = await api(path, { method, headers: { 'content-type': 'application/json' }, body })
      expect(res.status, `${method} ${path}`).toBe(400)
      expect(await res.json()).toEqual({
        error: 'bad_request',
        message:
          'the body nests arrays and objects more than 32 deep; send a body of the shape the endpoint takes (a few levels at most)',
      })
    }
    // nothing was added or seeded, and a body of the usual depth is still read
    expect(server.double.messages.count()).toBe(0)
    expect(server.double.scenarios.list()).toEqual([])
    expect(
      (await postJson('/scenarios', { when: { to: '+15550001111' }, then: { reject: 21610 } })).status,
    ).toBe(201)
  })

  it('answers 404 and 405 with JSON for unknown endpoints and methods', async () => {
    const missing = await api('/nothing-here')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: 'not_found' })
    const wrong = await api('/reset')
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('POST')
    expect((await wrong.json()).error).toBe('method_not_allowed')
  })

  it('refuses a query parameter on an endpoint that takes none, so that a misspelt ?account= never acts on every account', async () => {
    await sendOne()
    const reset = await postJson(`/reset?acount=${DEFAULT_ACCOUNT_SID}`, {})
    expect(reset.status).toBe(400)
    expect(await reset.json()).toEqual({
      error: 'bad_request',
      message:
        "unknown query parameter 'acount'; this endpoint takes none (name an account with ?account=AC… or the X-Twilio-Double-Account header)",
    })
    expect(server.double.messages.count()).toBe(1)
    for (const path of ['/health?x=1', '/credentials?acount=1', '/events?type=message', '/scenarios?to=1'])
      expect((await api(path)).status, path).toBe(400)
    // ?account= itself, and an empty parameter (read as absent), are still taken
    expect((await api(`/health?account=${DEFAULT_ACCOUNT_SID}&x=`)).status).toBe(200)
  })

  it('answers HEAD wherever it answers GET (a container health check: wget --spider), headers without a body', async () => {
    const get = await api('/health')
    const head = await api('/health', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'))
    expect(await head.text()).toBe('')
    // the event stream's headers alone: the answer ends, no stream is left open
    const events = await api('/events', { method: 'HEAD' })
    expect(events.status).toBe(200)
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(await events.text()).toBe('')
    // a path without GET still names what it answers
    const reset = await api('/reset', { method: 'HEAD' })
    expect(reset.status).toBe(405)
    expect(reset.headers.get('allow')).toBe('POST')
  })
})

describe('control API: inbound messages', () => {
  it('POST inbound simulates a user texting in', async () => {
    const res = await postJson('/inbound', { from: '+15558675310', to: DEFAULT_FROM, body: 'STATUS?' })
    expect(res.status).toBe(201)
    const result = await res.json()
    expect(result.message).toMatchObject({
      direction: 'inbound',
      status: 'received',
      body: 'STATUS?',
      from: '+15558675310',
    })
    expect(server.double.messages.list({ direction: 'inbound' })).toHaveLength(1)
  })

  it('rejects inbound input without from/to or with wrong types', async () => {
    expect((await postJson('/inbound', { to: DEFAULT_FROM })).status).toBe(400)
    expect(
      (await postJson('/inbound', { from: '+15558675310', to: DEFAULT_FROM, mediaUrls: 'x' })).status,
    ).toBe(400)
    expect((await postJson('/inbound', 'nope')).status).toBe(400)
    // a misspelt field is refused, not dropped (the message would arrive with an empty body)
    const typo = await postJson('/inbound', { from: '+15558675310', to: DEFAULT_FROM, bdy: 'x' })
    expect(typo.status).toBe(400)
    expect(await typo.json()).toEqual({
      error: 'bad_request',
      message: expect.stringMatching(
        /unknown field "bdy" in an inbound message; known fields: from, to, body/,
      ),
    })
    expect(server.double.messages.count()).toBe(0)
  })

  it('answers 501 when the double has no inbound support', async () => {
    const plain = createTwilioDouble()
    const withoutInbound = Object.create(plain, { inbound: { value: undefined } }) as TwilioDouble
    const s = await startServer({ double: withoutInbound, port: 0 })
    try {
      const res = await fetch(`${s.url}/__double/inbound`, {
        method: 'POST',
        body: JSON.stringify({ from: '+15558675310', to: DEFAULT_FROM }),
      })
      expect(res.status).toBe(501)
      expect(await res.json()).toEqual({
        error: 'not_implemented',
        message: expect.stringContaining('inbound'),
      })
      expect((await (await fetch(`${s.url}/__double/health`)).json()).inbound).toBe(false)
    } finally {
      await s.close()
    }
  })
})

describe('control API: provider states (for Pact verifiers of other languages)', () => {
  it('sets up the states of the pact builders and tears down with a reset', async () => {
    const res = await postJson('/provider-states', {
      state: 'a message exists',
      params: { sid: SID, status: 'delivered', to: '+15558675310' },
      action: 'setup',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ sid: SID, accountSid: 'AC00000000000000000000000000000001' })
    const client = await twilioClientForServer(server)
    expect((await client.messages(SID).fetch()).status).toBe('delivered')
    await postJson('/provider-states', {
      state: 'the To number is unsubscribed',
      params: { to: '+15550001111' },
    })
    await expect(sendOne('+15550001111')).rejects.toMatchObject({ code: 21610 })
    await postJson('/provider-states', { state: 'a message exists', action: 'teardown' })
    expect(server.double.messages.count()).toBe(0)
    const unknown = await postJson('/provider-states', { state: 'the moon is full' })
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).message).toMatch(/known states: an account exists/)
    const bad = await postJson('/provider-states', { state: 'a message exists', params: { sid: 'SM123' } })
    expect(bad.status).toBe(400)
    expect((await bad.json()).message).toMatch(/not a message SID/)
  })

  it('refuses a state named like a property of every JavaScript object (__proto__, constructor, toString) as an unknown state, never 500 nor a silent 200', async () => {
    for (const state of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await postJson('/provider-states', { state })
      expect(res.status, state).toBe(400)
      expect(await res.json()).toEqual({
        error: 'unknown_state',
        message: expect.stringContaining(
          `unknown provider state '${state}'; known states: an account exists`,
        ),
      })
    }
    expect(server.double.messages.count()).toBe(0)
  })
})

describe('control API: event stream', () => {
  it('GET events streams message and callback events as server-sent events', async () => {
    const controller = new AbortController()
    const res = await api('/events', { signal: controller.signal })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    server.double.callbacks.handle('https://app.example.com/status', () => undefined)
    const reading = readEvents(
      res.body!,
      (e) => e.event === 'callback' && e.data.delivery.status === 'delivered',
    )
    const msg = await sendOne('+15558675310', { statusCallback: 'https://app.example.com/status' })
    await postJson('/settle', {})
    const events = await reading
    controller.abort()
    expect(events[0]).toEqual({ event: 'hello', data: { now: '2024-01-01T00:00:00.000Z' } })
    const statuses = events
      .filter((e) => e.event === 'message' && e.data.sid === msg.sid)
      .map((e) => e.data.status)
    expect(statuses).toEqual(['queued', 'sending', 'sent', 'delivered'])
    expect(events.find((e) => e.event === 'message')?.data.message).toMatchObject({ sid: msg.sid })
    expect(events.at(-1)?.data.delivery).toMatchObject({ messageSid: msg.sid, status: 'delivered' })
  })
})

describe('control API: cross-site requests', () => {
  it('refuses a state change sent by a web page of another origin, and still serves reads', async () => {
    const reset = await fetch(`${server.url}/__double/reset`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: '{}',
    })
    expect(reset.status).toBe(403)
    expect(await reset.json()).toMatchObject({ error: 'cross_site' })
    const fetchSite = await fetch(`${server.url}/__double/settle`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    expect(fetchSite.status).toBe(403)
    const read = await fetch(`${server.url}/__double/health`, { headers: { origin: 'https://evil.example' } })
    expect(read.status).toBe(200)
  })

  it('accepts the same origin (the inbox page) and clients that send no origin', async () => {
    const same = await fetch(`${server.url}/__double/settle`, {
      method: 'POST',
      headers: { origin: server.url },
    })
    expect(same.status).toBe(200)
    const plain = await fetch(`${server.url}/__double/settle`, { method: 'POST' })
    expect(plain.status).toBe(200)
  })
})

describe('control API: numbers and their inbound webhooks', () => {
  const put = (path: string, body: unknown) =>
    api(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const inbound = async (to = DEFAULT_FROM) =>
    (await postJson('/inbound', { from: '+15558675310', to, body: 'Hello' })).json()
  const encoded = encodeURIComponent(DEFAULT_FROM)

  it('PUT sets where inbound messages to a number go (method included), until DELETE or reset; senders stay as they were', async () => {
    const app = await startApp()
    try {
      expect((await inbound()).deliveries).toEqual([])
      const res = await put(`/numbers/${encoded}`, { smsUrl: `${app.url}/sms`, smsMethod: 'GET' })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({
        accountSid: 'AC00000000000000000000000000000001',
        number: DEFAULT_FROM,
        smsUrl: `${app.url}/sms`,
        smsMethod: 'GET',
      })
      expect((await (await api('/numbers')).json()).numbers).toEqual([
        {
          accountSid: 'AC00000000000000000000000000000001',
          number: DEFAULT_FROM,
          smsUrl: `${app.url}/sms`,
          smsMethod: 'GET',
          source: 'control',
        },
      ])
      const result = await inbound()
      expect(result.deliveries).toHaveLength(1)
      expect(app.received).toEqual([
        {
          method: 'GET',
          path: '/sms',
          params: expect.objectContaining({ To: DEFAULT_FROM, Body: 'Hello' }),
          signature: expect.any(String),
        },
      ])
      expect(app.refused).toBe(0)
      // the default account still sends from any number
      await expect(sendOne('+15558675310', { from: '+15017122661' })).resolves.toMatchObject({
        status: 'queued',
      })

      const removed = await api(`/numbers/${encoded}`, { method: 'DELETE' })
      expect(await removed.json()).toEqual({ removed: true })
      expect(await (await api(`/numbers/${encoded}`, { method: 'DELETE' })).json()).toEqual({
        removed: false,
      })
      expect((await inbound()).deliveries).toEqual([])

      await put(`/numbers/${encoded}`, { smsUrl: `${app.url}/sms` })
      expect((await postJson('/reset', {})).status).toBe(200)
      expect((await (await api('/numbers')).json()).numbers).toEqual([])
      expect((await inbound()).deliveries).toEqual([])
      expect(app.received).toHaveLength(1)
    } finally {
      await app.close()
    }
  })

  it("wins over the number's smsUrl from the options while set, which comes back after DELETE", async () => {
    const app = await startApp('t')
    const NUMBER = '+15005550006'
    const ACCOUNT = `AC${'ef'.repeat(16)}`
    const own = await startServer({
      double: createTwilioDouble({
        accounts: [
          { sid: ACCOUNT, authToken: 't', phoneNumbers: [{ number: NUMBER, smsUrl: `${app.url}/options` }] },
        ],
      }),
      port: 0,
    })
    const call = (path: string, init: RequestInit = {}) => fetch(`${own.url}/__double${path}`, init)
    const send = () =>
      call('/inbound', {
        method: 'POST',
        body: JSON.stringify({ from: '+15558675310', to: NUMBER, body: 'x' }),
      })
    try {
      await send()
      await call(`/numbers/${encodeURIComponent(NUMBER)}`, {
        method: 'PUT',
        body: JSON.stringify({ smsUrl: `${app.url}/control`, accountSid: ACCOUNT }),
      })
      const listed = (await (await call('/numbers')).json()).numbers
      expect(listed).toEqual([
        { accountSid: ACCOUNT, number: NUMBER, smsUrl: `${app.url}/control`, source: 'control' },
      ])
      await send()
      await call(`/numbers/${encodeURIComponent(NUMBER)}`, { method: 'DELETE' })
      expect((await (await call('/numbers')).json()).numbers).toEqual([
        { accountSid: ACCOUNT, number: NUMBER, smsUrl: `${app.url}/options`, source: 'options' },
      ])
      await send()
      expect(app.received.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /options',
        'POST /control',
        'POST /options',
      ])
      expect(app.refused).toBe(0)
    } finally {
      await own.close()
      await app.close()
    }
  })

  it('refuses a missing or non-http URL, one without a host name, a bad method, an unknown field or account, storing nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /"smsUrl" is required/],
      [{ smsUrl: 'ftp://example.test/sms' }, /"smsUrl" must be an http or https URL/],
      [{ smsUrl: 'not a url' }, /"smsUrl" must be an http or https URL/],
      // no host name: no webhook can be reached there
      [{ smsUrl: 'http://' }, /"smsUrl" must be an http or https URL, .* \(got http:\/\/\)$/],
      [{ smsUrl: 'https://:8080/sms' }, /"smsUrl" must be an http or https URL/],
      [{ smsUrl: 'http://127.0.0.1:1/sms', smsFallbackUrl: 'https:///' }, /"smsFallbackUrl" must be an http/],
      [{ smsUrl: 'http://127.0.0.1:1/sms', smsFallbackUrl: 'nope' }, /"smsFallbackUrl" must be an http/],
      [{ smsUrl: 'http://127.0.0.1:1/sms', smsMethod: 'PUT' }, /"smsMethod" must be GET or POST/],
      [
        { smsUrl: 'http://127.0.0.1:1/sms', smsMethd: 'GET' },
        /unknown field "smsMethd"; known fields: smsUrl,/,
      ],
      [
        { smsUrl: 'http://127.0.0.1:1/sms', accountSid: `AC${'9'.repeat(32)}` },
        /no account AC9{32}: use one of/,
      ],
    ]
    for (const [body, message] of cases) {
      const res = await put(`/numbers/${encoded}`, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await res.json()).message, JSON.stringify(body)).toMatch(message)
    }
    expect((await (await api('/numbers')).json()).numbers).toEqual([])
    expect((await api('/numbers', { method: 'PUT' })).status).toBe(405)
  })

  it('refuses a path that names no number an inbound message can reach, storing nothing', async () => {
    for (const number of ['not a number', 'MyBrand', '+1', 'whatsapp:', '%E0%A4%A']) {
      const res = await put(`/numbers/${encodeURIComponent(number)}`, { smsUrl: 'http://127.0.0.1:1/sms' })
      expect(res.status, number).toBe(400)
      expect(await res.json(), number).toEqual({
        error: 'bad_request',
        message: `'${number}' is not a phone number: name the number in E.164, such as /__double/numbers/%2B15005550006 (write + as %2B), or whatsapp:%2B15005550006`,
      })
    }
    expect((await (await api('/numbers')).json()).numbers).toEqual([])
    // a number written the ways a sender may be is still taken, as its E.164 form
    for (const number of ['+1 (500) 555-0006', '12345', 'whatsapp:+15005550006'])
      expect(
        (await put(`/numbers/${encodeURIComponent(number)}`, { smsUrl: 'http://127.0.0.1:1/sms' })).status,
        number,
      ).toBe(200)
  })
})
