import type { CallbackDelivery, Outbox } from '../callbacks/outbox.js'
import type { PhoneNumberOptions } from '../config.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { ScenarioSet } from '../scenarios/scenario-set.js'
import type { DelayedStatus, ScenarioOutcome } from '../scenarios/types.js'
import type { MessageStatus } from '../schemas/common.js'
import type { Scheduler } from '../time/scheduler.js'
import type { SeededRandom } from '../util/random.js'
import { type Account, accountOfNumber } from './accounts.js'
import { AddressCache, addressKey, parseTo } from './address.js'
import type {
  CreateMessageCommand,
  FeedbackCommand,
  ListMessagesCommand,
  MediaCommand,
  MessageCommand,
  UpdateMessageCommand,
} from './commands.js'
import { ContentTemplates, type DeclaredTemplate } from './content.js'
import type { CreateRules } from './create-rules.js'
import { Lifecycle } from './delivery.js'
import { NotFoundError } from './errors.js'
import { DEFAULT_DELAYS } from './lifecycle.js'
import { type ListWindow, MessageStore } from './message-store.js'
import { MessageOperations } from './operations.js'
import { OptOutList } from './opt-out.js'
import type { PriceTable } from './pricing.js'
import { SenderQueues, type SenderRates } from './sender-queues.js'
import { StatusCallbacks } from './status-callbacks.js'
import type { MediaRecord, MessageFilter, MessageRecord } from './types.js'
import { WhatsAppWindows } from './whatsapp-window.js'

export { DEFAULT_VALIDITY_ERROR_CODE } from './delivery.js'
export { DEFAULT_SENDER_RATES, resolveSenderRates, type SenderRates } from './sender-queues.js'

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
  /**
   * A message created with both ApplicationSid and StatusCallback: the application's callback `replaces`
   * StatusCallback (default, the Message resource document), or is only the `fallback` of a message without
   * StatusCallback (Twilio's OpenAPI description).
   */
  applicationCallback?: 'replaces' | 'fallback'
  /** Most messages kept per double; the oldest are dropped first (default: no limit). */
  maxMessages?: number
  /** Content templates declared in the options, each with its account (each account's part is its own). */
  contentTemplates?: readonly DeclaredTemplate[]
}

/** An event of the backend, for listeners such as the inbox page. */
export type BackendEvent =
  | { type: 'message'; accountSid: string; sid: string; status: MessageStatus }
  | { type: 'callback'; delivery: CallbackDelivery }
  /** A reset of the whole double, or of one account's state (`accountSid`). */
  | { type: 'reset'; accountSid?: string }

/** The state of one double's messaging, made from the options (at start and at every reset). */
interface Parts {
  stores: Map<string, MessageStore>
  queues: SenderQueues
  callbacks: StatusCallbacks
  lifecycle: Lifecycle
  operations: MessageOperations
  optOuts: OptOutList
  windows: WhatsAppWindows
  content: ContentTemplates
}

/**
 * The messaging domain of one double, composed of parts with one job each: the operations on messages
 * (`operations.ts`, whose creates go through the rules of `create-rules.ts`), the lifecycle driven by the
 * transition table (`delivery.ts`, `lifecycle.ts`), the sender queues (`sender-queues.ts`), the status
 * callbacks (`status-callbacks.ts`), the opt-out list and the WhatsApp windows. It takes commands and knows
 * nothing of HTTP.
 */
export class MessagingBackend {
  private parts: Parts
  /** The phone facts and address keys this double remembers (pure functions of their input: kept across resets). */
  readonly addresses = new AddressCache()
  private listeners = new Set<(e: BackendEvent) => void>()

  constructor(
    readonly accounts: Map<string, Account>,
    readonly scheduler: Scheduler,
    readonly outbox: Outbox,
    readonly scenarios: ScenarioSet,
    private readonly random: SeededRandom,
    readonly options: BackendOptions,
    /** Numbers the messages in the order they are made (shared by the accounts of a double; else its own). */
    private readonly sequence: () => number = counter(),
    /** The double's clock (its first account's), by which the messages of its accounts compare; else this one's. */
    private readonly doubleClock: () => number = () => scheduler.now(),
  ) {
    this.parts = this.build()
    outbox.onDelivery((delivery) => this.emit({ type: 'callback', delivery }))
  }

