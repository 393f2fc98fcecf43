import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { attemptDelivery, describeError } from './attempt.js'
import type {
  CallbackDelivery,
  CallbackHandler,
  CallbackMatch,
  CallbackOptions,
  DeliveryFilter,
  OutgoingCallback,
} from './delivery.js'
import type { InterceptorTest } from './reach.js'
import { Receivers } from './receivers.js'

export type {
  CallbackDelivery,
  CallbackHandler,
  CallbackOptions,
  DeliveryFilter,
  OutgoingCallback,
} from './delivery.js'

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
  /** In-process handlers and declared interceptors (taken over by the outbox a reset builds). */
  private readonly receivers: Receivers
  private nextId = 1
  private generation = 0
  private listeners = new Set<(d: CallbackDelivery) => void>()

  /**
   * `previous`: the outbox this one follows (the one a reset replaces, or another account's): its declared
   * interceptors and the hosts already warned about are shared, the handlers its resets removed remembered.
   */
  constructor(
    private readonly options: CallbackOptions = {},
    previous?: Outbox,
  ) {
    this.receivers = new Receivers(previous?.receivers)
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
  handle(match: CallbackMatch, handler: CallbackHandler): () => void {
    return this.receivers.handle(match, handler)
  }

  /**
   * Declares an interceptor of this process (msw, nock, …) that answers the requests for which `test` is
   * true: deliveries it answers are sent with fetch although their host is not this machine. Kept across
   * reset(). Returns a function that removes it.
   */
  interceptor(test: InterceptorTest): () => void {
    return this.receivers.interceptor(test)
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
    this.receivers.reset()
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
        return this.dropped(cb, describeError(err))
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

  /** One attempt, recorded unless the outbox was reset meanwhile. */
  private async attempt(
    cb: OutgoingCallback,
    attempt: number,
    generation: number,
  ): Promise<CallbackDelivery> {
    const id = this.nextId++
    const d = await attemptDelivery(cb, { id, attempt }, { options: this.options, receivers: this.receivers })
    if (generation === this.generation) this.record(d)
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
