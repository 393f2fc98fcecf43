import { join } from 'node:path'
import { defineConfig, type Options } from 'tsup'

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number]

/**
 * The CommonJS build loads optional peers with `require()` (src/peers/*.cjs.ts) where the ES module build
 * uses `await import()` (src/peers/*.ts): both fail with a `[twilio-double]` error naming the package to install.
 */
const cjsPeers: EsbuildPlugin = {
  name: 'cjs-peers',
  setup(build) {
    // tsup builds both formats as ES modules and converts one to CommonJS afterwards: the format is the
    // one esbuildOptions() below was called with
    if (build.initialOptions.define?.TWILIO_DOUBLE_FORMAT !== '"cjs"') return
    build.onResolve({ filter: /\/peers\/(?:msw|pact|twilio)\.js$/ }, (args) => ({
      path: join(args.resolveDir, args.path.replace(/\.js$/, '.cjs.ts')),
    }))
  },
}

/**
 * Packages built into dist/ instead of imported from node_modules (devDependencies, licences in
 * THIRD-PARTY-LICENSES.md). Node reads an unbundled package file by file (libphonenumber-js is about 90 ES module
 * files), and every test file under the setup entries loads the double anew: bundled, libphonenumber-js loads in
 * about a fifth of the time (bench/README.md, "What a test file loads"). Only packages whose types the public
 * declarations do not name belong here (zod's do: it stays a dependency).
 */
export const bundled = ['libphonenumber-js', '@lukeed/ms']

/** Public entries: `twilio-double` and its sub-paths (see package.json "exports"). */
export const entries: Record<string, string> = {
  index: 'src/index.ts',
  msw: 'src/adapters/msw.ts',
  schemas: 'src/schemas/index.ts',
  nock: 'src/adapters/nock.ts',
  server: 'src/adapters/server.ts',
  vitest: 'src/testing/vitest.ts',
  jest: 'src/testing/jest.ts',
  matchers: 'src/testing/matchers.ts',
  factories: 'src/factories/index.ts',
  pact: 'src/pact/index.ts',
  client: 'src/client/index.ts',
  playwright: 'src/playwright/index.ts',
  cli: 'src/cli.ts',
}

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  // import.meta.url in the CommonJS build too (the inbox finds its files beside the package)
  shims: true,
  noExternal: bundled,
  external: ['msw', 'nock', '@pact-foundation/pact', 'vitest', 'jest', '@jest/globals', 'twilio'],
  esbuildOptions(options, { format }) {
    options.define = { ...options.define, TWILIO_DOUBLE_FORMAT: JSON.stringify(format) }
  },
  esbuildPlugins: [cjsPeers],
})
