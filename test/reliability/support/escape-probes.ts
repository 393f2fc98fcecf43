/**
 * Probes for the no-escape tests: requests to every Twilio API host form, path and method, the real
 * `twilio` client driven through every operation on every edge/region host, and the application's own
 * hosts, which a door must leave alone.
 */
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type twilio from 'twilio'
import { expect } from 'vitest'
import { errorSchema } from '../../../src/schemas/message.js'
import { ACCOUNT_A } from './doubles.js'
import type { NetworkTrap } from './network-trap.js'

export const TWILIO_HOSTS = [
  'https://api.twilio.com',
  'https://api.sydney.au1.twilio.com',
  'https://api.dublin.ie1.twilio.com',
  'https://api.ie1.twilio.com',
  'https://api.sydney.twilio.com',
  'https://API.TWILIO.COM:443',
  'http://api.twilio.com',
]
export const PATHS = [
  `/2010-04-01/Accounts/${ACCOUNT_A.sid}/Messages.json`,
  `/2010-04-01/Accounts/${ACCOUNT_A.sid}/Messages/SM00000000000000000000000000000404.json`,
  `/2010-04-01/Accounts/${ACCOUNT_A.sid}/Calls.json`,
  `/2010-04-01/Accounts/${ACCOUNT_A.sid}.json`,
  '/2010-04-01/Accounts.json',
  '/',
  '/v1/Services',
  '/2010-04-01/Accounts/%E0%A4%A/Messages.json',
]
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']

/** Hosts of the application: a door must leave them alone (they reach the trap). */
export const APP_URLS = [
  'https://hooks.my-app.test/twilio/status',
  'https://api.twilio.com.my-app.test/2010-04-01/Accounts.json',
  'https://api-twilio.com/2010-04-01/Accounts.json',
  'https://twilio.com.evil.test/',
  'http://status.my-app.test/callback',
]

export const authA = `Basic ${Buffer.from(`${ACCOUNT_A.sid}:${ACCOUNT_A.authToken}`).toString('base64')}`

export function probes(): { url: string; method: string }[] {
  const out = new Map<string, { url: string; method: string }>()
  const add = (url: string, method: string) => out.set(`${method} ${url}`, { url, method })
  // every host × every method, every path × every method, every host × every path
  for (const host of TWILIO_HOSTS) for (const method of METHODS) add(host + PATHS[0], method)
  for (const path of PATHS) for (const method of METHODS) add(TWILIO_HOSTS[0] + path, method)
  for (const host of TWILIO_HOSTS) for (const path of PATHS) add(host + path, 'GET')
  return [...out.values()]
}

/** Checks that a response is the double's: 2xx-4xx, and a Twilio error body when it fails. */
export async function expectDoubleAnswer(res: Response, method: string, label: string): Promise<void> {
  expect(res.status, label).toBeGreaterThanOrEqual(200)
  expect(res.status, label).toBeLessThan(500)
  const text = await res.text()
  if (res.status >= 400 && method !== 'HEAD')
    expect(errorSchema.safeParse(JSON.parse(text)).success, `${label}: ${text}`).toBe(true)
}

/** Drives the real `twilio` client through every operation on every edge/region form. */
export async function driveClients(
  makeClient: (opts: Record<string, string>) => ReturnType<typeof twilio>,
): Promise<number> {
  const forms: Record<string, string>[] = [
    {},
    { edge: 'sydney', region: 'au1' },
    { edge: 'dublin', region: 'ie1' },
    { region: 'ie1' },
    { edge: 'sydney' },
  ]
  let calls = 0
  for (const form of forms) {
    const client = makeClient(form)
    const m = await client.messages.create({
      from: ACCOUNT_A.from,
      to: '+15550001111',
      body: 'no escape',
      mediaUrl: ['https://media.my-app.test/cat.png'],
    })
    const fetched = await client.messages(m.sid).fetch()
    expect(fetched.sid).toBe(m.sid)
    const page = await client.messages.page({ pageSize: 5 })
    expect(page.instances.some((x) => x.sid === m.sid)).toBe(true)
    const media = await client.messages(m.sid).media.list()
    expect(media).toHaveLength(1)
    await client.messages(m.sid).media(media[0]!.sid).fetch()
    await client.messages(m.sid).update({ body: '' })
    await expect(client.messages(m.sid).remove()).rejects.toMatchObject({ code: 20009 })
    await expect(client.messages('SM00000000000000000000000000000404').fetch()).rejects.toMatchObject({
      status: 404,
      code: 20404,
    })
    await client.messages(m.sid).media(media[0]!.sid).remove()
    calls += 9
  }
  return calls
}

export async function localServer(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = []
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function nodeRequest(
  url: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<number> {
  const mod = url.startsWith('https:') ? https : http
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, headers, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Asserts that the application's own hosts are left alone by the door: each one reaches the trap. */
export async function expectAppHostsLeftAlone(
  trap: NetworkTrap,
  send: (url: string) => Promise<unknown>,
): Promise<void> {
  trap.clear()
  for (const url of APP_URLS) await expect(send(url), url).rejects.toThrow()
  await trap.waitForHits(APP_URLS.length)
  const hosts = trap.escapes().map((a) => a.host)
  for (const url of APP_URLS) expect(hosts).toContain(new URL(url).hostname)
  expect(trap.hits.map((h) => h.host).sort()).toEqual(APP_URLS.map((u) => new URL(u).hostname).sort())
}
