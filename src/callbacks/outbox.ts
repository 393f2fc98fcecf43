import { performance } from 'node:perf_hooks'
import { clearTimeout as clearRealTimeout, setTimeout as setRealTimeout } from 'node:timers'
import { TOOLKIT_ERROR_PREFIX, TwilioDoubleError } from '../errors/twilio-api-error.js'
import { type InterceptorTest, isLocalUrl, notSentReason, originOf } from './reach.js'
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
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number
  /** HTTP status of the app's answer; undefined when the request failed. */
  responseStatus?: number
  responseBody?: string
  responseContentType?: string
  /** The `Set-Cookie` values of the app's answer, when it set cookies. */
  responseSetCookies?: string[]
  /** Network error, timeout or handler error message. */
  error?: string
  /** Real milliseconds the delivery took. */
  durationMs?: number
  /** True when the delivery was not made because its host is not this machine (see `error`). */
  notSent?: boolean
}

/** An in-process receiver of callbacks: gets a `Request`, may return a `Response` (default 200, empty). */
export type CallbackHandler = (
  request: Request,
) => Response | undefined | void | Promise<Response | undefined | void>

/** Options of status-callback and webhook delivery. */
export interface CallbackOptions {
  /** Real-time timeout of one delivery attempt in ms (default 5000). Not affected by fake timers. */
  timeoutMs?: number
  /** Retries after a failed attempt (network error, timeout, handler error or 5xx answer). Default 0. */
  retries?: number
  /**
   * fetch used for deliveries; default: the global fetch at the time of delivery (so msw can intercept).
   * A fetch given here receives every delivery no in-process handler takes: where it sends them is yours.
   */
  fetch?: typeof fetch
  /**
   * Deliveries to hosts other than this machine go over the network (default false: such a delivery is
   * made only when an in-process handler or a declared interceptor such as msw answers it, and is
   * otherwise recorded as failed, with one warning per host). Loopback URLs always go over the network.
   */
  network?: boolean
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
  /** Sign with a wrong key, so that signature validation fails. */
  tamper?: boolean
  /** More request headers (the `Cookie` of a conversation). */
  headers?: Record<string, string>
  /** Virtual time of the event (epoch ms). */
  at: number
}

/** Filter of {@link Outbox.list}. */
export interface DeliveryFilter {
  messageSid?: string
  status?: string
  kind?: 'status' | 'inbound'
}

type Matcher = string | RegExp | ((url: string) => boolean)

/** How many patterns of receivers removed by reset() an outbox remembers, to say so when one is missed. */
const REMEMBERED_RECEIVERS = 50

/** Whether a receiver's pattern takes `url`. */
function matchesUrl(match: Matcher, url: string): boolean {
  if (typeof match === 'string') return url.startsWith(match)
  if (match instanceof RegExp) {
    match.lastIndex = 0
    return match.test(url)
  }
  return match(url)
}

/** A receiver's pattern as a message shows it. */
function describeMatcher(match: Matcher): string {
  if (typeof match === 'string') return match
  if (match instanceof RegExp) return String(match)
  return 'a URL predicate'
}

/**
 * The outbox: signs and sends status callbacks and inbound webhooks, records every attempt, and never
 * lets a failing, unreachable or slow endpoint crash or hang a test.
 *
 * Deliveries of one message are made one after the other, in the order they were sent (so a receiver sees
 * `sent` before `delivered` unless a scenario reorders them); deliveries of different messages overlap.
 * A delivery goes to the newest in-process handler whose pattern matches its URL, else over HTTP with
 * the global `fetch` as it is at delivery time (msw and other interceptors see it) when the URL is on this
 * machine, when a declared interceptor answers it, or with the `network` option. Any other delivery is
 * not made: it is recorded as failed with the ways to receive it, and one warning per host is printed.
 *
 * @example
 * const outbox = new Outbox({ timeoutMs: 1000, retries: 1 })
 * outbox.handle('https://app.test/', () => new Response(null, { status: 204 }))
 */
export class Outbox {
  private deliveries: CallbackDelivery[] = []
  private inflight = new Set<Promise<unknown>>()
  private chains = new Map<string, Promise<unknown>>()
  private handlers: { match: Matcher; handler: CallbackHandler }[] = []
  private interceptors = new Set<InterceptorTest>()
  /** Origins already warned about (kept across reset(), so that a suite hears of each host once). */
  private warned = new Set<string>()
  /**
   * Patterns of the receivers earlier reset()s removed, newest last (a failed delivery one of them would have
   * taken says so: it was likely meant to stay). At most {@link REMEMBERED_RECEIVERS} are kept.
   */
  private removedReceivers: Matcher[] = []
  private nextId = 1
  private generation = 0
  private listeners = new Set<(d: CallbackDelivery) => void>()

