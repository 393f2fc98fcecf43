/**
 * The shape of src/: dependencies between its folders point one way (no cycle), and the doors in src/adapters/
 * are imported only by the package's entry files (tsup.config.ts) and by other doors, so that nothing below a
 * door depends on one. Imports are read from the `import … from` and `export … from` lines of every module.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { entries } from '../tsup.config.js'

const ROOT = resolve(import.meta.dirname, '..')
const SRC = join(ROOT, 'src')

/** Every module of src/ (tests excepted), as a path relative to the repository. */
function modules(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return modules(path)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [relative(ROOT, path)] : []
  })
}

const IMPORT = /^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"](\.[^'"]+)['"]/gm

/** The modules of src/ that `file` imports (relative specifiers only; `.js` names the `.ts` source). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return [...text.matchAll(IMPORT)].map((m) =>
    relative(ROOT, resolve(ROOT, dirname(file), m[1]!)).replace(/\.js$/, '.ts'),
  )
}

/** The part of src/ a module belongs to: its top folder, or the file itself for the modules at the top. */
function partOf(file: string): string {
  const [, first, second] = file.split('/')
  return second === undefined ? first! : `${first}/`
}

const graph = new Map(modules().map((file) => [file, importsOf(file)]))

/**
 * Imports that break the folder rules and stay, each with its reason: they are the composition's job. A listed
 * import that is gone fails the test until it is taken off the list, and any import not listed fails it at once.
 */
const KNOWN: Record<string, string> = {
  'src/double.ts → src/adapters/http-client.ts':
    'the public double is the composition: double.httpClient() hands out the httpClient door',
  'src/testing/setup.ts → src/adapters/msw.ts':
    'the shared half of the vitest and jest setup entries (which may import doors) installs the msw door',
}

/** The imports of `graph` that are not listed in {@link KNOWN}, and the listed ones that are gone. */
function unlisted(found: string[]): { unlisted: string[]; gone: string[] } {
  const imports = new Set([...graph].flatMap(([file, targets]) => targets.map((t) => `${file} → ${t}`)))
  return {
    unlisted: found.filter((edge) => !edge.split(', ').some((e) => e in KNOWN)),
    gone: Object.keys(KNOWN).filter((edge) => !imports.has(edge)),
  }
}

describe('the import graph of src/', () => {
  it('is read from every module (the pattern finds the imports)', () => {
    expect(graph.size).toBeGreaterThan(50)
    expect(graph.get('src/adapters/msw.ts')).toContain('src/double.ts')
    for (const [file, imports] of graph)
      for (const target of imports.filter((t) => t.startsWith('src/')))
        expect(graph.has(target), `${file} imports ${target}, which is not a module`).toBe(true)
  })

  it('has no cycle between folders', () => {
    const edges = new Map<string, Map<string, string>>()
    for (const [file, imports] of graph)
      for (const target of imports) {
        const [from, to] = [partOf(file), partOf(target)]
        if (from === to || !target.startsWith('src/')) continue
        if (!edges.has(from)) edges.set(from, new Map())
        if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${file} → ${target}`)
      }
    const cycles: string[] = []
    const done = new Set<string>()
    const visit = (part: string, path: string[]) => {
      const at = path.indexOf(part)
      if (at >= 0) {
        const loop = [...path.slice(at), part]
        cycles.push(
          loop
            .slice(1)
            .map((to, i) => edges.get(loop[i]!)!.get(to)!)
            .join(', '),
        )
        return
      }
      if (done.has(part)) return
      for (const next of edges.get(part)?.keys() ?? []) visit(next, [...path, part])
      done.add(part)
    }
    for (const part of edges.keys()) visit(part, [])
    expect(unlisted(cycles)).toEqual({ unlisted: [], gone: [] })
  })

  it('lets only entry files and other doors import a door (src/adapters/)', () => {
    const allowed = new Set(Object.values(entries))
    const offending = [...graph]
      .filter(([file]) => !file.startsWith('src/adapters/') && !allowed.has(file))
      .flatMap(([file, imports]) =>
        imports.filter((t) => t.startsWith('src/adapters/')).map((t) => `${file} → ${t}`),
      )
    expect(unlisted(offending)).toEqual({ unlisted: [], gone: [] })
  })
})
