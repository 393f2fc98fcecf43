import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { type AddressCache, addressKey, parseFrom } from './address.js'
import { QueueFullError } from './errors.js'

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

/** Options of the sender queues. */
export interface SenderQueueOptions {
  senderRates?: SenderRates
  /** Most seconds of traffic a sender's queue holds (default 14,400 = 4 hours; false: no limit). */
  maxQueueSeconds?: number | false
  /** The least time a message waits in `queued` (ms). */
  queuedDelay: number
  /** The phone facts its double remembers. */
  addresses?: AddressCache
}

/** A sender's queue: when it is free to send again (epoch ms), and how many messages a second it sends. */
interface SenderQueue {
  free: number
  rate: number
}

/**
 * The queue of every sender of one double: each sender sends at its rate (segments per second by sender kind),
 * so a busy sender holds its messages longer, and holds at most `maxQueueSeconds` of traffic.
 *
 * @example
 * const queues = new SenderQueues({ queuedDelay: 1000 })
 * const leaveAt = queues.nextSlot('AC…', '+15005550006', now + 1000)
 * queues.take('AC…', '+15005550006', leaveAt, 1)
 */
export class SenderQueues {
  /** The queue of each sender, by account SID and then by sender address (see {@link addressKey}). */
  private readonly queues = new Map<string, Map<string, SenderQueue>>()
  private readonly maxMs: number | undefined

  constructor(private readonly options: SenderQueueOptions) {
    const max = options.maxQueueSeconds ?? 14_400
    this.maxMs = max === false ? undefined : max * 1000
  }

  /** Milliseconds of traffic waiting ahead of a new message on a sender. */
  backlog(accountSid: string, from: string, now: number): number {
    const free = this.queue(accountSid, from)?.free ?? now
    return Math.max(0, free - now - this.options.queuedDelay)
  }

  /** Whether a sender's queue already holds its limit of traffic. */
  isFull(accountSid: string, from: string, now: number): boolean {
    return this.maxMs !== undefined && this.backlog(accountSid, from, now) >= this.maxMs
  }

  /** Refuses a create with a {@link QueueFullError} when the sender's queue is full (the Message resource document). */
  checkRoom(accountSid: string, from: string, now: number): void {
    if (this.maxMs === undefined) return
    const backlog = this.backlog(accountSid, from, now)
    if (backlog >= this.maxMs)
      throw new QueueFullError(Math.max(1, Math.ceil((backlog - this.maxMs) / 1000) + 1))
  }

  /** The sender of `senders` with the least traffic waiting (the first of equals). */
  leastBusy(accountSid: string, senders: readonly string[], now: number): string {
    let best = senders[0]!
    for (const s of senders)
      if (this.backlog(accountSid, s, now) < this.backlog(accountSid, best, now)) best = s
    return best
  }

  /** When a message can leave the sender's queue, at `earliest` or once the sender is free. */
  nextSlot(accountSid: string, from: string, earliest: number): number {
    return Math.max(earliest, this.queue(accountSid, from)?.free ?? earliest)
  }

  /** Takes the sender's slot at `leaveAt` for a message of `units` segments (each takes 1 / rate seconds). */
  take(accountSid: string, from: string, leaveAt: number, units: number): void {
    const queue = this.queue(accountSid, from, true)
    queue.free = leaveAt + (1000 * units) / queue.rate
  }

  /** The queue of a sender of the account; made (empty) when `make` is set and it has none yet. */
  private queue(accountSid: string, from: string, make: true): SenderQueue
  private queue(accountSid: string, from: string, make?: boolean): SenderQueue | undefined
  private queue(accountSid: string, from: string, make = false): SenderQueue | undefined {
    let ofAccount = this.queues.get(accountSid)
    const key = addressKey(from, this.options.addresses)
    let queue = ofAccount?.get(key)
    if (queue || !make) return queue
    if (!ofAccount) {
      ofAccount = new Map()
      this.queues.set(accountSid, ofAccount)
    }
    queue = { free: Number.NEGATIVE_INFINITY, rate: this.rate(from) }
    ofAccount.set(key, queue)
    return queue
  }

  private rate(from: string): number {
    const rates = this.options.senderRates ?? DEFAULT_SENDER_RATES
    const parsed = parseFrom(from, { cache: this.options.addresses })
    if (!parsed) return rates.longCode
    if (parsed.channel === 'whatsapp') return rates.whatsapp
    if (parsed.kind === 'short-code') return rates.shortCode
    if (parsed.kind === 'alphanumeric') return rates.alphanumeric
    if (parsed.numberType === 'toll-free') return rates.tollFree
    return rates.longCode
  }
}
