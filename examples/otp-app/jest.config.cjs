const preset = require('twilio-double/jest-preset')

/** @type {import('jest').Config} */
module.exports = {
  preset: 'twilio-double',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.jest.test.ts'],
  // The preset's ESM entry first (msw's ES modules), then a TypeScript transform of your choice.
  transform: { ...preset.esmTransform, '\\.ts$': '<rootDir>/jest.typescript.cjs' },
  // `./otp.js` in TypeScript sources names `./otp.ts`
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
}
