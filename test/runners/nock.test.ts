import https from 'node:https'
import nock from 'nock'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { nockTwilio, TWILIO_NOCK_HOST } from '../../src/adapters/nock.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'

const TO = '+15550001111'

describe('the nock door with the real twilio client', () => {
  let double: TwilioDouble
  let door: ReturnType<typeof nockTwilio>
  let client: twilio.Twilio

  beforeAll(() => {
    nock.disableNetConnect()
  })
  afterAll(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })
  beforeEach(() => {
    double = createTwilioDouble()
    door = nockTwilio(nock, double)
    client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
  })
  afterEach(() => {
    door.remove()
    nock.cleanAll()
  })

  it('creates, fetches and lists messages, and follows the lifecycle', async () => {
    const created = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hello over nock' })
    expect(created.sid).toMatch(/^SM[0-9a-f]{32}$/)
    expect(created.status).toBe('queued')
    expect(created.body).toBe('Hello over nock')
    expect(double.messages.count()).toBe(1)

    await double.settle()
    const fetched = await client.messages(created.sid).fetch()
    expect(fetched.status).toBe('delivered')
    expect(fetched.dateSent).toBeInstanceOf(Date)

    await client.messages.create({ from: DEFAULT_FROM, to: '+15550002222', body: 'second' })
    const listed = await client.messages.list({ to: TO })
    expect(listed.map((m) => m.sid)).toEqual([created.sid])
  })

  it('sends repeated form parameters (MediaUrl) through intact', async () => {
    const m = await client.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      mediaUrl: ['https://example.com/a.png', 'https://example.com/b.jpg'],
    })
    expect(m.sid).toMatch(/^MM/)
    expect(m.numMedia).toBe('2')
    expect(double.messages.mediaUrls(m.sid)).toEqual([
      'https://example.com/a.png',
      'https://example.com/b.jpg',
    ])
  })

  it("answers errors in Twilio's shape, which the client turns into RestException", async () => {
    const err = await client.messages
      .create({ from: DEFAULT_FROM, to: '+15005550001', body: 'x' })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 400, code: 21211 })
    const missing = await client
      .messages('SM00000000000000000000000000000000')
      .fetch()
      .catch((e: unknown) => e)
    expect(missing).toMatchObject({ status: 404, code: 20404 })
  })

  it('answers wrong credentials with 20003', async () => {
    const wrong = twilio(DEFAULT_ACCOUNT_SID, 'not-the-token')
    const err = await wrong.messages.list().catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 401, code: 20003 })
  })

  it('serves edge and region hosts too', async () => {
    const edged = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { edge: 'sydney', region: 'au1' })
    const m = await edged.messages.create({ from: DEFAULT_FROM, to: TO, body: 'via the edge' })
    expect(m.status).toBe('queued')
    expect(double.messages.get(m.sid)?.body).toBe('via the edge')
  })

  it('turns a networkError scenario into a connection error', async () => {
    double.scenarios.use({ when: { to: TO }, then: { networkError: true } })
    const err = await client.messages
      .create({ from: DEFAULT_FROM, to: TO, body: 'x' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect(String((err as Error).message)).toMatch(/socket hang up|ECONNRESET/)
    expect(double.messages.count()).toBe(0)
  })

  it('always sends a content-length, as the client keeps connections alive', async () => {
    const response = await fetch(
      `https://api.twilio.com/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json?PageSize=1`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`,
        },
      },
    )
    const text = await response.text()
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)))
  })

  it('reads a malformed JSON body and a body that is not UTF-8 as every other door does, through node:https and fetch', async () => {
    const auth = `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`
    const messages = `https://api.twilio.com/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`
    const notUtf8 = Buffer.concat([
      Buffer.from(`To=${encodeURIComponent(TO)}&From=${encodeURIComponent(DEFAULT_FROM)}&Body=caf`),
      Buffer.from([0xe9, 0xff]),
    ])
    const cases: [string, string, Buffer][] = [
      ['https://content.twilio.com/v1/Content', 'application/json', Buffer.from('{"friendly_name":')],
      [messages, 'application/json', Buffer.from('{"To":')],
      [messages, 'application/x-www-form-urlencoded', notUtf8],
    ]
    /** node:https through nock, with a deadline: a request nock never answers fails instead of hanging. */
    const viaHttps = (url: string, type: string, body: Buffer) =>
      new Promise<[number, string]>((resolve, reject) => {
        const req = https.request(
          url,
          { method: 'POST', headers: { authorization: auth, 'content-type': type }, timeout: 2_000 },
          (res) => {
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (chunk: string) => {
              text += chunk
            })
            res.on('end', () => resolve([res.statusCode ?? 0, text]))
          },
        )
        req.on('timeout', () => req.destroy(new Error(`no answer from the nock door to ${url}`)))
        req.on('error', reject)
        req.end(body)
      })
    const init = (type: string, body: Buffer) => ({
      method: 'POST',
      headers: { authorization: auth, 'content-type': type },
      body: new Uint8Array(body),
    })
    const twin = createTwilioDouble()
    for (const [url, type, body] of cases) {
      const expected = await twin.handle(new Request(url, init(type, body)))
      const expectedText = (await expected.text()).replace(/(SM|HX)[0-9a-f]{32}/g, 'SID')
      const viaNode = await viaHttps(url, type, body)
      const fetched = await fetch(url, init(type, body))
      for (const [status, text] of [viaNode, [fetched.status, await fetched.text()]] as const) {
        expect(status, `${url} ${body}`).toBe(expected.status)
        expect(text.replace(/(SM|HX)[0-9a-f]{32}/g, 'SID')).toBe(expectedText)
      }
    }
    expect(double.messages.list().map((m) => m.body)).toEqual(['caf\uFFFD\uFFFD', 'caf\uFFFD\uFFFD'])
  })

  it('leaves other hosts to nock (no interceptor there: refused while net connect is disabled)', async () => {
    await expect(fetch('https://example.com/')).rejects.toThrow()
  })

  it('remove() takes the Twilio interceptors away again', async () => {
    door.remove()
    const err = await client.messages.list().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect(double.messages.count()).toBe(0)
  })

  it('matches Twilio API hosts only', () => {
    expect(TWILIO_NOCK_HOST.test('https://api.twilio.com:443')).toBe(true)
    expect(TWILIO_NOCK_HOST.test('https://api.sydney.au1.twilio.com:443')).toBe(true)
    expect(TWILIO_NOCK_HOST.test('https://verify.twilio.com:443')).toBe(false)
    expect(TWILIO_NOCK_HOST.test('https://api.twilio.com.evil.example:443')).toBe(false)
  })

  it('rejects wrong arguments with a message saying what to pass', () => {
    expect(() => nockTwilio({} as never, double)).toThrow(/\[twilio-double\] nockTwilio\(nock, double\)/)
    expect(() => nockTwilio(nock, {} as never)).toThrow(/createTwilioDouble/)
  })
})

