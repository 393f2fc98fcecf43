import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'examples/**', 'test/projects/**'],
    setupFiles: ['test/reliability/no-unhandled.ts'],
    // Pact's native library reports usage to an outside host unless told not to
    env: { PACT_DO_NOT_TRACK: 'true' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
