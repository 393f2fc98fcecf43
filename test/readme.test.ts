/**
 * The README shipped in the package: it opens with the user's install and a first test, and that test is
 * the one `npm run test:projects` runs against the packed package (test/projects/vitest/test/welcome.test.ts);
 * the repository's own commands come later.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { entries } from '../tsup.config.js'

const root = join(import.meta.dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const packageFiles = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] })
  .files
/** Whether the package ships `path` (a file or folder of the repository), by the `files` of package.json. */
const shipped = (path: string) => packageFiles.some((entry) => path === entry || path.startsWith(`${entry}/`))
/** The targets of the Markdown links of `text` that name a file (no URL, no anchor alone), without their anchors. */
const relativeLinks = (text: string) =>
  [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.replace(/#.*$/, ''))
    .filter((target) => target !== '' && !/^[a-z]+:/.test(target))
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

  it('names, in its user part, every value every entry exports', async () => {
    const userPart = readme.slice(0, readme.indexOf('## Working on twilio-double'))
    const unnamed: string[] = []
    for (const [entry, file] of Object.entries(entries)) {
      if (entry === 'cli') continue
      // the setup entries register hooks when imported: their exports are read from their source
      const names = ['vitest', 'jest'].includes(entry)
        ? [
            ...readFileSync(join(root, file), 'utf8').matchAll(/^export (?:const|function|class) (\w+)/gm),
          ].map((m) => m[1]!)
        : Object.keys(await import(join(root, file)))
      for (const name of names)
        if (!new RegExp(`\\b${name}\\b`).test(userPart)) unnamed.push(`${entry}: ${name}`)
    }
    expect(unnamed).toEqual([])
  })

  it('shows as its first test the file that test:projects runs on the packed package', () => {
    const block = readme.match(/```ts\n\/\/ welcome\.test\.ts\n([\s\S]*?)```/)![1]
    const file = readFileSync(join(root, 'test/projects/vitest/test/welcome.test.ts'), 'utf8')
    expect(file.replace(/^\/\/ The README's first test.*\n/, '')).toBe(block)
  })

  it('is listed in the package files, with the page it sends jest and vitest users to', () => {
    expect(['README.md', 'examples/README.md'].filter((file) => !shipped(file))).toEqual([])
  })

  it("links, in the user's part, only to files the package ships (the README is read in node_modules too)", () => {
    const userPart = readme.slice(0, readme.indexOf('## Working on twilio-double'))
    const links = relativeLinks(userPart)
      // the inbox screenshots (0.8 MB of PNG) stay in the repository: a link to a document or code must resolve
      .filter((target) => !target.endsWith('.png'))
    expect(links).toEqual(expect.arrayContaining(['docs/fidelity.md', 'examples/python/example.py']))
    expect(links.filter((target) => !existsSync(join(root, target)) || !shipped(target))).toEqual([])
  })

  it('ships documents whose own links stay within the package', () => {
    const documents = packageFiles
      // dist/ exists only once built, and holds no documents
      .filter((entry) => existsSync(join(root, entry)))
      .flatMap((entry) =>
        statSync(join(root, entry)).isDirectory()
          ? readdirSync(join(root, entry), { recursive: true }).map((file) => `${entry}/${String(file)}`)
          : [entry],
      )
      .filter((file) => file.endsWith('.md') && file !== 'README.md' && !file.includes('node_modules'))
    expect(documents).toEqual(expect.arrayContaining(['docs/curl.md', 'examples/otp-app/README.md']))
    const broken = documents.flatMap((doc) =>
      relativeLinks(readFileSync(join(root, doc), 'utf8'))
        .map((target) => relative(root, join(root, dirname(doc), target)))
        .filter((path) => !existsSync(join(root, path)) || !shipped(path))
        .map((path) => `${doc} → ${path}`),
    )
    expect(broken).toEqual([])
  })
})
