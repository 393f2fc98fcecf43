/**
 * The hand-built JSON template of a message and the render and page caches, against `JSON.stringify` of the wire
 * object and no cache: each alone, and all three together.
 */
import type { Rendered } from '../../src/messaging/render.js'
import { renderMessage } from '../../src/messaging/render.js'
import type { MessageRecord } from '../../src/messaging/types.js'
import type { Micro } from './micro.js'
import type { Graph } from './variants.js'

/** The plain way of the template: the wire object, stringified. */
export function plainRenderMessageJson(r: MessageRecord): string {
  return JSON.stringify(renderMessage(r))
}

/** No render cache: the JSON made again at every read (with the fields it was made from, as the cache keeps). */
export function plainRendered(r: MessageRecord): Rendered {
  return {
    sid: r.sid,
    accountSid: r.accountSid,
    body: r.body,
    numSegments: r.numSegments,
    numMedia: r.numMedia,
    direction: r.direction,
    from: r.from,
    to: r.to,
    status: r.status,
    messagingServiceSid: r.messagingServiceSid,
    dateCreated: r.dateCreated,
    dateUpdated: r.dateUpdated,
    dateSent: r.dateSent,
    price: r.price,
    priceUnit: r.priceUnit,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    json: plainRenderMessageJson(r),
  }
}

/** No page cache: no page is found, none is kept. */
export function plainCachedPage(): undefined {
  return undefined
}
export function plainKeepPage(): void {}

/** Stored messages of a double of `graph`, as the store holds them. */
function records(graph: Graph): MessageRecord[] {
  const double = graph.index.createTwilioDouble({ maxQueueSeconds: false })
  const account = 'AC00000000000000000000000000000001'
  for (let i = 0; i < 64; i++)
    double.backend.createMessage({
      accountSid: account,
      from: '+15005550006',
      to: `+1555010${1000 + (i % 20)}`,
      body: i % 8 === 0 ? `Votre code “${i}” expire bientôt` : `Your verification code is ${100000 + i}`,
    })
  return double.backend.store(account).values()
}

const TEMPLATE = { name: 'renderMessageJson', plain: 'plainRenderMessageJson', from: import.meta.url }
const RENDER_CACHE = { name: 'rendered', plain: 'plainRendered', from: import.meta.url }
const PAGE_CACHE = [
  { name: 'cachedPage', plain: 'plainCachedPage', from: import.meta.url },
  { name: 'keepPage', plain: 'plainKeepPage', from: import.meta.url },
]

export const template: Micro = {
  id: 'template',
  fastPath: 'hand-built JSON template `renderMessageJson` (src/messaging/render.ts)',
  plainWay: '`JSON.stringify(renderMessage(r))` (caches kept)',
  swaps: [TEMPLATE],
  targets: ['create', 'fetch', 'list'],
  isolated: (fast, plain) => {
    const rs = records(fast)
    return [
      {
        label: 'renderMessageJson of a stored message',
        fast: (i) => fast.render.renderMessageJson(rs[i & 63]),
        plain: (i) => plain.render.renderMessageJson(rs[i & 63]),
      },
    ]
  },
}

export const renderCache: Micro = {
  id: 'render-cache',
  fastPath: 'render cache `rendered`/`messageJson` (src/messaging/render.ts)',
  plainWay: 'no cache: the template run at every read',
  swaps: [RENDER_CACHE],
  targets: ['fetch', 'list'],
  isolated: (fast, plain) => {
    const rs = records(fast)
    return [
      {
        label: 'messageJson of an unchanged message',
        fast: (i) => fast.render.messageJson(rs[i & 63]),
        plain: (i) => plain.render.messageJson(rs[i & 63]),
      },
    ]
  },
}

export const pageCache: Micro = {
  id: 'page-cache',
  fastPath: 'page cache `cachedPage`/`keepPage` (src/http/paging.ts)',
  plainWay: 'no cache: the page made at every read',
  swaps: PAGE_CACHE,
  targets: ['list'],
}

export const renderAll: Micro = {
  id: 'render-all',
  fastPath: 'template + render cache + page cache together',
  plainWay: '`JSON.stringify` of the wire object, no cache',
  swaps: [TEMPLATE, RENDER_CACHE, ...PAGE_CACHE],
  targets: ['create', 'fetch', 'list'],
  isolated: (fast, plain) => {
    const rs = records(fast)
    return [
      {
        label: 'messageJson of an unchanged message',
        fast: (i) => fast.render.messageJson(rs[i & 63]),
        plain: (i) => plain.render.messageJson(rs[i & 63]),
      },
    ]
  },
}