  /** Every part, fresh, from the options and the accounts. */
  private build(): Parts {
    const { accounts, scheduler, outbox, options } = this
    const stores = new Map<string, MessageStore>()
    for (const sid of accounts.keys()) stores.set(sid, new MessageStore(this.addresses))
    const queues = new SenderQueues({
      senderRates: options.senderRates,
      maxQueueSeconds: options.maxQueueSeconds,
      queuedDelay: options.delays?.queued ?? DEFAULT_DELAYS.queued,
      addresses: this.addresses,
    })
    const callbacks = new StatusCallbacks(
      accounts,
      outbox,
      () => scheduler.now(),
      options.applicationCallback ?? 'replaces',
    )
    const windows = new WhatsAppWindows(this.addresses)
    const optOuts = new OptOutList(this.addresses)
    const declared = (options.contentTemplates ?? []).filter((t) => accounts.has(t.accountSid))
    const content = new ContentTemplates(this.random, scheduler, declared)
    const changed = (r: MessageRecord) => {
      if (this.listeners.size > 0)
        this.emit({ type: 'message', accountSid: r.accountSid, sid: r.sid, status: r.status })
    }
    const store = (sid: string) => {
      const s = stores.get(sid)
      if (!s) throw new NotFoundError('account', sid)
      return s
    }
    const lifecycle = new Lifecycle(
      { accounts, scheduler, queues, callbacks, windows, store, changed },
      options,
    )
    const operations = new MessageOperations({
      accounts,
      stores,
      scheduler,
      random: this.random,
      scenarios: this.scenarios,
      lifecycle,
      queues,
      optOuts,
      content,
      addresses: this.addresses,
      rules: options.rules,
      maxMessages: options.maxMessages,
      changed,
      sequence: this.sequence,
      doubleClockLead: () => this.doubleClock() - scheduler.now(),
    })
    return { stores, queues, callbacks, lifecycle, operations, optOuts, windows, content }
  }

  /** The message store of each account. */
  get stores(): ReadonlyMap<string, MessageStore> {
    return this.parts.stores
  }

  /** Who opted out of whom (SMS STOP). */
  get optOuts(): OptOutList {
    return this.parts.optOuts
  }

  /** WhatsApp's customer service windows. */
  get windows(): WhatsAppWindows {
    return this.parts.windows
  }

  /** The content templates of the account (Twilio's Content API). */
  get content(): ContentTemplates {
    return this.parts.content
  }

  /** Adds an account after the double was created (e.g. a Pact provider state); an existing one is kept. */
  addAccount(account: Account): void {
    if (this.accounts.has(account.sid)) return
    this.accounts.set(account.sid, account)
    this.parts.stores.set(account.sid, new MessageStore(this.addresses))
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
    return this.parts.operations.store(accountSid)
  }

  account(accountSid: string): Account {
    const a = this.accounts.get(accountSid)
    if (!a) throw new NotFoundError('account', accountSid)
    return a
  }

  // ---------------------------------------------------------------- operations

  /**
   * Creates an outbound message (`direction: outbound-api`) through the rules of `create-rules.ts`, a matching
   * scenario among them (its latency passes before the message is created).
   */
  createMessage(command: CreateMessageCommand): Promise<MessageRecord> {
    return this.parts.operations.create(command)
  }

  /** Adds a message that did not come through Create (inbound messages, replies, seeds). */
  addRecord(record: Omit<MessageRecord, 'seq'>): MessageRecord {
    return this.parts.operations.add(record)
  }

  /** Removes a message whatever its status; its lifecycle ends without a callback (a seed replacing it). */
  removeRecord(record: MessageRecord): void {
    this.parts.operations.remove(record)
  }

  getMessage(command: MessageCommand): MessageRecord {
    return this.parts.operations.get(command)
  }

  /** Update: `body: ''` redacts; `status: 'canceled'` cancels a scheduled message. */
  updateMessage(command: UpdateMessageCommand): MessageRecord {
    return this.parts.operations.update(command)
  }

