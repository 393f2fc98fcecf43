/**
 * DNS rebinding: a web page whose name was made to resolve to 127.0.0.1 sends its own name in Host (and Origin).
 * The server answers only loopback names, IP addresses, the name it is bound to and the allowed names: on the
 * control API, the inbox and its events always, and on Twilio's paths while it is bound to loopback.
 */
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer } from '../../src/adapters/server.js'
import { DEFAULT_FROM } from '../../src/config.js'
import { AUTH, MESSAGES_PATH } from './support.js'

interface Answer {
  status: number
  body: string
}

/** A request to 127.0.0.1:`port` that says it is for `host` (fetch cannot set Host). */
function send(
  port: number,
  host: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: {
          host,
          ...options.headers,
          ...(options.body ? { 'content-length': Buffer.byteLength(options.body) } : {}),
        },
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        // an event stream never ends: its first bytes are enough
        res.on('data', (d: string) => {
          body += d
          if (res.headers['content-type']?.startsWith('text/event-stream')) {
            req.destroy()
            resolve({ status: res.statusCode!, body })
          }
        })
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

const create = new URLSearchParams({ To: '+15558675310', From: DEFAULT_FROM, Body: 'Hi' }).toString()
const createOptions = {
  method: 'POST',
  headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
  body: create,
}

/** Every kind of request the guard covers: the control API (reads and changes), the inbox and its events. */
const OWN_PATHS: [string, string, { method?: string; headers?: Record<string, string>; body?: string }?][] = [
  ['credentials', '/__double/credentials'],
  [
    'a text/plain reset from the rebound page',
    '/__double/reset',
    { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' },
  ],
  ['scenarios', '/__double/scenarios', { method: 'POST', body: '{"then":{"reject":21610}}' }],
  ['the inbox page', '/'],
  ['the inbox script', '/__double/inbox/inbox.js'],
  ['the event stream', '/__double/events'],
]

let servers: TwilioDoubleServer[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})
async function start(options: Parameters<typeof startServer>[0] = {}) {
  const server = await startServer({ port: 0, ...options })
  servers.push(server)
  return server
}

describe('a server bound to loopback', () => {
  it('refuses another name on the control API, the inbox and its events (403 saying how to allow it), and changes nothing', async () => {
    const server = await start()
    const evil = `evil.example:${server.port}`
    for (const [what, path, options] of OWN_PATHS) {
      const answer = await send(server.port, evil, path, {
        ...options,
        headers: { origin: `http://${evil}`, ...options?.headers },
      })
      expect(answer.status, what).toBe(403)
      expect(JSON.parse(answer.body), what).toEqual({
        error: 'host_not_allowed',
        message: expect.stringContaining(`start it with --allowed-hosts evil.example`),
      })
    }
    expect(server.double.scenarios.list()).toEqual([])
  })

  it("refuses another name on Twilio's paths too, storing nothing", async () => {
    const server = await start()
    const answer = await send(server.port, `evil.example:${server.port}`, MESSAGES_PATH, createOptions)
    expect(answer.status).toBe(403)
    expect(JSON.parse(answer.body).message).toMatch(/DNS rebinding.*--allowed-hosts evil\.example/)
    expect(server.double.messages.count()).toBe(0)
  })

  it('answers loopback names and IP addresses, everywhere', async () => {
    const server = await start()
    for (const host of ['localhost', '127.0.0.1', '[::1]', 'app.localhost']) {
      const named = `${host}:${server.port}`
      expect((await send(server.port, named, MESSAGES_PATH, createOptions)).status, named).toBe(201)
      for (const [what, path, options] of OWN_PATHS) {
        const answer = await send(server.port, named, path, options)
        expect(answer.status, `${what} as ${named}`).toBeLessThan(300)
      }
      server.double.reset()
    }
  })

  it('answers the names of allowedHosts, and any name with allowedHosts: true', async () => {
    const server = await start({ allowedHosts: ['app.test', '.dev.test'] })
    expect((await send(server.port, 'app.test', '/__double/credentials')).status).toBe(200)
    expect((await send(server.port, 'web.dev.test:80', MESSAGES_PATH, createOptions)).status).toBe(201)
    expect((await send(server.port, 'other.test', '/__double/credentials')).status).toBe(403)
    const open = await start({ allowedHosts: true })
    expect((await send(open.port, 'evil.example', '/__double/credentials')).status).toBe(200)
  })
})

describe('a server bound to all interfaces', () => {
  it("answers Twilio's paths for any name (a container's service name) and still guards its own paths", async () => {
    const server = await start({ host: '0.0.0.0' })
    expect(
      (await send(server.port, `twilio-double:${server.port}`, MESSAGES_PATH, createOptions)).status,
    ).toBe(201)
    expect((await send(server.port, `twilio-double:${server.port}`, '/__double/health')).status).toBe(403)
    expect((await send(server.port, `127.0.0.1:${server.port}`, '/__double/health')).status).toBe(200)
  })
})
