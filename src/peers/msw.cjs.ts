/**
 * msw, loaded by the entries that use it (CommonJS build, in place of ./msw.ts: see tsup.config.ts): a
 * missing msw fails with a `[twilio-double]` error naming the package to install.
 */
import type * as Msw from 'msw'
import type * as MswNode from 'msw/node'
import { loadPeer, MSW_PEER } from './missing-peer.js'

/** The `msw` package. */
export const msw: typeof Msw = loadPeer(MSW_PEER, () => require('msw'))

/** The `msw/node` entry. */
export const mswNode: typeof MswNode = loadPeer(MSW_PEER, () => require('msw/node'))
