import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { platform, tmpdir } from 'node:os'
import { dirname, join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const presetPath = require.resolve('../../jest-preset.cjs')
const transformPath = require.resolve('../../jest-transform.cjs')
const preset = require(presetPath) as {
  transform: Record<string, string>
  transformIgnorePatterns: string[]
  setupFilesAfterEnv: string[]
  esmTransform: Record<string, string>
}
const transform = require(transformPath) as {
  process(source: string, path: string, options?: { supportsStaticESM?: boolean }): { code: string }
  getCacheKey(source: string, path: string, options?: { supportsStaticESM?: boolean }): string
  esmTransform: Record<string, string>
  transformIgnorePatterns: string[]
  isEsModuleFile(file: string): boolean
}

const ignored = (path: string) => preset.transformIgnorePatterns.some((p) => new RegExp(p).test(path))
const transformerOf = (path: string) => {
  const hit = Object.entries(preset.transform).find(([pattern]) => new RegExp(pattern).test(path))
  return hit?.[1]
}

/** Runs CommonJS code and returns its exports. */
function evaluate(code: string, filename: string): Record<string, any> {
  const module = { exports: {} as Record<string, any> }
  new Function('exports', 'require', 'module', '__filename', '__dirname', code)(
    module.exports,
    require,
    module,
    filename,
    '/virtual',
  )
  return module.exports
}

/** A node_modules tree on disk: package directories with their package.json and files. */
function tree(packages: Record<string, { type?: string; files: Record<string, string> }>): string {
  const root = mkdtempSync(join(tmpdir(), 'jest-transform-'))
  for (const [name, pkg] of Object.entries(packages)) {
    const dir = join(root, 'node_modules', name)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: pkg.type }))
    for (const [file, text] of Object.entries(pkg.files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true })
      writeFileSync(join(dir, file), text)
    }
  }
  return root
}

/** Loads the preset in a fresh module registry with NODE_OPTIONS set as given (jest's ESM mode or not). */
function presetWith(nodeOptions: string | undefined): { setupFilesAfterEnv: string[] } {
  const saved = process.env.NODE_OPTIONS
  delete require.cache[presetPath]
  try {
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS
    else process.env.NODE_OPTIONS = nodeOptions
    return require(presetPath)
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS
    else process.env.NODE_OPTIONS = saved
    delete require.cache[presetPath]
  }
}

