// A web app that logs users in with a one-time code sent by SMS through the real `twilio` client. Its Twilio
// API base is configurable, as an app's should be for tests: the tests point it at a twilio-double server.
import { randomInt } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import twilio from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'

export interface AppOptions {
  /** Where Twilio's API is: `https://api.twilio.com` in production, a twilio-double server in tests. */
  twilioApiUrl: string
  accountSid: string
  authToken: string
  from: string
  port?: number
}

const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Acme: sign in</title>
<main>
  <h1>Sign in</h1>
  <form id="phone-form">
    <label>Phone <input name="phone" type="tel" required></label>
    <button>Send code</button>
  </form>
  <form id="code-form" hidden>
    <label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
    <button>Sign in</button>
  </form>
  <p role="status" id="status"></p>
</main>
<script>
  const status = document.getElementById('status')
  const post = (path, body) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  let phone = ''
  document.getElementById('phone-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    phone = e.target.phone.value
    const res = await post('/send-code', { phone })
    if (!res.ok) return (status.textContent = (await res.json()).error)
    document.getElementById('code-form').hidden = false
    status.textContent = 'We sent a code to ' + phone
  })
  document.getElementById('code-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    const res = await post('/verify', { phone, code: e.target.code.value })
    status.textContent = res.ok ? 'Welcome, ' + phone : 'Wrong code'
  })
</script>
</html>`

/** Starts the app; resolves with its URL and a `close()`. */
export async function startApp(options: AppOptions): Promise<{ url: string; close(): Promise<void> }> {
  const base = options.twilioApiUrl.replace(/\/+$/, '')
  // every request of the client goes to the configured base instead of api.twilio.com
  class ConfiguredBase extends twilio.RequestClient {
    override request<T>(o: RequestClient.RequestOptions<T>) {
      return super.request<T>({ ...o, uri: o.uri.replace('https://api.twilio.com', base) })
    }
  }
  const client = twilio(options.accountSid, options.authToken, { httpClient: new ConfiguredBase() })
  const codes = new Map<string, string>()

  const app = express()
  app.use(express.json())
  app.get('/', (_req, res) => {
    res.type('html').send(PAGE)
  })
  app.post('/send-code', async (req, res) => {
    const phone = String(req.body?.phone ?? '')
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
    codes.set(phone, code)
    try {
      await client.messages.create({
        to: phone,
        from: options.from,
        body: `Your Acme sign-in code is ${code}. It expires in 10 minutes.`,
      })
      res.json({ sent: true })
    } catch (err) {
      res.status(400).json({ error: (err as Error).message })
    }
  })
  app.post('/verify', (req, res) => {
    const ok = codes.get(String(req.body?.phone)) === String(req.body?.code)
    res.status(ok ? 200 : 401).json({ ok })
  })

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections() // a browser's idle keep-alive connections too
      }),
  }
}
