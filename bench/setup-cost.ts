/**
 * What the vitest setup entry costs a suite: 40 test files, each sending 5 messages through the real
 * `twilio` client, run by vitest with `setupFiles: ['twilio-double/vitest']` beside the same files with a
 * hand-written msw setup file whose one handler answers every create with a canned 201. Goal: the double's
 * suite takes at most 1.05 times as long.
 *
 * The suite runs in .bench/setup-cost/ with the built package (dist/, `npm run bench` builds first) copied
 * into its node_modules, as a user installs it; vitest, msw and twilio are the repository's. Rounds of both
 * runs are interleaved and the median of the per-round ratios is reported, because the machine's speed
 * drifts between runs. Run alone: npx tsx bench/setup-cost.ts
 *
 * Beside the wall time, the processor time of each run (vitest and its workers, from Linux's /proc) is compared
 * as context: on a machine shared with other work it moves less than the wall time.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../src/config.js'
import type { BenchResult } from './core.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const work = join(root, '.bench', 'setup-cost')
const SENDS = 5

const testFile = (n: number) => `import twilio from 'twilio'
import { expect, test } from 'vitest'

const client = twilio(${JSON.stringify(DEFAULT_ACCOUNT_SID)}, ${JSON.stringify(DEFAULT_AUTH_TOKEN)})

test('sends ${SENDS} messages (file ${n})', async () => {
  for (let i = 0; i < ${SENDS}; i++) {
    const message = await client.messages.create({ from: ${JSON.stringify(DEFAULT_FROM)}, to: '+1555000${String(1000 + n)}', body: \`code \${i}\` })
    expect(message.status).toBe('queued')
  }
})
`

/** The hand-written baseline: msw with one canned handler, wired to the runner's hooks. */
const MSW_SETUP = `import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'

const body = JSON.stringify({
  account_sid: ${JSON.stringify(DEFAULT_ACCOUNT_SID)}, api_version: '2010-04-01', body: 'code 0',
  date_created: 'Mon, 01 Jan 2024 00:00:00 +0000', date_sent: null, date_updated: 'Mon, 01 Jan 2024 00:00:00 +0000',
  direction: 'outbound-api', error_code: null, error_message: null, from: ${JSON.stringify(DEFAULT_FROM)},
  messaging_service_sid: null, num_media: '0', num_segments: '1', price: null, price_unit: 'USD',
  sid: 'SM00000000000000000000000000000000', status: 'queued', subresource_uris: {}, to: '+15550001111',
  uri: '/2010-04-01/Accounts/AC/Messages/SM.json',
})
const server = setupServer(
  http.post('https://api.twilio.com/2010-04-01/Accounts/:sid/Messages.json', () =>
    new HttpResponse(body, {
      status: 201,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    }),
  ),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())
`

const config = (setupFile: string) => `import { defineConfig } from 'vitest/config'
export default defineConfig({ test: { include: ['test/*.test.ts'], setupFiles: [${JSON.stringify(setupFile)}] } })
`

/** Writes the suite and installs the built package into its node_modules. */
function prepare(files: number): void {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(join(work, 'test'), { recursive: true })
  const pkg = join(work, 'node_modules', 'twilio-double')
  mkdirSync(pkg, { recursive: true })
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'))
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true })
  writeFileSync(join(work, 'package.json'), '{ "name": "setup-cost", "private": true, "type": "module" }\n')
  for (let n = 1; n <= files; n++)
    writeFileSync(join(work, 'test', `t${String(n).padStart(2, '0')}.test.ts`), testFile(n))
  writeFileSync(join(work, 'msw-setup.ts'), MSW_SETUP)
  writeFileSync(join(work, 'vitest.msw.config.ts'), config('./msw-setup.ts'))
  writeFileSync(join(work, 'vitest.double.config.ts'), config('twilio-double/vitest'))
}

/**
 * Processor time (user + system, ms) of this process's children that have ended and been waited for (Linux's
 * /proc/self/stat, in clock ticks of 10 ms); undefined elsewhere.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    // the fields after the command name: state is field 3, cutime and cstime fields 16 and 17
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return undefined
  }
}

/** Wall time and processor time of one `vitest run` of the suite, in ms; throws when a test fails. */
function runSuite(which: 'msw' | 'double'): { ms: number; cpuMs: number | undefined } {
  const cpuBefore = childrenCpuMs()
  const start = performance.now()
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', `vitest.${which}.config.ts`],
    { cwd: work, encoding: 'utf8', env: { ...process.env, CI: 'true', NODE_OPTIONS: '' } },
  )
  const ms = performance.now() - start
  const cpuAfter = childrenCpuMs()
  if (r.status !== 0)
    throw new Error(`the setup-cost suite with the ${which} setup failed:\n${r.stdout}\n${r.stderr}`)
  return { ms, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore }
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!

/** Options of {@link benchSetupCost}. */
export interface SetupCostOptions {
  /** Rounds of both runs; the median ratio is reported (default 5). */
  rounds?: number
  /** Test files in the suite (default 40). */
  files?: number
}

/** The suite with `twilio-double/vitest` vs with a hand-written msw setup file. */
export async function benchSetupCost(options: SetupCostOptions = {}): Promise<BenchResult[]> {
  const rounds = options.rounds ?? 5
  const files = options.files ?? 40
  prepare(files)
  runSuite('double') // warm-up: the file system cache and vitest's own start
  runSuite('msw')
  const ratios: number[] = []
  const cpuRatios: number[] = []
  let doubleMs = 0
  for (let r = 0; r < rounds; r++) {
    // alternate which runs first, so that neither always meets a machine that has just warmed up or slowed down
    const first = r % 2 === 0 ? 'msw' : 'double'
    const a = runSuite(first)
    const b = runSuite(first === 'msw' ? 'double' : 'msw')
    const [msw, double] = first === 'msw' ? [a, b] : [b, a]
    ratios.push(double.ms / msw.ms)
    if (double.cpuMs !== undefined && msw.cpuMs) cpuRatios.push(double.cpuMs / msw.cpuMs)
    doubleMs += double.ms / rounds
  }
  const ratio = median(ratios)
  const results: BenchResult[] = [
    {
      name: `setup file: ${files} vitest files × ${SENDS} creates vs msw (${doubleMs.toFixed(0)} ms)`,
      value: ratio,
      unit: 'x',
      goal: '<= 1.05',
      pass: ratio <= 1.05,
    },
  ]
  if (cpuRatios.length > 0)
    results.push({
      name: 'setup file: the same, processor time',
      value: median(cpuRatios),
      unit: 'x',
      goal: 'context',
      pass: true,
    })
  return results
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await benchSetupCost({
    rounds: Number(process.env.ROUNDS ?? 5),
    files: Number(process.env.FILES ?? 40),
  }))
    console.log(`${r.pass ? 'ok  ' : 'MISS'}  ${r.name}  ${r.value.toFixed(3)}${r.unit}  goal ${r.goal}`)
}
