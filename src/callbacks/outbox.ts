import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { twilioSignature } from './signature.js'

/** One delivery of a status callback or inbound webhook, as recorded. */
export interface CallbackDelivery {
  /** Sequence number, in the order deliveries were attempted. */
  id: number
  kind: 'status' | 'inbound'
  messageSid: string
  accountSid: string
  /** MessageStatus (status callbacks) or 'received' (inbound). */
  status: string
  url: string
  method: 'POST' | 'GET'
  params: Record<string, string>
  headers: Record<string, string>
  signature: string
  /** Virtual time the delivery was made (epoch ms). */
  at: number
  attempt: number
  /** HTTP status of the app's answer; undefined when the request failed. */
  responseStatus?: number
  responseBody?: string
  responseContentType?: string
  /** Network error, timeout or handler error message. */
  error?: string
  /** Real milliseconds the delivery took. */
  durationMs?: number
}

/** An in-process receiver of callbacks: gets a `Request`, may return a `Response` (default 200, empty). */
export type CallbackHandler = (
  request: Request,
) => Response | undefined | void | Promise<Response | undefined | void>

/** Options of status-callback and webhook delivery. */
export interface CallbackOptions {
  /** Real-time timeout of one delivery in ms (default 5000). */
  timeoutMs?: number
  /** Retries after a failed delivery (network error, timeout or 5xx). Default 0. */
  retries?: number
  /** fetch used for deliveries; default: the global fetch at the time of delivery (so msw can intercept). */
  fetch?: typeof fetch
  /** Most deliveries kept in `callbacks.list()` (oldest dropped first). Default 10,000. */
  maxRecorded?: number
}

/** What to deliver. */
export interface OutgoingCallback {
  kind: 'status' | 'inbound'
  messageSid: string
  accountSid: string
  status: string
  url: string
  method?: 'POST' | 'GET'
  params: Record<string, string>
  authToken: string
  tamper?: boolean
  at: number
}

/**
 * The outbox: signs and sends status callbacks and inbound webhooks, records every delivery, and never
 * lets a failing endpoint crash or hang a test.
 */
export class Outbox {
  private deliveries: CallbackDelivery[] = []
  private inflight = new Set<Promise<unknown>>()
  private handlers: { match: string | RegExp | ((url: string) => boolean); handler: CallbackHandler }[] = []
  private nextId = 1
  private listeners = new Set<(d: CallbackDelivery) => void>()

  constructor(private readonly options: CallbackOptions = {}) {}

  /** Every delivery recorded so far, oldest first. */
  list(
    filter: { messageSid?: string; status?: string; kind?: 'status' | 'inbound' } = {},
  ): CallbackDelivery[] {
    return this.deliveries.filter(
      (d) =>
        (filter.messageSid === undefined || d.messageSid === filter.messageSid) &&
        (filter.status === undefined || d.status === filter.status) &&
        (filter.kind === undefined || d.kind === filter.kind),
    )
  }

  /** Registers an in-process receiver for callback URLs matching `match` (string prefix, RegExp or predicate). */
  handle(match: string | RegExp | ((url: string) => boolean), handler: CallbackHandler): () => void {
    if (typeof handler !== 'function')
      throw new TwilioDoubleError(
        'callbacks.handle(match, handler): handler must be a function (request) => Response | void',
      )
    const entry = { match, handler }
    this.handlers.push(entry)
    return () => {
      this.handlers = this.handlers.filter((h) => h !== entry)
    }
  }

  /** Calls `listener` after each recorded delivery (used by the inbox page). */
  onDelivery(listener: (d: CallbackDelivery) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Resolves when every delivery in flight has finished. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight])
  }

  /** Drops the record and the in-process handlers. */
  reset(): void {
    this.deliveries = []
    this.handlers = []
    this.nextId = 1
  }

  /** Sends a callback without awaiting it; returns the delivery promise (which never rejects). */
  send(cb: OutgoingCallback): Promise<CallbackDelivery> {
    const p = this.deliver(cb)
    this.inflight.add(p)
    p.finally(() => this.inflight.delete(p))
    return p
  }

  private async deliver(cb: OutgoingCallback): Promise<CallbackDelivery> {
    const retries = this.options.retries ?? 0
    let last: CallbackDelivery | undefined
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      last = await this.attempt(cb, attempt)
      const ok = last.error === undefined && last.responseStatus !== undefined && last.responseStatus < 500
      if (ok) break
    }
    return last!
  }

  private async attempt(cb: OutgoingCallback, attempt: number): Promise<CallbackDelivery> {
    const method = cb.method ?? 'POST'
    const form = new URLSearchParams(cb.params).toString()
    let target = cb.url
    if (method === 'GET') target += (cb.url.includes('?') ? '&' : '?') + form
    const signature = cb.tamper
      ? twilioSignature(`${cb.authToken}-tampered`, target, method === 'GET' ? {} : cb.params)
      : twilioSignature(cb.authToken, target, method === 'GET' ? {} : cb.params)
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-twilio-signature': signature,
      'user-agent': 'TwilioProxy/1.1',
      accept: '*/*',
      'i-twilio-idempotency-token': `${cb.messageSid}-${cb.status}-${attempt}`,
    }
    if (method === 'GET') delete headers['content-type']
    const d: CallbackDelivery = {
      id: this.nextId++,
      kind: cb.kind,
      messageSid: cb.messageSid,
      accountSid: cb.accountSid,
      status: cb.status,
      url: cb.url,
      method,
      params: cb.params,
      headers,
      signature,
      at: cb.at,
      attempt,
    }
    const started = performance.now()
    const controller = new AbortController()
    const timeoutMs = this.options.timeoutMs ?? 5000
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      const request = new Request(target, {
        method,
        headers,
        body: method === 'GET' ? undefined : form,
        signal: controller.signal,
      })
      const handler = this.handlers.findLast((h) =>
        typeof h.match === 'string'
          ? cb.url.startsWith(h.match)
          : h.match instanceof RegExp
            ? h.match.test(cb.url)
            : h.match(cb.url),
      )
      let response: Response
      if (handler) {
        response = (await handler.handler(request)) ?? new Response(null, { status: 200 })
      } else {
        const f = this.options.fetch ?? globalThis.fetch
        response = await f(request)
      }
      d.responseStatus = response.status
      d.responseContentType = response.headers.get('content-type') ?? undefined
      d.responseBody = await readLimited(response, controller.signal)
    } catch (err) {
      d.error = controller.signal.aborted
        ? `timed out after ${timeoutMs} ms`
        : err instanceof Error
          ? `${err.message}${(err as { cause?: { code?: string } }).cause?.code ? ` (${(err as { cause: { code: string } }).cause.code})` : ''}`
          : String(err)
    } finally {
      clearTimeout(timer)
      d.durationMs = Math.round((performance.now() - started) * 100) / 100
    }
    this.record(d)
    return d
  }

  private record(d: CallbackDelivery): void {
    this.deliveries.push(d)
    const max = this.options.maxRecorded ?? 10_000
    if (this.deliveries.length > max) this.deliveries.splice(0, this.deliveries.length - max)
    for (const l of this.listeners) {
      try {
        l(d)
      } catch {
        // a listener must never break delivery
      }
    }
  }
}

async function readLimited(response: Response, signal: AbortSignal): Promise<string> {
  const text = await Promise.race([
    response.text(),
    new Promise<string>((_, reject) =>
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
    ),
  ])
  return text.length > 65_536 ? `${text.slice(0, 65_536)}…` : text
}
