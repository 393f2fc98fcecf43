import twilio from 'twilio'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type AccountOptions,
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { inboundWebhookSchema } from '../../src/schemas/webhooks.js'
import { closedPort, raw, startApp, type TestApp, twiml } from './app.js'

const USER = '+15550001111'
const OTHER = '+15550002222'
const SECOND = '+15005550010'
const MEDIA_URL =
  /^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\/MM[0-9a-f]{32}\/Media\/ME[0-9a-f]{32}$/

let app: TestApp
let double: TwilioDouble

/** A double whose default account has these numbers and messaging services (and nothing else). */
function accountDouble(account: Pick<AccountOptions, 'phoneNumbers' | 'messagingServices'>): TwilioDouble {
  return createTwilioDouble({
    accounts: [{ sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, ...account }],
  })
}

function client() {
  return twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() as any })
}

beforeAll(async () => {
  app = await startApp()
})
afterAll(() => app.close())

beforeEach(() => {
  app.received.length = 0
  double = accountDouble({
    phoneNumbers: [
      { number: DEFAULT_FROM, smsUrl: `${app.url}/sms`, smsFallbackUrl: `${app.url}/fallback` },
      { number: SECOND, smsUrl: `${app.url}/second?tenant=7`, smsMethod: 'GET' },
    ],
    messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }],
  })
  for (const path of ['/sms', '/fallback', '/second', '/next', '/status', '/loop'])
    app.on(path, (_req, res) => {
      res.status(204).end()
    })
})

