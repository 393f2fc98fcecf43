import { defineConfig } from 'tsup'

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
  external: ['msw', 'nock', '@pact-foundation/pact', 'vitest', 'jest', '@jest/globals', 'twilio'],
})
