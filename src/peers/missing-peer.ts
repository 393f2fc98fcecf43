/**
 * Optional peers (msw, @pact-foundation/pact) are loaded by the entries that use them, and a missing one
 * fails with a `[twilio-double]` error that says which package to install, instead of Node's bare
 * "Cannot find package". The ES module build loads a peer with `import()` (see ./msw.ts, ./pact.ts), the
 * CommonJS build with `require()` (./msw.cjs.ts, ./pact.cjs.ts, put in their place by tsup.config.ts).
 */
import { TwilioDoubleError } from '../errors/twilio-api-error.js'

/** An optional peer: its package name, the entries that need it, and the command that installs it. */
export interface PeerPackage {
  name: string
  usedBy: string
  install: string
}

/** msw: the msw door and the vitest and jest setup entries. */
export const MSW_PEER: PeerPackage = {
  name: 'msw',
  usedBy: 'twilio-double/msw and the setup entries twilio-double/vitest and twilio-double/jest',
  install: 'npm i -D msw',
}

/** Pact: the contract helpers. */
export const PACT_PEER: PeerPackage = {
  name: '@pact-foundation/pact',
  usedBy: 'twilio-double/pact',
  install: 'npm i -D @pact-foundation/pact (16 on Node 20, 17 on Node 22 or newer)',
}

/** twilio: the helpers that build a `twilio` client (a shared server's tenants, a client for a server's URL). */
export const TWILIO_PEER: PeerPackage = {
  name: 'twilio',
  usedBy: 'createTenant() of twilio-double/client and twilioClientForServer() of twilio-double/server',
  install: 'npm i -D twilio',
}

/**
 * True when `error` says that package `name` itself cannot be found (Node's ES module loader, CommonJS
 * `require`, or jest's module registry), not one of its own dependencies or files.
 *
 * @example
 * isMissingPackage(Object.assign(new Error("Cannot find package 'msw' imported from /app/x.js"), { code: 'ERR_MODULE_NOT_FOUND' }), 'msw') // true
 */
export function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false
  if (typeof message !== 'string') return false
  // "Cannot find package 'msw' imported from …" / "Cannot find module 'msw/node' from …"
  const named = /Cannot find (?:package|module) ['"]([^'"]+)['"]/.exec(message)?.[1]
  return named === name || named?.startsWith(`${name}/`) === true
}

/** The error thrown when `peer` is not installed. */
export function missingPeerError(peer: PeerPackage, cause: unknown): TwilioDoubleError {
  const error = new TwilioDoubleError(
    `${peer.name} is not installed, and ${peer.usedBy} need${peer.usedBy.includes(' and ') ? '' : 's'} it: install it with ${peer.install}`,
  )
  error.cause = cause
  return error
}

/** Loads a peer with `load` (CommonJS `require`), turning "not installed" into {@link missingPeerError}. */
export function loadPeer<T>(peer: PeerPackage, load: () => T): T {
  try {
    return load()
  } catch (error) {
    throw isMissingPackage(error, peer.name) ? missingPeerError(peer, error) : error
  }
}

/** Imports a peer with `load` (`import()`), turning "not installed" into {@link missingPeerError}. */
export async function importPeer<T>(peer: PeerPackage, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (error) {
    throw isMissingPackage(error, peer.name) ? missingPeerError(peer, error) : error
  }
}