describe('an inbound SMS', () => {
  it('creates the inbound message and POSTs the signed webhook with Twilio parameters', async () => {
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'Hello there' })

    expect(result.errors).toEqual([])
    expect(result.replies).toEqual([])
    expect(result.message).toMatchObject({
      direction: 'inbound',
      status: 'received',
      from: USER,
      to: DEFAULT_FROM,
      body: 'Hello there',
      num_segments: '1',
      num_media: '0',
      messaging_service_sid: DEFAULT_MESSAGING_SERVICE_SID,
    })
    expect(result.message.sid).toMatch(/^SM[0-9a-f]{32}$/)

    // The app's twilio.webhook() middleware accepted the signature.
    expect(app.refused).toBe(0)
    expect(app.received).toHaveLength(1)
    const hit = app.received[0]!
    expect(hit.path).toBe('/sms')
    expect(hit.method).toBe('POST')
    const params = inboundWebhookSchema.parse(hit.params)
    expect(params).toMatchObject({
      MessageSid: result.message.sid,
      SmsSid: result.message.sid,
      SmsMessageSid: result.message.sid,
      AccountSid: DEFAULT_ACCOUNT_SID,
      MessagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      From: USER,
      To: DEFAULT_FROM,
      Body: 'Hello there',
      NumMedia: '0',
      NumSegments: '1',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
      ReferralNumMedia: '0',
      FromCountry: 'US',
      ToCountry: 'US',
    })
    expect(hit.params).not.toHaveProperty('MediaUrl0')
    expect(hit.params).not.toHaveProperty('WaId')

    expect(result.delivery).toMatchObject({ kind: 'inbound', status: 'received', responseStatus: 204 })
    expect(double.callbacks.list({ kind: 'inbound' })).toHaveLength(1)
  })

  it("sends its form parameters in the order of Twilio's own webhook requests", async () => {
    await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'Hello there' })
    // the order of the fact sheet's example request; MessagingServiceSid follows To when there is one
    expect(Object.keys(app.received[0]!.params)).toEqual([
      'ToCountry',
      'ToState',
      'SmsMessageSid',
      'NumMedia',
      'ToCity',
      'FromZip',
      'SmsSid',
      'FromState',
      'SmsStatus',
      'FromCity',
      'Body',
      'FromCountry',
      'To',
      'MessagingServiceSid',
      'ToZip',
      'NumSegments',
      'ReferralNumMedia',
      'MessageSid',
      'AccountSid',
      'From',
      'ApiVersion',
    ])
  })

  it('is visible through double.messages and the REST API with its direction', async () => {
    const { message } = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'hi' })
    await client().messages.create({ from: DEFAULT_FROM, to: OTHER, body: 'outbound' })

    expect(double.messages.list({ direction: 'inbound' }).map((m) => m.sid)).toEqual([message.sid])
    expect(double.messages.list({ direction: 'outbound-api' })).toHaveLength(1)
    expect(double.messages.get(message.sid!)?.direction).toBe('inbound')

    const fetched = await client().messages(message.sid!).fetch()
    expect(fetched.direction).toBe('inbound')
    expect(fetched.status).toBe('received')
    const listed = await client().messages.list({ from: USER })
    expect(listed.map((m) => m.sid)).toEqual([message.sid])
  })

  it('reassembles a long body and counts its segments as Twilio does', async () => {
    const body = `${'a'.repeat(200)} end`
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body })
    expect(result.message.body).toBe(body)
    expect(result.message.num_segments).toBe('2')
    expect(app.received[0]!.params.Body).toBe(body)
    expect(app.received[0]!.params.NumSegments).toBe('2')
    const unicode = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'é😀'.repeat(30) })
    expect(unicode.message.num_segments).toBe('2')
    expect(double.messages.history(result.message.sid!).map((h) => h.status)).toEqual([
      'receiving',
      'received',
    ])
  })

  it('uses the number smsMethod GET with the parameters in the query string, still signed', async () => {
    const result = await double.inbound({ from: USER, to: SECOND, body: 'via GET' })
    expect(result.errors).toEqual([])
    expect(app.refused).toBe(0)
    expect(app.received).toHaveLength(1)
    expect(app.received[0]).toMatchObject({ path: '/second', method: 'GET' })
    expect(app.received[0]!.params).toMatchObject({ tenant: '7', Body: 'via GET', To: SECOND })
    expect(result.message.messaging_service_sid).toBeNull()
  })

  it("prefers the messaging service's inbound request URL", async () => {
    double = accountDouble({
      phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: `${app.url}/sms` }],
      messagingServices: [
        {
          sid: DEFAULT_MESSAGING_SERVICE_SID,
          senders: [DEFAULT_FROM],
          inboundRequestUrl: `${app.url}/next`,
        },
      ],
    })
    await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'service' })
    expect(app.received.map((r) => r.path)).toEqual(['/next'])
    expect(app.received[0]!.params.MessagingServiceSid).toBe(DEFAULT_MESSAGING_SERVICE_SID)
  })

  it('stores the message and sends no webhook when no URL is configured', async () => {
    const plain = createTwilioDouble()
    const result = await plain.inbound({ from: USER, to: DEFAULT_FROM, body: 'nobody listens' })
    expect(result.delivery).toBeUndefined()
    expect(result.deliveries).toEqual([])
    expect(plain.messages.list({ direction: 'inbound' })).toHaveLength(1)
    expect(app.received).toHaveLength(0)
  })

  it('refuses helper misuse with a [twilio-double] error', async () => {
    await expect(double.inbound({ from: USER, to: '+15550009999', body: 'x' })).rejects.toThrow(
      /\[twilio-double\].*accounts\[\]\.phoneNumbers/,
    )
    await expect(double.inbound({ from: 'nope', to: DEFAULT_FROM })).rejects.toThrow(/\[twilio-double\]/)
    await expect(double.inbound({ from: USER, to: DEFAULT_FROM, body: 'x'.repeat(1601) })).rejects.toThrow(
      /1,600/,
    )
  })

  it("refuses options it does not know (the create call's mediaUrl among them) and media that are no list of URLs", async () => {
    const misnamed = { from: USER, to: DEFAULT_FROM, body: 'x', mediaUrl: ['https://example.com/cat.png'] }
    await expect(double.inbound(misnamed as never)).rejects.toThrow(
      '[twilio-double] inbound(): unknown option(s) mediaUrl; an inbound message has from, to, body, mediaUrls, mediaContentTypes, channel, profileName, accountSid, messagingServiceSid',
    )
    const one = { from: USER, to: DEFAULT_FROM, mediaUrls: 'https://example.com/cat.png' }
    await expect(double.inbound(one as never)).rejects.toThrow(
      "[twilio-double] inbound(): mediaUrls must be a list of URLs, e.g. ['https://example.com/cat.png']",
    )
    await expect(double.inbound({ from: USER, to: DEFAULT_FROM, mediaUrls: [42 as never] })).rejects.toThrow(
      "[twilio-double] inbound(): mediaUrls must be a list of URLs, e.g. ['https://example.com/cat.png']",
    )
    await expect(
      double.inbound({ from: USER, to: DEFAULT_FROM, mediaUrls: ['https://example.com/a.png', 'cat.png'] }),
    ).rejects.toThrow(
      "[twilio-double] inbound(): mediaUrls[1] 'cat.png' is not an http(s) URL: give the media's URL, e.g. 'https://example.com/cat.png'",
    )
    // nothing was stored by the refused calls
    expect(double.messages.list()).toEqual([])
  })
})

