'use strict'
/**
 * Jest preset of twilio-double: `preset: 'twilio-double'` in a jest config.
 *
 * Jest in CommonJS mode cannot `require()` ES modules, and msw's dependencies `rettime`, `until-async` and
 * `@open-draft/deferred-promise` (and msw 3, nock 15 and faker themselves) ship as ESM only. This preset
 * lets jest transform those packages (`transformIgnorePatterns`) with a transform that ships here: it
 * rewrites their `import`/`export` to `require`/`exports` with the Babel that every jest install already
 * has (`@babel/core`, a dependency of `babel-jest`). Your own files keep jest's default `babel-jest`.
 *
 * In ESM mode (`node --experimental-vm-modules`) the transform leaves every file as it is, so the preset
 * is harmless there, and not needed.
 *
 * If your config has its own `transform`, put the preset's ESM entry first (jest uses the first pattern
 * that matches a file, and yours come before the preset's):
 *
 *   const preset = require('twilio-double/jest-preset')
 *   module.exports = {
 *     preset: 'twilio-double',
 *     setupFilesAfterEnv: ['twilio-double/jest'],
 *     transform: { ...preset.esmTransform, '\\.tsx?$': 'ts-jest' },
 *   }
 *
 * and if it has its own `transformIgnorePatterns`, start from `preset.transformIgnorePatterns`.
 */
const { createHash } = require('node:crypto')
const { dirname } = require('node:path')

/** Packages (or scopes) whose ESM-only files jest must transform. */
const ESM_PACKAGES = [
  'msw',
  '@mswjs',
  'rettime',
  'until-async',
  '@open-draft',
  'headers-polyfill',
  'strict-event-emitter',
  'outvariant',
  'is-node-process',
  '@bundled-es-modules',
  'nock',
  '@faker-js',
]

const SEP = '[\\\\/]'
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\//g, SEP)
const NAMES = ESM_PACKAGES.map(escapeRegExp).join('|')

/** Files of those packages (also inside pnpm's `.pnpm` store). */
const ESM_FILES = `${SEP}node_modules${SEP}(?:${NAMES})${SEP}.+\\.m?js$`

const VERSION = 'twilio-double-esm-to-cjs-1'

/** Loads a module from the preset's place, else from where jest and babel-jest are installed. */
function load(name) {
  const bases = [__dirname, process.cwd()]
  for (const chain of [
    ['jest', 'jest-cli', 'jest-config', 'babel-jest'],
    ['jest-config', 'babel-jest'],
  ]) {
    let base = process.cwd()
    for (const pkg of chain) {
      try {
        base = dirname(require.resolve(`${pkg}/package.json`, { paths: [base] }))
        bases.push(base)
      } catch {
        break
      }
    }
  }
  for (const base of bases) {
    try {
      return require(require.resolve(name, { paths: [base] }))
    } catch {}
  }
  throw new Error(
    `[twilio-double] the jest preset needs ${name} (installed with jest through babel-jest) and could not find it: install @babel/core next to jest`,
  )
}

function babelTools() {
  const babel = load('@babel/core')
  let modules
  try {
    modules = require(
      require.resolve('@babel/helper-module-transforms', { paths: [require.resolve('@babel/core')] }),
    )
  } catch {
    modules = load('@babel/helper-module-transforms')
  }
  return { babel, modules }
}

/** A Babel plugin that turns an ES module into CommonJS (import → require, export → exports). */
function esmToCommonJs(modules) {
  return ({ types: t, template }) => ({
    name: 'twilio-double-esm-to-cjs',
    visitor: {
      MetaProperty(path) {
        if (path.node.meta.name !== 'import' || path.node.property.name !== 'meta') return
        path.replaceWith(
          template.expression
            .ast`({ url: require('node:url').pathToFileURL(__filename).href, filename: __filename, dirname: __dirname })`,
        )
      },
      CallExpression(path) {
        if (!t.isImport(path.node.callee)) return
        const [specifier] = path.node.arguments
        path.replaceWith(template.expression.ast`Promise.resolve().then(() => require(${specifier}))`)
      },
      Program: {
        exit(path) {
          if (!modules.isModule(path)) return
          for (const name of ['exports', 'module', 'require', '__filename', '__dirname'])
            path.scope.rename(name)
          const { meta, headers } = modules.rewriteModuleStatementsAndPrepareHeader(path, {
            exportName: 'exports',
            importInterop: 'babel',
            constantReexports: false,
            enumerableModuleMeta: false,
          })
          for (const [source, metadata] of meta.source) {
            const load = t.callExpression(t.identifier('require'), [t.stringLiteral(source)])
            let header
            if (modules.isSideEffectImport(metadata)) header = t.expressionStatement(load)
            else {
              const init = modules.wrapInterop(path, load, metadata.interop) || load
              header = template.statement.ast`var ${metadata.name} = ${init};`
            }
            header.loc = metadata.loc
            headers.push(header)
            headers.push(...modules.buildNamespaceInitStatements(meta, metadata, false))
          }
          modules.ensureStatementsHoisted(headers)
          path.unshiftContainer('body', headers)
        },
      },
    },
  })
}

/** Cheap test before parsing: only files with an import/export statement (or import.meta) are rewritten. */
const MAYBE_ESM = /(^|[\s;])(import\s*[\w{*'"]|export\s*[\w{*]|import\.meta)/m

/**
 * The transform: ESM files of the packages above become CommonJS; anything else (and everything in ESM
 * mode) is returned unchanged.
 */
function processFile(sourceText, sourcePath, options) {
  if (options?.supportsStaticESM || !MAYBE_ESM.test(sourceText)) return { code: sourceText }
  const { babel, modules } = babelTools()
  const babelOptions = { filename: sourcePath, babelrc: false, configFile: false, sourceType: 'unambiguous' }
  const ast = babel.parseSync(sourceText, babelOptions)
  // CommonJS after all (an `import` in a comment or string): leave it exactly as it is
  if (ast?.program.sourceType !== 'module') return { code: sourceText }
  const result = babel.transformFromAstSync(ast, sourceText, {
    ...babelOptions,
    compact: false,
    sourceMaps: 'both',
    plugins: [esmToCommonJs(modules)],
  })
  return { code: result.code, map: result.map }
}

function getCacheKey(sourceText, sourcePath, options) {
  return createHash('sha1')
    .update(VERSION)
    .update('\0')
    .update(sourcePath)
    .update('\0')
    .update(options?.supportsStaticESM ? 'esm' : 'cjs')
    .update('\0')
    .update(sourceText)
    .digest('hex')
}

module.exports = {
  // jest's default for your own files stays: babel-jest
  transform: { [ESM_FILES]: __filename, '\\.[jt]sx?$': 'babel-jest' },
  transformIgnorePatterns: [`${SEP}node_modules${SEP}(?!(?:\\.pnpm|${NAMES})${SEP})`, '\\.pnp\\.[^\\\\/]+$'],
}

// Not config (non-enumerable, so jest does not read them as options): the transform entry alone, for configs
// with a `transform` of their own, and the transform itself (this file is the transform named above).
Object.defineProperty(module.exports, 'esmTransform', { value: { [ESM_FILES]: __filename } })
Object.defineProperty(module.exports, 'process', { value: processFile })
Object.defineProperty(module.exports, 'getCacheKey', { value: getCacheKey })
