/**
 * The nock door (nockTwilio) under the same proofs as the other doors: nothing to a Twilio API host leaves
 * the process (network trap below nock), the application's own hosts are left alone, and creates sent all
 * at once lose nothing. In its own file: nock and msw active in one process shadow each other.
 */
import './no-unhandled.js'
import nock from 'nock'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { nockTwilio } from '../../src/adapters/nock.js'
import { checkConsistency } from './support/consistency.js'
import { ACCOUNT_A, ACCOUNT_B, twoAccountDouble } from './support/doubles.js'
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
import { recordFigure, scale, timeoutFor } from './support/scale.js'

let trap: NetworkTrap
let probesSent = 0

beforeAll(async () => {
  trap = await installNetworkTrap()
  // let everything nock does not claim go to the network (the trap), so that a leak would show
  nock.enableNetConnect()
})
afterAll(async () => {
  nock.cleanAll()
  nock.restore()
  await trap.uninstall()
  recordFigure('No escapes', 'requests to Twilio API hosts through the nock door', probesSent)
})

describe('nock door: no escapes', () => {
  afterEach(() => expect(trap.escapes()).toEqual([]))

  it('answers the twilio client on every edge and region host, also after reset()', async () => {
    const double = twoAccountDouble()
    const door = nockTwilio(nock, double)
    try {
      trap.clear()
      probesSent += await driveClients((opts) => twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, opts))
      double.reset()
      probesSent += await driveClients((opts) => twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken, opts))
      expect(trap.attempts).toEqual([])
    } finally {
      door.remove()
    }
  })

  it('answers every method and path on every Twilio API host (fetch and node:https)', async () => {
    const double = twoAccountDouble()
    const door = nockTwilio(nock, double)
    try {
      trap.clear()
      for (const p of probes()) {
        const res = await fetch(p.url, {
          method: p.method,
          headers: { authorization: authA },
          ...(p.method === 'GET' || p.method === 'HEAD' ? {} : { body: 'To=%2B15550001111' }),
        })
        await expectDoubleAnswer(res, p.method, `${p.method} ${p.url}`)
        probesSent++
      }
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
    } finally {
      door.remove()
    }
  })

  it("leaves the application's own hosts alone", async () => {
    const double = twoAccountDouble()
    const door = nockTwilio(nock, double)
    const local = await localServer()
    try {
      expect(await (await fetch(`${local.url}/own`)).text()).toBe('ok')
      expect(local.requests).toContain('GET /own')
      await expectAppHostsLeftAlone(trap, (url) => fetch(url))
      await expectAppHostsLeftAlone(trap, (url) => nodeRequest(url))
      trap.clear()
    } finally {
      door.remove()
      await local.close()
    }
  })
})

describe('nock door: creates in parallel', () => {
  it(
    `through the twilio client: ${scale.mswCreates} at once`,
    async () => {
      const double = twoAccountDouble({ maxQueueSeconds: false })
      const door = nockTwilio(nock, double)
      try {
        const client = twilio(ACCOUNT_A.sid, ACCOUNT_A.authToken)
        const n = scale.mswCreates
        const started = performance.now()
        const results = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            client.messages.create({
              from: ACCOUNT_A.from,
              to: `+1555${String(i).padStart(7, '0')}`,
              body: `message ${i}`,
            }),
          ),
        )
        const ms = performance.now() - started
        expect(results.filter((m, i) => m.body !== `message ${i}`)).toEqual([])
        const sids = new Set(results.map((m) => m.sid))
        expect(sids.size).toBe(n)
        expect(double.messages.count()).toBe(n)
        const problems = await checkConsistency(double, [ACCOUNT_A, ACCOUNT_B], {
          expected: new Map([
            [ACCOUNT_A.sid, sids],
            [ACCOUNT_B.sid, new Set()],
          ]),
          pageSize: 1000,
          maxFilters: 2,
          maxIndexChecks: 200,
        })
        expect(problems).toEqual([])
        recordFigure(
          'Concurrency',
          'twilio client + nock: parallel creates, lost, duplicate SIDs',
          `${n}, 0, 0`,
          `${(ms / 1000).toFixed(1)} s`,
        )
      } finally {
        door.remove()
      }
    },
    timeoutFor(30_000, 20, scale.mswCreates),
  )
})