describe('an inbound MMS', () => {
  it('carries two media with Twilio media URLs and content types', async () => {
    const result = await double.inbound({
      from: USER,
      to: DEFAULT_FROM,
      body: 'two pictures',
      mediaUrls: ['https://example.com/cat.jpg', 'https://example.com/clip'],
      mediaContentTypes: [undefined, 'video/mp4'],
    })
    expect(result.message.sid).toMatch(/^MM[0-9a-f]{32}$/)
    expect(result.message.num_media).toBe('2')
    expect(result.message.num_segments).toBe('1')

    const p = app.received[0]!.params
    expect(p.NumMedia).toBe('2')
    expect(p.MediaUrl0).toMatch(MEDIA_URL)
    expect(p.MediaUrl1).toMatch(MEDIA_URL)
    expect(p.MediaUrl0).toContain(`/Messages/${result.message.sid}/Media/`)
    expect(p.MediaContentType0).toBe('image/jpeg')
    expect(p.MediaContentType1).toBe('video/mp4')
    expect(app.refused).toBe(0)

    const media = await client().messages(result.message.sid!).media.list()
    expect(media.map((m) => m.sid).sort()).toEqual(
      [p.MediaUrl0!.split('/').pop(), p.MediaUrl1!.split('/').pop()].sort(),
    )
    expect(media.map((m) => m.contentType).sort()).toEqual(['image/jpeg', 'video/mp4'])
    expect(double.messages.mediaUrls(result.message.sid!)).toEqual([p.MediaUrl0, p.MediaUrl1])
  })
})

describe('a reply via TwiML', () => {
  it('turns each <Message> into an outbound-reply that lives its lifecycle', async () => {
    app.on(
      '/sms',
      twiml((r) => {
        r.message('Thanks for your message!')
        const m = r.message({ to: OTHER, action: '/status' }, '')
        m.body('Forwarded')
        m.media('https://example.com/photo.png')
      }),
    )
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'Hi' })

    expect(result.errors).toEqual([])
    expect(result.replies).toHaveLength(2)
    const [first, second] = result.replies
    expect(first).toMatchObject({
      direction: 'outbound-reply',
      status: 'queued',
      from: DEFAULT_FROM,
      to: USER,
      body: 'Thanks for your message!',
      messaging_service_sid: DEFAULT_MESSAGING_SERVICE_SID,
    })
    expect(first!.sid).toMatch(/^SM/)
    expect(second).toMatchObject({
      direction: 'outbound-reply',
      to: OTHER,
      body: 'Forwarded',
      num_media: '1',
    })
    expect(second!.sid).toMatch(/^MM/)

    await double.settle()
    expect(double.messages.get(first!.sid!)?.status).toBe('delivered')
    expect(double.messages.get(second!.sid!)?.status).toBe('delivered')
    expect(double.messages.list({ direction: 'outbound-reply' })).toHaveLength(2)

    // action= receives the reply's status callbacks, signed.
    const statuses = app.received.filter((r) => r.path === '/status').map((r) => r.params.MessageStatus)
    expect(statuses).toEqual(['sent', 'delivered'])
    expect(
      app.received.filter((r) => r.path === '/status').every((r) => r.params.MessageSid === second!.sid),
    ).toBe(true)
    expect(app.refused).toBe(0)
  })

  it('sends the status callbacks of a <Message method="GET"> as signed GET requests to its action', async () => {
    app.on(
      '/sms',
      twiml((r) => {
        r.message({ action: '/status-get?app=1', method: 'GET' }, 'Got it')
        r.message({ action: '/status-post', method: 'post' }, 'And this')
      }),
    )
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'Hi' })
    expect(result.errors).toEqual([])
    await double.settle()
    const got = app.received.filter((r) => r.path === '/status-get')
    expect(got.map((r) => [r.method, r.params.MessageStatus])).toEqual([
      ['GET', 'sent'],
      ['GET', 'delivered'],
    ])
    // the callback parameters go in the query, after those of the action URL
    expect(got[0]!.params).toMatchObject({ app: '1', MessageSid: result.replies[0]!.sid, To: USER })
    const posted = app.received.filter((r) => r.path === '/status-post')
    expect(posted.map((r) => [r.method, r.params.MessageStatus])).toEqual([
      ['POST', 'sent'],
      ['POST', 'delivered'],
    ])
    expect(
      double.callbacks
        .list()
        .filter((c) => c.url.includes('/status-get'))
        .map((c) => c.method),
    ).toEqual(['GET', 'GET'])
    expect(app.refused).toBe(0)
  })

  it('sends nothing for an empty answer or an empty <Response/>', async () => {
    app.on(
      '/sms',
      twiml(() => {}),
    )
    const a = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'one' })
    app.on('/sms', (_req, res) => {
      res.status(200).type('text/xml').send('')
    })
    const b = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'two' })
    for (const r of [a, b]) {
      expect(r.replies).toEqual([])
      expect(r.errors).toEqual([])
    }
    await double.settle()
    expect(double.messages.count()).toBe(2)
  })

  it('follows <Redirect> with the same signed parameters', async () => {
    app.on(
      '/sms',
      twiml((r) => {
        r.redirect('/next')
        r.message('never sent')
      }),
    )
    app.on(
      '/next',
      twiml((r) => {
        r.message('from the redirect')
      }),
    )
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'go' })
    expect(app.received.map((r) => r.path)).toEqual(['/sms', '/next'])
    expect(app.received[1]!.params.MessageSid).toBe(result.message.sid)
    expect(app.refused).toBe(0)
    expect(result.replies.map((r) => r.body)).toEqual(['from the redirect'])
    expect(result.delivery?.url).toBe(`${app.url}/next`)
    expect(result.deliveries).toHaveLength(2)
  })

  it('stops a <Redirect> loop at 50 documents with 14106', async () => {
    app.on(
      '/loop',
      twiml((r) => {
        r.redirect('/loop')
      }),
    )
    app.on(
      '/sms',
      twiml((r) => {
        r.redirect('/loop')
      }),
    )
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'loop' })
    expect(result.deliveries).toHaveLength(50)
    expect(result.errors.map((e) => e.code)).toEqual([14106])
  })
})

