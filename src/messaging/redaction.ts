/**
 * Message Redaction asked for by a create: `ContentRetention=discard` and `AddressRetention=obfuscate`. As Twilio's
 * Message Redaction guide describes it, once Twilio sends an outbound message its body is no longer available
 * through the API, and the last four digits of the number that is not Twilio's (the recipient's) read `XXXX`.
 * The create call itself answers the message as sent in; fetches, lists and status callbacks after it is sent
 * (or has failed, or was canceled) see it redacted.
 */
import type { MessageStatus } from '../schemas/common.js'
import type { MessageStore } from './message-store.js'
import type { MessageRecord } from './types.js'

/** The statuses from which a message's redaction holds: it has been sent, or never will be. */
export const REDACTED_FROM: ReadonlySet<MessageStatus> = new Set<MessageStatus>([
  'sent',
  'failed',
  'canceled',
])

/**
 * A phone number with its last four digits replaced by `XXXX`, its channel prefix kept; any other address
 * (a Messenger ID, an alphanumeric sender) as it is.
 *
 * @example
 * obfuscateNumber('+15550001111') // '+1555000XXXX'
 * obfuscateNumber('whatsapp:+15550001111') // 'whatsapp:+1555000XXXX'
 */
export function obfuscateNumber(address: string): string {
  const number = address.slice(address.indexOf(':') + 1)
  if (!/^\+\d{5,}$/.test(number)) return address
  return `${address.slice(0, address.length - 4)}XXXX`
}

/** Applies the redaction a message was created with (once: its request is then spent). */
export function redact(r: MessageRecord, store: MessageStore): void {
  const extra = r.extra
  if (!extra) return
  if (extra.contentRetention === 'discard') {
    r.body = ''
    delete extra.contentRetention
  }
  if (extra.addressRetention === 'obfuscate') {
    store.setTo(r, obfuscateNumber(r.to))
    delete extra.addressRetention
  }
}
