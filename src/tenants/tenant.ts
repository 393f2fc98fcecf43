import type { Outbox } from '../callbacks/outbox.js'
import type { DoubleState } from '../double-state.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { Account } from '../messaging/accounts.js'
import type { InboundOptions, InboundResult } from '../messaging/inbound.js'

/** Builds the state of a tenant for `account`, carrying over what `previous` declared (interceptors). */
export type StateBuilder = (account: Account, previous?: Outbox) => DoubleState

/**
 * One account's isolated double: its own store, scenarios, numbers and opt-outs, sender queues, callbacks and
 * virtual clock. Moving its clock, settling or resetting it touches no other account.
 *
 * @example
 * const tenant = new Tenant(account, (a, previous) => buildState(options, settings, { account: a, ... }, emit, previous))
 * await tenant.advance(60_000)
 */
export class Tenant {
  readonly accountSid: string
  private state: DoubleState
  private readonly pendingInbound = new Set<Promise<unknown>>()

  constructor(
    account: Account,
    private readonly build: StateBuilder,
    previous?: Outbox,
  ) {
    this.accountSid = account.sid
    this.state = build(account, previous)
  }

  /** The account this tenant serves (made again from the options by a reset of a declared account). */
  get account(): Account {
    return this.state.backend.account(this.accountSid)
  }

  get backend() {
    return this.state.backend
  }

  get outbox() {
    return this.state.outbox
  }

  get scenarios() {
    return this.state.scenarios
  }

  get scheduler() {
    return this.state.scheduler
  }

  /** The tenant's clock (epoch ms). */
  now(): number {
    return this.state.scheduler.now()
  }

  /** Transitions waiting for the clock, deliveries in flight and inbound messages still being answered. */
  get pending(): number {
    return this.state.scheduler.pending + this.state.outbox.pending + this.pendingInbound.size
  }

  /** Moves this tenant's clock forward; due transitions run in order and their callbacks are awaited. */
  async advance(ms: number): Promise<void> {
    await this.state.scheduler.advance(ms)
    await this.state.outbox.idle()
  }

  /**
   * One round of settling: everything pending runs (the clock moves as needed) and deliveries and inbound answers
   * are awaited. True when nothing new came of it.
   */
  async settleRound(): Promise<boolean> {
    await this.state.scheduler.settle()
    await this.state.outbox.idle()
    if (this.pendingInbound.size > 0) await Promise.allSettled([...this.pendingInbound])
    return this.state.scheduler.pending === 0 && this.pendingInbound.size === 0
  }

  /** Runs everything pending of this tenant, until a callback handler starts no more work. */
  async settle(): Promise<void> {
    for (let round = 0; round < 1000; round++) if (await this.settleRound()) return
    throw new TwilioDoubleError(
      'settle() found new work after 1000 rounds: a callback handler keeps creating messages?',
    )
  }

  /** An inbound message to this tenant's account (tracked, so that settle() waits for the app's answer). */
  receive(options: InboundOptions): Promise<InboundResult> {
    const p = this.state.inbound.receive(options)
    this.pendingInbound.add(p)
    const done = () => this.pendingInbound.delete(p)
    p.then(done, done)
    return p
  }

  /** Back to the starting state for `account`: no message, callback or scenario; the clock at its start. */
  reset(account: Account): void {
    const old = this.state
    // timers of a real clock and deliveries still in flight stop with the state they belong to
    this.stop()
    this.state = this.build(account, old.outbox)
  }

  /** Stops the timers of a real clock and the deliveries in flight (a closed account's tenant). */
  stop(): void {
    this.state.scheduler.reset()
    this.state.outbox.reset()
  }
}