describe('invalid TwiML', () => {
  it('is recorded as Twilio records it and never throws', async () => {
    const cases: [Parameters<typeof raw>, number][] = [
      [['OK', 'text/html'], 12100],
      [['<Response><Message>unclosed</Response>', 'text/xml'], 12100],
      [['<Reply><Message>hi</Message></Reply>', 'text/xml'], 12102],
      [['{"reply":"hi"}', 'application/json'], 12300],
    ]
    // Without a fallback URL, a fatal error ends the session.
    double = accountDouble({
      phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: `${app.url}/sms` }],
    })
    for (const [answer, code] of cases) {
      app.on('/sms', raw(...answer))
      const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'x' })
      expect(result.replies, answer[0]).toEqual([])
      expect(
        result.errors.map((e) => [e.code, e.level]),
        answer[0],
      ).toEqual([[code, 'error']])
      expect(result.errors[0]!.url).toBe(`${app.url}/sms`)
      expect(result.delivery?.responseStatus).toBe(200)
    }
  })

  it('warns 12200 for an unknown verb and still sends the valid <Message>', async () => {
    app.on('/sms', raw('<Response><Say>hello</Say><Message>still sent</Message></Response>', 'text/xml'))
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'x' })
    expect(result.errors.map((e) => [e.code, e.level])).toEqual([[12200, 'warning']])
    expect(result.replies.map((r) => r.body)).toEqual(['still sent'])
    expect(app.received.map((r) => r.path)).toEqual(['/sms'])
  })

  it('warns 14101 and sends nothing for a <Message> to an invalid number', async () => {
    app.on('/sms', raw('<Response><Message to="not-a-number">x</Message></Response>', 'text/xml'))
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'x' })
    expect(result.replies).toEqual([])
    expect(result.errors.map((e) => e.code)).toEqual([14101])
  })
})

