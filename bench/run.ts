/**
 * npm run bench: every goal is a ratio against a baseline measured in the same run (or a bound that
 * holds on any machine), printed as a table. Exit code 1 when a goal is missed.
 */
import { type BenchResult, benchCreate, benchSettle, benchStore } from './core.js'

const suites: [string, () => Promise<BenchResult[]>][] = [
  ['create', benchCreate],
  ['store', benchStore],
  ['settle', benchSettle],
]
try {
  const serverBench = './server.js'
  const mod = (await import(serverBench)) as { runServerBench?: () => Promise<BenchResult[]> }
  if (typeof mod.runServerBench === 'function') suites.push(['server', mod.runServerBench])
} catch {
  // the server benchmark is optional
}

const only = process.argv.slice(2)
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
