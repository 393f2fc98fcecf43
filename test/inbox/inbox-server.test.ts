/**
 * The inbox's server side without a browser: its files as shipped in the package, loadInbox(), the
 * hook in the standalone server, and the control API additions the page relies on (paging and search of
 * messages, media, credentials).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'
import { INBOX_FILES, INBOX_PREFIX, type Inbox, inboxFolder, loadInbox } from '../../src/inbox/index.js'
import { demoAccount, WHATSAPP_FROM } from './demo-data.js'

const get = (path: string, init: RequestInit = {}) =>
  new Request(`http://127.0.0.1:4010${path}`, { method: 'GET', ...init })

let inbox: Inbox
beforeAll(async () => {
  inbox = await loadInbox()
})
const inboxResponse = (request: Request, url: URL | string) => inbox.respond(request, url)
const shipped = (name: string) => readFileSync(join(inboxFolder(), name), 'utf8')

describe('inbox files', () => {
  it("are the package's inbox/ folder, listed in package.json files, and read as they are", () => {
    expect(inboxFolder()).toBe(join(import.meta.dirname, '../../inbox'))
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'))
    expect(pkg.files).toContain('inbox')
    for (const name of Object.keys(INBOX_FILES))
      expect(new TextDecoder().decode(inbox.files[name]!.body)).toBe(shipped(name))
  })

  it('refer to nothing outside the server: no CDN, no web font, no remote script or style', () => {
    const html = shipped('index.html')
    for (const m of html.matchAll(/\b(?:src|href)="([^"]*)"/g)) expect(m[1]).toMatch(/^(\/|#|data:)/)
    const css = shipped('inbox.css')
    expect(css).not.toMatch(/@import|@font-face|url\(/)
    const js = shipped('inbox.js')
    expect(js).not.toMatch(/\bimport\s*\(|^import\s/m)
    expect([...js.matchAll(/fetch\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['API + path, init'])
  })
})

describe('inboxResponse()', () => {
  it('serves the page at / and under the inbox prefix, with a strict Content-Security-Policy', async () => {
    for (const path of ['/', `${INBOX_PREFIX}`, `${INBOX_PREFIX}/`, `${INBOX_PREFIX}/index.html`, '/?x=1']) {
      const res = inboxResponse(get(path), path)!
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'")
      const body = await res.text()
      expect(body).toContain('<title>Inbox · twilio-double</title>')
      expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(body))
    }
  })

  it('serves the stylesheet and the script with their types; HEAD has the headers and no body', async () => {
    const css = inboxResponse(get(`${INBOX_PREFIX}/inbox.css`), new URL(`http://x${INBOX_PREFIX}/inbox.css`))!
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    const js = inboxResponse(get(`${INBOX_PREFIX}/inbox.js`), `${INBOX_PREFIX}/inbox.js`)!
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('x-content-type-options')).toBe('nosniff')
    const head = inboxResponse(
      get(`${INBOX_PREFIX}/inbox.js`, { method: 'HEAD' }),
      `${INBOX_PREFIX}/inbox.js`,
    )!
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(js.headers.get('content-length'))
    expect(await head.text()).toBe('')
  })

  it('answers 304 to a request that has the current ETag', () => {
    const first = inboxResponse(get('/'), '/')!
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[\w-]{22}"$/)
    const again = inboxResponse(get('/', { headers: { 'if-none-match': `W/${etag}` } }), '/')!
    expect(again.status).toBe(304)
    expect(inboxResponse(get('/', { headers: { 'if-none-match': '"other"' } }), '/')!.status).toBe(200)
  })

  it('leaves other paths to the caller and answers unknown inbox files and methods', async () => {
    expect(inboxResponse(get('/2010-04-01/Accounts.json'), '/2010-04-01/Accounts.json')).toBeUndefined()
    expect(inboxResponse(get('/__double/health'), '/__double/health')).toBeUndefined()
    expect(inboxResponse(get('/__double/inboxes'), '/__double/inboxes')).toBeUndefined()
    expect(inboxResponse(get('/', { method: 'POST' }), '/')).toBeUndefined()
    const missing = inboxResponse(get(`${INBOX_PREFIX}/secret.txt`), `${INBOX_PREFIX}/secret.txt`)!
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: 'not_found' })
    for (const odd of ['../package.json', 'toString', '__proto__', 'static/inbox.js'])
      expect(inboxResponse(get(`${INBOX_PREFIX}/${odd}`), `${INBOX_PREFIX}/${odd}`)!.status).toBe(404)
    const post = inboxResponse(get(`${INBOX_PREFIX}/`, { method: 'POST' }), `${INBOX_PREFIX}/`)!
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })
})

describe('standalone server with the inbox', () => {
  let server: TwilioDoubleServer
  const api = (path: string, init?: RequestInit) => fetch(`${server.url}/__double${path}`, init)

  beforeAll(async () => {
    const double = createTwilioDouble({ accounts: [demoAccount('http://127.0.0.1:9/app')] })
    server = await startServer({ double, port: 0 })
  })
  afterAll(() => server.close())
  beforeEach(() => server.double.reset())

  it('serves the page at / while Twilio paths and the control API answer as before', async () => {
    const page = await fetch(`${server.url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<h1>twilio-double')
    const script = await fetch(`${server.url}${INBOX_PREFIX}/inbox.js`)
    expect(script.status).toBe(200)
    expect(await script.text()).toBe(shipped('inbox.js'))
    const post = await fetch(`${server.url}/`, { method: 'POST' })
    expect(post.status).toBe(404)
    expect(await post.json()).toMatchObject({ code: 20404 })
    expect((await api('/health')).status).toBe(200)
  })

  it('GET /__double/credentials gives what a client needs to connect', async () => {
    const body = await (await api('/credentials')).json()
    expect(body.defaultFrom).toBe(DEFAULT_FROM)
    expect(body.accounts).toHaveLength(1)
    expect(body.accounts[0]).toMatchObject({
      sid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      phoneNumbers: [
        { number: DEFAULT_FROM, smsUrl: 'http://127.0.0.1:9/app/sms' },
        { number: WHATSAPP_FROM, smsUrl: 'http://127.0.0.1:9/app/whatsapp' },
      ],
    })
    expect(body.accounts[0].apiKeys[0].sid).toMatch(/^SK/)
    expect(body.accounts[0].messagingServices[0].sid).toMatch(/^MG/)
  })

  it('GET /__double/messages pages with limit and offset, searches with q and filters by channel', async () => {
    const client = await twilioClientForServer(server)
    const sids: string[] = []
    for (let i = 0; i < 5; i++)
      sids.push(
        (await client.messages.create({ to: `+1555000000${i}`, from: DEFAULT_FROM, body: `Note ${i}` })).sid,
      )
    const mms = await client.messages.create({
      to: '+15550000009',
      from: DEFAULT_FROM,
      body: 'With a picture',
      mediaUrl: ['https://example.com/a.png'],
    })
    const wa = await client.messages.create({
      to: 'whatsapp:+15550000008',
      from: WHATSAPP_FROM,
      body: 'Hola',
    })

    const all = await (await api('/messages')).json()
    expect(all).toMatchObject({ count: 7, total: 7, offset: 0 })
    expect(all.limit).toBeUndefined()
    const page = await (await api('/messages?limit=2&offset=3')).json()
    expect(page).toMatchObject({ count: 2, total: 7, offset: 3, limit: 2 })
    expect(page.messages.map((m: { sid: string }) => m.sid)).toEqual(
      all.messages.slice(3, 5).map((m: { sid: string }) => m.sid),
    )
    expect((await (await api('/messages?offset=50')).json()).count).toBe(0)

    const byBody = await (await api('/messages?q=note%203')).json()
    expect(byBody.messages.map((m: { sid: string }) => m.sid)).toEqual([sids[3]])
    const byNumber = await (await api(`/messages?q=${encodeURIComponent('0000009')}`)).json()
    expect(byNumber.messages.map((m: { sid: string }) => m.sid)).toEqual([mms.sid])
    const bySid = await (await api(`/messages?q=${wa.sid.slice(0, 12).toLowerCase()}`)).json()
    expect(bySid.messages.map((m: { sid: string }) => m.sid)).toEqual([wa.sid])
    expect((await (await api('/messages?channel=mms')).json()).messages[0].sid).toBe(mms.sid)
    expect((await (await api('/messages?channel=whatsapp')).json()).total).toBe(1)
    expect((await (await api('/messages?channel=sms')).json()).total).toBe(5)
    expect(await (await api('/messages?channel=sms&q=note&limit=1')).json()).toMatchObject({
      count: 1,
      total: 5,
    })

    for (const bad of ['limit=-1', 'offset=x', 'limit=1.5', 'channel=fax']) {
      const res = await api(`/messages?${bad}`)
      expect(res.status).toBe(400)
      expect((await res.json()).error).toBe('bad_request')
    }
  })

  it('GET /__double/messages/:sid lists the media with their content types', async () => {
    const client = await twilioClientForServer(server)
    const msg = await client.messages.create({
      to: '+15550000001',
      from: DEFAULT_FROM,
      mediaUrl: ['https://example.com/a.png', 'https://example.com/b.pdf'],
    })
    const body = await (await api(`/messages/${msg.sid}`)).json()
    expect(body.media).toEqual([
      { sid: expect.stringMatching(/^ME/), url: 'https://example.com/a.png', contentType: 'image/png' },
      { sid: expect.stringMatching(/^ME/), url: 'https://example.com/b.pdf', contentType: 'application/pdf' },
    ])
    expect(body.mediaUrls).toEqual(['https://example.com/a.png', 'https://example.com/b.pdf'])
  })
})
