/**
 * The README shipped in the package: it opens with the user's install and a first test, and that test is
 * the one `npm run test:projects` runs against the packed package (test/projects/vitest/test/welcome.test.ts);
 * the repository's own commands come later.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1])

describe('README', () => {
  it("opens with the user's install and a first test; the repository's commands come later", () => {
    expect(sections[0]).toBe('Install and a first test')
    const first = readme.slice(readme.indexOf('## Install'), readme.indexOf(`## ${sections[1]}`))
    expect(first).toContain('npm i -D twilio-double twilio msw vitest')
    expect(first).toContain("setupFiles: ['twilio-double/vitest']")
    expect(first).not.toMatch(/npm (ci|test|run)/)
    const working = readme.slice(readme.indexOf('## Working on twilio-double'))
    const quickStart = working.match(/```sh\n([\s\S]*?)```/)![1]!
    expect(
      quickStart
        .split('\n')
        .filter(Boolean)
        .map((line) => line.replace(/\s+#.*$/, '')),
    ).toEqual(['npm ci && npm run demo', 'npm test'])
  })

  it('shows as its first test the file that test:projects runs on the packed package', () => {
    const block = readme.match(/```ts\n\/\/ welcome\.test\.ts\n([\s\S]*?)```/)![1]
    const file = readFileSync(join(root, 'test/projects/vitest/test/welcome.test.ts'), 'utf8')
    expect(file.replace(/^\/\/ The README's first test.*\n/, '')).toBe(block)
  })

  it('is listed in the package files, with the page it sends jest and vitest users to', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] }
    expect(pkg.files).toEqual(expect.arrayContaining(['README.md', 'examples/README.md']))
  })
})
