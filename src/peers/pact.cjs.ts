/**
 * @pact-foundation/pact, loaded by twilio-double/pact (CommonJS build, in place of ./pact.ts: see
 * tsup.config.ts): a missing Pact fails with a `[twilio-double]` error naming the package to install.
 */
import type * as Pact from '@pact-foundation/pact'
import { loadPeer, PACT_PEER } from './missing-peer.js'

/** The `@pact-foundation/pact` package. */
export const pact: typeof Pact = loadPeer(PACT_PEER, () => require('@pact-foundation/pact'))
