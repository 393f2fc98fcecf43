import { TOOLKIT_ERROR_PREFIX, TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { CallbackHandler, CallbackMatch } from './delivery.js'
import { type InterceptorTest, isLocalUrl, notSentReason, originOf } from './reach.js'

/** How many patterns of receivers removed by reset() are remembered, to say so when one is missed. */
const REMEMBERED_RECEIVERS = 50

/** Whether a receiver's pattern takes `url`. */
function matchesUrl(match: CallbackMatch, url: string): boolean {
  if (typeof match === 'string') return url.startsWith(match)
  if (match instanceof RegExp) {
    match.lastIndex = 0
    return match.test(url)
  }
  return match(url)
}

/** A receiver's pattern as a message shows it. */
function describeMatcher(match: CallbackMatch): string {
  if (typeof match === 'string') return match
  if (match instanceof RegExp) return String(match)
  return 'a URL predicate'
}

/**
 * Who receives callbacks besides the network: in-process handlers (by URL), and interceptors of this process (msw,
 * nock, …) declared to answer some requests. Decides whether a delivery no handler takes may be sent with fetch,
 * and warns once per host about deliveries it does not make.
 *
 * The declared interceptors and the hosts warned about are shared with the receivers made from these (the outbox a
 * reset builds, and those of other accounts); the patterns of the handlers resets removed carry over to them.
 * Handlers stay each outbox's own.
 *
 * @example
 * const receivers = new Receivers()
 * receivers.handle('https://app.test/', () => new Response(null, { status: 204 }))
 * receivers.handlerOf('https://app.test/status') // the handler
 */
export class Receivers {
  private handlers: { match: CallbackMatch; handler: CallbackHandler }[] = []
  private readonly interceptors: Set<InterceptorTest>
  /** Origins already warned about (so that a suite hears of each host once). */
  private readonly warned: Set<string>
  /**
   * Patterns of the handlers earlier reset()s removed, newest last (a failed delivery one of them would have taken
   * says so: it was likely meant to stay). At most {@link REMEMBERED_RECEIVERS} are kept.
   */
  private removedReceivers: CallbackMatch[]

  /** `previous`: the receivers these follow (their interceptors and warned hosts are shared, see above). */
  constructor(previous?: Receivers) {
    this.interceptors = previous?.interceptors ?? new Set()
    this.warned = previous?.warned ?? new Set()
    this.removedReceivers = previous?.removedReceivers ?? []
  }

  /** Registers an in-process receiver for callback URLs matching `match` (string prefix, RegExp or predicate). */
  handle(match: CallbackMatch, handler: CallbackHandler): () => void {
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

  /** Declares an interceptor of this process that answers the requests for which `test` is true. */
  interceptor(test: InterceptorTest): () => void {
    if (typeof test !== 'function')
      throw new TwilioDoubleError(
        'callbacks.interceptor(test): test must be a function (request) => boolean, e.g. mswHandles(server) from twilio-double/msw',
      )
    this.interceptors.add(test)
    return () => this.interceptors.delete(test)
  }

  /** The newest in-process handler whose pattern matches `url`. */
  handlerOf(url: string): CallbackHandler | undefined {
    return this.handlers.findLast((h) => matchesUrl(h.match, url))?.handler
  }

  /**
   * Whether a request to `url` no in-process handler takes may be sent with fetch: `open` (the `network` or
   * `fetch` option), a URL on this machine, or a declared interceptor that answers the request (made anew for
   * each, as a test may read its body).
   */
  async mayReach(url: string, request: () => Request, open: boolean): Promise<boolean> {
    if (open || isLocalUrl(url)) return true
    for (const test of this.interceptors) {
      try {
        if (await test(request())) return true
      } catch {
        // an interceptor test that fails does not answer
      }
    }
    return false
  }

  /** Warns once per host that a delivery to `url` was not made, saying how to receive it. */
  warnOnce(url: string): void {
    const origin = originOf(url)
    if (this.warned.has(origin)) return
    this.warned.add(origin)
    console.warn(`${TOOLKIT_ERROR_PREFIX}a callback to ${url} was ${notSentReason(url)}`)
  }

  /**
   * What a failed delivery to `url` should add: that a reset removed the handler that would have taken it (naming
   * its pattern), when no handler takes it now; nothing when none ever did.
   */
  resetHint(url: string): string {
    const removed = this.removedReceiverFor(url)
    return removed === undefined
      ? ''
      : ` (no callbacks.handle() receiver matched: reset() removed the one registered for ${describeMatcher(removed)}; register receivers in beforeEach)`
  }

  /** Removes the in-process handlers, remembering their patterns (the interceptors stay). */
  reset(): void {
    if (this.handlers.length > 0)
      this.removedReceivers = [...this.removedReceivers, ...this.handlers.map((h) => h.match)].slice(
        -REMEMBERED_RECEIVERS,
      )
    this.handlers = []
  }

  /** The pattern of a handler a reset() removed that would have taken `url`, when no handler takes it now. */
  private removedReceiverFor(url: string): CallbackMatch | undefined {
    const takes = (match: CallbackMatch) => {
      try {
        return matchesUrl(match, url)
      } catch {
        return false // a predicate that throws takes nothing
      }
    }
    if (this.handlers.some((h) => takes(h.match))) return undefined
    return this.removedReceivers.findLast(takes)
  }
}
