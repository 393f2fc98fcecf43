import type {} from 'twilio-double/vitest'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    setupFiles: ['twilio-double/vitest'],
    // options of the double, read by the setup entry (serialisable values only)
    provide: { twilioDoubleOptions: { seed: 'vitest-project', onUnhandledRequest: 'bypass' } },
  },
})