describe('the nock door, both reply styles', () => {
  /** A stand-in for nock that records what the adapter registers. */
  function fakeNock() {
    const replies: { method: string; fn: (...args: unknown[]) => unknown }[] = []
    const hosts: RegExp[] = []
    const scope = {
      persist: () => scope,
      intercept: (_uri: unknown, method: string) => ({
        reply(fn: (...args: unknown[]) => unknown) {
          replies.push({ method, fn })
          return scope
        },
      }),
    }
    const fn = Object.assign((host: RegExp) => {
      hosts.push(host)
      return scope
    }, {})
    return { nock: fn, replies, hosts }
  }
  const auth = `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`
  const path = `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`
  const form = `To=${encodeURIComponent(TO)}&From=${encodeURIComponent(DEFAULT_FROM)}&Body=hi`

  it('registers every method with reply functions of length 0 (nock 15 reads length 2 as a callback)', () => {
    const fake = fakeNock()
    nockTwilio(fake.nock as never, createTwilioDouble())
    expect(fake.hosts).toEqual([TWILIO_NOCK_HOST])
    expect(fake.replies.map((r) => r.method)).toEqual([
      'GET',
      'POST',
      'DELETE',
      'PUT',
      'PATCH',
      'HEAD',
      'OPTIONS',
    ])
    expect(fake.replies.every((r) => r.fn.length === 0)).toBe(true)
  })

  it('answers a nock 15 call (a Fetch Request) and a nock 14 call (path, body, this.req) alike', async () => {
    const fake = fakeNock()
    const double = createTwilioDouble()
    nockTwilio(fake.nock as never, double)
    const post = fake.replies.find((r) => r.method === 'POST')!.fn
    const headers = { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }

    const v15 = (await post.call(
      {},
      new Request(`https://api.twilio.com${path}`, { method: 'POST', headers, body: form }),
    )) as [number, string, Record<string, string>]
    const v14 = (await post.call(
      { req: { method: 'POST', headers: { ...headers, host: 'api.twilio.com:443' } } },
      path,
      form,
    )) as [number, string, Record<string, string>]

    for (const [status, body, replyHeaders] of [v15, v14]) {
      expect(status).toBe(201)
      expect(JSON.parse(body)).toMatchObject({ to: TO, from: DEFAULT_FROM, body: 'hi', status: 'queued' })
      expect(replyHeaders['content-length']).toBe(String(Buffer.byteLength(body)))
      expect(replyHeaders['content-type']).toMatch(/^application\/json/)
    }
    expect(double.messages.count()).toBe(2)
  })
})