describe('<Message to> and from in local form', () => {
  it('are read in the country of the From number, as Twilio reads them', async () => {
    app.on(
      '/sms',
      raw(
        '<Response><Message to="(415) 555-1212">one</Message><Message to="4155551213" from="(500) 555-0006">two</Message></Response>',
        'text/xml',
      ),
    )
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'x' })
    expect(result.errors).toEqual([])
    expect(result.replies.map((r) => [r.to, r.from, r.body])).toEqual([
      ['+14155551212', DEFAULT_FROM, 'one'],
      ['+14155551213', DEFAULT_FROM, 'two'],
    ])
  })

  it('take the country of a non-US From, and a number that is none still warns 14101', async () => {
    const UK = '+447400123456'
    double = accountDouble({ phoneNumbers: [{ number: UK, smsUrl: `${app.url}/sms` }] })
    app.on(
      '/sms',
      raw(
        '<Response><Message to="020 7183 8750">uk</Message><Message to="12">short</Message></Response>',
        'text/xml',
      ),
    )
    const result = await double.inbound({ from: '+447700900123', to: UK, body: 'x' })
    expect(result.replies.map((r) => [r.to, r.from])).toEqual([['+442071838750', UK]])
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([[14101, expect.stringContaining("'12'")]])
  })
})

describe('the cookies of a conversation', () => {
  /** An app that counts the messages of a conversation in a cookie, as Twilio's tutorials do. */
  function countingApp(path: string, setCookie: (n: number) => string[] = (n) => [`count=${n}; Path=/`]) {
    const seen: (string | undefined)[] = []
    app.on(path, (req, res) => {
      seen.push(req.header('cookie'))
      const n = Number(/count=(\d+)/.exec(req.header('cookie') ?? '')?.[1] ?? 0) + 1
      res.setHeader('Set-Cookie', setCookie(n))
      res.type('text/xml').send(`<Response><Message>message ${n}</Message></Response>`)
    })
    return seen
  }
  const say = async (from: string, body = 'hi') =>
    (await double.inbound({ from, to: DEFAULT_FROM, body })).replies.map((r) => r.body)

  it('are sent back with the next webhook of the same pair, for four hours, and cleared by reset', async () => {
    const seen = countingApp('/sms')
    expect(await say(USER)).toEqual(['message 1'])
    expect(await say(USER)).toEqual(['message 2'])
    // another user is another conversation
    expect(await say(OTHER)).toEqual(['message 1'])
    await double.advance('239m')
    expect(await say(USER)).toEqual(['message 3'])
    await double.advance('4h')
    expect(await say(USER)).toEqual(['message 1'])
    double.reset()
    expect(await say(USER)).toEqual(['message 1'])
    expect(seen).toEqual([undefined, 'count=1', undefined, 'count=2', undefined, undefined])
    const last = double.callbacks.list({ kind: 'inbound' }).at(-1)!
    expect(last.responseSetCookies).toEqual(['count=1; Path=/'])
  })

  it('end earlier with Max-Age or Expires, and Max-Age=0 removes one', async () => {
    const seen = countingApp('/sms', (n) =>
      n === 1
        ? [
            'count=1; Max-Age=60',
            `lang=fr; Expires=${new Date(double.now().getTime() + 600_000).toUTCString()}`,
          ]
        : ['lang=; Max-Age=0'],
    )
    await say(USER)
    await say(USER)
    await say(USER)
    await double.advance('61s')
    await say(USER)
    expect(seen).toEqual([undefined, 'count=1; lang=fr', 'count=1', undefined])
  })

  it('go with the fallback and redirects of the same message', async () => {
    const cookies: (string | undefined)[] = []
    app.on('/sms', (_req, res) => {
      res.setHeader('Set-Cookie', 'step=1')
      res.status(500).end()
    })
    app.on('/fallback', (req, res) => {
      cookies.push(req.header('cookie'))
      res.setHeader('Set-Cookie', 'seen=yes')
      res.type('text/xml').send('<Response><Redirect>/next</Redirect></Response>')
    })
    app.on('/next', (req, res) => {
      cookies.push(req.header('cookie'))
      res.status(204).end()
    })
    await say(USER)
    expect(app.received.map((r) => r.path)).toEqual(['/sms', '/fallback', '/next'])
    expect(cookies).toEqual(['step=1', 'step=1; seen=yes'])
  })
})

