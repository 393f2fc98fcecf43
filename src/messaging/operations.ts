import { TwilioApiError } from '../errors/twilio-api-error.js'
import type { ScenarioSet } from '../scenarios/scenario-set.js'
import type { Scheduler } from '../time/scheduler.js'
import type { SeededRandom } from '../util/random.js'
import type { Account } from './accounts.js'
import { type AddressCache, normalized } from './address.js'
import type {
  CreateMessageCommand,
  FeedbackCommand,
  ListMessagesCommand,
  MediaCommand,
  MessageCommand,
  UpdateMessageCommand,
} from './commands.js'
import type { ContentTemplates } from './content.js'
import { applyCreateRules, type CreateRules } from './create-rules.js'
import type { Lifecycle } from './delivery.js'
import { NotFoundError, UnknownCursorError } from './errors.js'
import { canTransition, FINAL_STATUSES } from './lifecycle.js'
import { contentTypeOf } from './media.js'
import type { ListWindow, MessageStore } from './message-store.js'
import type { OptOutList } from './opt-out.js'
import type { SenderQueues } from './sender-queues.js'
import type { MediaRecord, MessageFilter, MessageRecord } from './types.js'

/** What the operations work with: the parts of one double's messaging state. */
export interface OperationParts {
  accounts: Map<string, Account>
  stores: Map<string, MessageStore>
  scheduler: Scheduler
  random: SeededRandom
  scenarios: ScenarioSet
  lifecycle: Lifecycle
  queues: SenderQueues
  optOuts: OptOutList
  /** The account's content templates (a create with `ContentSid` renders one). */
  content: ContentTemplates
  addresses: AddressCache
  rules: CreateRules
  /** Most messages kept per account; the oldest are dropped first (default: no limit). */
  maxMessages: number | undefined
  /** Tells listeners a message was added, changed or deleted. */
  changed(r: MessageRecord): void
  /**
   * The next number of the double's order of creation (each record's `seq`): increasing within an account and
   * across the accounts of one double, so that records of two tenants compare by it.
   */
  sequence(): number
  /**
   * How far the double's clock (its first account's) is ahead of this account's now, in ms (negative: behind):
   * kept on each record made while it is not 0 (`MessageRecord.doubleClockLead`).
   */
  doubleClockLead(): number
}

/**
 * The operations on messages of one double: create (through the create rules), fetch, update, delete, media,
 * feedback and lists. Each takes a command and returns records; refusals are thrown as `TwilioApiError` or
 * {@link NotFoundError}.
 */
export class MessageOperations {
  constructor(private readonly parts: OperationParts) {}

  /** The store of an account. */
  store(accountSid: string): MessageStore {
    const s = this.parts.stores.get(accountSid)
    if (!s) throw new NotFoundError('account', accountSid)
    return s
  }

