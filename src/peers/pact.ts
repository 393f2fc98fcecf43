/**
 * @pact-foundation/pact, loaded by twilio-double/pact (ES module build): a missing Pact fails with a
 * `[twilio-double]` error naming the package to install. The CommonJS build uses ./pact.cjs.ts instead.
 */
import type * as Pact from '@pact-foundation/pact'
import { importPeer, PACT_PEER } from './missing-peer.js'

/** The `@pact-foundation/pact` package. */
export const pact: typeof Pact = await importPeer(PACT_PEER, () => import('@pact-foundation/pact'))
