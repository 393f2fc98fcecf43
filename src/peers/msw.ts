/**
 * msw, loaded by the entries that use it (ES module build): a missing msw fails with a `[twilio-double]`
 * error naming the package to install. The CommonJS build uses ./msw.cjs.ts instead.
 */
import type * as Msw from 'msw'
import type * as MswNode from 'msw/node'
import { importPeer, MSW_PEER } from './missing-peer.js'

/** The `msw` package. */
export const msw: typeof Msw = await importPeer(MSW_PEER, () => import('msw'))

/** The `msw/node` entry. */
export const mswNode: typeof MswNode = await importPeer(MSW_PEER, () => import('msw/node'))
