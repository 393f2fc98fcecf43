import { createRequire } from 'node:module'
import { platform } from 'node:os'
import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const presetPath = require.resolve('../../jest-preset.cjs')
const preset = require(presetPath) as {
  transform: Record<string, string>
  transformIgnorePatterns: string[]
  esmTransform: Record<string, string>
  process(source: string, path: string, options?: { supportsStaticESM?: boolean }): { code: string }
  getCacheKey(source: string, path: string, options?: { supportsStaticESM?: boolean }): string
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

describe('jest-preset.cjs', () => {
  it('exposes only config keys to jest, and the transform and its entry beside them', () => {
    expect(Object.keys(preset).sort()).toEqual(['transform', 'transformIgnorePatterns'])
    expect(typeof preset.process).toBe('function')
    expect(typeof preset.getCacheKey).toBe('function')
    expect(Object.values(preset.esmTransform)).toEqual([presetPath])
    expect(Object.keys(preset.transform)[0]).toBe(Object.keys(preset.esmTransform)[0])
    expect(preset.transform['\\.[jt]sx?$']).toBe('babel-jest')
  })

  it("lets jest transform msw's ESM-only dependencies and nothing else in node_modules", () => {
    for (const path of [
      '/app/node_modules/rettime/build/index.mjs',
      '/app/node_modules/until-async/lib/index.js',
      '/app/node_modules/@open-draft/deferred-promise/build/index.mjs',
      '/app/node_modules/msw/lib/core/index.mjs',
      '/app/node_modules/@faker-js/faker/dist/index.js',
      '/app/node_modules/.pnpm/rettime@0.11.12/node_modules/rettime/build/index.mjs',
      'C:\\app\\node_modules\\rettime\\build\\index.mjs',
    ]) {
      expect(ignored(path), path).toBe(false)
      expect(transformerOf(path), path).toBe(presetPath)
    }
    for (const path of [
      '/app/node_modules/zod/index.js',
      '/app/node_modules/.pnpm/zod@4.0.0/node_modules/zod/index.js',
      '/app/node_modules/msw/node_modules/zod/index.js',
      '/app/node_modules/mswx/index.js',
    ])
      expect(ignored(path), path).toBe(true)
    expect(transformerOf('/app/src/app.test.js')).toBe('babel-jest')
    expect(transformerOf('/app/src/app.ts')).toBe('babel-jest')
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
    const { code } = preset.process(source, '/virtual/module.mjs', { supportsStaticESM: false })
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
    const { code } = preset.process('exports_url = import.meta.url', '/virtual/meta.mjs')
    expect(code).toContain("require('node:url').pathToFileURL(__filename).href")
  })

  it('reads a default export of a transformed module through its namespace', () => {
    const dep = preset.process('export default 42\nexport const x = 1', '/virtual/dep.mjs')
    const depExports = evaluate(dep.code, '/virtual/dep.mjs')
    const user = preset.process(
      "import d, { x } from './dep.mjs'\nexport const sum = d + x",
      '/virtual/user.mjs',
    )
    const module = { exports: {} as Record<string, any> }
    new Function('exports', 'require', 'module', user.code)(module.exports, () => depExports, module)
    expect(module.exports.sum).toBe(43)
  })

  it('leaves CommonJS files, and every file in ESM mode, as they are', () => {
    const cjs = "'use strict'\nconst x = require('y')\nmodule.exports = { x }\n"
    expect(preset.process(cjs, '/app/node_modules/msw/lib/x.js').code).toBe(cjs)
    const commented = "// import the helpers first\nconst h = require('h')\nexports.h = h\n"
    expect(preset.process(commented, '/app/node_modules/msw/lib/y.js').code).toBe(commented)
    const esm = 'export const a = 1\n'
    expect(preset.process(esm, '/app/node_modules/rettime/x.mjs', { supportsStaticESM: true }).code).toBe(esm)
  })

  it('keys its cache by content, path and module mode', () => {
    const key = (s: string, p: string, esm: boolean) => preset.getCacheKey(s, p, { supportsStaticESM: esm })
    const base = key('export {}', '/a.mjs', false)
    expect(key('export {}', '/a.mjs', false)).toBe(base)
    expect(key('export {} ', '/a.mjs', false)).not.toBe(base)
    expect(key('export {}', '/b.mjs', false)).not.toBe(base)
    expect(key('export {}', '/a.mjs', true)).not.toBe(base)
  })
})
