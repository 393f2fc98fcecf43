import { RecentMap } from '../util/memo.js'
import { type AddressCache, addressKey } from './address.js'
import type { MessageFilter, MessageRecord } from './types.js'

/**
 * An index: records sorted ascending by (sortKey, seq). Lists read it from the end, newest first.
 * Inserting a new message (the newest) is an append; other inserts use binary search. Removing the oldest
 * (what a retention cap does at every create) moves a start mark instead of shifting every slot; the slots
 * before the mark are given back now and then, so that each removal costs the same whatever the size.
 */
class SortedIndex {
  /** Records from `head` on, in order; slots before `head` were removed from the front (and emptied). */
  private slots: (MessageRecord | undefined)[] = []
  private head = 0

  /** Number of records. */
  get size(): number {
    return this.slots.length - this.head
  }

  /** The record at ascending position `i` (0 = the oldest), if any. */
  at(i: number): MessageRecord | undefined {
    return i < 0 ? undefined : this.slots[this.head + i]
  }

  /** Every record, oldest first (a copy). */
  toArray(): MessageRecord[] {
    return this.slots.slice(this.head) as MessageRecord[]
  }

  /** Ascending position at which `r` is or would be. */
  private position(r: { sortKey: number; seq: number }): number {
    const a = this.slots
    let lo = this.head
    let hi = a.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const m = a[mid]!
      if (m.sortKey < r.sortKey || (m.sortKey === r.sortKey && m.seq < r.seq)) lo = mid + 1
      else hi = mid
    }
    return lo - this.head
  }

  insert(r: MessageRecord): void {
    const last = this.size > 0 ? this.slots[this.slots.length - 1]! : undefined
    if (!last || last.sortKey < r.sortKey || (last.sortKey === r.sortKey && last.seq < r.seq)) {
      this.slots.push(r)
      return
    }
    this.slots.splice(this.head + this.position(r), 0, r)
  }

  remove(r: { sortKey: number; seq: number; sid: string }): void {
    const i = this.position(r)
    if (this.at(i)?.sid !== r.sid) return
    if (i > 0) {
      this.slots.splice(this.head + i, 1)
      return
    }
    // the oldest: empty its slot (nothing keeps a removed message alive) and move the start mark
    this.slots[this.head++] = undefined
    if (this.head === this.slots.length) {
      this.slots = []
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.slots.length) {
      this.slots = this.slots.slice(this.head)
      this.head = 0
    }
  }

  /** Number of items strictly older than the cursor (i.e. the index in ascending order). */
  below(cursor: { sortKey: number; seq: number }): number {
    return this.position(cursor)
  }

  /** Index (ascending) of the first item with sortKey >= ms. */
  atOrAfter(ms: number): number {
    return this.position({ sortKey: ms, seq: -1 })
  }
}

/** A read of a list: the newest-first window plus the total it was cut from. */
export interface ListWindow {
  records: MessageRecord[]
  hasMore: boolean
}

/**
 * The message store of one account: records by SID, plus sorted indexes (all, by To, by From) so that
 * pages and filters never scan the whole store.
 */
/** A position in the list order: where a message is (or was, before it was deleted). */
export interface ListPosition {
  sid: string
  sortKey: number
  seq: number
}

/**
 * Positions of deleted messages kept so that page tokens pointing at them stay valid: the last 5,000 to 10,000
 * deleted (a {@link RecentMap}: forgetting costs the same whatever the churn).
 */
const TOMBSTONE_GENERATION = 5_000

export class MessageStore {
  /** @param addresses the address keys its double remembers (indexes by To and From read them at every add). */
  constructor(private readonly addresses?: AddressCache) {}

  private key(address: string): string {
    return addressKey(address, this.addresses)
  }

  private bySid = new Map<string, MessageRecord>()
  private tombstones = new RecentMap<string, ListPosition>(TOMBSTONE_GENERATION)
  private all = new SortedIndex()
  private byTo = new Map<string, SortedIndex>()
  private byFrom = new Map<string, SortedIndex>()
  get size(): number {
    return this.bySid.size
  }

  get(sid: string): MessageRecord | undefined {
    return this.bySid.get(sid)
  }

  add(r: MessageRecord): void {
    this.bySid.set(r.sid, r)
    this.all.insert(r)
    indexOf(this.byTo, this.key(r.to)).insert(r)
    if (r.from) indexOf(this.byFrom, this.key(r.from)).insert(r)
  }

  delete(sid: string): MessageRecord | undefined {
    const r = this.bySid.get(sid)
    if (!r) return undefined
    this.unindex(r)
    this.bySid.delete(sid)
    // Twilio's page tokens keep working when the message they name is deleted (list-and-delete loops):
    // remember where it was.
    this.tombstones.set(sid, { sid, sortKey: r.sortKey, seq: r.seq })
    return r
  }

  /** The list position of a message, or of a deleted one (for page tokens). */
  position(sid: string): ListPosition | undefined {
    return this.bySid.get(sid) ?? this.tombstones.peek(sid)
  }

  /** Changes a record's sort key (when it is sent), keeping every index in order. */
  resort(r: MessageRecord, sortKey: number): void {
    // even when the order stays, the message's date sent, which lists filter on, has changed
    if (r.sortKey === sortKey) return
    this.unindex(r)
    r.sortKey = sortKey
    this.all.insert(r)
    indexOf(this.byTo, this.key(r.to)).insert(r)
    if (r.from) indexOf(this.byFrom, this.key(r.from)).insert(r)
  }

