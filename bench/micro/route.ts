/** The path segment reader (`readPath`/`findRoute`) against matching the routes' RegExp patterns. */
import { type findRoute, ROUTES } from '../../src/http/handle.js'
import type { Micro } from './micro.js'

/** The plain way: the first route of the method whose pattern matches the path. */
export function plainFindRoute(method: string, path: string): ReturnType<typeof findRoute> {
  for (const route of ROUTES) {
    if (route.method !== method) continue
    const match = route.pattern.exec(path)
    if (match) return { route, match }
  }
  return undefined
}

const A = '/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages'
const PATHS: [string, string][] = [
  ['POST', `${A}.json`],
  ['GET', `${A}.json`],
  ['GET', `${A}/SM0123456789abcdef0123456789abcdef.json`],
  ['GET', `${A}/MM0123456789abcdef0123456789abcdef/Media/ME0123456789abcdef0123456789abcdef.json`],
]

export const route: Micro = {
  id: 'route',
  fastPath: 'path segment reader `readPath`/`findRoute` (src/http/handle.ts)',
  plainWay: "the routes' RegExp patterns, tried in order",
  swaps: [{ name: 'findRoute', plain: 'plainFindRoute', from: import.meta.url }],
  targets: ['create', 'fetch', 'list'],
  isolated: (fast, plain) => [
    {
      label: 'findRoute over create/list/fetch/media paths',
      fast: (i) => fast.handle.findRoute(...PATHS[i & 3]!),
      plain: (i) => plain.handle.findRoute(...PATHS[i & 3]!),
    },
  ],
}
