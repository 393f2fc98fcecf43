/**
 * The nock door: every request to a Twilio API host is answered by the double, through the nock instance
 * you pass in (this module never imports nock). Works with nock 14 (reply functions get the path and body,
 * the request on `this.req`) and nock 15 (reply functions get a Fetch `Request`).
 */
import type { TwilioDouble } from '../double.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { handleOrHangUp } from '../http/fetch.js'
import { TWILIO_API_ORIGIN_ONLY } from '../http/hosts.js'

/**
 * Every Twilio API host the double answers as nock sees it (`https://api.twilio.com:443`,
 * `https://content.twilio.com:443`, edge and region forms included): a RegExp nock takes as the base of a scope.
 *
 * @example
 * TWILIO_NOCK_HOST.test('https://api.twilio.com:443') // true
 */
export const TWILIO_NOCK_HOST = TWILIO_API_ORIGIN_ONLY

/** Methods the double answers (anything else on a Twilio API host gets Twilio's 405 or 404 JSON). */
const METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS'] as const

/** The part of a nock interceptor this adapter uses. */
export interface NockInterceptorLike {
  reply(fn: (...args: any[]) => unknown): NockScopeLike
}

/** The part of a nock scope this adapter uses. */
export interface NockScopeLike {
  persist(flag?: boolean): NockScopeLike
  intercept(uri: (path: string) => boolean, method: string): NockInterceptorLike
  interceptors?: unknown[]
  /** nock's `request` event: the request (nock 14: its own; nock 15: a Fetch `Request`), the interceptor, the body. */
  on?(event: 'request', listener: (req: unknown, interceptor: unknown, body: unknown) => void): unknown
}

/** The `nock` function (default export of the `nock` package), as this adapter uses it. */
export interface NockLike {
  (basePath: RegExp, options?: object): NockScopeLike
  removeInterceptor?(interceptor: unknown): boolean
}

/** What {@link nockTwilio} returns. */
export interface NockTwilio {
  /** The persisted nock scope answering Twilio API hosts. */
  readonly scope: NockScopeLike
  /** Removes the interceptors again (other nock interceptors stay). */
  remove(): void
}

/** The request as nock 14 exposes it on `this.req` inside a reply function. */
interface Nock14Request {
  method?: string
  path?: string
  headers?: Record<string, string | string[] | number | undefined>
  getHeader?(name: string): unknown
}

type Reply = [number, string, Record<string, string>]

function headersOf(raw: Nock14Request['headers']): Headers {
  const headers = new Headers()
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v === undefined) continue
    if (Array.isArray(v)) for (const item of v) headers.append(k, item)
    else headers.set(k, String(v))
  }
  return headers
}

/**
 * The body of a nock 14 request as its bytes: nock holds a body that is not UTF-8 as the hexadecimal digits of its
 * bytes, and text as itself. (Text that is hexadecimal digits alone and stands for bytes that are not UTF-8 is read
 * as those bytes: no form or JSON body Twilio takes is written so.)
 */
function bodyBytesOfNock14(body: string): Uint8Array<ArrayBuffer> {
  if (/^(?:[0-9a-f]{2})+$/.test(body)) {
    const bytes = Buffer.from(body, 'hex')
    if (!bytes.equals(Buffer.from(bytes.toString('utf-8'), 'utf-8'))) return new Uint8Array(bytes)
  }
  return new TextEncoder().encode(body)
}

/**
 * What the door keeps of a nock 14 request when nock emits it, before its reply function runs: the body as nock
 * holds it and the content type. nock 14 parses a JSON body itself before it calls a reply function, and a
 * malformed one throws out of nock (an uncaught exception, the request never answered): the door takes the
 * content type out of the copy of the headers nock parses by, and gives both back to the request the double reads.
 */
interface Nock14Sent {
  body: string
  contentType: string | undefined
}

