/**
 * No escapes: with each door installed, no request to a Twilio API host (api.twilio.com, its edge and
 * region forms, unknown paths, any method, after reset()) opens a connection out of the process, and
 * requests to the application's own hosts are left alone. A network trap below every door
 * (support/network-trap.ts) records each connection attempt and redirects non-loopback ones to a local
 * listener that fails them.
 */
import './no-unhandled.js'
import { setupServer } from 'msw/node'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { twilioHandlers, twilioListenOptions } from '../../src/adapters/msw.js'
import type { TwilioDouble } from '../../src/double.js'
import { ACCOUNT_A, twoAccountDouble } from './support/doubles.js'
import {
  authA,
  driveClients,
  expectAppHostsLeftAlone,
  expectDoubleAnswer,
  localServer,
  METHODS,
  nodeRequest,
  probes,
  TWILIO_HOSTS,
} from './support/escape-probes.js'
import { installNetworkTrap, type NetworkTrap } from './support/network-trap.js'
import { recordFigure } from './support/scale.js'

let trap: NetworkTrap
let local: Awaited<ReturnType<typeof localServer>>
let probesSent = 0

beforeAll(async () => {
  trap = await installNetworkTrap()
  local = await localServer()
})
afterAll(async () => {
  await local.close()
  await trap.uninstall()
  recordFigure('No escapes', 'requests to Twilio API hosts through the doors', probesSent)
  recordFigure('No escapes', 'connections that left the process', 0)
})
beforeEach(() => trap.clear())

describe('the network trap', () => {
  it('catches the twilio client, fetch and node:https when no door is installed', async () => {
    const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken)
    await expect(client.messages.list({ limit: 1 })).rejects.toThrow()
    await expect(fetch('https://api.twilio.com/2010-04-01/Accounts.json')).rejects.toThrow()
    await expect(nodeRequest('https://api.dublin.ie1.twilio.com/')).rejects.toThrow()
    await trap.waitForHits(3)
    expect(trap.escapes().map((a) => a.host)).toEqual([
      'api.twilio.com',
      'api.twilio.com',
      'api.dublin.ie1.twilio.com',
    ])
    expect(trap.hits.map((h) => h.host)).toEqual([
      'api.twilio.com',
      'api.twilio.com',
      'api.dublin.ie1.twilio.com',
    ])
  })

  it('leaves loopback connections alone', async () => {
    expect(await (await fetch(`${local.url}/hello`)).text()).toBe('ok')
    expect(trap.escapes()).toEqual([])
    expect(trap.attempts.some((a) => a.route === 'loopback')).toBe(true)
  })
})

describe('msw door (twilioHandlers)', () => {
  let double: TwilioDouble
  const server = setupServer()

  beforeAll(() => {
    double = twoAccountDouble()
    server.use(...twilioHandlers(double))
    // 'bypass': anything the handlers do not claim goes to the network (the trap), so a leak would show.
    server.listen({ onUnhandledRequest: 'bypass' })
  })
  afterAll(() => server.close())
  afterEach(() => expect(trap.escapes()).toEqual([]))

  it('answers the twilio client on every edge and region host', async () => {
    probesSent += await driveClients((opts) => twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, opts))
    expect(trap.attempts).toEqual([])
  })

  it('answers every method and path on every Twilio API host (fetch), also after reset()', async () => {
    for (const round of ['before reset', 'after reset']) {
      if (round === 'after reset') double.reset()
      for (const p of probes()) {
        const res = await fetch(p.url, {
          method: p.method,
          headers: { authorization: authA },
          ...(p.method === 'GET' || p.method === 'HEAD' ? {} : { body: 'To=%2B15550001111' }),
        })
        await expectDoubleAnswer(res, p.method, `${round}: ${p.method} ${p.url}`)
        probesSent++
      }
    }
    expect(trap.attempts).toEqual([])
  })

  it('answers node:http and node:https requests to Twilio API hosts', async () => {
    for (const host of TWILIO_HOSTS)
      for (const method of METHODS) {
        const status = await nodeRequest(
          `${host}/2010-04-01/Accounts/${ACCOUNT_A.sid}/Nowhere.json`,
          method,
          {
            authorization: authA,
          },
        )
        expect(status, `${method} ${host}`).toBe(404)
        probesSent++
      }
    expect(trap.attempts).toEqual([])
  })

  it('fails a simulated network error in-process', async () => {
    const stop = double.scenarios.use({ when: { to: '+15550009999' }, then: { networkError: true } })
    const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken)
    await expect(
      client.messages.create({ from: ACCOUNT_A.from, to: '+15550009999', body: 'x' }),
    ).rejects.toThrow()
    stop()
    probesSent++
    expect(trap.attempts).toEqual([])
  })

  it("leaves the application's own hosts alone", async () => {
    expect(await (await fetch(`${local.url}/own`)).text()).toBe('ok')
    expect(local.requests).toContain('GET /own')
    await expectAppHostsLeftAlone(trap, (url) => fetch(url))
    await expectAppHostsLeftAlone(trap, (url) => nodeRequest(url))
    trap.clear()
  })
})

