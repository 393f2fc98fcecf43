/**
 * The packages the build puts into dist/ (`bundled` in tsup.config.ts) are devDependencies, so that users do
 * not install them, and their licences ship in THIRD-PARTY-LICENSES.md. (That dist/ imports none of them is
 * what `npm run test:pack` shows: the packed package runs there without them installed.)
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bundled } from '../tsup.config.js'

const ROOT = join(import.meta.dirname, '..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
  files: string[]
}
const notices = readFileSync(join(ROOT, 'THIRD-PARTY-LICENSES.md'), 'utf8')

describe('packages built into dist/', () => {
  it('are devDependencies, not dependencies', () => {
    expect(bundled.length).toBeGreaterThan(0)
    for (const name of bundled) {
      expect(pkg.devDependencies[name], name).toBeDefined()
      expect(pkg.dependencies[name], name).toBeUndefined()
    }
  })

  it('have each of their licence files in THIRD-PARTY-LICENSES.md, which the package ships', () => {
    expect(pkg.files).toContain('THIRD-PARTY-LICENSES.md')
    for (const name of bundled) {
      const dir = join(ROOT, 'node_modules', name)
      const licences = readdirSync(dir).filter((f) => /^licen[sc]e/i.test(f))
      expect(licences.length, name).toBeGreaterThan(0)
      expect(notices).toContain(`\n## ${name}\n`)
      for (const file of licences) expect(notices).toContain(readFileSync(join(dir, file), 'utf8').trimEnd())
    }
  })
})
