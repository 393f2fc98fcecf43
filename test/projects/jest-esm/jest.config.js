/**
 * Jest in ESM mode (node --experimental-vm-modules): no preset and no transform, msw's ES modules load as
 * they are. Jest resolves the paths of its config with CommonJS conditions, so the setup entry is imported
 * from a setup file of the project: then the setup and the tests share its ES module build.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  transform: {},
  setupFilesAfterEnv: ['<rootDir>/jest.setup.js'],
  globals: { twilioDoubleOptions: { seed: 'jest-esm' } },
}