describe('msw door with twilioListenOptions()', () => {
  const server = setupServer()
  const OTHER_TWILIO = [
    'https://messaging.twilio.com/v1/Services',
    'https://conversations.twilio.com/v1/Conversations',
    'https://twilio.com/',
    'https://verify.twilio.com/v2/Services',
  ]

  beforeAll(() => {
    server.use(...twilioHandlers(twoAccountDouble()))
    server.listen(twilioListenOptions())
  })
  afterAll(() => server.close())
  afterEach(() => expect(trap.escapes()).toEqual([]))

  it('refuses the other Twilio products in-process and leaves other hosts alone', async () => {
    const errors = console.error
    console.error = () => {}
    try {
      for (const url of OTHER_TWILIO) {
        await expect(fetch(url), url).rejects.toThrow()
        await expect(nodeRequest(url), url).rejects.toThrow()
        probesSent += 2
      }
    } finally {
      console.error = errors
    }
    expect(trap.attempts).toEqual([])
    await expectAppHostsLeftAlone(trap, (url) => fetch(url))
    trap.clear()
  })
})

describe('httpClient door (double.httpClient())', () => {
  afterEach(() => expect(trap.escapes()).toEqual([]))

  it('answers the twilio client on every edge and region host, also after reset()', async () => {
    const double = twoAccountDouble()
    probesSent += await driveClients((opts) =>
      twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { ...opts, httpClient: double.httpClient() }),
    )
    double.reset()
    probesSent += await driveClients((opts) =>
      twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { ...opts, httpClient: double.httpClient() }),
    )
    expect(trap.attempts).toEqual([])
  })

  it('answers every method and path on every Twilio API host', async () => {
    const double = twoAccountDouble()
    const httpClient = double.httpClient()
    for (const p of probes()) {
      const res = await httpClient.request({
        method: p.method as 'get',
        uri: p.url,
        username: ACCOUNT_A.sid,
        password: ACCOUNT_A.authToken,
        data: p.method === 'GET' || p.method === 'HEAD' ? undefined : { To: '+15550001111' },
      })
      expect(res.statusCode, `${p.method} ${p.url}`).toBeLessThan(500)
      probesSent++
    }
    expect(trap.attempts).toEqual([])
  })

  it("installs nothing global: the application's other traffic is left alone", async () => {
    const double = twoAccountDouble()
    twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, { httpClient: double.httpClient() })
    await expectAppHostsLeftAlone(trap, (url) => fetch(url))
    trap.clear()
  })
})

describe('fetch door (double.fetch)', () => {
  afterEach(() => expect(trap.escapes()).toEqual([]))

  it('answers every method and path on every Twilio API host, also after reset()', async () => {
    const double = twoAccountDouble()
    for (const round of ['before reset', 'after reset']) {
      if (round === 'after reset') double.reset()
      for (const p of probes()) {
        const res = await double.fetch(p.url, {
          method: p.method,
          headers: { authorization: authA },
          ...(p.method === 'GET' || p.method === 'HEAD' ? {} : { body: 'To=%2B15550001111' }),
        })
        await expectDoubleAnswer(res, p.method, `${round}: ${p.method} ${p.url}`)
        probesSent++
      }
    }
    expect(trap.attempts).toEqual([])
  })

  it("installs nothing global: the application's own hosts are left alone", async () => {
    const double = twoAccountDouble()
    expect((await double.fetch('https://api.twilio.com/')).status).toBe(404)
    await expectAppHostsLeftAlone(trap, (url) => fetch(url))
    trap.clear()
  })
})
