/**
 * The server with `overrideGlobalObjects: true` (as the CLI runs it): @hono/node-server's lighter global
 * Request/Response must not change any answer. Vitest isolates this file, so the globals it replaces stay here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import { DEFAULT_FROM } from '../../src/config.js'
import { AUTH, MESSAGES_PATH, readEvents } from './support.js'

let server: TwilioDoubleServer
const GlobalResponse = globalThis.Response

beforeAll(async () => {
  server = await startServer({ port: 0, overrideGlobalObjects: true, maxBodyBytes: 4096 })
})
afterAll(async () => {
  await server.close()
})

describe('the server with the lighter global Request/Response', () => {
  it('replaced the globals (so this file tests that mode)', async () => {
    await fetch(`${server.url}/__double/health`)
    expect(globalThis.Response).not.toBe(GlobalResponse)
  })

  it('serves the twilio client: create, settle, fetch, list, errors', async () => {
    const client = await twilioClientForServer(server)
    const msg = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'light' })
    expect(msg.status).toBe('queued')
    expect((await fetch(`${server.url}/__double/settle`, { method: 'POST' })).status).toBe(200)
    expect((await client.messages(msg.sid).fetch()).status).toBe('delivered')
    expect((await client.messages.list({ limit: 5 })).map((m) => m.sid)).toEqual([msg.sid])
    await expect(
      client.messages.create({ to: '+15005550001', from: DEFAULT_FROM, body: 'x' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21211,
    })
    expect(await client.messages(msg.sid).remove()).toBe(true)
  })

  it('answers 413, chunked bodies, event streams and dropped connections the same way', async () => {
    const big = await fetch(`${server.url}${MESSAGES_PATH}`, {
      method: 'POST',
      headers: { authorization: AUTH },
      body: 'x'.repeat(5000),
    })
    expect(big.status).toBe(413)
    expect((await big.json()).status).toBe(413)
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('To=%2B15558675310&From=%2B15005550006&Body=chunked'))
        c.close()
      },
    })
    const res = await fetch(`${server.url}${MESSAGES_PATH}`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      body: chunked,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(201)
    const created = await res.json()

    const controller = new AbortController()
    const events = await fetch(`${server.url}/__double/events`, { signal: controller.signal })
    const reading = readEvents(events.body!, (e) => e.event === 'message' && e.data.status === 'delivered')
    await fetch(`${server.url}/__double/settle`, { method: 'POST' })
    const seen = await reading
    controller.abort()
    expect(seen.some((e) => e.data.sid === created.sid && e.data.status === 'delivered')).toBe(true)

    server.double.scenarios.use({ when: { to: '+15550009999' }, then: { networkError: true }, times: 1 })
    await expect(
      fetch(`${server.url}${MESSAGES_PATH}`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'To=%2B15550009999&From=%2B15005550006&Body=x',
      }),
    ).rejects.toThrow()
    expect((await fetch(`${server.url}/__double/health`)).status).toBe(200)
  })
})
