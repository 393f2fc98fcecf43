/**
 * The inbox: a web page of the standalone server to watch and drive the double. Its files (the page, its
 * stylesheet and its script) ship in the package's `inbox/` folder and are read once when a server starts; the
 * page reads and acts only through the control API under `/__double/` and its event stream, and loads nothing
 * from the network.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { json } from '../http/respond.js'

/** Where the inbox's files are served (the page itself is also served at `/`). */
export const INBOX_PREFIX = '/__double/inbox'

/** The files of the inbox and their content types. */
export const INBOX_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'inbox.css': 'text/css; charset=utf-8',
  'inbox.js': 'text/javascript; charset=utf-8',
}

/** One file of the inbox, as read at start. */
export interface InboxFile {
  contentType: string
  /** A strong validator of the body (quoted, as sent in ETag). */
  etag: string
  body: Uint8Array<ArrayBuffer>
}

/** The inbox of one server: its files and the answers made from them. */
export interface Inbox {
  readonly files: Readonly<Record<string, InboxFile>>
  /**
   * Answers the requests of the inbox: `GET /` and `GET /__double/inbox/` (the page),
   * `GET /__double/inbox/inbox.css` and `/inbox.js`. Any other request gets `undefined`, so that the caller
   * hands it on (to the control API or the double). Every response carries `content-length`, an `ETag`
   * (`If-None-Match` gives 304) and, for the page, a Content-Security-Policy that allows nothing but the
   * server itself.
   */
  respond(request: Request, url: URL | string): Response | undefined
}

const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

/**
 * The `inbox/` folder of this package: beside the package.json nearest above this module (src/inbox/ in the
 * repository, dist/ in the published package).
 */
export function inboxFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir)
      throw new TwilioDoubleError(
        `the inbox files are missing (no package.json above ${fileURLToPath(import.meta.url)}): reinstall twilio-double`,
      )
    dir = parent
  }
  return join(dir, 'inbox')
}

/**
 * Reads the inbox's files (from the package's `inbox/` folder unless told otherwise).
 *
 * @example
 * const inbox = await loadInbox()
 * const page = inbox.respond(request, new URL(request.url))
 * if (page) return page
 */
export async function loadInbox(folder = inboxFolder()): Promise<Inbox> {
  const files: Record<string, InboxFile> = {}
  for (const [name, contentType] of Object.entries(INBOX_FILES)) {
    const body = await readFile(join(folder, name))
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`
    files[name] = { contentType, etag, body: new Uint8Array(body) }
  }
  return { files, respond: (request, url) => respond(files, request, url) }
}

function pathOf(url: URL | string): string {
  if (url instanceof URL) return url.pathname
  const start = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0) return '/'
  const path = url.slice(start)
  const end = path.search(/[?#]/)
  return end < 0 ? path : path.slice(0, end)
}

const refusal = (status: number, error: string, message: string, headers?: Record<string, string>) =>
  json(status, { error, message }, headers)

function fileResponse(request: Request, file: InboxFile, page: boolean): Response {
  const ifNoneMatch = request.headers.get('if-none-match')
  if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag))
    return new Response(null, { status: 304, headers: { etag: file.etag, 'cache-control': 'no-cache' } })
  const headers: Record<string, string> = {
    'content-type': file.contentType,
    'content-length': String(file.body.byteLength),
    'cache-control': 'no-cache',
    etag: file.etag,
    'x-content-type-options': 'nosniff',
    ...(page ? PAGE_HEADERS : {}),
  }
  return new Response(request.method === 'HEAD' ? null : file.body, { status: 200, headers })
}

function respond(
  files: Readonly<Record<string, InboxFile>>,
  request: Request,
  url: URL | string,
): Response | undefined {
  const path = pathOf(url)
  const isRoot = path === '/'
  const underPrefix = path === INBOX_PREFIX || path.startsWith(`${INBOX_PREFIX}/`)
  if (!isRoot && !underPrefix) return undefined
  const method = request.method.toUpperCase()
  if (method !== 'GET' && method !== 'HEAD') {
    // `/` is not a Twilio path, but leave its other methods to the double (it answers 20404 as Twilio does)
    if (isRoot) return undefined
    return refusal(405, 'method_not_allowed', `${method} is not allowed here; the inbox answers GET`, {
      allow: 'GET, HEAD',
    })
  }
  const name = isRoot ? 'index.html' : path.slice(INBOX_PREFIX.length + 1) || 'index.html'
  const file = Object.hasOwn(files, name) ? files[name] : undefined
  if (!file)
    return refusal(
      404,
      'not_found',
      `the inbox has no file '${name}'; open ${INBOX_PREFIX}/ (or /) for the page`,
    )
  return fileResponse(request, file, name === 'index.html')
}
