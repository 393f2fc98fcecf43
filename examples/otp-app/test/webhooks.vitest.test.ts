// The webhook contract of the OTP app: Twilio (the consumer) sends status callbacks to POST /twilio/status;
// the app (the provider) must take each of them. The pact is written to a temporary folder, then Pact's
// verifier replays it against the app listening on a local port, each request signed with X-Twilio-Signature
// for the public URL the app checks signatures against.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import twilio from 'twilio'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from 'twilio-double'
import { PactVerificationError, statusCallbackInteraction, verifyWebhookHandlers } from 'twilio-double/pact'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { createOtpService } from '../src/otp.js'

const PUBLIC_URL = 'https://otp.example.com'
const dir = mkdtempSync(join(tmpdir(), 'otp-app-webhook-pacts-'))
const pactFile = join(dir, 'Twilio-otp-app.json')
let server: Server
let baseUrl: string

/** The app's Fetch handler on node:http, as it runs in production. */
function listen(app: ReturnType<typeof createApp>): Promise<Server> {
  const s = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
    const response = await app.fetch(
      new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      }),
    )
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)))
}

beforeAll(async () => {
  const otp = createOtpService({
    client: twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN),
    from: DEFAULT_FROM,
    statusCallbackUrl: `${PUBLIC_URL}/twilio/status`,
    authToken: DEFAULT_AUTH_TOKEN,
  })
  server = await listen(createApp(otp))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

describe('the webhook contract of the OTP app', () => {
  it('Twilio side: the status callbacks Twilio sends to /twilio/status', async () => {
    const pact = new PactV4({ consumer: 'Twilio', provider: 'otp-app', dir, logLevel: 'error' })
    for (const status of ['sent', 'delivered'] as const)
      await statusCallbackInteraction(pact, { path: '/twilio/status', status }).executeTest()
    await statusCallbackInteraction(pact, {
      path: '/twilio/status',
      status: 'undelivered',
      errorCode: 30003,
      exact: ['MessageStatus', 'ErrorCode'],
    }).executeTest()
    await statusCallbackInteraction(pact, { path: '/twilio/status', status: 'read' }).executeTest()
  })

  it('app side: the app takes every callback, signed for the URL it checks', async () => {
    const output = JSON.parse(
      await verifyWebhookHandlers({
        provider: 'otp-app',
        providerBaseUrl: baseUrl,
        publicBaseUrl: PUBLIC_URL,
        pactUrls: [pactFile],
        authToken: DEFAULT_AUTH_TOKEN,
        logLevel: 'error',
      }),
    )
    expect(output.result).toBe(true)
    expect(output.interactionResults).toHaveLength(4)
  })

  it('a request signed with another token is refused, and the failure says where', async () => {
    const failure = await verifyWebhookHandlers({
      provider: 'otp-app',
      providerBaseUrl: baseUrl,
      publicBaseUrl: PUBLIC_URL,
      pactUrls: [pactFile],
      authToken: 'not-the-apps-token',
      logLevel: 'error',
    }).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(PactVerificationError)
    const message = (failure as PactVerificationError).message
    expect(message).toContain('Pact verification of otp-app failed: 4 of 4 interactions')
    expect(message).toContain('  a status callback: undelivered (error 30003)')
    expect(message).toMatch(/ {4}status: .*403/)
  })
})
