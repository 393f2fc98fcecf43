/**
 * Twilio's default opt-out handling (SMS STOP filtering) for long codes and toll-free numbers: the
 * keywords, the automatic replies and the list of recipients who opted out, per double.
 */
import type { Account } from './accounts.js'
import { type AddressCache, addressKey } from './address.js'

/** What a keyword does. */
export type KeywordAction = 'opt-out' | 'opt-in' | 'help'

/** Twilio's default keywords (English), by action. The whole body, trimmed, must be the keyword. */
export const OPT_OUT_KEYWORDS: Readonly<Record<KeywordAction, readonly string[]>> = {
  'opt-out': ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'],
  'opt-in': ['START', 'UNSTOP', 'YES'],
  help: ['HELP', 'INFO'],
}

/** Twilio's default automatic replies to the keywords. */
export const KEYWORD_REPLIES: Readonly<Record<KeywordAction, string>> = {
  'opt-out':
    'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
  'opt-in':
    'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
  help: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
}

/**
 * The confirmations of toll-free numbers, sent by the carrier's network instead of Twilio's replies.
 * Twilio's article "Opt-out keyword handling (SMS STOP Filtering) for Toll-Free SMS"
 * (support.twilio.com/hc/en-us/articles/360058144374) says:
 * - toll-free numbers (US and Canada) have a layer of opt-out handling outside Twilio that cannot be
 *   removed or customized;
 * - STOP opts the user out of messages from the number, with the auto-reply
 *   `NETWORK MSG: You replied with the word "stop" which blocks all texts sent from this number. Text back "unstop" to receive messages again.`;
 * - START or UNSTOP opts the user back in, with the auto-reply
 *   `NETWORK MSG: You have replied "unstop" and will begin receiving messages again from this number.`,
 *   the keyword in it matching the word sent: "Start" for START, "Unstop" for UNSTOP;
 * - HELP and INFO are not handled that way: Twilio's default help reply is sent unless the user has
 *   opted out, in which case there is no auto-reply until the user opts back in.
 */
export const TOLL_FREE_REPLIES = {
  stop: 'NETWORK MSG: You replied with the word "stop" which blocks all texts sent from this number. Text back "unstop" to receive messages again.',
  start: (word: 'Start' | 'Unstop') =>
    `NETWORK MSG: You have replied "${word}" and will begin receiving messages again from this number.`,
} as const

/**
 * What the network layer of a toll-free number does with an inbound body: `'stop'` for STOP, the
 * word of the confirmation for START and UNSTOP, undefined for anything else (Twilio's own handling
 * then applies, as on long codes).
 *
 * @example
 * tollFreeKeywordOf(' stop ') // 'stop'
 * tollFreeKeywordOf('unstop') // 'Unstop'
 * tollFreeKeywordOf('UNSUBSCRIBE') // undefined
 */
export function tollFreeKeywordOf(body: string): 'stop' | 'Start' | 'Unstop' | undefined {
  const word = body.trim().toUpperCase()
  if (word === 'STOP') return 'stop'
  if (word === 'START') return 'Start'
  if (word === 'UNSTOP') return 'Unstop'
  return undefined
}

/**
 * The keyword an inbound body is, if any: the whole body, trimmed, compared without case.
 *
 * @example
 * keywordOf(' stop ') // 'opt-out'
 * keywordOf('Please stop') // undefined
 */
export function keywordOf(body: string): KeywordAction | undefined {
  const word = body.trim().toUpperCase()
  for (const action of Object.keys(OPT_OUT_KEYWORDS) as KeywordAction[])
    if (OPT_OUT_KEYWORDS[action].includes(word)) return action
  return undefined
}

interface Entry {
  /** Senders (address keys) the recipient opted out of. */
  senders: Set<string>
  /** Messaging services the recipient opted out of (every sender of the pool). */
  services: Set<string>
}

/**
 * Who opted out of whom, per account. An opt-out through a number of a messaging service applies to
 * the whole service; an opt-in through any number of the service lifts it.
 *
 * @example
 * const list = new OptOutList()
 * list.optOut(account, '+15550001111', '+15005550006')
 * list.isBlocked(account, '+15550001111', '+15005550006', null) // true
 */
export class OptOutList {
  private entries = new Map<string, Entry>()

  /** @param addresses the phone facts its double remembers. */
  constructor(private readonly addresses?: AddressCache) {}

  private addressKey(value: string): string {
    return addressKey(value, this.addresses)
  }

  private key(accountSid: string, recipient: string): string {
    return `${accountSid}|${this.addressKey(recipient)}`
  }

  /** Services of the account whose sender pool holds `sender`. */
  servicesOf(account: Account, sender: string): string[] {
    const k = this.addressKey(sender)
    const out: string[] = []
    for (const s of account.services.values())
      if (s.senders.some((n) => this.addressKey(n) === k)) out.push(s.sid)
    return out
  }

  /** Records that `recipient` texted an opt-out keyword to `sender` (and so to the sender's services). */
  optOut(account: Account, recipient: string, sender: string, extraServices: string[] = []): void {
    const key = this.key(account.sid, recipient)
    let e = this.entries.get(key)
    if (!e) {
      e = { senders: new Set(), services: new Set() }
      this.entries.set(key, e)
    }
    e.senders.add(this.addressKey(sender))
    for (const s of [...this.servicesOf(account, sender), ...extraServices]) e.services.add(s)
  }

  /** Records that `recipient` texted an opt-in keyword to `sender`: lifts the sender's and its services' opt-outs. */
  optIn(account: Account, recipient: string, sender: string, extraServices: string[] = []): void {
    const key = this.key(account.sid, recipient)
    const e = this.entries.get(key)
    if (!e) return
    e.senders.delete(this.addressKey(sender))
    for (const sid of [...this.servicesOf(account, sender), ...extraServices]) {
      e.services.delete(sid)
      for (const n of account.services.get(sid)?.senders ?? []) e.senders.delete(this.addressKey(n))
    }
    if (e.senders.size === 0 && e.services.size === 0) this.entries.delete(key)
  }

  /** True when a message from `from` (or through `messagingServiceSid`) to `to` must be refused (21610). */
  isBlocked(
    account: Account,
    to: string,
    from: string | undefined,
    messagingServiceSid: string | null,
  ): boolean {
    if (this.entries.size === 0) return false
    const e = this.entries.get(this.key(account.sid, to))
    if (!e) return false
    if (messagingServiceSid && e.services.has(messagingServiceSid)) return true
    if (!from) return false
    const k = this.addressKey(from)
    if (e.senders.has(k)) return true
    for (const sid of e.services)
      if (account.services.get(sid)?.senders.some((n) => this.addressKey(n) === k)) return true
    return false
  }

  /** True when `recipient` opted out of anything on the account. */
  hasOptedOut(accountSid: string, recipient: string): boolean {
    return this.entries.has(this.key(accountSid, recipient))
  }
}
