import { deliveryErrorMessage } from '../errors/catalog.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { DelayedStatus, DeliveryOutcome, ScenarioOutcome } from '../scenarios/types.js'
import type { MessageStatus } from '../schemas/common.js'
import type { Scheduler, TaskHandle } from '../time/scheduler.js'
import { toMs } from '../util/duration.js'
import type { Account } from './accounts.js'
import type { Channel } from './address.js'
import { addStatusStep } from './history.js'
import { canTransition, DEFAULT_DELAYS, isQueuedStatus, pathAfterQueued } from './lifecycle.js'
import { sentAsMms } from './media.js'
import type { MessageStore } from './message-store.js'
import { DEFAULT_PRICES, type PriceTable, priceOf } from './pricing.js'
import { REDACTED_FROM, redact } from './redaction.js'
import type { SenderQueues } from './sender-queues.js'
import type { CallbackFaults, HeldCallbacks, StatusCallbacks } from './status-callbacks.js'
import type { MessageRecord } from './types.js'
import type { WhatsAppWindows } from './whatsapp-window.js'

/** Error code of a message whose ValidityPeriod ran out while it waited in the queue (default). */
export const DEFAULT_VALIDITY_ERROR_CODE = 30001

/** Options of the lifecycle. */
export interface DeliveryOptions {
  delays?: Partial<Record<DelayedStatus, number>>
  prices?: PriceTable
  validityErrorCode?: number
}

/**
 * How a message moves after `queued`: its statuses (read from the transition table), their delays and how its
 * callbacks behave. Read-only; the messages of one channel without a scenario share one route.
 */
interface Route extends CallbackFaults {
  /** Statuses after `queued`, e.g. [sending, sent, delivered]. */
  readonly path: readonly MessageStatus[]
  /** The error code of a failing path's last status. */
  readonly errorCode: number | undefined
  readonly delays: Readonly<Record<DelayedStatus, number>>
}

/** The delivery plan of a message in flight: its route and what belongs to the message alone. */
interface Plan extends HeldCallbacks {
  route: Route
  segments: number
  country: string | undefined
  /** Price computed when the message leaves the queue, set on the message when it is sent. */
  price: string | undefined
  task: TaskHandle | undefined
  /** The message this plan moves. */
  record: MessageRecord
  /** A free-form WhatsApp message: checked against the customer service window when it is first queued. */
  checkWindow: boolean
}

/** The delivery plan of a message still moving through its lifecycle. */
const planOf = (r: MessageRecord): Plan | undefined => r.lifecycle as Plan | undefined

/** What the lifecycle works with: the parts of the double it moves messages through. */
export interface DeliveryParts {
  accounts: Map<string, Account>
  scheduler: Scheduler
  queues: SenderQueues
  callbacks: StatusCallbacks
  windows: WhatsAppWindows
  store(accountSid: string): MessageStore
  /** Tells listeners a message changed status. */
  changed(r: MessageRecord): void
}

/**
 * The lifecycle of outbound messages, driven by the transition table of `lifecycle.ts`: every move is checked
 * against it, and the statuses after `queued` are the table's path to the delivery outcome. Every step is a task
 * on the scheduler, its delay from the options or the scenario: `scheduled` (until SendAt) or `accepted` (a
 * messaging service picks a sender) → `queued` (the sender's queue drains at its rate; ValidityPeriod may
 * expire here) → `sending` (the price is checked against MaxPrice) → `sent` (price and date_sent set) →
 * `delivered` / `undelivered` → `read`.
 */
export class Lifecycle {
  /** Messages whose plan is still moving them. */
  private planned = 0
  /** Messages in `scheduled`, by account, however they came into the store (see {@link scheduledIn}). */
  private readonly scheduled = new Map<string, number>()
  private readonly baseDelays: Readonly<Record<DelayedStatus, number>>
  /** The route of each channel's messages without a scenario. */
  private readonly plainRoutes = new Map<Channel, Route>()

  constructor(
    private readonly parts: DeliveryParts,
    private readonly options: DeliveryOptions,
  ) {
    this.baseDelays = Object.freeze({ ...DEFAULT_DELAYS, ...options.delays })
  }

  /** Messages still moving through their lifecycle. */
  get inFlight(): number {
    return this.planned
  }

  /** How many messages of an account wait in `scheduled` (Twilio keeps at most 500,000 an account: 35125). */
  scheduledIn(accountSid: string): number {
    return this.scheduled.get(accountSid) ?? 0
  }

  private countScheduled(r: MessageRecord, by: 1 | -1): void {
    this.scheduled.set(r.accountSid, this.scheduledIn(r.accountSid) + by)
  }

