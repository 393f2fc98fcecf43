/**
 * The jest preset of twilio-double: `preset: 'twilio-double'` in a jest config is the whole setup (the setup
 * entry `twilio-double/jest`, and the transform that lets CommonJS mode load ES-module-only packages).
 *
 * @example
 * // jest.config.js
 * module.exports = { preset: 'twilio-double' }
 *
 * // with a transform of your own, the preset's ESM entry first
 * const preset = require('twilio-double/jest-preset')
 * module.exports = { preset: 'twilio-double', transform: { ...preset.esmTransform, '\\.tsx?$': 'ts-jest' } }
 */
declare const preset: {
  /** Jest's `transform`: ES modules of node_modules to twilio-double's transform, your files to `babel-jest`. */
  transform: Record<string, string>
  /** Jest's `transformIgnorePatterns`: node_modules is not skipped (the transform decides per file). */
  transformIgnorePatterns: string[]
  /** Jest's `setupFilesAfterEnv`: the setup entry `twilio-double/jest` (its CommonJS or ES module build). */
  setupFilesAfterEnv: string[]
  /** The `transform` entry alone (`{ pattern: path }`), to put first in a `transform` of your own. */
  readonly esmTransform: Record<string, string>
}
export = preset
