/**
 * Jest in ESM mode (node --experimental-vm-modules) with the same preset: it sets up the ES module build of
 * twilio-double/jest, the one the tests import (msw's ES modules load as they are).
 * @type {import('jest').Config}
 */
export default {
  preset: 'twilio-double',
  testEnvironment: 'node',
  globals: { twilioDoubleOptions: { seed: 'jest-esm' } },
}
