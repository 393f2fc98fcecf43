/**
 * Inbound messages: the message resource Twilio creates when a user texts one of the account's
 * numbers, the signed webhook to the app, the app's TwiML answer turned into `outbound-reply`
 * messages, Twilio's default keyword handling (STOP/START/HELP) and WhatsApp's conversation window.
 * The steps live beside this file: inbound-receive (the message), inbound-keywords, inbound-webhook
 * (the app's answer) and inbound-replies.
 */
import type { CallbackDelivery } from '../callbacks/outbox.js'
import type { MessageResource } from '../schemas/message.js'
import type { SeededRandom } from '../util/random.js'
import type { MessagingBackend } from './backend.js'
import type { InboundDeps, InboundError } from './inbound-context.js'
import { ConversationCookies } from './inbound-cookies.js'
import { handleKeyword } from './inbound-keywords.js'
import { createInbound, type InboundOptions } from './inbound-receive.js'
import { runWebhook } from './inbound-webhook.js'
import type { KeywordAction, OptOutList } from './opt-out.js'
import type { MessageRecord } from './types.js'
import type { WhatsAppWindows } from './whatsapp-window.js'

export type { InboundError } from './inbound-context.js'
export type { InboundOptions } from './inbound-receive.js'

/** What happened to an inbound message. */
export interface InboundResult {
  /** The inbound message, in wire shape (`direction: 'inbound'`, status `received`). */
  message: MessageResource
  /**
   * The request whose answer was run: the primary webhook, the fallback when the primary failed, or the
   * last `<Redirect>`. Undefined when neither the number nor its messaging service has a URL.
   */
  delivery: CallbackDelivery | undefined
  /** Every request made for this message (webhook, fallback, redirects), in order. */
  deliveries: CallbackDelivery[]
  /**
   * Messages sent in reply, in wire shape as created: Twilio's keyword auto-reply first, then one per
   * TwiML `<Message>`. They live their lifecycle: read their status later with `double.messages.get(sid)`.
   */
  replies: MessageResource[]
  /** Errors and warnings Twilio would log; an app's failure never throws into the test. */
  errors: InboundError[]
  /** The keyword Twilio's default opt-out handling recognised in the body, if any. */
  keyword?: KeywordAction
  /**
   * The confirmation the carrier's network sent the user instead of Twilio's auto-reply: STOP, START and
   * UNSTOP to a US or Canadian toll-free number (`NETWORK MSG: …`). It is not a message of your account,
   * so it is in neither `replies` nor `double.messages`.
   */
  networkMessage?: string
}

/** Options of the inbound feature. */
export interface InboundFeatureOptions {
  /** Renders a message in Twilio's wire shape, for {@link InboundResult} (the double gives its HTTP layer's). */
  render: (record: MessageRecord) => MessageResource
  /** Most TwiML documents fetched for one inbound message (webhook, fallback and redirects). Default 50. */
  maxDocuments?: number
}

/**
 * The inbound side of one double: receives messages, talks to the app's webhook, keeps the opt-out
 * list and the WhatsApp windows (both the backend's: a create reads them among its rules, and a reset makes
 * them again) and the cookies of conversations (its own, forgotten on reset).
 *
 * @example
 * const feature = new InboundMessaging(backend, random, { render: renderMessage })
 * const result = await feature.receive({ from: '+15550001111', to: DEFAULT_FROM, body: 'Hello' })
 * result.message.direction // 'inbound'
 */
export class InboundMessaging implements InboundDeps {
  readonly cookies = new ConversationCookies()
  readonly render: (record: MessageRecord) => MessageResource
  private readonly maxDocuments: number

  constructor(
    readonly backend: MessagingBackend,
    readonly random: SeededRandom,
    options: InboundFeatureOptions,
  ) {
    this.render = options.render
    this.maxDocuments = options.maxDocuments ?? 50
    // the cookies of conversations are the inbound side's own: a reset forgets them
    backend.subscribe((e) => {
      if (e.type === 'reset') this.cookies.clear()
    })
  }

  get optOuts(): OptOutList {
    return this.backend.optOuts
  }

  get windows(): WhatsAppWindows {
    return this.backend.windows
  }

  /** Receives a message from a user: see {@link InboundOptions} and {@link InboundResult}. */
  async receive(options: InboundOptions): Promise<InboundResult> {
    const ctx = createInbound(this, options)
    const keyword = ctx.channel === 'sms' ? handleKeyword(this, ctx) : undefined
    const { delivery, deliveries } = await runWebhook(this, ctx, this.maxDocuments)
    const result: InboundResult = {
      message: this.render(ctx.inbound),
      delivery,
      deliveries,
      replies: ctx.replies,
      errors: ctx.errors,
    }
    if (keyword) result.keyword = keyword.action
    if (keyword?.networkMessage !== undefined) result.networkMessage = keyword.networkMessage
    return result
  }
}