  /** Sets a record's From (a messaging service picks its sender after create). */
  setFrom(r: MessageRecord, from: string): void {
    if (r.from) this.byFrom.get(this.key(r.from))?.remove(r)
    r.from = from
    indexOf(this.byFrom, this.key(from)).insert(r)
  }

  /** Sets a record's To (its address obfuscated by Message Redaction), keeping the index by To. */
  setTo(r: MessageRecord, to: string): void {
    const key = this.key(r.to)
    const index = this.byTo.get(key)
    index?.remove(r)
    if (index && index.size === 0) this.byTo.delete(key)
    r.to = to
    indexOf(this.byTo, this.key(to)).insert(r)
  }

  /** Every record, oldest first (insertion order of the sorted index). */
  values(): MessageRecord[] {
    return this.all.toArray()
  }

  /** Oldest record by sort order (for retention). */
  oldest(): MessageRecord | undefined {
    return this.all.at(0)
  }

  /**
   * Reads a newest-first window: skip `offset` matching records after the cursor (exclusive), take `limit`.
   */
  list(
    filter: MessageFilter,
    opts: {
      after?: { sortKey: number; seq: number }
      before?: { sortKey: number; seq: number; sid: string }
      offset?: number
      limit: number
    },
  ): ListWindow {
    let index = this.all
    let residual: ((r: MessageRecord) => boolean) | undefined
    const checks: ((r: MessageRecord) => boolean)[] = []
    if (filter.to !== undefined && filter.from !== undefined) {
      const t = this.byTo.get(this.key(filter.to))
      const f = this.byFrom.get(this.key(filter.from))
      if (!t || !f) return { records: [], hasMore: false }
      index = t.size <= f.size ? t : f
      const toKey = this.key(filter.to)
      const fromKey = this.key(filter.from)
      checks.push((r) => this.key(r.to) === toKey && r.from !== null && this.key(r.from) === fromKey)
    } else if (filter.to !== undefined) {
      const t = this.byTo.get(this.key(filter.to))
      if (!t) return { records: [], hasMore: false }
      index = t
    } else if (filter.from !== undefined) {
      const f = this.byFrom.get(this.key(filter.from))
      if (!f) return { records: [], hasMore: false }
      index = f
    }
    if (filter.status) checks.push((r) => r.status === filter.status)
    if (filter.direction) checks.push((r) => r.direction === filter.direction)
    const hasDate = filter.dateSentAfter !== undefined || filter.dateSentBefore !== undefined
    if (hasDate) {
      const lo = filter.dateSentAfter ?? Number.NEGATIVE_INFINITY
      const hi = filter.dateSentBefore ?? Number.POSITIVE_INFINITY
      checks.push((r) => r.dateSent !== null && r.dateSent >= lo && r.dateSent <= hi)
    }
    if (checks.length > 0) residual = (r) => checks.every((c) => c(r))

    if (opts.before) {
      // the `limit` matching records just newer than the cursor, newest first
      let i = index.below(opts.before)
      if (index.at(i)?.sid === opts.before.sid) i++
      const ceiling =
        filter.dateSentBefore !== undefined ? index.atOrAfter(filter.dateSentBefore + 1) : index.size
      const up: MessageRecord[] = []
      for (; i < ceiling && up.length < opts.limit; i++) {
        const r = index.at(i)!
        if (!residual || residual(r)) up.push(r)
      }
      return { records: up.reverse(), hasMore: true }
    }
    // start: one past the newest candidate (ascending index)
    let end = opts.after ? index.below(opts.after) : index.size
    if (filter.dateSentBefore !== undefined) end = Math.min(end, index.atOrAfter(filter.dateSentBefore + 1))
    const floor = filter.dateSentAfter !== undefined ? index.atOrAfter(filter.dateSentAfter) : 0
    const out: MessageRecord[] = []
    let skip = opts.offset ?? 0
    if (!residual) {
      const from = end - skip
      const stop = Math.max(floor, from - opts.limit)
      for (let i = from - 1; i >= stop; i--) out.push(index.at(i)!)
      return { records: out, hasMore: stop > floor }
    }
    let i = end - 1
    for (; i >= floor; i--) {
      const r = index.at(i)!
      if (!residual(r)) continue
      if (skip > 0) {
        skip--
        continue
      }
      if (out.length === opts.limit) return { records: out, hasMore: true }
      out.push(r)
    }
    return { records: out, hasMore: false }
  }

  clear(): void {
    this.bySid.clear()
    this.tombstones.clear()
    this.all = new SortedIndex()
    this.byTo.clear()
    this.byFrom.clear()
  }

  private unindex(r: MessageRecord): void {
    this.all.remove(r)
    const t = this.byTo.get(this.key(r.to))
    t?.remove(r)
    if (t && t.size === 0) this.byTo.delete(this.key(r.to))
    if (r.from) {
      const f = this.byFrom.get(this.key(r.from))
      f?.remove(r)
      if (f && f.size === 0) this.byFrom.delete(this.key(r.from))
    }
  }
}

function indexOf(map: Map<string, SortedIndex>, key: string): SortedIndex {
  let idx = map.get(key)
  if (!idx) {
    idx = new SortedIndex()
    map.set(key, idx)
  }
  return idx
}