  /**
   * Starts the lifecycle of a message in its first status (`scheduled` until `sendAt`, `accepted`, or
   * `queued`), following a scenario's `outcome` if given.
   */
  start(
    r: MessageRecord,
    m: { segments: number; country: string | undefined; outcome?: ScenarioOutcome; checkWindow: boolean },
    sendAt?: number,
  ): void {
    const old = planOf(r)
    if (old?.task) this.parts.scheduler.cancel(old.task)
    const plan: Plan = {
      route: this.route(m.outcome, r.channel),
      segments: m.segments,
      country: m.country || undefined,
      price: undefined,
      task: undefined,
      record: r,
      buffered: undefined,
      checkWindow: m.checkWindow,
    }
    this.setPlan(r, plan)
    const { scheduler } = this.parts
    if (r.status === 'scheduled') {
      if (!old) this.countScheduled(r, 1)
      plan.task = scheduler.schedule(sendAt!, this.queueTask, r)
    } else if (r.status === 'accepted')
      plan.task = scheduler.schedule(scheduler.now() + plan.route.delays.accepted, this.queueTask, r)
    else this.enqueue(r, plan)
  }

  /**
   * A message put into the store without a plan (a seed): one waiting in `scheduled` counts toward its account's
   * limit like a created one, until it is canceled or dropped.
   */
  added(r: MessageRecord): void {
    if (r.status === 'scheduled') this.countScheduled(r, 1)
  }

  /** Cancels a message's plan (a scheduled message canceled): its status moves to `canceled`. */
  cancel(r: MessageRecord): void {
    const plan = planOf(r)
    if (plan?.task) this.parts.scheduler.cancel(plan.task)
    this.transition(r, 'canceled')
  }

  /** Ends a message's plan without a status (the message was dropped). */
  forget(r: MessageRecord): void {
    const plan = planOf(r)
    if (plan?.task) this.parts.scheduler.cancel(plan.task)
    if (r.status === 'scheduled') this.countScheduled(r, -1)
    this.setPlan(r, undefined)
  }

  /** Moves a message to a status the table allows, records it and sends its status callback. */
  transition(r: MessageRecord, status: MessageStatus, errorCode?: number): void {
    if (!canTransition(r.status, status))
      throw new TwilioDoubleError(
        `message ${r.sid} cannot move from '${r.status}' to '${status}' (see TRANSITIONS in lifecycle.ts)`,
      )
    const now = this.parts.scheduler.now()
    if (r.status === 'scheduled') this.countScheduled(r, -1)
    r.status = status
    r.dateUpdated = now
    if (errorCode !== undefined) {
      r.errorCode = errorCode
      r.errorMessage = deliveryErrorMessage(errorCode)
    }
    addStatusStep(r, errorCode !== undefined ? { status, at: now, errorCode } : { status, at: now })
    // once sent (or failed, or canceled), what Message Redaction removes is gone from every later answer
    if (r.extra && REDACTED_FROM.has(status)) redact(r, this.parts.store(r.accountSid))
    this.parts.changed(r)
    const plan = planOf(r)
    this.parts.callbacks.statusChanged(r, status, plan?.route, plan)
    const done = status === 'failed' || status === 'canceled' || (plan && status === plan.route.path.at(-1))
    if (plan && done) {
      this.parts.callbacks.release(plan, plan.route)
      this.setPlan(r, undefined)
    }
  }

  /** The route of a message of `channel` following a scenario's `outcome` (or none). */
  private route(outcome: ScenarioOutcome | undefined, channel: Channel): Route {
    if (outcome === undefined) {
      let plain = this.plainRoutes.get(channel)
      if (!plain) {
        plain = this.makeRoute(undefined, channel)
        this.plainRoutes.set(channel, plain)
      }
      return plain
    }
    return this.makeRoute(outcome, channel)
  }

  private makeRoute(outcome: ScenarioOutcome | undefined, channel: Channel): Route {
    let delays = this.baseDelays
    if (outcome?.delays !== undefined || outcome?.readAfter !== undefined) {
      const own = { ...delays }
      for (const [k, v] of Object.entries(outcome.delays ?? {}))
        if (v !== undefined) own[k as DelayedStatus] = toMs(v)
      if (outcome.readAfter !== undefined) own.delivered = toMs(outcome.readAfter)
      delays = own
    }
    const deliver: DeliveryOutcome =
      outcome?.deliver ??
      (outcome?.errorCode !== undefined
        ? 'undelivered'
        : outcome?.readAfter !== undefined
          ? 'read'
          : 'delivered')
    let errorCode = outcome?.errorCode
    if ((deliver === 'failed' || deliver === 'undelivered') && errorCode === undefined)
      errorCode = deliver === 'failed' ? 30008 : 30003
    return Object.freeze({
      path: pathAfterQueued(deliver, channel),
      errorCode,
      delays,
      tamper: outcome?.tamperSignature ?? false,
      duplicate: outcome?.duplicateCallbacks ?? false,
      reorder: outcome?.reorderCallbacks ?? false,
    })
  }

  /** Gives a message its delivery plan (replacing one it had), or ends its plan (undefined). */
  private setPlan(r: MessageRecord, plan: Plan | undefined): void {
    const had = r.lifecycle !== undefined
    r.lifecycle = plan
    this.planned += (plan !== undefined ? 1 : 0) - (had ? 1 : 0)
  }