/** Builds a Fetch `Request` from what nock 14 passes to a reply function (and what the door kept of it). */
function requestFromNock14(
  req: Nock14Request,
  path: string,
  body: unknown,
  sent: Nock14Sent | undefined,
): Request {
  const headers = headersOf(req.headers)
  if (sent?.contentType !== undefined) headers.set('content-type', sent.contentType)
  const host = headers.get('host') ?? 'api.twilio.com'
  const method = (req.method ?? 'GET').toUpperCase()
  let payload: Uint8Array<ArrayBuffer> | string | undefined
  if (method !== 'GET' && method !== 'HEAD') {
    if (sent !== undefined) payload = sent.body === '' ? undefined : bodyBytesOfNock14(sent.body)
    else if (typeof body === 'string') payload = body
    else if (Buffer.isBuffer(body)) payload = new Uint8Array(body)
    else if (body !== undefined && body !== null && body !== '') payload = JSON.stringify(body)
  }
  headers.delete('content-length')
  return new Request(`https://${host.replace(/:443$/, '')}${path}`, { method, headers, body: payload })
}

function isRequest(value: unknown): value is Request {
  const v = value as Request | null
  return (
    typeof v === 'object' && v !== null && typeof v.url === 'string' && typeof v.arrayBuffer === 'function'
  )
}

async function answer(double: TwilioDouble, request: Request): Promise<Reply> {
  const response = await handleOrHangUp((r) => double.handle(r), request)
  const body = await response.text()
  const headers: Record<string, string> = {}
  response.headers.forEach((value, key) => {
    headers[key] = value
  })
  // Always a length: clients on keep-alive connections wait for it (nock 14 hangs without).
  headers['content-length'] = String(Buffer.byteLength(body))
  return [response.status, body, headers]
}

/**
 * Routes every request to a Twilio API host (api.twilio.com, content.twilio.com and their edge and region forms) to the double,
 * through your own `nock`. The interceptors persist until `remove()` (or `nock.cleanAll()`).
 *
 * @example
 * import nock from 'nock'
 * import twilio from 'twilio'
 * import { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from 'twilio-double'
 * import { nockTwilio } from 'twilio-double/nock'
 *
 * const double = createTwilioDouble()
 * const door = nockTwilio(nock, double)
 * nock.disableNetConnect()
 * const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
 * await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi' })
 * door.remove()
 */
export function nockTwilio(nock: NockLike, double: TwilioDouble): NockTwilio {
  if (typeof nock !== 'function')
    throw new TwilioDoubleError(
      `nockTwilio(nock, double): pass the nock function itself (import nock from 'nock'; not installed? npm i -D nock, 14 on Node 20, 15 on Node 22 or newer), got ${typeof nock}`,
    )
  if (!double || typeof double.handle !== 'function')
    throw new TwilioDoubleError('nockTwilio(nock, double): double must come from createTwilioDouble()')
  const scope = nock(TWILIO_NOCK_HOST).persist()
  const sent = new WeakMap<object, Nock14Sent>()
  scope.on?.('request', (req, _interceptor, body) => {
    // nock 14 only: nock 15 emits (and gives reply functions) a Fetch Request, and parses nothing
    if (isRequest(req) || typeof body !== 'string') return
    const headers = (req as Nock14Request | null)?.headers
    if (headers === null || typeof headers !== 'object') return
    const contentType = headers['content-type']
    sent.set(req as object, {
      body,
      contentType: contentType === undefined ? undefined : String(contentType),
    })
    delete headers['content-type']
  })
  const interceptors: unknown[] = []
  const before = scope.interceptors?.length ?? 0
  for (const method of METHODS) {
    // The reply function takes no declared parameters: nock 14 treats length 3 and nock 15 length 2 as
    // callback style, and only (path, body) or (request) are needed here.
    scope
      .intercept(() => true, method)
      .reply(function (this: { req?: Nock14Request }, ...args: unknown[]) {
        const first = args[0]
        const req = this.req ?? {}
        const request = isRequest(first)
          ? first
          : requestFromNock14(req, String(first ?? '/'), args[1], sent.get(req))
        return answer(double, request)
      })
  }
  if (scope.interceptors) interceptors.push(...scope.interceptors.slice(before))
  return {
    scope,
    remove() {
      for (const i of interceptors) nock.removeInterceptor?.(i)
      interceptors.length = 0
    },
  }
}
