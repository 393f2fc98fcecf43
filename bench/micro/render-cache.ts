/**
 * The JSON of the messages a double's API read last (`RenderedMessages`, src/http/render.ts) against serializing
 * every message at every read.
 */
import type { Rendered } from '../../src/http/render.js'
import { renderMessage } from '../../src/http/render.js'
import type { MessageRecord } from '../../src/messaging/types.js'
import type { RecentMap } from '../../src/util/memo.js'
import type { Micro } from './micro.js'

/** The plain way: the message serialized again at every read, nothing kept. */
export function plainKeptMessageJson(_kept: RecentMap<string, Rendered>, r: MessageRecord): string {
  return JSON.stringify(renderMessage(r))
}

export const renderCache: Micro = {
  id: 'render-cache',
  fastPath: 'JSON of the messages read last, `RenderedMessages`/`keptMessageJson` (src/http/render.ts)',
  plainWay: '`JSON.stringify(renderMessage(r))` at every read',
  swaps: [{ name: 'keptMessageJson', plain: 'plainKeptMessageJson', from: import.meta.url }],
  targets: ['fetch', 'list'],
}