  /** Deletes a message whose delivery is complete (else 20009). */
  deleteMessage(command: MessageCommand): void {
    this.parts.operations.delete(command)
  }

  /** A media item of a message, and the message. */
  getMedia(command: MediaCommand): { message: MessageRecord; media: MediaRecord } {
    return this.parts.operations.getMedia(command)
  }

  deleteMedia(command: MediaCommand): void {
    this.parts.operations.deleteMedia(command)
  }

  /** Leaves feedback on a message (default outcome: confirmed). */
  createFeedback(command: FeedbackCommand): MessageRecord {
    return this.parts.operations.feedback(command)
  }

  /** A newest-first page of an account's messages (List Messages). */
  listMessages(command: ListMessagesCommand): ListWindow {
    return this.parts.operations.list(command)
  }

  /** Records of every account, newest first, matching a filter (inspection helpers). */
  allMessages(filter: MessageFilter & { accountSid?: string } = {}): MessageRecord[] {
    return this.parts.operations.all(filter)
  }

  /** How many messages match a filter (inspection helpers). */
  countMessages(filter: MessageFilter & { accountSid?: string } = {}): number {
    return this.parts.operations.count(filter)
  }

  findMessage(sid: string): MessageRecord | undefined {
    return this.parts.operations.find(sid)
  }

  /**
   * Tells this account's records that the double's clock (its first account's) went back by `ms`, as a reset of
   * that account alone does: each keeps when it was made on the double's clock as it now reads (see
   * `MessageRecord.doubleClockLead`).
   */
  doubleClockSetBack(ms: number): void {
    this.parts.operations.doubleClockSetBack(ms)
  }

  // ---------------------------------------------------------------- lifecycle and callbacks

  /**
   * Starts the outbound lifecycle of a message added with {@link addRecord} in status `queued` (or
   * `accepted`, when a messaging service still has to pick its sender), following `outcome` if given.
   */
  startLifecycle(record: MessageRecord, outcome?: ScenarioOutcome): void {
    if (record.status !== 'queued' && record.status !== 'accepted')
      throw new TwilioDoubleError(
        `startLifecycle(): message ${record.sid} is '${record.status}'; add it as 'queued' or 'accepted'`,
      )
    const checkWindow = record.channel === 'whatsapp' && !record.extra?.contentSid
    this.parts.lifecycle.start(record, {
      segments: record.numSegments,
      country: parseTo(record.to, { cache: this.addresses })?.country,
      outcome,
      checkWindow,
    })
  }

  /** Moves a message to a status (the transition table must allow it), records it and sends its callback. */
  transition(r: MessageRecord, status: MessageStatus, errorCode?: number): void {
    this.parts.lifecycle.transition(r, status, errorCode)
  }

  /** Where a message's status callbacks go (see `StatusCallbacks.url`). */
  callbackUrl(r: MessageRecord, status?: MessageStatus): string | undefined {
    return this.parts.callbacks.url(r, status)
  }

  /** The form parameters of a status callback (fact sheet §8). */
  callbackParams(r: MessageRecord, status: MessageStatus): Record<string, string> {
    return this.parts.callbacks.params(r, status)
  }

  /** Messages still moving through their lifecycle. */
  get inFlight(): number {
    return this.parts.lifecycle.inFlight
  }

  /**
   * Back to the starting state: every part made again from the options (no message, queue, opt-out nor WhatsApp
   * window), and the webhooks set at run time removed. Accounts added at run time stay.
   */
  reset(): void {
    for (const a of this.accounts.values()) a.webhooks = new Map()
    this.parts = this.build()
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
    account.webhooks.set(addressKey(settings.number, this.addresses), entry)
    return { accountSid: account.sid, ...entry }
  }

  /** Removes webhooks set by {@link setNumberWebhooks}; whether there were any. */
  clearNumberWebhooks(number: string, accountSid?: string): boolean {
    return this.numberAccount(number, accountSid).webhooks.delete(addressKey(number, this.addresses))
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
    return (
      accountOfNumber(this.accounts, addressKey(number, this.addresses)) ??
      this.accounts.values().next().value!
    )
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

/** 0, 1, 2…: a sequence of its own, for a backend that shares none. */
function counter(): () => number {
  let next = 0
  return () => next++
}