  /** `previous`: the outbox this one replaces at a reset (the receivers that reset removed carry over). */
  constructor(
    private readonly options: CallbackOptions = {},
    previous?: Outbox,
  ) {
    this.removedReceivers = previous?.removedReceivers ?? []
    // declared interceptors and the hosts already warned about outlive a reset
    if (previous) {
      this.interceptors = previous.interceptors
      this.warned = previous.warned
    }
    const { timeoutMs, retries, maxRecorded } = options
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0))
      throw new TwilioDoubleError(
        `callbacks.timeoutMs must be a number of milliseconds > 0 (got ${timeoutMs})`,
      )
    if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0))
      throw new TwilioDoubleError(`callbacks.retries must be an integer >= 0 (got ${retries})`)
    if (maxRecorded !== undefined && !(Number.isInteger(maxRecorded) && maxRecorded >= 0))
      throw new TwilioDoubleError(`callbacks.maxRecorded must be an integer >= 0 (got ${maxRecorded})`)
  }

  /** Every attempt recorded so far, in the order attempts started. */
  list(filter: DeliveryFilter = {}): CallbackDelivery[] {
    return this.deliveries
      .filter(
        (d) =>
          (filter.messageSid === undefined || d.messageSid === filter.messageSid) &&
          (filter.status === undefined || d.status === filter.status) &&
          (filter.kind === undefined || d.kind === filter.kind),
      )
      .sort((a, b) => a.id - b.id)
  }

  /** Registers an in-process receiver for callback URLs matching `match` (string prefix, RegExp or predicate). */
  handle(match: Matcher, handler: CallbackHandler): () => void {
    if (typeof match !== 'string' && !(match instanceof RegExp) && typeof match !== 'function')
      throw new TwilioDoubleError(
        'callbacks.handle(match, handler): match must be a URL prefix, a RegExp or a function (url) => boolean',
      )
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

  /**
   * Declares an interceptor of this process (msw, nock, …) that answers the requests for which `test` is
   * true: deliveries it answers are sent with fetch although their host is not this machine. Kept across
   * reset(). Returns a function that removes it.
   */
  interceptor(test: InterceptorTest): () => void {
    if (typeof test !== 'function')
      throw new TwilioDoubleError(
        'callbacks.interceptor(test): test must be a function (request) => boolean, e.g. mswHandles(server) from twilio-double/msw',
      )
    this.interceptors.add(test)
    return () => this.interceptors.delete(test)
  }

  /** Calls `listener` after each recorded attempt (used by the inbox page). */
  onDelivery(listener: (d: CallbackDelivery) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Number of deliveries not finished yet. */
  get pending(): number {
    return this.inflight.size
  }

  /** Resolves when every delivery in flight (retries included) has finished. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight])
  }

  /** Drops the record and the in-process handlers; deliveries still in flight are not recorded. */
  reset(): void {
    this.deliveries = []
    if (this.handlers.length > 0)
      this.removedReceivers = [...this.removedReceivers, ...this.handlers.map((h) => h.match)].slice(
        -REMEMBERED_RECEIVERS,
      )
    this.handlers = []
    this.chains.clear()
    this.nextId = 1
    this.generation++
  }

  /**
   * Sends a callback without awaiting it; resolves with the delivery's last attempt and never rejects.
   * It starts after the earlier deliveries of the same message have finished. A delivery still waiting
   * when the outbox is reset is not made (its result carries an `error` saying so, and is not recorded).
   */
  send(cb: OutgoingCallback): Promise<CallbackDelivery> {
    const key = `${cb.kind}|${cb.messageSid}`
    const before = this.chains.get(key)
    const generation = this.generation
    const run = async (): Promise<CallbackDelivery> => {
      if (generation !== this.generation) return this.dropped(cb, 'the double was reset before it started')
      try {
        return await this.deliver(cb, generation)
      } catch (err) {
        return this.dropped(cb, describe(err))
      }
    }
    // Never synchronously: a handler must not run in the middle of the transition that sent it.
    const p = (before ?? Promise.resolve()).then(run)
    this.chains.set(key, p)
    this.inflight.add(p)
    void p.finally(() => {
      this.inflight.delete(p)
      if (this.chains.get(key) === p) this.chains.delete(key)
    })
    return p
  }

  private dropped(cb: OutgoingCallback, why: string): CallbackDelivery {
    return {
      id: 0,
      kind: cb.kind,
      messageSid: cb.messageSid,
      accountSid: cb.accountSid,
      status: cb.status,
      url: cb.url,
      method: cb.method ?? 'POST',
      params: { ...cb.params },
      headers: {},
      signature: '',
      at: cb.at,
      attempt: 0,
      error: `not delivered: ${why}`,
    }
  }

  private async deliver(cb: OutgoingCallback, generation: number): Promise<CallbackDelivery> {
    const retries = this.options.retries ?? 0
    let last: CallbackDelivery | undefined
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      last = await this.attempt(cb, attempt, generation)
      const ok = last.error === undefined && last.responseStatus !== undefined && last.responseStatus < 500
      if (ok || last.notSent || generation !== this.generation) break
    }
    return last!
  }

  private async attempt(
    cb: OutgoingCallback,
    attempt: number,
    generation: number,
  ): Promise<CallbackDelivery> {
    const method = cb.method ?? 'POST'
    const form = new URLSearchParams(cb.params).toString()
    let target = cb.url
    if (method === 'GET') target += (cb.url.includes('?') ? '&' : '?') + form
    const signed = method === 'GET' ? {} : cb.params
    const signature = twilioSignature(cb.tamper ? `${cb.authToken}-tampered` : cb.authToken, target, signed)
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-twilio-signature': signature,
      'user-agent': 'TwilioProxy/1.1',
      accept: '*/*',
      'i-twilio-idempotency-token': `${cb.messageSid}-${cb.status}`,
      ...cb.headers,
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
      params: { ...cb.params },
      headers,
      signature,
      at: cb.at,
      attempt,
    }
    const started = performance.now()
    const timeoutMs = this.options.timeoutMs ?? 5000
    let controller: AbortController | undefined
    let timer: ReturnType<typeof setRealTimeout> | undefined
    let timedOut = false
    let deadline: Promise<never> | undefined
    // Waits for a pending answer no longer than the timeout, on a real-time timer (node:timers is left
    // alone by fake timers): a slow endpoint never hangs a test. A value already there costs no timer.
    const within = <T>(value: T | PromiseLike<T>): T | Promise<T> => {
      if (!isThenable(value)) return value
      deadline ??= new Promise<never>((_, reject) => {
        timer = setRealTimeout(() => {
          timedOut = true
          controller?.abort()
          reject(new Error(`timed out after ${timeoutMs} ms`))
        }, timeoutMs)
      })
      deadline.catch(() => {})
      return Promise.race([value, deadline])
    }
    try {
      const body = method === 'GET' ? undefined : form
      const handler = this.findHandler(cb.url)
      let response: Response | undefined | void
      if (handler) {
        response = await within(handler.handler(new Request(target, { method, headers, body })))
      } else if (!(await this.mayReach(target, method, headers, body))) {
        d.error = notSentReason(cb.url)
        d.notSent = true
        this.warnOnce(cb.url)
      } else {
        controller = new AbortController()
        const f = this.options.fetch ?? globalThis.fetch
        response = await within(f(new Request(target, { method, headers, body, signal: controller.signal })))
      }
      if (d.notSent) {
        // nothing was sent, so nothing was answered
      } else if (response) {
        d.responseStatus = response.status
        d.responseContentType = response.headers.get('content-type') ?? undefined
        const setCookies = response.headers.getSetCookie()
        if (setCookies.length > 0) d.responseSetCookies = setCookies
        const text = response.body === null ? '' : await within(response.text())
        d.responseBody = text.length > 65_536 ? `${text.slice(0, 65_536)}…` : text
      } else {
        // An in-process handler that returns nothing answers 200 with no body.
        d.responseStatus = 200
        d.responseBody = ''
      }
    } catch (err) {
      d.error = timedOut ? `timed out after ${timeoutMs} ms` : describe(err)
    } finally {
      if (timer !== undefined) clearRealTimeout(timer)
      d.durationMs = Math.round((performance.now() - started) * 100) / 100
    }
    const removed = d.error === undefined ? undefined : this.removedReceiverFor(cb.url)
    if (removed !== undefined)
      d.error += ` (no callbacks.handle() receiver matched: reset() removed the one registered for ${describeMatcher(removed)}; register receivers in beforeEach)`
    if (generation === this.generation) this.record(d)
    return d
  }

  /** Whether a delivery no in-process handler takes may be sent with fetch (see {@link CallbackOptions.network}). */
  private async mayReach(
    target: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<boolean> {
    if (this.options.network || this.options.fetch || isLocalUrl(target)) return true
    for (const test of this.interceptors) {
      try {
        if (await test(new Request(target, { method, headers, body }))) return true
      } catch {
        // an interceptor test that fails does not answer
      }
    }
    return false
  }

  private warnOnce(url: string): void {
    const origin = originOf(url)
    if (this.warned.has(origin)) return
    this.warned.add(origin)
    console.warn(`${TOOLKIT_ERROR_PREFIX}a callback to ${url} was ${notSentReason(url)}`)
  }

  private findHandler(url: string) {
    return this.handlers.findLast((h) => matchesUrl(h.match, url))
  }

  /**
   * The pattern of a receiver that a reset() removed and that would have taken `url`, when no receiver
   * takes it now; undefined when none ever did (then nothing is blamed on reset()).
   */
  private removedReceiverFor(url: string): Matcher | undefined {
    const takes = (match: Matcher) => {
      try {
        return matchesUrl(match, url)
      } catch {
        return false // a predicate that throws takes nothing
      }
    }
    if (this.handlers.some((h) => takes(h.match))) return undefined
    return this.removedReceivers.findLast(takes)
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

function isThenable<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof (v as { then?: unknown } | null | undefined)?.then === 'function'
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = (err as { cause?: { code?: string; message?: string } }).cause
  if (cause?.code) return `${err.message} (${cause.code})`
  if (cause?.message && cause.message !== err.message) return `${err.message}: ${cause.message}`
  return err.message
}
