/**
 * npm run bench: every goal is a ratio against a baseline measured in the same run (or a bound that
 * holds on any machine), printed as a table. Exit code 1 when a goal is missed.
 *
 * npm run bench -- micro [id…] [--cold] [--quick]: the fast paths against the plain ways they replace
 * (bench/micro, bench/README.md); run only when named.
 */
import { type BenchResult, benchCreate, benchSettle, benchStore } from './core.js'

const args = process.argv.slice(2)
if (args[0] === 'micro') {
  const { runMicro } = await import('./micro/index.js')
  await runMicro(args.slice(1))
  process.exit(0)
}

const suites: [string, () => Promise<BenchResult[]>][] = [
  ['create', benchCreate],
  ['store', benchStore],
  ['settle', benchSettle],
  ['setup', async () => (await import('./setup-cost.js')).benchSetupCost()],
]
try {
  const serverBench = './server.js'
  const mod = (await import(serverBench)) as { runServerBench?: () => Promise<BenchResult[]> }
  if (typeof mod.runServerBench === 'function') suites.push(['server', mod.runServerBench])
} catch {
  // the server benchmark is optional
}

const only = args
const results: BenchResult[] = []
for (const [name, run] of suites) {
  if (only.length > 0 && !only.includes(name)) continue
  const r = await run()
  results.push(...r)
  for (const x of r)
    console.log(
      `${x.pass ? 'ok  ' : 'MISS'}  ${x.name.padEnd(48)} ${x.value.toFixed(x.unit === 'x' ? 2 : 0).padStart(9)} ${x.unit.padEnd(5)} goal ${x.goal}`,
    )
}
if (results.some((r) => !r.pass)) process.exitCode = 1
