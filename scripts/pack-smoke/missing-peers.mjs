// The packed package installed without its optional peers (no msw, no Pact): the entries that need one fail
// with a [twilio-double] error naming the package to install, from ES modules, CommonJS, a vitest setup file
// and a jest preset (vitest, jest and babel-jest linked from the repository, whose folder is argv[2]); the
// other entries load.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const root = process.argv[2]
const require = createRequire(import.meta.url)
const MSW = /\[twilio-double\] msw is not installed, .* install it with npm i -D msw/
const PACT =
  /\[twilio-double\] @pact-foundation\/pact is not installed, .* install it with npm i -D @pact-foundation\/pact/

assert.equal(existsSync('node_modules/msw'), false, 'msw must not be installed here')
assert.equal(existsSync('node_modules/@pact-foundation/pact'), false, 'Pact must not be installed here')

await assert.rejects(import('twilio-double/msw'), MSW)
await assert.rejects(import('twilio-double/pact'), PACT)
assert.throws(() => require('twilio-double/msw'), MSW)
assert.throws(() => require('twilio-double/pact'), PACT)
for (const entry of [
  'twilio-double',
  'twilio-double/server',
  'twilio-double/nock',
  'twilio-double/schemas',
]) {
  await import(entry)
  require(entry)
}

// the runners, as a user has them, from the repository's devDependencies
for (const name of ['vitest', 'jest', 'babel-jest'])
  if (!existsSync(join('node_modules', name)))
    symlinkSync(join(root, 'node_modules', name), join('node_modules', name))
mkdirSync('t', { recursive: true })
writeFileSync('t/a.test.js', "test('runs', () => {})\n")
const run = (args) => {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  return { status: r.status, output: r.stdout + r.stderr }
}
writeFileSync(
  'vitest.config.mjs',
  "export default { test: { include: ['t/*.test.js'], globals: true, setupFiles: ['twilio-double/vitest'] } }\n",
)
const vitest = run(['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.config.mjs'])
assert.notEqual(vitest.status, 0)
assert.match(vitest.output, MSW)
writeFileSync(
  'jest.config.cjs',
  "module.exports = { preset: 'twilio-double', testEnvironment: 'node', roots: ['t'] }\n",
)
const jest = run(['node_modules/jest/bin/jest.js', '--config', 'jest.config.cjs', '--no-cache'])
assert.notEqual(jest.status, 0)
assert.match(jest.output, MSW)
console.log('missing peers ok')
