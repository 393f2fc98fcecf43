/**
 * The inbox: a web page of the standalone server to watch and drive the double. The page, its stylesheet
 * and its script are embedded strings (see `assets.ts`); the page reads and acts only through the control
 * API under `/__double/` and its event stream, and loads nothing from the network.
 */
import { controlError } from '../server/control.js'
import { INBOX_ASSETS, type InboxAsset } from './assets.js'

/** Where the inbox's files are served (the page itself is also served at `/`). */
export const INBOX_PREFIX = '/__double/inbox'

const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

const encoder = new TextEncoder()

function pathOf(url: URL | string): string {
  if (url instanceof URL) return url.pathname
  const start = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0) return '/'
  const path = url.slice(start)
  const end = path.search(/[?#]/)
  return end < 0 ? path : path.slice(0, end)
}

function assetResponse(request: Request, asset: InboxAsset, page: boolean): Response {
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'cache-control': 'no-cache',
    etag: asset.etag,
    'x-content-type-options': 'nosniff',
    ...(page ? PAGE_HEADERS : {}),
  }
  const ifNoneMatch = request.headers.get('if-none-match')
  if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === asset.etag))
    return new Response(null, { status: 304, headers: { etag: asset.etag, 'cache-control': 'no-cache' } })
  const body = encoder.encode(asset.body)
  headers['content-length'] = String(body.byteLength)
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers })
}

/**
 * Answers the requests of the inbox: `GET /` and `GET /__double/inbox/` (the page),
 * `GET /__double/inbox/inbox.css` and `/inbox.js`. Any other request gets `undefined`, so that the caller
 * hands it on (to the control API or the double). Every response carries `content-length`, an `ETag`
 * (`If-None-Match` gives 304) and, for the page, a Content-Security-Policy that allows nothing but the
 * server itself.
 *
 * @example
 * const page = inboxResponse(request, new URL(request.url))
 * if (page) return page
 * return double.handle(request)
 */
export function inboxResponse(request: Request, url: URL | string): Response | undefined {
  const path = pathOf(url)
  const isRoot = path === '/'
  const underPrefix = path === INBOX_PREFIX || path.startsWith(`${INBOX_PREFIX}/`)
  if (!isRoot && !underPrefix) return undefined
  const method = request.method.toUpperCase()
  if (method !== 'GET' && method !== 'HEAD') {
    // `/` is not a Twilio path, but leave its other methods to the double (it answers 20404 as Twilio does)
    if (isRoot) return undefined
    return controlError(405, 'method_not_allowed', `${method} is not allowed here; the inbox answers GET`, {
      allow: 'GET, HEAD',
    })
  }
  const name = isRoot ? 'index.html' : path.slice(INBOX_PREFIX.length + 1) || 'index.html'
  const asset = name.includes('/') ? undefined : INBOX_ASSETS[name]
  if (!asset || !Object.hasOwn(INBOX_ASSETS, name))
    return controlError(
      404,
      'not_found',
      `the inbox has no file '${name}'; open ${INBOX_PREFIX}/ (or /) for the page`,
    )
  return assetResponse(request, asset, name === 'index.html')
}
