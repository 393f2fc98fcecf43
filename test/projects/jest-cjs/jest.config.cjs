/**
 * The preset is the whole setup: the setup entry twilio-double/jest and the transform of ES-module-only
 * packages.
 * @type {import('jest').Config}
 */
module.exports = {
  preset: 'twilio-double',
  testEnvironment: 'node',
  // The double follows the process clock, so that jest's fake timers move its lifecycle.
  globals: { twilioDoubleOptions: { clock: 'real' } },
}