  /**
   * Creates an outbound message (`direction: outbound-api`) through the create rules (a matching scenario among
   * them: its latency, refusal or fault; its delivery outcome followed by the lifecycle).
   */
  async create(command: CreateMessageCommand): Promise<MessageRecord> {
    const { accountSid } = command
    const account = this.parts.accounts.get(accountSid)
    if (!account) throw new NotFoundError('account', accountSid)
    const { scheduler, scenarios, random, queues, optOuts, content, rules, addresses, lifecycle } = this.parts
    const d = await applyCreateRules({
      command,
      account,
      rules,
      scheduler,
      scenarios,
      optOuts,
      content,
      queues,
      addresses,
      random,
      lifecycle,
    })
    const { now, outcome } = d
    // an MMS, or an MMS sent as SMS by the MMS converter, keeps its MM SID
    const hasMedia = d.mediaUrls.length > 0 || d.sentAs !== undefined
    const record: MessageRecord = {
      seq: this.parts.sequence(),
      sid: random.sid(hasMedia ? 'MM' : 'SM'),
      accountSid: account.sid,
      to: normalized(d.to),
      from: d.from ? normalized(d.from) : null,
      body: d.body,
      numSegments: d.status === 'queued' ? d.numSegments : 0,
      numMedia: d.mediaUrls.length,
      direction: 'outbound-api',
      status: d.status,
      messagingServiceSid: d.messagingServiceSid ?? null,
      channel: d.channel,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
      price: null,
      priceUnit: 'USD',
      errorCode: null,
      errorMessage: null,
      sortKey: now,
      // the step it is created in, at its date created (see statusHistory())
      history: d.status,
      lifecycle: undefined,
    }
    if (hasMedia)
      record.media = d.mediaUrls.map((url) => ({
        sid: random.sid('ME'),
        url,
        contentType: contentTypeOf(url),
        dateCreated: now,
      }))
    // only a message created with lifecycle inputs carries them
    const extra: NonNullable<MessageRecord['extra']> = {}
    if (d.statusCallback) extra.statusCallback = d.statusCallback
    if (d.applicationSid) extra.applicationSid = d.applicationSid
    if (d.validityPeriod !== undefined) extra.validityPeriod = d.validityPeriod
    if (d.maxPrice !== undefined) extra.maxPrice = d.maxPrice
    if (d.scheduledAt !== undefined) extra.sendAt = d.scheduledAt
    if (d.contentSid) extra.contentSid = d.contentSid
    if (d.discardContent) extra.contentRetention = 'discard'
    if (d.obfuscateAddress) extra.addressRetention = 'obfuscate'
    if (d.sentAs) extra.sentAs = d.sentAs
    if (Object.keys(extra).length > 0) record.extra = extra
    this.leadOf(record)
    this.store(accountSid).add(record)
    this.parts.lifecycle.start(
      record,
      { segments: d.numSegments, country: d.to.country, outcome, checkWindow: d.checkWindow },
      d.scheduledAt,
    )
    this.enforceRetention(accountSid)
    this.parts.changed(record)
    return record
  }

  /** Adds a message that did not come through Create (inbound messages, replies, seeds). */
  add(record: Omit<MessageRecord, 'seq'>): MessageRecord {
    const r = record as MessageRecord
    r.seq = this.parts.sequence()
    this.leadOf(r)
    this.store(r.accountSid).add(r)
    this.parts.lifecycle.added(r)
    this.enforceRetention(r.accountSid)
    this.parts.changed(r)
    return r
  }

  /** Removes a message whatever its status, its lifecycle ended (a seed replacing it). */
  remove(r: MessageRecord): void {
    this.drop(r)
    this.parts.changed(r)
  }

  /** Keeps on a new record how far the double's clock leads its account's, when it does (see `createdOnDoubleClock()`). */
  private leadOf(r: MessageRecord): void {
    const lead = this.parts.doubleClockLead()
    if (lead !== 0) r.doubleClockLead = lead
  }

  /**
   * The double's clock was set back by `ms` (a reset of the double's first account alone): every record's lead is
   * measured again against it, so that `createdOnDoubleClock()` reads each on the double's clock as it now reads,
   * `ms` earlier than before (their order and the time between them stay).
   */
  doubleClockSetBack(ms: number): void {
    for (const store of this.parts.stores.values())
      for (const r of store.values()) {
        const lead = (r.doubleClockLead ?? 0) - ms
        if (lead !== 0) r.doubleClockLead = lead
        else delete r.doubleClockLead
      }
  }

  /** The message a command names. */
  get({ accountSid, messageSid }: MessageCommand): MessageRecord {
    const r = this.store(accountSid).get(messageSid)
    if (!r) throw new NotFoundError('message', messageSid)
    return r
  }

  /**
   * Update: `body: ''` redacts; `status: 'canceled'` cancels a scheduled message. Every parameter is checked
   * before any is applied: a refused update changes nothing.
   */
  update(command: UpdateMessageCommand): MessageRecord {
    const r = this.get(command)
    const { body } = command
    const cancel = command.status !== undefined && command.status !== ''
    if (cancel) {
      if (command.status !== 'canceled')
        throw new TwilioApiError(20001, {
          message: `Invalid Status '${command.status}': the only status a message can be updated to is canceled`,
        })
      if (!canTransition(r.status, 'canceled')) throw new TwilioApiError(30409)
    }
    if (body !== undefined && body !== '')
      throw new TwilioApiError(20001, {
        message: "Invalid Body: a message's body can only be redacted, by setting it to the empty string",
      })
    if (cancel) this.parts.lifecycle.cancel(r)
    if (body !== undefined) {
      // "keeping the other message resource properties intact" (the Message resource document): date_updated too
      r.body = ''
      this.parts.changed(r)
    }
    return r
  }

