/** The URL splitter `splitUrl` against `new URL()`. */
import type { Micro } from './micro.js'

/** The plain way: WHATWG URL parsing. */
export function plainSplitUrl(raw: string): { pathname: string; query: string } | undefined {
  try {
    const url = new URL(raw)
    return { pathname: url.pathname, query: url.search.slice(1) }
  } catch {
    return undefined
  }
}

const A = 'https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages'
const URLS = [
  `${A}.json`,
  `${A}.json?To=%2B15550101001&PageSize=50`,
  `${A}/SM0123456789abcdef0123456789abcdef.json`,
  `${A}.json?PageSize=50&Page=1&PageToken=PASM0123456789abcdef0123456789abcdef`,
]

export const url: Micro = {
  id: 'url',
  fastPath: 'URL splitter `splitUrl` (src/http/handle.ts)',
  plainWay: '`new URL()`',
  swaps: [{ name: 'splitUrl', plain: 'plainSplitUrl', from: import.meta.url }],
  targets: ['create', 'fetch', 'list'],
  isolated: (fast, plain) => [
    {
      label: 'splitUrl of API URLs',
      fast: (i) => fast.handle.splitUrl(URLS[i & 3]!),
      plain: (i) => plain.handle.splitUrl(URLS[i & 3]!),
    },
  ],
}
