'use strict'
/**
 * Jest transform of twilio-double: lets jest in CommonJS mode load packages that ship ES modules only
 * (msw's dependencies `rettime`, `until-async`, msw 3's `@msw/url` and `cookie@2`, nock 15, faker, …).
 *
 * A file of node_modules is an ES module by what it is, as Node decides: a `.mjs` file, or a `.js` file of a
 * package whose package.json says `"type": "module"`. Those are rewritten from `import`/`export` to
 * `require`/`exports` with the Babel that every jest install already has (`@babel/core`, a dependency of
 * `babel-jest`); every other file, and every file in ESM mode (`node --experimental-vm-modules`), is left
 * exactly as it is. No list of package names to keep up with.
 *
 * The preset (`preset: 'twilio-double'`) uses it and sets up the double too; use this module alone when you
 * only want jest to load ES-module-only packages:
 *
 *   const { esmTransform, transformIgnorePatterns } = require('twilio-double/jest-transform')
 *   module.exports = {
 *     transform: { ...esmTransform, '\\.tsx?$': 'ts-jest' },
 *     transformIgnorePatterns,
 *   }
 */
const { createHash } = require('node:crypto')
const { readFileSync } = require('node:fs')
const { dirname, join } = require('node:path')

const SEP = '[\\\\/]'

/** Files of node_modules this transform looks at (it decides per file whether it is an ES module). */
const NODE_MODULES_JS = `${SEP}node_modules${SEP}.+\\.m?js$`

const VERSION = 'twilio-double-esm-to-cjs-2'

/** The `"type"` of the package a file belongs to: that of the nearest package.json above it. */
function packageType(file) {
  for (let dir = dirname(file); ; ) {
    let text
    try {
      text = readFileSync(join(dir, 'package.json'), 'utf8')
    } catch {
      const up = dirname(dir)
      if (up === dir) return undefined
      dir = up
      continue
    }
    try {
      return JSON.parse(text).type
    } catch {
      return undefined
    }
  }
}

/** Whether Node would load `file` as an ES module: `.mjs`, or `.js` in a package of `"type": "module"`. */
function isEsModuleFile(file) {
  if (file.endsWith('.mjs')) return true
  if (!file.endsWith('.js')) return false
  return packageType(file) === 'module'
}

/** Loads a module from the transform's place, else from where jest and babel-jest are installed. */
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
    `[twilio-double] the jest transform needs ${name} (installed with jest through babel-jest) and could not find it: install @babel/core next to jest`,
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

/** An ES module with no import, export or import.meta needs no rewriting (nor parsing). */
const HAS_MODULE_SYNTAX = /(^|[\s;})])(import\s*[\w{*'"]|export\s*[\w{*]|import\.meta)/m

/**
 * The transform: an ES module of node_modules becomes CommonJS; any other file (and every file in ESM
 * mode) is returned unchanged.
 */
function processFile(sourceText, sourcePath, options) {
  if (options?.supportsStaticESM || !isEsModuleFile(sourcePath) || !HAS_MODULE_SYNTAX.test(sourceText))
    return { code: sourceText }
  const { babel, modules } = babelTools()
  const babelOptions = { filename: sourcePath, babelrc: false, configFile: false, sourceType: 'module' }
  const result = babel.transformSync(sourceText, {
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
  process: processFile,
  getCacheKey,
  /** `transform` entry: the JavaScript files of node_modules go to this transform (put it first). */
  esmTransform: { [NODE_MODULES_JS]: __filename },
  /** `transformIgnorePatterns`: node_modules is not skipped (the transform decides per file); Yarn PnP's loader is. */
  transformIgnorePatterns: ['\\.pnp\\.[^\\\\/]+$'],
  /** Whether Node loads `file` as an ES module (`.mjs`, or `.js` in a package of `"type": "module"`). */
  isEsModuleFile,
}
