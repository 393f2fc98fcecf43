/**
 * An entry whose optional peer is not installed says which package to install. Each case runs the entry's
 * source in a child Node process where the peer cannot be found: test/support/hidden-packages/register.mjs
 * has Node resolve it from a folder where nothing is installed, so the error the entry meets is Node's own
 * (the packed package is tried the same way, without the peers installed at all, by `npm run test:pack`).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nockTwilio } from '../../src/adapters/nock.js'
import { createTwilioDouble } from '../../src/double.js'
import { isMissingPackage } from '../../src/peers/missing-peer.js'

const ROOT = join(import.meta.dirname, '../..')
const HIDDEN = join(ROOT, 'test/support/hidden-packages')

type Outcome = { loaded?: true; message?: string; cause?: string }

/** Loads `modules` (`import:src/…` or `require:src/…`) in a child process where `hidden` packages are not found. */
function load(hidden: string[], modules: string[]): Record<string, Outcome> {
  const args = modules.map((m) => m.replace(/:(.*)$/s, (_, path: string) => `:${join(ROOT, path)}`))
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', join(HIDDEN, 'register.mjs'), join(HIDDEN, 'probe.mjs'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, HIDDEN_PACKAGES: hidden.join(','), NODE_OPTIONS: '' },
    },
  )
  expect(r.status, r.stderr).toBe(0)
  const results = JSON.parse(r.stdout) as Record<string, Outcome>
  return Object.fromEntries(modules.map((m, i) => [m, results[args[i]!]!]))
}

const MSW_MISSING =
  '[twilio-double] msw is not installed, and twilio-double/msw and the setup entries twilio-double/vitest and twilio-double/jest need it: install it with npm i -D msw'
const PACT_MISSING =
  '[twilio-double] @pact-foundation/pact is not installed, and twilio-double/pact needs it: install it with npm i -D @pact-foundation/pact (16 on Node 20, 17 on Node 22 or newer)'

describe('an entry whose peer is not installed', () => {
  it('says to install msw: the msw door and the vitest setup entry (ES modules), the CommonJS loader', () => {
    const out = load(
      ['msw'],
      ['import:src/adapters/msw.ts', 'import:src/testing/vitest.ts', 'require:src/peers/msw.cjs.ts'],
    )
    for (const outcome of Object.values(out)) {
      expect(outcome.message).toBe(MSW_MISSING)
      // Node's own error stays as the cause
      expect(outcome.cause).toMatch(/^Cannot find (package|module) 'msw(\/node)?'/)
    }
  }, 30_000)

  it('says to install Pact: twilio-double/pact (ES modules) and the CommonJS loader', () => {
    const out = load(['@pact-foundation/pact'], ['import:src/pact/index.ts', 'require:src/peers/pact.cjs.ts'])
    for (const outcome of Object.values(out)) {
      expect(outcome.message).toBe(PACT_MISSING)
      expect(outcome.cause).toMatch(/^Cannot find (package|module) '@pact-foundation\/pact'/)
    }
  }, 30_000)

  it('loads the entries that do not use the missing peers', () => {
    const out = load(
      ['msw', '@pact-foundation/pact', 'nock'],
      [
        'import:src/index.ts',
        'import:src/adapters/server.ts',
        'import:src/adapters/nock.ts',
        'import:src/schemas/index.ts',
      ],
    )
    for (const outcome of Object.values(out)) expect(outcome).toEqual({ loaded: true })
  }, 30_000)

  it("does not blame the peer when one of the peer's own dependencies is missing", () => {
    // msw is there, but a package msw imports is not: Node's error is passed on as it is
    const out = load(['rettime'], ['import:src/adapters/msw.ts'])
    expect(out['import:src/adapters/msw.ts']!.message).toMatch(/^Cannot find package 'rettime'/)
  }, 30_000)

  it('with every peer there, loads every entry (the hook hides nothing else)', () => {
    const out = load(
      [],
      ['import:src/adapters/msw.ts', 'import:src/pact/index.ts', 'require:src/peers/msw.cjs.ts'],
    )
    for (const outcome of Object.values(out)) expect(outcome).toEqual({ loaded: true })
  }, 30_000)
})

describe('isMissingPackage()', () => {
  const notFound = (message: string, code = 'ERR_MODULE_NOT_FOUND') =>
    Object.assign(new Error(message), { code })
  it("tells the package's own absence from a missing dependency or file of it", () => {
    expect(isMissingPackage(notFound("Cannot find package 'msw' imported from /app/x.js"), 'msw')).toBe(true)
    // jest's registry and CommonJS require
    expect(
      isMissingPackage(notFound("Cannot find module 'msw/node' from 'x.cjs'", 'MODULE_NOT_FOUND'), 'msw'),
    ).toBe(true)
    expect(
      isMissingPackage(notFound("Cannot find package 'rettime' imported from /m/msw/x.mjs"), 'msw'),
    ).toBe(false)
    expect(isMissingPackage(notFound("Cannot find package 'msw-storybook' imported from /x.js"), 'msw')).toBe(
      false,
    )
    expect(isMissingPackage(new Error("Cannot find package 'msw'"), 'msw')).toBe(false) // no code: another failure
    expect(isMissingPackage(undefined, 'msw')).toBe(false)
  })
})

describe('the nock door', () => {
  it('imports nothing of nock (you pass it in), and says how to install it when what you pass is not nock', () => {
    expect(() => nockTwilio(undefined as never, createTwilioDouble())).toThrow(
      /^\[twilio-double\] nockTwilio\(nock, double\): pass the nock function itself \(import nock from 'nock'; not installed\? npm i -D nock/,
    )
  })
})
