/**
 * What the parts of the inbound path share about one inbound message while it is handled: the
 * message, who talks to whom, and what has been sent and logged so far.
 */
import { ERROR_TITLES } from '../errors/catalog.js'
import type { MessageResource } from '../schemas/message.js'
import type { SeededRandom } from '../util/random.js'
import type { Account } from './accounts.js'
import type { MessagingBackend } from './backend.js'
import type { ConversationCookies } from './inbound-cookies.js'
import type { OptOutList } from './opt-out.js'
import type { MessageRecord } from './types.js'
import type { WhatsAppWindows } from './whatsapp-window.js'

/** An entry Twilio would log in its debugger while handling the inbound message. */
export interface InboundError {
  /** 11200 (HTTP retrieval failure), 12100/12102 (parse), 12200 (schema warning), 12300 (content type), 14xxx, 21610, … */
  code: number
  level: 'error' | 'warning'
  message: string
  /** The URL whose answer caused it, when there is one. */
  url?: string
}

/** The parts of one double the inbound path works with. */
export interface InboundDeps {
  backend: MessagingBackend
  random: SeededRandom
  optOuts: OptOutList
  windows: WhatsAppWindows
  cookies: ConversationCookies
  /** A message in Twilio's wire shape (given by the double's composition: the domain knows no wire format). */
  render(record: MessageRecord): MessageResource
}

/** One inbound message being handled. */
export interface InboundContext {
  account: Account
  inbound: MessageRecord
  serviceSid: string | null
  /** The user (inbound From) and the receiving number (inbound To), normalized. */
  user: string
  number: string
  channel: 'sms' | 'whatsapp'
  profileName: string
  replies: MessageResource[]
  errors: InboundError[]
}

/** The title of an error code, for debugger entries. */
export function title(code: number): string {
  return ERROR_TITLES[code] ?? `Error ${code}`
}

/** `url` read against `base`, when it is an http(s) URL. */
export function absoluteUrl(url: string, base: string): string | undefined {
  try {
    const u = new URL(url, base)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined
  } catch {
    return undefined
  }
}
