/**
 * Sizes of the reliability suite. `npm test` runs a short version; `npm run soak` (SOAK=1) the full one.
 * Every size can be set on its own from the environment, e.g.
 * `FUZZ_SEED=123 FUZZ_RUNS=5000 npx vitest run test/reliability/fuzz.test.ts`.
 *
 * When RELIABILITY_FIGURES names a file, tests append their figures to it (one JSON object a line);
 * `scripts/soak.ts` turns them into test/reliability/last-soak.md.
 */
import { appendFileSync } from 'node:fs'

/** True in the soak run (`npm run soak`). */
export const SOAK = process.env.SOAK === '1' || process.env.SOAK === 'true'

function envInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw.replace(/_/g, ''))
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(
      `[twilio-double] ${name}='${raw}' is not a whole number: unset it or pass e.g. ${fallback}`,
    )
  return n
}

function fuzzSeed(): number {
  const raw = process.env.FUZZ_SEED
  if (raw !== undefined && raw !== '') {
    const n = Number(raw)
    if (!Number.isSafeInteger(n))
      throw new Error(`[twilio-double] FUZZ_SEED='${raw}' is not an integer: pass the seed a run printed`)
    return n
  }
  // `npm test` is deterministic (a fixed seed); the soak run explores a new seed each time
  return SOAK ? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0 : 20_261_127
}

export const scale = {
  /** fast-check runs of the request fuzzer (one random request or clock move a run). */
  fuzzRuns: envInt('FUZZ_RUNS', SOAK ? 100_000 : 2_000),
  /** Seed of the fuzzer: fixed in `npm test`, new in each soak run (printed; FUZZ_SEED replays a run). */
  fuzzSeed: fuzzSeed(),
  /** Creates sent in parallel through each door. */
  creates: envInt('CONCURRENCY_CREATES', SOAK ? 10_000 : 2_000),
  /**
   * Creates through the intercepting doors, msw and nock: their interception of the client's http requests
   * costs 5 to 10 ms a request on a busy two-core machine, so their default run is smaller.
   */
  mswCreates: envInt('CONCURRENCY_MSW_CREATES', SOAK ? 10_000 : 500),
  /** Seconds of each autocannon run against the standalone server. */
  loadSeconds: envInt('LOAD_SECONDS', SOAK ? 30 : 2),
  /** Connections of each autocannon run. */
  loadConnections: envInt('LOAD_CONNECTIONS', 100),
  /** Worker processes of the tenants load test, each with a tenant of its own on one server. */
  tenantWorkers: envInt('TENANT_WORKERS', SOAK ? 64 : 16),
  /** Rounds of each tenant worker's script (creates, advance, list, settle; a reset every second round). */
  tenantRounds: envInt('TENANT_ROUNDS', 10),
  /** Creates of each round (one in six refused by scenario, one in six failed by scenario). */
  tenantCreates: envInt('TENANT_CREATES', 12),
}

/** A test timeout that grows with the work asked of it. */
export function timeoutFor(baseMs: number, perUnitMs = 0, units = 0): number {
  return Math.ceil(baseMs + perUnitMs * units) * (SOAK ? 3 : 1)
}

/** Appends one figure of a run to RELIABILITY_FIGURES (no-op when unset). */
export function recordFigure(section: string, name: string, value: string | number, note?: string): void {
  const file = process.env.RELIABILITY_FIGURES
  if (!file) return
  appendFileSync(file, `${JSON.stringify({ section, name, value, ...(note ? { note } : {}) })}\n`)
}
