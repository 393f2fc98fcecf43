/**
 * The jest preset's transform (jest-preset.cjs) as jest runs it: a CommonJS test that loads `msw/node`, run by
 * jest with an empty transform cache, then again with the cache it left. The preset has no plain counterpart in
 * jest's CommonJS mode (without it msw's ESM-only dependencies do not load at all); what it adds to a first run,
 * and what its cheap test before parsing (files without `import`/`export` are left unparsed) saves, are measured.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const REPO = fileURLToPath(new URL('../../', import.meta.url))
const PRESET = join(REPO, 'jest-preset.cjs')

/** The preset's test before parsing (as in jest-preset.cjs). */
const MAYBE_ESM = /(^|[\s;])(import\s*[\w{*'"]|export\s*[\w{*]|import\.meta)/m

export interface JestPresetFigures {
  files: number
  rewritten: number
  /** Wall time of a jest run with an empty cache, and with the cache of that run (ms). */
  coldRunMs: number
  warmRunMs: number
  /** Time spent in the transform during the cold run (ms). */
  transformMs: number
  /** The transform of every file, with the test before parsing and with every file parsed (ms, in process). */
  withPrecheckMs: number
  parseAllMs: number
}

/** Runs jest on a CommonJS test of msw in a folder of the system's temporary directory. */
export function measureJestPreset(): JestPresetFigures {
  const dir = mkdtempSync(join(tmpdir(), 'twilio-double-jest-bench-'))
  try {
    const log = join(dir, 'transformed.jsonl')
    const recorder = join(dir, 'record-transform.cjs')
    writeFileSync(
      recorder,
      `const preset = require(${JSON.stringify(PRESET)})
const { appendFileSync } = require('node:fs')
module.exports = {
  process(text, path, options) {
    const t = performance.now()
    const out = preset.process(text, path, options)
    appendFileSync(${JSON.stringify(log)}, JSON.stringify({ path, ms: performance.now() - t, rewritten: out.code !== text }) + '\\n')
    return out
  },
  getCacheKey: preset.getCacheKey,
}
`,
    )
    const preset = require(PRESET) as {
      esmTransform: Record<string, string>
      transformIgnorePatterns: string[]
    }
    const [esmFiles] = Object.keys(preset.esmTransform)
    writeFileSync(
      join(dir, 'jest.config.cjs'),
      `module.exports = ${JSON.stringify({
        rootDir: dir,
        testMatch: ['**/*.test.cjs'],
        testEnvironment: 'node',
        modulePaths: [join(REPO, 'node_modules')],
        transform: { [esmFiles!]: recorder },
        transformIgnorePatterns: preset.transformIgnorePatterns,
        cacheDirectory: join(dir, 'cache'),
      })}\n`,
    )
    writeFileSync(
      join(dir, 'msw.test.cjs'),
      `const { setupServer } = require('msw/node')
const { http, HttpResponse } = require('msw')
test('msw loads', () => {
  const server = setupServer(http.get('https://example.com/', () => HttpResponse.json({})))
  expect(typeof server.listen).toBe('function')
})
`,
    )
    const jest = join(REPO, 'node_modules', 'jest', 'bin', 'jest.js')
    const run = () => {
      const t = performance.now()
      execFileSync(
        process.execPath,
        [jest, '--config', join(dir, 'jest.config.cjs'), '--runInBand', '--silent'],
        {
          cwd: dir,
          stdio: 'pipe',
        },
      )
      return performance.now() - t
    }
    const coldRunMs = run()
    const records = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { path: string; ms: number; rewritten: boolean })
    const warmRunMs = run()

    // in process: the same files through the transform, and through Babel's parser when the test skips them
    const transform = require(PRESET) as {
      process(text: string, path: string, options: object): { code: string }
    }
    const babel = require(require.resolve('@babel/core', { paths: [REPO] })) as {
      parseSync(text: string, options: object): unknown
    }
    const texts = records.map((r) => [r.path, readFileSync(r.path, 'utf8')] as const)
    let withPrecheckMs = 0
    let parseAllMs = 0
    for (const [path, text] of texts) {
      const t = performance.now()
      const out = transform.process(text, path, {})
      const spent = performance.now() - t
      withPrecheckMs += spent
      parseAllMs += spent
      if (out.code === text && !MAYBE_ESM.test(text)) {
        // skipped by the test: without it, Babel parses the file
        const p = performance.now()
        babel.parseSync(text, {
          filename: path,
          babelrc: false,
          configFile: false,
          sourceType: 'unambiguous',
        })
        parseAllMs += performance.now() - p
      }
    }
    return {
      files: records.length,
      rewritten: records.filter((r) => r.rewritten).length,
      coldRunMs,
      warmRunMs,
      transformMs: records.reduce((sum, r) => sum + r.ms, 0),
      withPrecheckMs,
      parseAllMs,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
