/**
 * Request builders for core tests: Fetch API `Request`s as the `twilio` client would send them.
 *
 * @example
 * const res = await call(double, post('/Messages.json', { To: '+15550001111', From: DEFAULT_FROM, Body: 'hi' }))
 */
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../../src/config.js'
import type { TwilioDouble } from '../../src/double.js'
import { encodeForm } from '../../src/http/form.js'

export const API = 'https://api.twilio.com'

/** Path of the default account's resources: `/2010-04-01/Accounts/AC…`. */
export const ACCOUNT_PATH = `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}`

/** An HTTP Basic `authorization` header value. */
export function basic(user: string = DEFAULT_ACCOUNT_SID, pass: string = DEFAULT_AUTH_TOKEN): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`
}

export interface RequestOptions {
  /** Authorization header value; `null` sends none. Default: the default account's credentials. */
  auth?: string | null
  /** Account path prefix (default {@link ACCOUNT_PATH}); pass '' to give a full path. */
  base?: string
}

function url(path: string, base: string | undefined): string {
  return `${API}${base ?? ACCOUNT_PATH}${path}`
}

function headers(opts: RequestOptions, extra: Record<string, string> = {}): Headers {
  const h = new Headers(extra)
  const auth = opts.auth === undefined ? basic() : opts.auth
  if (auth !== null) h.set('authorization', auth)
  return h
}

/** A form POST, e.g. `post('/Messages.json', { To, From, Body })`. Arrays repeat their key. */
export function post(path: string, params: Record<string, unknown> = {}, opts: RequestOptions = {}): Request {
  return new Request(url(path, opts.base), {
    method: 'POST',
    headers: headers(opts, {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    }),
    body: encodeForm(params),
  })
}

/** A GET with a query, e.g. `get('/Messages.json', { To: '+1555…', PageSize: 2 })`. */
export function get(path: string, query: Record<string, unknown> = {}, opts: RequestOptions = {}): Request {
  const qs = encodeForm(query)
  return new Request(`${url(path, opts.base)}${qs ? `?${qs}` : ''}`, {
    method: 'GET',
    headers: headers(opts, { accept: 'application/json' }),
  })
}

/** A DELETE. */
export function del(path: string, opts: RequestOptions = {}): Request {
  return new Request(url(path, opts.base), { method: 'DELETE', headers: headers(opts) })
}

/** A request with any method (for 405 checks). */
export function request(method: string, path: string, opts: RequestOptions = {}): Request {
  return new Request(url(path, opts.base), { method, headers: headers(opts) })
}

export interface Answer<T = any> {
  status: number
  headers: Headers
  body: T
  text: string
}

/** Sends a request to the core and reads the answer. */
export async function call<T = any>(double: TwilioDouble, req: Request): Promise<Answer<T>> {
  const res = await double.handle(req)
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined }
}

/** Creates a message and returns its wire body; fails unless the answer is 201. */
export async function createOk(double: TwilioDouble, params: Record<string, unknown>): Promise<any> {
  const res = await call(double, post('/Messages.json', params))
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${res.text}`)
  return res.body
}
