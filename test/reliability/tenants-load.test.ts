/**
 * One standalone server for a whole fleet: TENANT_WORKERS child processes (16; 64 in `npm run soak`) start at once,
 * each creates its tenant (a subaccount) and runs a scripted mix through Twilio's API and the control API scoped
 * to its account: creates, refusals and failures by scenario, advance, settle, list (paged), fetch, reset. Every
 * read of every worker must hold exactly what that worker scripted: 0 messages of another tenant, 0 lost, each
 * final state (messages, statuses, clock) as scripted. Then every tenant is closed and its state freed.
 */
import './no-unhandled.js'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer } from '../../src/adapters/server.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_START_TIME } from '../../src/config.js'
import { tenantsOf } from '../../src/double.js'
import { heapAfterGc, MB } from './support/load.js'
import { runNodeChild } from './support/node-child.js'
import { recordFigure, scale, timeoutFor } from './support/scale.js'

const WORKER = fileURLToPath(new URL('./support/tenant-worker.mjs', import.meta.url))

interface WorkerResult {
  index: number
  sid: string
  requests: number
  /** Wall-clock time (epoch ms) of the worker's first request and of its last answer. */
  startedAt: number
  endedAt: number
  seen: number
  foreign: string[]
  problems: string[]
  problemCount: number
  final: { sid: string; status: string }[]
  expectedFinal: number
  now: string
  health: { accounts: string[]; messages: number; scenarios: number }
  fatal?: string
}

let server: TwilioDoubleServer

beforeAll(async () => {
  server = await startServer({ port: 0, doubleOptions: { startTime: DEFAULT_START_TIME } })
})
afterAll(async () => {
  await server?.close()
})

function runWorker(index: number): Promise<WorkerResult> {
  const spec = {
    url: server.url,
    parent: { sid: DEFAULT_ACCOUNT_SID, token: DEFAULT_AUTH_TOKEN },
    index,
    rounds: scale.tenantRounds,
    creates: scale.tenantCreates,
  }
  return runNodeChild<WorkerResult>(WORKER, spec, { label: `worker ${index}` })
}

async function close(sid: string): Promise<number> {
  const res = await fetch(`${server.url}/2010-04-01/Accounts/${sid}.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'Status=closed',
  })
  await res.text()
  return res.status
}

describe('one server, a tenant per worker, under parallel load', () => {
  it(
    `keeps ${scale.tenantWorkers} workers' tenants apart: 0 cross-tenant reads, 0 lost messages, each final state as scripted; closing frees them`,
    async () => {
      const registry = tenantsOf(server.double)!
      const baseHeap = heapAfterGc()
      const cpuBefore = process.cpuUsage()
      const results = await Promise.all(Array.from({ length: scale.tenantWorkers }, (_, i) => runWorker(i)))
      // the server's share: this process answers every request (the workers are processes of their own)
      const cpu = process.cpuUsage(cpuBefore)
      const cpuSeconds = (cpu.user + cpu.system) / 1e6
      // from the first request of any worker to the last answer (the processes' start-up left out)
      const seconds =
        (Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000

      const requests = results.reduce((n, r) => n + r.requests, 0)
      const seen = results.reduce((n, r) => n + r.seen, 0)
      for (const r of results) {
        const label = `worker ${r.index}`
        expect(r.fatal, label).toBeUndefined()
        expect(r.foreign, `${label} read other tenants' messages`).toEqual([])
        expect(r.problems, `${label}: ${r.problemCount} problems`).toEqual([])
        // the final state as scripted: three messages, delivered, in a tenant of its own
        expect(
          r.final.map((m) => m.status),
          label,
        ).toEqual(['delivered', 'delivered', 'delivered'])
        expect(r.expectedFinal, label).toBe(3)
        expect(r.health, label).toEqual({ accounts: [r.sid], messages: 3, scenarios: 0 })
      }
      expect(new Set(results.map((r) => r.sid)).size).toBe(scale.tenantWorkers)
      // each clock moved by its own script alone: what worker i advanced ((i + 1) minutes), plus the same settle
      const jumps = results.map((r) => Date.parse(r.now) - DEFAULT_START_TIME - (r.index + 1) * 60_000)
      expect(new Set(jumps).size, `clock jumps beyond the scripted advance: ${jumps.join(', ')}`).toBe(1)
      // the server's own account saw nothing of it
      expect(server.double.now().getTime()).toBe(DEFAULT_START_TIME)
      expect(server.double.tenant(DEFAULT_ACCOUNT_SID).messages.count()).toBe(0)
      expect(requests).toBeGreaterThan(scale.tenantWorkers * 100)

      // memory: the tenants as their scripts left them, then closed
      const heldHeap = heapAfterGc()
      const backends = results.map((r) => new WeakRef(registry.tenant(r.sid)!.backend))
      for (const r of results) expect(await close(r.sid)).toBe(200)
      for (const r of results)
        expect(registry.tenant(r.sid), `tenant of ${r.sid} after its close`).toBeUndefined()
      expect(registry.tenants()).toEqual([registry.first])
      // a turn of the event loop, so that the WeakRefs made above no longer hold their targets
      await new Promise((resolve) => setTimeout(resolve, 0))
      const closedHeap = heapAfterGc()
      const freed = backends.filter((ref) => ref.deref() === undefined).length
      expect(freed, 'closed tenants whose state is still held').toBe(scale.tenantWorkers)

      // what closing the tenants gave back: the memory of a tenant as its script left it
      const perTenant = (heldHeap - closedHeap) / scale.tenantWorkers
      const section = 'Tenants under parallel load'
      recordFigure(
        section,
        `${scale.tenantWorkers} worker processes, a tenant each, on one server`,
        `${requests} requests in ${seconds.toFixed(1)} s (${Math.round(requests / seconds)} req/s); ${seen} messages read, 0 of another tenant, 0 lost; every final state as scripted`,
      )
      recordFigure(
        section,
        "the server's CPU time for them",
        `${cpuSeconds.toFixed(1)} s (${Math.round(requests / cpuSeconds)} requests per CPU second; the workers share the machine's cores with it)`,
      )
      recordFigure(
        section,
        'memory per tenant (as its script left it: 3 messages), given back when it is closed',
        `${(perTenant / 1024).toFixed(1)} KB (heap ${(heldHeap / MB).toFixed(1)} MB with the ${scale.tenantWorkers} tenants, ${(closedHeap / MB).toFixed(1)} MB once closed; ${(baseHeap / MB).toFixed(1)} MB before the run)`,
      )
      recordFigure(
        section,
        'closed tenants whose state was freed (collected)',
        `${freed} of ${scale.tenantWorkers}`,
      )
    },
    timeoutFor(60_000),
  )
})
