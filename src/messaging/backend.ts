import type { CallbackDelivery, Outbox } from '../callbacks/outbox.js'
import { deliveryErrorMessage } from '../errors/catalog.js'
import { TwilioApiError, TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { ScenarioSet } from '../scenarios/scenario-set.js'
import type {
  DelayedStatus,
  DeliveryOutcome,
  Operation,
  ScenarioContext,
  ScenarioOutcome,
} from '../scenarios/types.js'
import type { MessageStatus } from '../schemas/common.js'
import type { Scheduler } from '../time/scheduler.js'
import { toDlrDoneDate } from '../util/dates.js'
import { toMs } from '../util/duration.js'
import type { SeededRandom } from '../util/random.js'
import type { Account } from './accounts.js'
import { addressKey, parseFrom, parseTo } from './address.js'
import { type CreateRules, type FormParams, many, one, planCreate } from './create-message.js'
import {
  DEFAULT_DELAYS,
  FINAL_STATUSES,
  isQueuedStatus,
  pathAfterQueued,
  SILENT_STATUSES,
} from './lifecycle.js'
import { MessageStore } from './message-store.js'
import { DEFAULT_PRICES, type PriceTable, priceOf } from './pricing.js'
import { contentTypeOf } from './render.js'
import type { MessageFilter, MessageRecord } from './types.js'

/** Messages per second a sender sends, by kind (Twilio's defaults for US senders). */
export interface SenderRates {
  longCode: number
  shortCode: number
  tollFree: number
  alphanumeric: number
  whatsapp: number
}

export const DEFAULT_SENDER_RATES: SenderRates = {
  longCode: 1,
  shortCode: 100,
  tollFree: 3,
  alphanumeric: 10,
  whatsapp: 80,
}

/** Options of the messaging backend. */
export interface BackendOptions {
  rules: CreateRules
  delays?: Partial<Record<DelayedStatus, number>>
  prices?: PriceTable
  senderRates?: SenderRates
  /** Most seconds of traffic a sender's queue holds before creates answer 429 (default 14,400 = 4 hours; false: no limit). */
  maxQueueSeconds?: number | false
  /** Most messages kept per double; the oldest are dropped first (default: no limit). */
  maxMessages?: number
}

/** The delivery plan of a message in flight. */
interface Plan {
  outcome: DeliveryOutcome
  errorCode?: number
  delays: Record<DelayedStatus, number>
  readAfter: number
  tamper: boolean
  duplicate: boolean
  reorder: boolean
  buffered?: MessageStatus[]
  segments: number
  country?: string
  task?: import('../time/scheduler.js').TaskHandle
}

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

/**
 * The messaging domain of one double: accounts and their stores, create rules, the lifecycle on the
 * scheduler, status callbacks through the outbox. It knows nothing of HTTP.
 */
export class MessagingBackend {
  readonly stores = new Map<string, MessageStore>()
  private plans = new Map<string, Plan>()
  private senderFree = new Map<string, number>()
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
    if (!s) throw new TwilioApiError(20404, { path: `/2010-04-01/Accounts/${accountSid}.json` })
    return s
  }

  account(accountSid: string): Account {
    const a = this.accounts.get(accountSid)
    if (!a) throw new TwilioApiError(20404, { path: `/2010-04-01/Accounts/${accountSid}.json` })
    return a
  }

  /** The scenario outcome for an operation (consumes a use of the matching scenario). */
  scenarioFor(
    operation: Operation,
    accountSid: string,
    params: FormParams,
    message?: MessageRecord,
  ): ScenarioOutcome | undefined {
    const to = message?.to ?? one(params, 'To')
    const from = message?.from ?? one(params, 'From')
    const ctx: ScenarioContext = {
      operation,
      accountSid,
      to,
      from: from ?? undefined,
      body: message?.body ?? one(params, 'Body'),
      channel: message?.channel ?? (to ? (parseTo(to)?.channel ?? 'sms') : undefined),
      messagingServiceSid: message?.messagingServiceSid ?? one(params, 'MessagingServiceSid'),
      params,
    }
    return this.scenarios.match(ctx)
  }

  // ---------------------------------------------------------------- create

  /** Creates an outbound message (`direction: outbound-api`), applying the scenario outcome if any. */
  createMessage(accountSid: string, params: FormParams, outcome?: ScenarioOutcome): MessageRecord {
    const account = this.account(accountSid)
    const now = this.scheduler.now()
    const plan = planCreate(account, params, this.options.rules, now)
    for (const guard of this.guards)
      guard({
        account,
        to: plan.to.raw,
        from: plan.from?.raw,
        messagingServiceSid: plan.messagingServiceSid,
        channel: plan.channel,
        contentSid: plan.contentSid,
        now,
      })
    const status: MessageStatus =
      plan.scheduledAt !== undefined ? 'scheduled' : plan.messagingServiceSid ? 'accepted' : 'queued'
    const hasMedia = plan.mediaUrls.length > 0
    const sid = this.random.sid(hasMedia ? 'MM' : 'SM')
    const delays = { ...DEFAULT_DELAYS, ...this.options.delays }
    for (const [k, v] of Object.entries(outcome?.delays ?? {}))
      if (v !== undefined) delays[k as DelayedStatus] = toMs(v)
    const deliveryPlan: Plan = {
      outcome: outcome?.deliver ?? (outcome?.errorCode ? 'undelivered' : 'delivered'),
      errorCode: outcome?.errorCode,
      delays,
      readAfter: outcome?.readAfter !== undefined ? toMs(outcome.readAfter) : 5000,
      tamper: outcome?.tamperSignature ?? false,
      duplicate: outcome?.duplicateCallbacks ?? false,
      reorder: outcome?.reorderCallbacks ?? false,
      segments: plan.numSegments,
      country: plan.to.country,
    }
    if (
      (deliveryPlan.outcome === 'failed' || deliveryPlan.outcome === 'undelivered') &&
      deliveryPlan.errorCode === undefined
    )
      deliveryPlan.errorCode = deliveryPlan.outcome === 'failed' ? 30008 : 30003
    // Queue limit: a sender's queue may hold at most maxQueueSeconds of traffic.
    if (status === 'queued' && plan.from) this.checkQueue(accountSid, plan.from.raw, now)

    const record: MessageRecord = {
      seq: this.seq++,
      sid,
      accountSid,
      to: plan.to.raw.startsWith(`${plan.to.channel}:`)
        ? `${plan.to.channel}:${plan.to.address}`
        : plan.to.address,
      from: plan.from ? plan.from.raw : null,
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
      history: [{ status, at: now }],
    }
    if (hasMedia)
      record.media = plan.mediaUrls.map((url) => ({
        sid: this.random.sid('ME'),
        url,
        contentType: contentTypeOf(url),
        dateCreated: now,
      }))
    const extra: NonNullable<MessageRecord['extra']> = {}
    if (plan.statusCallback) extra.statusCallback = plan.statusCallback
    if (plan.applicationSid) extra.applicationSid = plan.applicationSid
    if (plan.validityPeriod !== undefined) extra.validityPeriod = plan.validityPeriod
    if (plan.maxPrice !== undefined) extra.maxPrice = plan.maxPrice
    if (plan.scheduledAt !== undefined) extra.sendAt = plan.scheduledAt
    if (plan.contentSid) extra.contentSid = plan.contentSid
    if (plan.provideFeedback) extra.provideFeedback = true
    if (Object.keys(extra).length > 0) record.extra = extra

    this.store(accountSid).add(record)
    this.plans.set(sid, deliveryPlan)
    this.enforceRetention(accountSid)
    this.emit({ type: 'message', accountSid, sid, status })

    if (status === 'scheduled')
      deliveryPlan.task = this.scheduler.schedule(plan.scheduledAt!, () => this.toQueued(record))
    else if (status === 'accepted')
      deliveryPlan.task = this.scheduler.schedule(now + delays.accepted, () => this.toQueued(record))
    else this.scheduleSending(record, deliveryPlan)
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

  /** Starts the outbound lifecycle of a message added with {@link addRecord} in status `queued`. */
  startLifecycle(record: MessageRecord, outcome?: ScenarioOutcome): void {
    const delays = { ...DEFAULT_DELAYS, ...this.options.delays }
    for (const [k, v] of Object.entries(outcome?.delays ?? {}))
      if (v !== undefined) delays[k as DelayedStatus] = toMs(v)
    const plan: Plan = {
      outcome: outcome?.deliver ?? (outcome?.errorCode ? 'undelivered' : 'delivered'),
      errorCode: outcome?.errorCode,
      delays,
      readAfter: outcome?.readAfter !== undefined ? toMs(outcome.readAfter) : 5000,
      tamper: outcome?.tamperSignature ?? false,
      duplicate: outcome?.duplicateCallbacks ?? false,
      reorder: outcome?.reorderCallbacks ?? false,
      segments: record.numSegments,
    }
    this.plans.set(record.sid, plan)
    this.scheduleSending(record, plan)
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
    const plan = this.plans.get(sid)
    if (plan?.task) this.scheduler.cancel(plan.task)
    this.plans.delete(sid)
    this.store(accountSid).delete(sid)
  }

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

  private checkQueue(accountSid: string, from: string, now: number): void {
    const max = this.options.maxQueueSeconds ?? 14_400
    if (max === false) return
    const free = this.senderFree.get(`${accountSid}|${addressKey(from)}`) ?? now
    if (free - now >= max * 1000)
      throw new TwilioApiError(
        30001,
        {},
        { status: 429, headers: { 'Retry-After': String(Math.ceil((free - now) / 1000 - max + 1)) } },
      )
  }

  /** Queues a message on its sender: the time it leaves the queue follows the sender's rate. */
  private scheduleSending(r: MessageRecord, plan: Plan): void {
    const now = this.scheduler.now()
    let leaveAt = now + plan.delays.queued
    if (r.from) {
      const key = `${r.accountSid}|${addressKey(r.from)}`
      const free = this.senderFree.get(key) ?? now
      leaveAt = Math.max(leaveAt, free)
      this.senderFree.set(key, leaveAt + 1000 / this.senderRate(r.from))
    }
    const vp = r.extra?.validityPeriod
    if (vp !== undefined && leaveAt > r.dateCreated + vp * 1000) {
      plan.task = this.scheduler.schedule(r.dateCreated + vp * 1000, () => {
        if (isQueuedStatus(r.status)) this.transition(r, 'failed', 30001)
      })
      return
    }
    plan.task = this.scheduler.schedule(leaveAt, () => this.toSending(r))
  }

  private toQueued(r: MessageRecord): void {
    const plan = this.plans.get(r.sid)
    if (!plan || (r.status !== 'accepted' && r.status !== 'scheduled')) return
    if (r.messagingServiceSid && !r.from) {
      const service = this.accounts.get(r.accountSid)?.services.get(r.messagingServiceSid)
      const senders = service?.senders ?? []
      const wantWhatsapp = r.channel === 'whatsapp'
      const sender = senders.find((s) => s.toLowerCase().startsWith('whatsapp:') === wantWhatsapp)
      if (!sender) {
        r.numSegments = plan.segments
        this.transition(r, 'failed', senders.length === 0 ? 21704 : 21703)
        return
      }
      this.store(r.accountSid).setFrom(r, sender)
    }
    r.numSegments = plan.segments
    this.transition(r, 'queued')
    this.scheduleSending(r, plan)
  }

  private toSending(r: MessageRecord): void {
    const plan = this.plans.get(r.sid)
    if (!plan || r.status !== 'queued') return
    this.transition(r, 'sending')
    const price = priceOf(this.options.prices ?? DEFAULT_PRICES, {
      channel: r.channel,
      numSegments: r.numSegments,
      numMedia: r.numMedia,
      country: plan.country,
    })
    const maxPrice = r.extra?.maxPrice
    const path = pathAfterQueued(plan.outcome).slice(1)
    const failedAtSend = maxPrice !== undefined && price.amount > maxPrice
    let at = this.scheduler.now() + plan.delays.sending
    if (failedAtSend || path[0] === 'failed') {
      const code = failedAtSend ? 30010 : (plan.errorCode ?? 30008)
      plan.task = this.scheduler.schedule(at, () => this.transition(r, 'failed', code))
      return
    }
    const steps: { status: MessageStatus; at: number }[] = []
    for (const status of path) {
      steps.push({ status, at })
      at += status === 'sent' ? plan.delays.sent : status === 'delivered' ? plan.readAfter : 0
    }
    const runStep = (i: number) => {
      const step = steps[i]
      if (!step) return
      plan.task = this.scheduler.schedule(step.at, () => {
        if (step.status === 'sent') {
          r.price = price.price
          r.dateSent = this.scheduler.now()
          this.store(r.accountSid).resort(r, r.dateSent)
        }
        this.transition(r, step.status, step.status === 'undelivered' ? (plan.errorCode ?? 30003) : undefined)
        runStep(i + 1)
      })
    }
    runStep(0)
  }

  /** Moves a message to a status, records it and sends the status callback. */
  transition(r: MessageRecord, status: MessageStatus, errorCode?: number): void {
    const now = this.scheduler.now()
    r.status = status
    r.dateUpdated = now
    if (errorCode !== undefined) {
      r.errorCode = errorCode
      r.errorMessage = deliveryErrorMessage(errorCode)
    }
    r.history.push(errorCode !== undefined ? { status, at: now, errorCode } : { status, at: now })
    this.emit({ type: 'message', accountSid: r.accountSid, sid: r.sid, status })
    const plan = this.plans.get(r.sid)
    const done = FINAL_STATUSES.has(status) && !(status === 'delivered' && plan?.outcome === 'read')
    if (!SILENT_STATUSES.has(status)) this.statusCallback(r, status, plan)
    if (done) {
      if (plan?.reorder && plan.buffered) {
        for (const s of plan.buffered.reverse()) this.sendStatusCallback(r, s, plan)
        plan.buffered = undefined
      }
      this.plans.delete(r.sid)
    }
  }

  private callbackUrl(r: MessageRecord): string | undefined {
    const account = this.accounts.get(r.accountSid)
    const app = r.extra?.applicationSid ? account?.applications.get(r.extra.applicationSid) : undefined
    if (app?.messageStatusCallback) return app.messageStatusCallback
    if (r.extra?.statusCallback) return r.extra.statusCallback
    if (r.messagingServiceSid) return account?.services.get(r.messagingServiceSid)?.statusCallback
    return undefined
  }

  private statusCallback(r: MessageRecord, status: MessageStatus, plan: Plan | undefined): void {
    if (!this.callbackUrl(r)) return
    if (plan?.reorder) {
      plan.buffered ??= []
      plan.buffered.push(status)
      return
    }
    this.sendStatusCallback(r, status, plan)
  }

  private sendStatusCallback(r: MessageRecord, status: MessageStatus, plan: Plan | undefined): void {
    const url = this.callbackUrl(r)
    const account = this.accounts.get(r.accountSid)
    if (!url || !account) return
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
    if ((status === 'failed' || status === 'undelivered') && r.errorCode !== null)
      params.ErrorCode = String(r.errorCode)
    if (r.messagingServiceSid) params.MessagingServiceSid = r.messagingServiceSid
    if (r.channel === 'sms' && (status === 'delivered' || status === 'undelivered'))
      params.RawDlrDoneDate = toDlrDoneDate(this.scheduler.now())
    if (r.channel !== 'sms') params.ChannelPrefix = r.channel
    if (status === 'read') params.EventType = 'READ'
    const times = plan?.duplicate ? 2 : 1
    for (let i = 0; i < times; i++)
      this.outbox.send({
        kind: 'status',
        messageSid: r.sid,
        accountSid: r.accountSid,
        status,
        url,
        params,
        authToken: account.authToken,
        tamper: plan?.tamper,
        at: this.scheduler.now(),
      })
  }

  // ---------------------------------------------------------------- other operations

  getMessage(accountSid: string, sid: string, path: string): MessageRecord {
    const r = this.store(accountSid).get(sid)
    if (!r) throw new TwilioApiError(20404, { path })
    return r
  }

  /** Update: `Body=''` redacts; `Status=canceled` cancels a scheduled message. */
  updateMessage(accountSid: string, sid: string, params: FormParams, path: string): MessageRecord {
    const r = this.getMessage(accountSid, sid, path)
    const body = one(params, 'Body')
    const status = one(params, 'Status')
    if (status !== undefined && status !== '') {
      if (status !== 'canceled')
        throw new TwilioApiError(20001, {
          message: `Invalid Status '${status}': the only status a message can be updated to is canceled`,
        })
      if (r.status !== 'scheduled') throw new TwilioApiError(30409)
      const plan = this.plans.get(sid)
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
      this.emit({ type: 'message', accountSid, sid, status: r.status })
    }
    return r
  }

  deleteMessage(accountSid: string, sid: string, path: string): void {
    const r = this.getMessage(accountSid, sid, path)
    if (!FINAL_STATUSES.has(r.status)) throw new TwilioApiError(20009)
    this.dropRecord(accountSid, sid)
    this.emit({ type: 'message', accountSid, sid, status: r.status })
  }

  deleteMedia(accountSid: string, messageSid: string, mediaSid: string, path: string): void {
    const r = this.getMessage(accountSid, messageSid, path)
    const i = r.media?.findIndex((m) => m.sid === mediaSid) ?? -1
    if (i < 0) throw new TwilioApiError(20404, { path })
    r.media!.splice(i, 1)
    if (r.media!.length === 0) r.media = undefined
  }

  createFeedback(accountSid: string, messageSid: string, params: FormParams, path: string): MessageRecord {
    const r = this.getMessage(accountSid, messageSid, path)
    const outcome = one(params, 'Outcome') ?? 'confirmed'
    if (outcome !== 'confirmed' && outcome !== 'unconfirmed')
      throw new TwilioApiError(20001, {
        message: `Invalid Outcome '${outcome}': use confirmed or unconfirmed`,
      })
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
      out.push(...store.list(filter, { limit: Number.MAX_SAFE_INTEGER }).records)
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
    return this.plans.size
  }

  reset(): void {
    for (const s of this.stores.values()) s.clear()
    this.plans.clear()
    this.senderFree.clear()
    this.seq = 0
    this.emit({ type: 'reset' })
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

export { many }
