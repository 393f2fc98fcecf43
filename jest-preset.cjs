'use strict'
/**
 * Jest preset of twilio-double: `preset: 'twilio-double'` in a jest config is the whole setup.
 *
 * - The setup entry `twilio-double/jest` runs before each test file: a double behind an msw server that
 *   answers every Twilio API host, reset after each test, and the matchers registered.
 * - In CommonJS mode, jest loads packages that ship ES modules only (msw's dependencies, msw 3, nock 15,
 *   faker) through the transform of `twilio-double/jest-transform`, which finds them by what they are
 *   (`.mjs`, or a package of `"type": "module"`). Your own files keep jest's default `babel-jest`.
 * - In ESM mode (`node --experimental-vm-modules`) the setup entry is the ES module build, the one your
 *   tests import, and the transform leaves every file as it is.
 *
 * If your config has its own `transform`, put the preset's ESM entry first (jest uses the first pattern
 * that matches a file, and yours come before the preset's):
 *
 *   const preset = require('twilio-double/jest-preset')
 *   module.exports = {
 *     preset: 'twilio-double',
 *     transform: { ...preset.esmTransform, '\\.tsx?$': 'ts-jest' },
 *   }
 *
 * and if it has its own `transformIgnorePatterns`, start from `preset.transformIgnorePatterns`.
 */
const { join } = require('node:path')
const transform = require('./jest-transform.cjs')

/** Whether jest runs in ESM mode: Node started with --experimental-vm-modules (argument or NODE_OPTIONS). */
function esmMode() {
  const flag = '--experimental-vm-modules'
  return process.execArgv.includes(flag) || (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes(flag)
}

module.exports = {
  // jest's default for your own files stays: babel-jest
  transform: { ...transform.esmTransform, '\\.[jt]sx?$': 'babel-jest' },
  transformIgnorePatterns: transform.transformIgnorePatterns,
  setupFilesAfterEnv: [join(__dirname, 'dist', esmMode() ? 'jest.js' : 'jest.cjs')],
}

// Not config (non-enumerable, so jest does not read it as an option): the transform entry alone, for
// configs with a `transform` of their own.
Object.defineProperty(module.exports, 'esmTransform', { value: transform.esmTransform })