  // Tasks of the lifecycle, made once: a waiting message holds no closure of its own.
  private readonly queueTask = (r: MessageRecord): void => this.toQueued(r)
  private readonly leaveQueueTask = (plan: Plan): void => this.toSending(plan.record, plan)

  /**
   * Puts a message in its sender's queue: it leaves after the `queued` delay, or later when the sender is
   * busy (each message takes segments / rate seconds). A message whose ValidityPeriod ends before it would
   * leave fails when it ends, and takes no slot of the sender. A free-form WhatsApp message outside the
   * customer service window fails with 63016 at once (the create call itself succeeded, as on Twilio).
   */
  private enqueue(r: MessageRecord, plan: Plan): void {
    const { scheduler, queues, windows } = this.parts
    const now = scheduler.now()
    if (plan.checkWindow) {
      plan.checkWindow = false
      if (!windows.isOpen(r.accountSid, r.from, r.to, now))
        scheduler.schedule(now, () => {
          if (r.status === 'queued' && planOf(r) === plan) this.transition(r, 'failed', 63016)
        })
    }
    let leaveAt = now + plan.route.delays.queued
    if (r.from) leaveAt = queues.nextSlot(r.accountSid, r.from, leaveAt)
    const vp = r.extra?.validityPeriod
    if (vp !== undefined) {
      const expiresAt = (r.extra?.sendAt ?? r.dateCreated) + vp * 1000
      if (leaveAt > expiresAt) {
        plan.task = scheduler.schedule(Math.max(now, expiresAt), () => {
          if (planOf(r) === plan && isQueuedStatus(r.status))
            this.transition(r, 'failed', this.options.validityErrorCode ?? DEFAULT_VALIDITY_ERROR_CODE)
        })
        return
      }
    }
    if (r.from)
      queues.take(
        r.accountSid,
        r.from,
        leaveAt,
        r.channel === 'sms' && !sentAsMms(r) ? Math.max(1, plan.segments) : 1,
      )
    plan.task = scheduler.schedule(leaveAt, this.leaveQueueTask, plan)
  }

  /** A messaging service's message gets its sender (the least busy of the pool for its channel) and is queued. */
  private toQueued(r: MessageRecord): void {
    const plan = planOf(r)
    if (!plan || !canTransition(r.status, 'queued')) return
    r.numSegments = plan.segments
    const now = this.parts.scheduler.now()
    if (r.messagingServiceSid && !r.from) {
      const service = this.parts.accounts.get(r.accountSid)?.services.get(r.messagingServiceSid)
      const senders = service?.senders ?? []
      const wantWhatsapp = r.channel === 'whatsapp'
      const pool = senders.filter((s) => s.toLowerCase().startsWith('whatsapp:') === wantWhatsapp)
      if (pool.length === 0) {
        this.transition(r, 'failed', senders.length === 0 ? 21704 : 21703)
        return
      }
      this.parts.store(r.accountSid).setFrom(r, this.parts.queues.leastBusy(r.accountSid, pool, now))
    }
    if (r.from && this.parts.queues.isFull(r.accountSid, r.from, now)) {
      this.transition(r, 'failed', 30001)
      return
    }
    this.transition(r, 'queued')
    this.enqueue(r, plan)
  }

  /** The message leaves the queue: `sending`, then the next status of its path after the `sending` delay. */
  private toSending(r: MessageRecord, plan: Plan): void {
    if (planOf(r) !== plan || r.status !== 'queued') return
    this.transition(r, 'sending')
    const price = priceOf(this.options.prices ?? DEFAULT_PRICES, {
      channel: r.channel,
      numSegments: r.numSegments,
      numMedia: r.numMedia,
      mms: sentAsMms(r),
      country: plan.country,
    })
    plan.price = price.price
    const maxPrice = r.extra?.maxPrice
    if (maxPrice !== undefined && price.amount > maxPrice) {
      // The cost is checked before sending: above MaxPrice the message fails with 30010.
      plan.route = { ...plan.route, path: pathAfterQueued('failed'), errorCode: 30010 }
    }
    this.nextStep(r, plan, 1)
  }

  /** Schedules `plan.path[i]` after the delay of the current status. */
  private nextStep(r: MessageRecord, plan: Plan, i: number): void {
    const { path, delays, errorCode } = plan.route
    const next = path[i]
    if (!next) return
    const current = path[i - 1]!
    const delay = delays[current as DelayedStatus] ?? 0
    const { scheduler } = this.parts
    plan.task = scheduler.schedule(scheduler.now() + delay, () => {
      if (planOf(r) !== plan || r.status !== current) return
      if (next === 'sent') {
        r.price = plan.price ?? null
        r.dateSent = scheduler.now()
        this.parts.store(r.accountSid).resort(r, r.dateSent)
      }
      const failing = next === 'failed' || next === 'undelivered'
      this.transition(r, next, failing ? errorCode : undefined)
      this.nextStep(r, plan, i + 1)
    })
  }
}
