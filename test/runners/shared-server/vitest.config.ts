import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// A suite of its own, run by ../shared-server.test.ts with TWILIO_DOUBLE_URL set: each worker uses a tenant of
// that server through the vitest setup entry.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.tenant.ts'],
    setupFiles: [fileURLToPath(new URL('../../../src/testing/vitest.ts', import.meta.url))],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
  },
})
