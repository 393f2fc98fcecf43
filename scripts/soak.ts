/**
 * The soak run of the reliability suite (test/reliability): 100,000 fuzzed requests, 10,000 parallel
 * creates through each door, 30 s of autocannon at 100 connections on create, fetch and list. Test files
 * run one after the other so that the load figures are not skewed by the fuzzer. Writes the figures to
 * test/reliability/last-soak.md (for the README's Reliability section).
 *
 * Usage: `npm run soak` — sizes can be changed through the environment (FUZZ_RUNS, FUZZ_SEED,
 * CONCURRENCY_CREATES, CONCURRENCY_MSW_CREATES, LOAD_SECONDS, LOAD_CONNECTIONS).
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(root, 'test/reliability/last-soak.md')
const tmp = mkdtempSync(path.join(os.tmpdir(), 'twilio-double-soak-'))
const figuresFile = path.join(tmp, 'figures.jsonl')
const resultsFile = path.join(tmp, 'results.json')
writeFileSync(figuresFile, '')

interface Figure {
  section: string
  name: string
  value: string | number
  note?: string
}

interface VitestJson {
  numTotalTests: number
  numPassedTests: number
  numFailedTests: number
  testResults: { name: string; assertionResults: { fullName: string; status: string; duration?: number }[] }[]
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

const env = {
  ...process.env,
  SOAK: '1',
  RELIABILITY_FIGURES: figuresFile,
  FUZZ_SEED: process.env.FUZZ_SEED ?? String((Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0),
}

const started = Date.now()
const code: number = await new Promise((resolve) => {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      'test/reliability',
      '--fileParallelism=false',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${resultsFile}`,
    ],
    { cwd: root, env, stdio: 'inherit' },
  )
  child.on('close', (c) => resolve(c ?? 1))
})
const minutes = (Date.now() - started) / 60_000

const figures: Figure[] = readFileSync(figuresFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Figure)
let results: VitestJson | undefined
try {
  results = JSON.parse(readFileSync(resultsFile, 'utf8')) as VitestJson
} catch {
  results = undefined
}
rmSync(tmp, { recursive: true, force: true })

const cpus = os.cpus()
const dirty = git('status', '--porcelain').length > 0 && git('status', '--porcelain') !== 'unknown'
const lines: string[] = [
  '# Reliability: figures of the last soak run',
  '',
  'Reproduce with `npm run soak` (the short version of the same suite runs in `npm test`).',
  '',
  `- Date: ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes.toFixed(1)} minutes`,
  `- Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, ${os.type()} ${os.release()}, Node ${process.version}`,
  `- Commit: ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted changes)' : ''}`,
  `- Fuzz seed: ${env.FUZZ_SEED} (replay: \`FUZZ_SEED=${env.FUZZ_SEED} FUZZ_RUNS=100000 npx vitest run test/reliability/fuzz.test.ts\`)`,
  results
    ? `- Tests: ${results.numPassedTests} of ${results.numTotalTests} passed${results.numFailedTests > 0 ? `, ${results.numFailedTests} failed` : ''}`
    : `- Tests: vitest exited with code ${code}`,
  '',
]
const sections = [...new Set(figures.map((f) => f.section))]
for (const section of sections) {
  lines.push(`## ${section}`, '', '| Figure | Value |', '| --- | --- |')
  for (const f of figures.filter((x) => x.section === section))
    lines.push(`| ${f.name} | ${String(f.value).replaceAll('|', '\\|')}${f.note ? ` (${f.note})` : ''} |`)
  lines.push('')
}
const failed = results?.testResults.flatMap((file) =>
  file.assertionResults
    .filter((t) => t.status === 'failed')
    .map((t) => `- ${path.relative(root, file.name)}: ${t.fullName}`),
)
if (failed && failed.length > 0) lines.push('## Failed tests', '', ...failed, '')
writeFileSync(out, lines.join('\n'))
try {
  // the repository's formatter aligns the tables (`npm run lint` checks markdown too)
  execFileSync(path.join(root, 'node_modules/.bin/biome'), ['format', '--write', out], {
    cwd: root,
    stdio: 'ignore',
  })
} catch {
  // unformatted tables are still valid markdown
}
console.log(
  `\n[soak] figures written to ${path.relative(root, out)} (${minutes.toFixed(1)} min, vitest exit code ${code})`,
)
process.exit(code)