describe('the fallback URL', () => {
  it('is used when the primary answers 5xx, with ErrorCode and ErrorUrl', async () => {
    app.on('/sms', raw('boom', 'text/plain', 500))
    app.on(
      '/fallback',
      twiml((r) => {
        r.message('Sorry, we are having trouble')
      }),
    )
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'hello?' })
    expect(app.received.map((r) => r.path)).toEqual(['/sms', '/fallback'])
    expect(app.refused).toBe(0)
    expect(app.received[1]!.params).toMatchObject({
      ErrorCode: '11200',
      ErrorUrl: `${app.url}/sms`,
      MessageSid: result.message.sid,
    })
    expect(result.errors.map((e) => e.code)).toEqual([11200])
    expect(result.delivery?.url).toBe(`${app.url}/fallback`)
    expect(result.replies.map((r) => r.body)).toEqual(['Sorry, we are having trouble'])
    await double.settle()
    expect(double.messages.get(result.replies[0]!.sid!)?.status).toBe('delivered')
  })

  it('is used when the primary cannot be reached, and after invalid TwiML', async () => {
    const port = await closedPort()
    double = accountDouble({
      phoneNumbers: [
        {
          number: DEFAULT_FROM,
          smsUrl: `http://127.0.0.1:${port}/down`,
          smsFallbackUrl: `${app.url}/fallback`,
        },
      ],
    })
    app.on('/fallback', raw('Fallback reply', 'text/plain'))
    const down = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'x' })
    expect(down.deliveries[0]!.error).toBeDefined()
    expect(down.errors.map((e) => e.code)).toEqual([11200])
    expect(down.replies.map((r) => r.body)).toEqual(['Fallback reply'])

    double = accountDouble({
      phoneNumbers: [
        { number: DEFAULT_FROM, smsUrl: `${app.url}/sms`, smsFallbackUrl: `${app.url}/fallback` },
      ],
    })
    app.received.length = 0
    app.on('/sms', raw('not xml', 'text/html'))
    const invalid = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'x' })
    expect(app.received.map((r) => r.path)).toEqual(['/sms', '/fallback'])
    expect(app.received[1]!.params.ErrorCode).toBe('12100')
    expect(invalid.replies.map((r) => r.body)).toEqual(['Fallback reply'])
  })

  it("of a messaging service: its inboundRequestUrl's own method, then its fallbackUrl with its method", async () => {
    const port = await closedPort()
    const serviceDouble = (service: Record<string, string>) =>
      accountDouble({
        phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: `${app.url}/sms` }],
        messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM], ...service }],
      })
    app.on('/fallback', raw('Fallback reply', 'text/plain'))

    double = serviceDouble({
      inboundRequestUrl: `http://127.0.0.1:${port}/down`,
      fallbackUrl: `${app.url}/fallback`,
      fallbackMethod: 'GET',
    })
    const down = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'x' })
    expect(down.errors.map((e) => e.code)).toEqual([11200])
    expect(app.received.map((r) => [r.method, r.path])).toEqual([['GET', '/fallback']])
    expect(app.received[0]!.params).toMatchObject({ ErrorCode: '11200', Body: 'x', From: USER })
    expect(down.replies.map((r) => r.body)).toEqual(['Fallback reply'])

    app.received.length = 0
    double = serviceDouble({
      inboundRequestUrl: `${app.url}/second`,
      inboundMethod: 'GET',
      fallbackUrl: `${app.url}/fallback`,
    })
    app.on('/second', raw('not xml', 'text/html'))
    await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'y' })
    expect(app.received.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/second'],
      ['POST', '/fallback'],
    ])
    expect(app.received[1]!.params.ErrorCode).toBe('12100')
    expect(app.refused).toBe(0)
  })

  it("of a number: smsFallbackMethod is the fallback's method", async () => {
    const port = await closedPort()
    double = accountDouble({
      phoneNumbers: [
        {
          number: DEFAULT_FROM,
          smsUrl: `http://127.0.0.1:${port}/down`,
          smsFallbackUrl: `${app.url}/fallback?from=number`,
          smsFallbackMethod: 'GET',
        },
      ],
    })
    app.on('/fallback', raw('Fallback reply', 'text/plain'))
    const down = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'z' })
    expect(app.received.map((r) => [r.method, r.path, r.params.from])).toEqual([
      ['GET', '/fallback', 'number'],
    ])
    expect(down.replies.map((r) => r.body)).toEqual(['Fallback reply'])
    expect(app.refused).toBe(0)
  })

  it('is not used when the primary answers well', async () => {
    app.on(
      '/sms',
      twiml((r) => r.message('primary')),
    )
    const result = await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'x' })
    expect(app.received.map((r) => r.path)).toEqual(['/sms'])
    expect(result.replies.map((r) => r.body)).toEqual(['primary'])
  })
})