describe('jest-preset.cjs and jest-transform.cjs', () => {
  it('is the whole setup: the transform, and the setup entry twilio-double/jest', () => {
    expect(Object.keys(preset).sort()).toEqual(['setupFilesAfterEnv', 'transform', 'transformIgnorePatterns'])
    expect(preset.setupFilesAfterEnv).toEqual([join(dirname(presetPath), 'dist', 'jest.cjs')])
    // the file the package's "exports" give `require('twilio-double/jest')`
    const pkg = require('../../package.json') as { exports: Record<string, { require: { default: string } }> }
    expect(pkg.exports['./jest']!.require.default).toBe('./dist/jest.cjs')
    expect(Object.values(preset.esmTransform)).toEqual([transformPath])
    expect(Object.keys(preset.transform)[0]).toBe(Object.keys(preset.esmTransform)[0])
    expect(preset.transform['\\.[jt]sx?$']).toBe('babel-jest')
  })

  it('in ESM mode (--experimental-vm-modules) sets up the ES module build, the one tests import', () => {
    const esm = presetWith('--max-old-space-size=4096 --experimental-vm-modules')
    expect(esm.setupFilesAfterEnv).toEqual([join(dirname(presetPath), 'dist', 'jest.js')])
    expect(presetWith('--max-old-space-size=4096').setupFilesAfterEnv).toEqual(preset.setupFilesAfterEnv)
    expect(presetWith(undefined).setupFilesAfterEnv).toEqual(preset.setupFilesAfterEnv)
  })

  it('gives every JavaScript file of node_modules to the transform, and your own files to babel-jest', () => {
    for (const path of [
      '/app/node_modules/rettime/build/index.mjs',
      '/app/node_modules/@msw/url/build/index.mjs',
      '/app/node_modules/cookie/dist/index.js',
      '/app/node_modules/zod/index.js',
      '/app/node_modules/.pnpm/rettime@0.11.12/node_modules/rettime/build/index.mjs',
      'C:\\app\\node_modules\\rettime\\build\\index.mjs',
    ]) {
      expect(ignored(path), path).toBe(false)
      expect(transformerOf(path), path).toBe(transformPath)
    }
    expect(ignored('/app/.pnp.cjs')).toBe(true)
    expect(transformerOf('/app/src/app.test.js')).toBe('babel-jest')
    expect(transformerOf('/app/src/app.ts')).toBe('babel-jest')
  })

  it('finds ES modules by what they are: .mjs, or .js in a package of "type": "module"', () => {
    const esm = 'export const a = 1\n'
    const cjs = "exports.a = 1\nexports.exportsAll = 'import x'\n"
    const root = tree({
      '@msw/url': { files: { 'build/index.mjs': esm, 'build/index.cjs': cjs } },
      cookie: { type: 'module', files: { 'dist/index.js': esm, 'dist/deep/er/x.js': esm } },
      zod: { type: 'commonjs', files: { 'index.js': cjs, 'esm/index.mjs': esm } },
      plain: { files: { 'index.js': cjs } },
      nested: { type: 'module', files: { 'lib/package.json': '{"type":"commonjs"}', 'lib/x.js': cjs } },
    })
    const nm = join(root, 'node_modules')
    const esmFiles = [
      '@msw/url/build/index.mjs',
      'cookie/dist/index.js',
      'cookie/dist/deep/er/x.js',
      'zod/esm/index.mjs',
    ]
    const cjsFiles = ['@msw/url/build/index.cjs', 'zod/index.js', 'plain/index.js', 'nested/lib/x.js']
    for (const f of esmFiles) {
      expect(transform.isEsModuleFile(join(nm, f)), f).toBe(true)
      const { code } = transform.process(esm, join(nm, f), { supportsStaticESM: false })
      expect(evaluate(code, join(nm, f)).a, f).toBe(1)
    }
    for (const f of cjsFiles) {
      expect(transform.isEsModuleFile(join(nm, f)), f).toBe(false)
      expect(transform.process(cjs, join(nm, f), { supportsStaticESM: false }).code, f).toBe(cjs)
    }
  })

  it('turns an ES module into CommonJS: imports, exports, re-exports, import.meta, dynamic import', async () => {
    const source = [
      "import path, { join } from 'node:path'",
      "import * as os from 'node:os'",
      "export const joined = join('a', 'b')",
      'export const hasDefault = typeof path.resolve',
      'export default function where() { return import.meta.url }',
      "export { sep } from 'node:path'",
      "export async function later() { return (await import('node:os')).platform() }",
      'export const osPlatform = os.platform()',
    ].join('\n')
    const { code } = transform.process(source, '/virtual/module.mjs', { supportsStaticESM: false })
    expect(code).not.toMatch(/^\s*(import|export)\s/m)
    const exports = evaluate(code, '/virtual/module.mjs')
    expect(exports.joined).toBe(join('a', 'b'))
    expect(exports.hasDefault).toBe('function')
    expect(exports.default()).toBe('file:///virtual/module.mjs')
    expect(exports.sep).toBe(sep)
    expect(exports.osPlatform).toBe(platform())
    expect(await exports.later()).toBe(platform())
  })

  it('treats a file with import.meta alone as a module', () => {
    const { code } = transform.process('exports_url = import.meta.url', '/virtual/meta.mjs')
    expect(code).toContain("require('node:url').pathToFileURL(__filename).href")
  })

  it('reads a default export of a transformed module through its namespace', () => {
    const dep = transform.process('export default 42\nexport const x = 1', '/virtual/dep.mjs')
    const depExports = evaluate(dep.code, '/virtual/dep.mjs')
    const user = transform.process(
      "import d, { x } from './dep.mjs'\nexport const sum = d + x",
      '/virtual/user.mjs',
    )
    const module = { exports: {} as Record<string, any> }
    new Function('exports', 'require', 'module', user.code)(module.exports, () => depExports, module)
    expect(module.exports.sum).toBe(43)
  })

  it('leaves CommonJS files, and every file in ESM mode, as they are', () => {
    const cjs = "'use strict'\nconst x = require('y')\nmodule.exports = { x }\n"
    expect(transform.process(cjs, '/app/node_modules/msw/lib/x.js').code).toBe(cjs)
    const commented = "// import the helpers first\nconst h = require('h')\nexports.h = h\n"
    expect(transform.process(commented, '/app/node_modules/msw/lib/y.js').code).toBe(commented)
    const esm = 'export const a = 1\n'
    expect(transform.process(esm, '/app/node_modules/rettime/x.mjs', { supportsStaticESM: true }).code).toBe(
      esm,
    )
  })

  it('keys its cache by content, path and module mode', () => {
    const key = (s: string, p: string, esm: boolean) =>
      transform.getCacheKey(s, p, { supportsStaticESM: esm })
    const base = key('export {}', '/a.mjs', false)
    expect(key('export {}', '/a.mjs', false)).toBe(base)
    expect(key('export {} ', '/a.mjs', false)).not.toBe(base)
    expect(key('export {}', '/b.mjs', false)).not.toBe(base)
    expect(key('export {}', '/a.mjs', true)).not.toBe(base)
  })
})
