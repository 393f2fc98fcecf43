/** @type {import('jest').Config} */
module.exports = {
  preset: 'twilio-double',
  setupFilesAfterEnv: ['twilio-double/jest'],
  testEnvironment: 'node',
  // The double follows the process clock, so that jest's fake timers move its lifecycle.
  globals: { twilioDoubleOptions: { clock: 'real' } },
}
