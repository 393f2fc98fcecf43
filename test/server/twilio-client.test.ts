import type { Agent } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForUrl } from '../../src/adapters/server.js'
import { DEFAULT_FROM } from '../../src/config.js'
import { twilioClientFor } from '../../src/pact/index.js'

let server: TwilioDoubleServer
let connections = 0

beforeAll(async () => {
  server = await startServer({ port: 0 })
  server.server.on('connection', () => connections++)
})
afterAll(async () => {
  await server.close()
})

/** Connections the server saw while `client` created a message and fetched it three times. */
async function connectionsFor(client: Awaited<ReturnType<typeof twilioClientForUrl>>): Promise<number> {
  const before = connections
  const msg = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })
  for (let i = 0; i < 3; i++) expect((await client.messages(msg.sid).fetch()).sid).toBe(msg.sid)
  return connections - before
}

describe('twilio clients pointed at a local http URL', () => {
  it('reuse one connection by default', async () => {
    expect(await connectionsFor(await twilioClientForUrl(server.url))).toBe(1)
  })

  it('open a connection per request with keepAlive: false, as twilioClientFor() does for Pact mock servers', async () => {
    expect(await connectionsFor(await twilioClientForUrl(server.url, { keepAlive: false }))).toBe(4)
    expect(await connectionsFor(await twilioClientFor(server.url))).toBe(4)
  })
})

describe('a kept-alive connection', () => {
  it("is dropped by the client a second before the server's keep-alive timeout", async () => {
    const short = await startServer({ port: 0, keepAliveTimeoutMs: 3_000 })
    try {
      const client = await twilioClientForUrl(short.url)
      await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })
      await new Promise((resolve) => setImmediate(resolve))
      const agent = (client.httpClient as unknown as { axios: { defaults: { httpAgent: Agent } } }).axios
        .defaults.httpAgent
      const idle = Object.values(agent.freeSockets).flat()
      expect(idle).toHaveLength(1)
      // the server announces `Keep-Alive: timeout=3`; the client lets an idle socket go after 2 s
      expect(idle[0]!.timeout).toBe(2_000)
    } finally {
      await short.close()
    }
  })
})
