import type { CallbackDelivery, Outbox, OutgoingCallback } from '../callbacks/outbox.js'
import type { PhoneNumberOptions } from '../config.js'
import { deliveryErrorMessage } from '../errors/catalog.js'
import { TwilioApiError, TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { ScenarioSet } from '../scenarios/scenario-set.js'
import type { DelayedStatus, DeliveryOutcome, ScenarioOutcome } from '../scenarios/types.js'
import type { MessageStatus } from '../schemas/common.js'
import type { Scheduler, TaskHandle } from '../time/scheduler.js'
import { toDlrDoneDate } from '../util/dates.js'
import { toMs } from '../util/duration.js'
import { intern } from '../util/memo.js'
import type { SeededRandom } from '../util/random.js'
import { type Account, accountOfNumber } from './accounts.js'
import { addressKey, type Channel, parseFrom, parseTo } from './address.js'
import type {
  CreateMessageCommand,
  FeedbackCommand,
  MediaCommand,
  MessageCommand,
  UpdateMessageCommand,
} from './commands.js'
import { type CreateRules, planCreate } from './create-message.js'
import { NotFoundError, QueueFullError } from './errors.js'
import { addStatusStep } from './history.js'
import {
  APPLICATION_CALLBACK_STATUSES,
  CALLBACK_STATUSES,
  DEFAULT_DELAYS,
  FINAL_STATUSES,
  isQueuedStatus,
  pathAfterQueued,
} from './lifecycle.js'
import { MessageStore } from './message-store.js'
import { DEFAULT_PRICES, type PriceTable, priceOf } from './pricing.js'
import { contentTypeOf } from './render.js'
import type { MediaRecord, MessageFilter, MessageRecord } from './types.js'

/** Message segments per second a sender sends, by kind (Twilio's defaults for US senders). */
export interface SenderRates {
  longCode: number
  shortCode: number
  tollFree: number
  alphanumeric: number
  whatsapp: number
}

/** Twilio's default rates: US long code 1 segment/s, short code 100/s, toll-free 3/s, WhatsApp 80/s. */
export const DEFAULT_SENDER_RATES: SenderRates = {
  longCode: 1,
  shortCode: 100,
  tollFree: 3,
  alphanumeric: 10,
  whatsapp: 80,
}

/**
 * The sender rates a double uses: {@link DEFAULT_SENDER_RATES} with the kinds `rates` names replaced (messages
 * per second, > 0). Anything else is refused, naming it.
 *
 * @example
 * resolveSenderRates({ longCode: 2 }).longCode // 2
 */
export function resolveSenderRates(rates: Partial<SenderRates> | undefined): SenderRates {
  if (rates === undefined) return DEFAULT_SENDER_RATES
  if (typeof rates !== 'object' || rates === null || Array.isArray(rates))
    throw new TwilioDoubleError(`senderRates must be an object such as { longCode: 1, tollFree: 3 }`)
  const out = { ...DEFAULT_SENDER_RATES }
  for (const [kind, value] of Object.entries(rates)) {
    if (!(kind in DEFAULT_SENDER_RATES))
      throw new TwilioDoubleError(
        `senderRates.${kind}: unknown sender kind; use ${Object.keys(DEFAULT_SENDER_RATES).join(', ')}`,
      )
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
      throw new TwilioDoubleError(
        `senderRates.${kind} must be messages per second, a number > 0 (got ${JSON.stringify(value)})`,
      )
    out[kind as keyof SenderRates] = value
  }
  return out
}

/** Error code of a message whose ValidityPeriod ran out while it waited in the queue (default). */
export const DEFAULT_VALIDITY_ERROR_CODE = 30001

/** Options of the messaging backend. */
export interface BackendOptions {
  rules: CreateRules
  delays?: Partial<Record<DelayedStatus, number>>
  prices?: PriceTable
  senderRates?: SenderRates
  /**
   * Most seconds of traffic a sender's queue holds (default 14,400 = 4 hours; false: no limit). Beyond it,
   * a create with `From` answers HTTP 429 and a messaging-service message fails with 30001.
   */
  maxQueueSeconds?: number | false
  /**
   * Error code of a message still queued when its ValidityPeriod runs out: 30001 (default, "Queue
   * overflow", the delivery error the Message resource document lists for it) or e.g. 30036 ("Validity
   * Period Expired", Twilio's newer code).
   */
  validityErrorCode?: number
  /** Most messages kept per double; the oldest are dropped first (default: no limit). */
  maxMessages?: number
}

/**
 * How a message moves after `queued`: its statuses, their delays and how its callbacks behave. Read-only; the
 * messages of one channel without a scenario share one route.
 */
interface Route {
  /** Statuses after `queued`, e.g. [sending, sent, delivered]. */
  readonly path: readonly MessageStatus[]
  /** The error code of a failing path's last status. */
  readonly errorCode: number | undefined
  readonly delays: Readonly<Record<DelayedStatus, number>>
  readonly tamper: boolean
  readonly duplicate: boolean
  readonly reorder: boolean
}

/** The delivery plan of a message in flight: its route and what belongs to the message alone. */
interface Plan {
  route: Route
  segments: number
  country: string | undefined
  /** Price computed when the message leaves the queue, set on the message when it is sent. */
  price: string | undefined
  task: TaskHandle | undefined
  /** The message this plan moves (set once the message exists). */
  record: MessageRecord | undefined
  /** Callbacks held back until the final status (reordered scenario). */
  buffered: OutgoingCallback[] | undefined
}

/** The delivery plan of a message still moving through its lifecycle. */
const planOf = (r: MessageRecord): Plan | undefined => r.lifecycle as Plan | undefined

/** An event of the backend, for listeners such as the inbox page. */
export type BackendEvent =
  | { type: 'message'; accountSid: string; sid: string; status: MessageStatus }
  | { type: 'callback'; delivery: CallbackDelivery }
  | { type: 'reset' }

/** Hooks other features add to create (opt-out lists, WhatsApp windows). */
export type CreateGuard = (ctx: {
  account: Account
  to: string
  from: string | undefined
  messagingServiceSid: string | null
  channel: string
  contentSid: string | undefined
  now: number
}) => void

/** A sender's queue: when it is free to send again (epoch ms), and how many messages a second it sends. */
interface SenderQueue {
  free: number
  rate: number
}

/**
 * The messaging domain of one double: accounts and their stores, create rules, the lifecycle on the
 * scheduler, status callbacks through the outbox. It knows nothing of HTTP.
 *
 * Lifecycle of an outbound message (every step a task on the scheduler, delays from the options or the
 * scenario): `scheduled` (until SendAt) or `accepted` (a messaging service picks a sender) → `queued`
 * (the sender's queue drains at its rate; ValidityPeriod may expire here) → `sending` (the price is
 * checked against MaxPrice) → `sent` (price and date_sent set) → `delivered` / `undelivered` → `read`.
 * A status callback goes out for each status of {@link CALLBACK_STATUSES} except the initial one.
 */
export class MessagingBackend {
  readonly stores = new Map<string, MessageStore>()
  /** Messages whose plan is still moving them (see {@link planOf}). */
  private planned = 0
  /** The queue of each sender, by account SID and then by sender address (see {@link addressKey}). */
  private senderQueues = new Map<string, Map<string, SenderQueue>>()
  private listeners = new Set<(e: BackendEvent) => void>()
  private seq = 0
  readonly guards: CreateGuard[] = []

  constructor(
    readonly accounts: Map<string, Account>,
    readonly scheduler: Scheduler,
    readonly outbox: Outbox,
    readonly scenarios: ScenarioSet,
    private readonly random: SeededRandom,
    readonly options: BackendOptions,
  ) {
    for (const sid of accounts.keys()) this.stores.set(sid, new MessageStore())
    outbox.onDelivery((delivery) => this.emit({ type: 'callback', delivery }))
  }

  /** Adds an account after the double was created (e.g. a Pact provider state); an existing one is kept. */
  addAccount(account: Account): void {
    if (this.accounts.has(account.sid)) return
    this.accounts.set(account.sid, account)
    this.stores.set(account.sid, new MessageStore())
  }

  /** Subscribes to message and callback events. */
  subscribe(listener: (e: BackendEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(e: BackendEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch {
        // listeners never break the domain
      }
    }
  }

  store(accountSid: string): MessageStore {
    const s = this.stores.get(accountSid)
    if (!s) throw new NotFoundError('account', accountSid)
    return s
  }

  account(accountSid: string): Account {
    const a = this.accounts.get(accountSid)
    if (!a) throw new NotFoundError('account', accountSid)
    return a
  }

  // ---------------------------------------------------------------- create

  /** Creates an outbound message (`direction: outbound-api`), applying the scenario outcome if any. */
  createMessage(command: CreateMessageCommand, outcome?: ScenarioOutcome): MessageRecord {
    const { accountSid } = command
    const account = this.account(accountSid)
    const now = this.scheduler.now()
    const plan = planCreate(account, command, this.options.rules, now)
    if (this.guards.length > 0) {
      const ctx = {
        account,
        to: plan.to.raw,
        from: plan.from?.raw,
        messagingServiceSid: plan.messagingServiceSid,
        channel: plan.channel,
        contentSid: plan.contentSid,
        now,
      }
      for (const guard of this.guards) guard(ctx)
    }
    const status: MessageStatus =
      plan.scheduledAt !== undefined ? 'scheduled' : plan.messagingServiceSid ? 'accepted' : 'queued'
    const hasMedia = plan.mediaUrls.length > 0
    const deliveryPlan = this.makePlan(outcome, {
      channel: plan.channel,
      segments: plan.numSegments,
      country: plan.to.country,
    })
    // Queue limit: a sender's queue holds at most maxQueueSeconds of traffic; beyond it, the API answers 429.
    if (status === 'queued' && plan.from) this.checkQueue(accountSid, plan.from.raw, now)
    const sid = this.random.sid(hasMedia ? 'MM' : 'SM')

    const record: MessageRecord = {
      seq: this.seq++,
      sid,
      // shared copies of strings that repeat from message to message (a store holds many)
      accountSid: account.sid,
      to: intern(
        plan.to.raw.startsWith(`${plan.to.channel}:`)
          ? `${plan.to.channel}:${plan.to.address}`
          : plan.to.address,
      ),
      from: plan.from ? intern(plan.from.raw) : null,
      body: plan.body,
      numSegments: status === 'queued' ? plan.numSegments : 0,
      numMedia: plan.mediaUrls.length,
      direction: 'outbound-api',
      status,
      messagingServiceSid: plan.messagingServiceSid,
      channel: plan.channel,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
      price: null,
      priceUnit: 'USD',
      errorCode: null,
      errorMessage: null,
      sortKey: now,
      // the step it is created in, at its date created (see statusHistory())
      history: status,
      lifecycle: undefined,
    }
    if (hasMedia)
      record.media = plan.mediaUrls.map((url) => ({
        sid: this.random.sid('ME'),
        url,
        contentType: contentTypeOf(url),
        dateCreated: now,
      }))
    if (
      plan.statusCallback ||
      plan.applicationSid ||
      plan.validityPeriod !== undefined ||
      plan.maxPrice !== undefined ||
      plan.scheduledAt !== undefined ||
      plan.contentSid ||
      plan.provideFeedback
    ) {
      // only a message created with lifecycle inputs carries them
      const extra: NonNullable<MessageRecord['extra']> = {}
      if (plan.statusCallback) extra.statusCallback = plan.statusCallback
      if (plan.applicationSid) extra.applicationSid = plan.applicationSid
      if (plan.validityPeriod !== undefined) extra.validityPeriod = plan.validityPeriod
      if (plan.maxPrice !== undefined) extra.maxPrice = plan.maxPrice
      if (plan.scheduledAt !== undefined) extra.sendAt = plan.scheduledAt
      if (plan.contentSid) extra.contentSid = plan.contentSid
      if (plan.provideFeedback) extra.provideFeedback = true
      record.extra = extra
    }

    deliveryPlan.record = record
    this.store(accountSid).add(record)
    this.setPlan(record, deliveryPlan)
    this.enforceRetention(accountSid)
    if (this.listeners.size > 0) this.emit({ type: 'message', accountSid, sid, status })

    if (status === 'scheduled')
      deliveryPlan.task = this.scheduler.schedule(plan.scheduledAt!, this.queueTask, record)
    else if (status === 'accepted')
      deliveryPlan.task = this.scheduler.schedule(
        now + deliveryPlan.route.delays.accepted,
        this.queueTask,
        record,
      )
    else this.enqueue(record, deliveryPlan)
    return record
  }

  /** Adds a message that did not come through Create (inbound messages, replies). */
  addRecord(record: Omit<MessageRecord, 'seq'>): MessageRecord {
    const r = record as MessageRecord
    r.seq = this.seq++
    this.store(r.accountSid).add(r)
    this.enforceRetention(r.accountSid)
    this.emit({ type: 'message', accountSid: r.accountSid, sid: r.sid, status: r.status })
    return r
  }

  /**
   * Starts the outbound lifecycle of a message added with {@link addRecord} in status `queued` (or
   * `accepted`, when a messaging service still has to pick its sender), following `outcome` if given.
   */
  startLifecycle(record: MessageRecord, outcome?: ScenarioOutcome): void {
    if (record.status !== 'queued' && record.status !== 'accepted')
      throw new TwilioDoubleError(
        `startLifecycle(): message ${record.sid} is '${record.status}'; add it as 'queued' or 'accepted'`,
      )
    const old = planOf(record)
    if (old?.task) this.scheduler.cancel(old.task)
    const plan = this.makePlan(outcome, {
      channel: record.channel,
      segments: record.numSegments,
      country: parseTo(record.to)?.country,
      record,
    })
    this.setPlan(record, plan)
    if (record.status === 'accepted')
      plan.task = this.scheduler.schedule(
        this.scheduler.now() + plan.route.delays.accepted,
        this.queueTask,
        record,
      )
    else this.enqueue(record, plan)
  }

  private baseDelays?: Readonly<Record<DelayedStatus, number>>
  /** The route of each channel's messages without a scenario. */
  private plainRoutes = new Map<Channel, Route>()

  /** Builds the delivery plan of a message from the options and a scenario outcome. */
  private makePlan(
    outcome: ScenarioOutcome | undefined,
    m: { channel: Channel; segments: number; country: string | undefined; record?: MessageRecord },
  ): Plan {
    let route = outcome === undefined ? this.plainRoutes.get(m.channel) : undefined
    if (!route) {
      route = this.makeRoute(outcome, m.channel)
      if (outcome === undefined) this.plainRoutes.set(m.channel, route)
    }
    // every field set here, so that all plans share one shape
    return {
      route,
      segments: m.segments,
      country: m.country || undefined,
      price: undefined,
      task: undefined,
      record: m.record,
      buffered: undefined,
    }
  }

  /** The route of a message of `channel` following a scenario's `outcome` (or none). */
  private makeRoute(outcome: ScenarioOutcome | undefined, channel: Channel): Route {
    // routes without a scenario's own delays share one (read-only) table
    this.baseDelays ??= Object.freeze({ ...DEFAULT_DELAYS, ...this.options.delays })
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

  private enforceRetention(accountSid: string): void {
    const max = this.options.maxMessages
    if (max === undefined) return
    const store = this.store(accountSid)
    while (store.size > max) {
      const oldest = store.oldest()
      if (!oldest) break
      this.dropRecord(accountSid, oldest.sid)
    }
  }

  private dropRecord(accountSid: string, sid: string): void {
    const r = this.store(accountSid).get(sid)
    if (!r) return
    const plan = planOf(r)
    if (plan?.task) this.scheduler.cancel(plan.task)
    this.setPlan(r, undefined)
    this.store(accountSid).delete(sid)
  }

  /** Gives a message its delivery plan (replacing one it had), or ends its plan (undefined). */
  private setPlan(r: MessageRecord, plan: Plan | undefined): void {
    const had = r.lifecycle !== undefined
    r.lifecycle = plan
    this.planned += (plan !== undefined ? 1 : 0) - (had ? 1 : 0)
  }

  // ---------------------------------------------------------------- queue model

  private senderRate(from: string): number {
    const rates = this.options.senderRates ?? DEFAULT_SENDER_RATES
    const parsed = parseFrom(from)
    if (!parsed) return rates.longCode
    if (parsed.channel === 'whatsapp') return rates.whatsapp
    if (parsed.kind === 'short-code') return rates.shortCode
    if (parsed.kind === 'alphanumeric') return rates.alphanumeric
    if (parsed.numberType === 'toll-free') return rates.tollFree
    return rates.longCode
  }

  /** The queue of a sender of the account; made (empty) when `make` is set and it has none yet. */
  private senderQueue(accountSid: string, from: string, make: true): SenderQueue
  private senderQueue(accountSid: string, from: string, make?: boolean): SenderQueue | undefined
  private senderQueue(accountSid: string, from: string, make = false): SenderQueue | undefined {
    let ofAccount = this.senderQueues.get(accountSid)
    const key = addressKey(from)
    let queue = ofAccount?.get(key)
    if (queue || !make) return queue
    if (!ofAccount) {
      ofAccount = new Map()
      this.senderQueues.set(accountSid, ofAccount)
    }
    queue = { free: Number.NEGATIVE_INFINITY, rate: this.senderRate(from) }
    ofAccount.set(key, queue)
    return queue
  }

  /** Milliseconds of traffic waiting ahead of a new message on a sender. */
  private backlog(accountSid: string, from: string, now: number): number {
    const free = this.senderQueue(accountSid, from)?.free ?? now
    const queuedDelay = this.options.delays?.queued ?? DEFAULT_DELAYS.queued
    return Math.max(0, free - now - queuedDelay)
  }

  private maxQueueMs(): number | undefined {
    const max = this.options.maxQueueSeconds ?? 14_400
    return max === false ? undefined : max * 1000
  }

  /** Refuses a create (429) when a sender's queue already holds its limit of traffic (the Message resource document). */
  private checkQueue(accountSid: string, from: string, now: number): void {
    const max = this.maxQueueMs()
    if (max === undefined) return
    const backlog = this.backlog(accountSid, from, now)
    if (backlog >= max) throw new QueueFullError(Math.max(1, Math.ceil((backlog - max) / 1000) + 1))
  }

  /**
   * Puts a message in its sender's queue: it leaves after the `queued` delay, or later when the sender is
   * busy (each message takes segments / rate seconds). A message whose ValidityPeriod ends before it would
   * leave fails when it ends, and takes no slot of the sender.
   */
  private enqueue(r: MessageRecord, plan: Plan): void {
    const now = this.scheduler.now()
    let leaveAt = now + plan.route.delays.queued
    let queue: SenderQueue | undefined
    let slot = 0
    if (r.from) {
      queue = this.senderQueue(r.accountSid, r.from, true)
      leaveAt = Math.max(leaveAt, queue.free)
      const units = r.channel === 'sms' && r.numMedia === 0 ? Math.max(1, plan.segments) : 1
      slot = (1000 * units) / queue.rate
    }
    const vp = r.extra?.validityPeriod
    if (vp !== undefined) {
      const expiresAt = (r.extra?.sendAt ?? r.dateCreated) + vp * 1000
      if (leaveAt > expiresAt) {
        plan.task = this.scheduler.schedule(Math.max(now, expiresAt), () => {
          if (planOf(r) === plan && isQueuedStatus(r.status))
            this.transition(r, 'failed', this.options.validityErrorCode ?? DEFAULT_VALIDITY_ERROR_CODE)
        })
        return
      }
    }
    if (queue) queue.free = leaveAt + slot
    plan.task = this.scheduler.schedule(leaveAt, this.leaveQueueTask, plan)
  }

  // Tasks of the lifecycle, made once: a waiting message holds no closure of its own.
  private readonly queueTask = (r: MessageRecord): void => this.toQueued(r)
  private readonly leaveQueueTask = (plan: Plan): void => this.toSending(plan.record!, plan)

  /** A messaging service's message gets its sender (the least busy of the pool for its channel) and is queued. */
  private toQueued(r: MessageRecord): void {
    const plan = planOf(r)
    if (!plan || (r.status !== 'accepted' && r.status !== 'scheduled')) return
    r.numSegments = plan.segments
    const now = this.scheduler.now()
    if (r.messagingServiceSid && !r.from) {
      const service = this.accounts.get(r.accountSid)?.services.get(r.messagingServiceSid)
      const senders = service?.senders ?? []
      const wantWhatsapp = r.channel === 'whatsapp'
      const pool = senders.filter((s) => s.toLowerCase().startsWith('whatsapp:') === wantWhatsapp)
      if (pool.length === 0) {
        this.transition(r, 'failed', senders.length === 0 ? 21704 : 21703)
        return
      }
      let best = pool[0]!
      for (const s of pool)
        if (this.backlog(r.accountSid, s, now) < this.backlog(r.accountSid, best, now)) best = s
      this.store(r.accountSid).setFrom(r, best)
    }
    const max = this.maxQueueMs()
    if (r.from && max !== undefined && this.backlog(r.accountSid, r.from, now) >= max) {
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
      country: plan.country,
    })
    plan.price = price.price
    const maxPrice = r.extra?.maxPrice
    if (maxPrice !== undefined && price.amount > maxPrice) {
      // The cost is checked before sending: above MaxPrice the message fails with 30010.
      plan.route = { ...plan.route, path: ['sending', 'failed'], errorCode: 30010 }
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
    plan.task = this.scheduler.schedule(this.scheduler.now() + delay, () => {
      if (planOf(r) !== plan || r.status !== current) return
      if (next === 'sent') {
        r.price = plan.price ?? null
        r.dateSent = this.scheduler.now()
        this.store(r.accountSid).resort(r, r.dateSent)
      }
      const failing = next === 'failed' || next === 'undelivered'
      this.transition(r, next, failing ? errorCode : undefined)
      this.nextStep(r, plan, i + 1)
    })
  }

  // ---------------------------------------------------------------- transitions and callbacks

  /** Moves a message to a status, records it and sends the status callback. */
  transition(r: MessageRecord, status: MessageStatus, errorCode?: number): void {
    const now = this.scheduler.now()
    r.status = status
    r.dateUpdated = now
    if (errorCode !== undefined) {
      r.errorCode = errorCode
      r.errorMessage = deliveryErrorMessage(errorCode)
    }
    addStatusStep(r, errorCode !== undefined ? { status, at: now, errorCode } : { status, at: now })
    if (this.listeners.size > 0) this.emit({ type: 'message', accountSid: r.accountSid, sid: r.sid, status })
    const plan = planOf(r)
    if (CALLBACK_STATUSES.has(status)) this.statusCallback(r, status, plan)
    const done = status === 'failed' || status === 'canceled' || (plan && status === plan.route.path.at(-1))
    if (plan && done) {
      if (plan.buffered) {
        for (const cb of plan.buffered.reverse()) this.deliver(cb, plan)
        plan.buffered = undefined
      }
      this.setPlan(r, undefined)
    }
  }

  /**
   * Where a message's status callbacks go, in the Message resource document's order: the application's
   * message status callback (ApplicationSid; it hears only `sent` and `failed`), else StatusCallback, else
   * the messaging service's status callback.
   */
  callbackUrl(r: MessageRecord, status?: MessageStatus): string | undefined {
    const account = this.accounts.get(r.accountSid)
    const app = r.extra?.applicationSid ? account?.applications.get(r.extra.applicationSid) : undefined
    if (app?.messageStatusCallback)
      return status === undefined || APPLICATION_CALLBACK_STATUSES.has(status)
        ? app.messageStatusCallback
        : undefined
    if (r.extra?.statusCallback) return r.extra.statusCallback
    if (r.messagingServiceSid) return account?.services.get(r.messagingServiceSid)?.statusCallback
    return undefined
  }

  /** The form parameters of a status callback (fact sheet §8). */
  callbackParams(r: MessageRecord, status: MessageStatus): Record<string, string> {
    const params: Record<string, string> = {
      AccountSid: r.accountSid,
      ApiVersion: '2010-04-01',
      From: r.from ?? '',
      MessageSid: r.sid,
      MessageStatus: status,
      SmsSid: r.sid,
      SmsStatus: status,
      To: r.to,
    }
    const failing = status === 'failed' || status === 'undelivered'
    if (failing && r.errorCode !== null) params.ErrorCode = String(r.errorCode)
    if (r.messagingServiceSid) params.MessagingServiceSid = r.messagingServiceSid
    if (r.channel === 'sms') {
      if (status === 'delivered' || status === 'undelivered')
        params.RawDlrDoneDate = toDlrDoneDate(this.scheduler.now())
    } else {
      params.ChannelPrefix = r.channel
      if (failing && r.errorMessage) params.ChannelStatusMessage = r.errorMessage
      if (status === 'read') params.EventType = 'READ'
    }
    return params
  }

  private statusCallback(r: MessageRecord, status: MessageStatus, plan: Plan | undefined): void {
    const url = this.callbackUrl(r, status)
    const account = this.accounts.get(r.accountSid)
    if (!url || !account) return
    const cb: OutgoingCallback = {
      kind: 'status',
      messageSid: r.sid,
      accountSid: r.accountSid,
      status,
      url,
      params: this.callbackParams(r, status),
      authToken: account.authToken,
      tamper: plan?.route.tamper ?? false,
      at: this.scheduler.now(),
    }
    // a TwiML reply's action URL may ask for GET requests
    if (url === r.extra?.statusCallback && r.extra.statusCallbackMethod === 'GET') cb.method = 'GET'
    if (plan?.route.reorder) {
      plan.buffered ??= []
      plan.buffered.push(cb)
      return
    }
    this.deliver(cb, plan)
  }

  private deliver(cb: OutgoingCallback, plan: Plan | undefined): void {
    const times = plan?.route.duplicate ? 2 : 1
    for (let i = 0; i < times; i++) void this.outbox.send(cb)
  }

  // ---------------------------------------------------------------- other operations

  /** The message a command names. */
  getMessage({ accountSid, messageSid }: MessageCommand): MessageRecord {
    const r = this.store(accountSid).get(messageSid)
    if (!r) throw new NotFoundError('message', messageSid)
    return r
  }

  /** Update: `body: ''` redacts; `status: 'canceled'` cancels a scheduled message. */
  updateMessage(command: UpdateMessageCommand): MessageRecord {
    const r = this.getMessage(command)
    const { body, status } = command
    if (status !== undefined && status !== '') {
      if (status !== 'canceled')
        throw new TwilioApiError(20001, {
          message: `Invalid Status '${status}': the only status a message can be updated to is canceled`,
        })
      if (r.status !== 'scheduled') throw new TwilioApiError(30409)
      const plan = planOf(r)
      if (plan?.task) this.scheduler.cancel(plan.task)
      this.transition(r, 'canceled')
    }
    if (body !== undefined) {
      if (body !== '')
        throw new TwilioApiError(20001, {
          message: "Invalid Body: a message's body can only be redacted, by setting it to the empty string",
        })
      r.body = ''
      r.dateUpdated = this.scheduler.now()
      this.emit({ type: 'message', accountSid: r.accountSid, sid: r.sid, status: r.status })
    }
    return r
  }

  /** Deletes a message whose delivery is complete (else 20009). */
  deleteMessage(command: MessageCommand): void {
    const r = this.getMessage(command)
    if (!FINAL_STATUSES.has(r.status)) throw new TwilioApiError(20009)
    this.dropRecord(r.accountSid, r.sid)
    this.emit({ type: 'message', accountSid: r.accountSid, sid: r.sid, status: r.status })
  }

  /** A media item of a message, and the message. */
  getMedia(command: MediaCommand): { message: MessageRecord; media: MediaRecord } {
    const message = this.getMessage(command)
    const media = message.media?.find((m) => m.sid === command.mediaSid)
    if (!media) throw new NotFoundError('media', command.mediaSid)
    return { message, media }
  }

  deleteMedia(command: MediaCommand): void {
    const r = this.getMessage(command)
    const i = r.media?.findIndex((m) => m.sid === command.mediaSid) ?? -1
    if (i < 0) throw new NotFoundError('media', command.mediaSid)
    r.media!.splice(i, 1)
    if (r.media!.length === 0) r.media = undefined
  }

  /** Leaves feedback on a message (default outcome: confirmed). */
  createFeedback(command: FeedbackCommand): MessageRecord {
    const r = this.getMessage(command)
    if (command.malformed)
      throw new TwilioApiError(command.malformed.code, { message: command.malformed.message })
    const outcome = command.outcome ?? 'confirmed'
    const now = this.scheduler.now()
    r.feedback = { outcome, dateCreated: r.feedback?.dateCreated ?? now, dateUpdated: now }
    return r
  }

  listMessages(accountSid: string, filter: MessageFilter, opts: Parameters<MessageStore['list']>[1]) {
    return this.store(accountSid).list(filter, opts)
  }

  /** Records of every account, newest first, matching a filter (inspection helpers). */
  allMessages(filter: MessageFilter & { accountSid?: string } = {}): MessageRecord[] {
    const out: MessageRecord[] = []
    for (const [sid, store] of this.stores) {
      if (filter.accountSid && filter.accountSid !== sid) continue
      // one record at a time: a spread of a whole store into one call overflows the stack
      for (const r of store.list(filter, { limit: Number.MAX_SAFE_INTEGER }).records) out.push(r)
    }
    return out.sort((a, b) => b.sortKey - a.sortKey || b.seq - a.seq)
  }

  findMessage(sid: string): MessageRecord | undefined {
    for (const store of this.stores.values()) {
      const r = store.get(sid)
      if (r) return r
    }
    return undefined
  }

  /** Messages still moving through their lifecycle. */
  get inFlight(): number {
    return this.planned
  }

  reset(): void {
    for (const s of this.stores.values()) s.clear()
    for (const a of this.accounts.values()) a.webhooks.clear()
    this.planned = 0
    this.senderQueues.clear()
    this.seq = 0
    this.emit({ type: 'reset' })
  }

  /**
   * Sets the inbound webhooks of `number` at run time (the standalone server's control API): inbound messages
   * to it then go to `smsUrl`, whatever its account's options say, until {@link clearNumberWebhooks} or
   * `reset()`. The account is `accountSid`, else the one that owns the number, else the first that accepts any
   * sender, else the first. Setting webhooks owns no sender: the accounts' senders stay as configured.
   */
  setNumberWebhooks(
    settings: PhoneNumberOptions,
    accountSid?: string,
  ): { accountSid: string } & PhoneNumberOptions {
    const account = this.numberAccount(settings.number, accountSid)
    const entry = { ...settings }
    account.webhooks.set(addressKey(settings.number), entry)
    return { accountSid: account.sid, ...entry }
  }

  /** Removes webhooks set by {@link setNumberWebhooks}; whether there were any. */
  clearNumberWebhooks(number: string, accountSid?: string): boolean {
    return this.numberAccount(number, accountSid).webhooks.delete(addressKey(number))
  }

  private numberAccount(number: string, accountSid: string | undefined): Account {
    if (accountSid !== undefined) {
      const a = this.accounts.get(accountSid)
      if (!a)
        throw new TwilioDoubleError(
          `no account ${accountSid}: use one of ${[...this.accounts.keys()].join(', ')}`,
        )
      return a
    }
    return accountOfNumber(this.accounts, addressKey(number)) ?? this.accounts.values().next().value!
  }

  /** Throws a helpful error for an unknown message SID in a helper. */
  requireMessage(sid: string): MessageRecord {
    const r = this.findMessage(sid)
    if (!r)
      throw new TwilioDoubleError(
        `no message with SID ${sid}: check the SID returned by messages.create(), or list the messages with double.messages.list()`,
      )
    return r
  }
}