  /** Deletes a message whose delivery is complete (else 20009). */
  delete(command: MessageCommand): void {
    const r = this.get(command)
    if (!FINAL_STATUSES.has(r.status)) throw new TwilioApiError(20009)
    this.remove(r)
  }

  /** A media item of a message, and the message. */
  getMedia(command: MediaCommand): { message: MessageRecord; media: MediaRecord } {
    const message = this.get(command)
    const media = message.media?.find((m) => m.sid === command.mediaSid)
    if (!media) throw new NotFoundError('media', command.mediaSid)
    return { message, media }
  }

  deleteMedia(command: MediaCommand): void {
    const r = this.get(command)
    const i = r.media?.findIndex((m) => m.sid === command.mediaSid) ?? -1
    if (i < 0) throw new NotFoundError('media', command.mediaSid)
    r.media!.splice(i, 1)
    if (r.media!.length === 0) r.media = undefined
  }

  /** Leaves feedback on a message (default outcome: confirmed). */
  feedback(command: FeedbackCommand): MessageRecord {
    const r = this.get(command)
    if (command.malformed)
      throw new TwilioApiError(command.malformed.code, { message: command.malformed.message })
    const outcome = command.outcome ?? 'confirmed'
    const now = this.parts.scheduler.now()
    r.feedback = { outcome, dateCreated: r.feedback?.dateCreated ?? now, dateUpdated: now }
    return r
  }

  /**
   * A newest-first page of an account's messages (List Messages): by position, or from a cursor (a deleted
   * message's position is remembered for a while, so that list-and-delete loops keep paging).
   */
  list(command: ListMessagesCommand): ListWindow {
    const store = this.store(command.accountSid)
    const filter: MessageFilter = {}
    if (command.to !== undefined) filter.to = command.to
    if (command.from !== undefined) filter.from = command.from
    if (command.dateSentAfter !== undefined) filter.dateSentAfter = command.dateSentAfter
    if (command.dateSentBefore !== undefined) filter.dateSentBefore = command.dateSentBefore
    const limit = command.pageSize
    const { cursor } = command
    if (!cursor) return store.list(filter, { offset: command.page * limit, limit })
    const at = store.position(cursor.messageSid)
    if (!at) throw new UnknownCursorError(cursor)
    return cursor.direction === 'after'
      ? store.list(filter, { after: at, limit })
      : store.list(filter, { before: at, limit })
  }

  /** Records of every account (or of `filter.accountSid`), newest first, matching a filter. */
  all(filter: MessageFilter & { accountSid?: string } = {}): MessageRecord[] {
    const lists: MessageRecord[][] = []
    for (const [sid, store] of this.parts.stores) {
      if (filter.accountSid && filter.accountSid !== sid) continue
      lists.push(store.list(filter, { limit: Number.MAX_SAFE_INTEGER }).records)
    }
    // each list is newest first already; only several accounts need merging
    if (lists.length <= 1) return lists[0] ?? []
    const out: MessageRecord[] = []
    // one record at a time: a spread of a whole store into one call overflows the stack
    for (const list of lists) for (const r of list) out.push(r)
    return out.sort((a, b) => b.sortKey - a.sortKey || b.seq - a.seq)
  }

  /** How many messages of every account (or of `filter.accountSid`) match a filter. */
  count(filter: MessageFilter & { accountSid?: string } = {}): number {
    let n = 0
    for (const [sid, store] of this.parts.stores) {
      if (filter.accountSid && filter.accountSid !== sid) continue
      n += store.list(filter, { limit: Number.MAX_SAFE_INTEGER }).records.length
    }
    return n
  }

  /** The message of a SID, in any account. */
  find(sid: string): MessageRecord | undefined {
    for (const store of this.parts.stores.values()) {
      const r = store.get(sid)
      if (r) return r
    }
    return undefined
  }

  private enforceRetention(accountSid: string): void {
    const max = this.parts.maxMessages
    if (max === undefined) return
    const store = this.store(accountSid)
    while (store.size > max) {
      const oldest = store.oldest()
      if (!oldest) break
      this.drop(oldest)
    }
  }

  private drop(r: MessageRecord): void {
    this.parts.lifecycle.forget(r)
    this.store(r.accountSid).delete(r.sid)
  }
}
