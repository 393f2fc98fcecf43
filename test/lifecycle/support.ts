/**
 * Shared pieces of the lifecycle tests: a real HTTP receiver on 127.0.0.1 that records what it gets,
 * and an msw server that answers the Twilio API with a double and lets loopback traffic (the double's
 * own status callbacks to the receiver) pass.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpResponse, http, passthrough } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { mswHandles, twilioHandlers } from '../../src/adapters/msw.js'
import { DEFAULT_START_TIME } from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'

/** An approved content template every harness double has (`HX…1`). */
export const TEMPLATE_SID = 'HX00000000000000000000000000000001'

/** A request the receiver got. */
export interface Received {
  method: string
  /** Full URL as the receiver saw it (http://127.0.0.1:port/path?query). */
  url: string
  path: string
  headers: IncomingHttpHeaders
  body: string
  params: Record<string, string>
}

/** A local HTTP server on 127.0.0.1 (port chosen by the system) that records every request. */
export interface Receiver {
  readonly base: string
  readonly received: Received[]
  /** Sets the answer for later requests (default 200, empty). */
  answer(fn: (r: Received) => { status: number; body?: string } | 'hang'): void
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = []
  let answer: (r: Received) => { status: number; body?: string } | 'hang' = () => ({ status: 200 })
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf-8')
      const address = server.address() as AddressInfo
      const r: Received = {
        method: req.method ?? '',
        url: `http://127.0.0.1:${address.port}${req.url ?? '/'}`,
        path: req.url ?? '/',
        headers: req.headers,
        body,
        params: Object.fromEntries(new URLSearchParams(body)),
      }
      received.push(r)
      const a = answer(r)
      if (a === 'hang') return
      res.writeHead(a.status, { 'content-type': 'text/plain' })
      res.end(a.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    answer(fn) {
      answer = fn
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The handler that lets the double's callbacks to loopback receivers through msw. */
export const loopbackPassthrough = http.all(/^http:\/\/127\.0\.0\.1[:/]/, () => passthrough())

/** An msw server answering the Twilio API with `double`; unhandled requests are errors. */
export function mswFor(double: TwilioDouble): ReturnType<typeof setupServer> {
  const server = setupServer(...twilioHandlers(double), loopbackPassthrough)
  // callbacks to hosts a test gives a handler with server.use() are sent to it, as under the setup entries
  double.callbacks.interceptor(mswHandles(server))
  server.listen({ onUnhandledRequest: 'error' })
  return server
}

export { HttpResponse }

/** What a lifecycle test file shares: a receiver on 127.0.0.1 and a double behind msw. */
export interface Harness {
  double: TwilioDouble
  receiver: Receiver
  server: ReturnType<typeof mswFor>
}

/**
 * Registers the hooks of a lifecycle test file: before all, a receiver and a double behind msw; after each
 * test, the double reset and the receiver emptied; after all, both closed. The fields are set once the
 * `beforeAll` hook has run.
 */
export function useHarness(): Harness {
  const h = {} as Harness
  beforeAll(async () => {
    h.receiver = await startReceiver()
    // a fixed start, so that tests can name dates
    h.double = createTwilioDouble({
      startTime: DEFAULT_START_TIME,
      // a template WhatsApp approved, for business-initiated WhatsApp messages
      contentTemplates: [
        { sid: TEMPLATE_SID, types: { 'twilio/text': { body: 'Your order shipped' } }, whatsapp: {} },
      ],
    })
    h.server = mswFor(h.double)
  })
  afterEach(() => {
    h.double.reset()
    h.receiver.received.length = 0
  })
  afterAll(async () => {
    h.server.close()
    await h.receiver.close()
  })
  return h
}
