/**
 * Inbound messages: the message resource Twilio creates when a user texts one of the account's
 * numbers, the signed webhook to the app, the app's TwiML answer turned into `outbound-reply`
 * messages, Twilio's default keyword handling (STOP/START/HELP) and WhatsApp's conversation window.
 */
import type { CallbackDelivery } from '../callbacks/outbox.js'
import { ERROR_TITLES } from '../errors/catalog.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { MessageResource } from '../schemas/message.js'
import type { SeededRandom } from '../util/random.js'
import { type Account, accountOfNumber, hasNumber } from './accounts.js'
import { addressKey, type ParsedAddress, parseFrom, parseTo } from './address.js'
import type { MessagingBackend } from './backend.js'
import { KEYWORD_REPLIES, type KeywordAction, keywordOf, OptOutList } from './opt-out.js'
import { contentTypeOf, renderMessage } from './render.js'
import { countSegments } from './segments.js'
import { parseTwiml, type TwimlMessage } from './twiml.js'
import type { MediaRecord, MessageRecord } from './types.js'
import { WhatsAppWindows } from './whatsapp-window.js'

/** What a user sends to one of the account's numbers. */
export interface InboundOptions {
  /** The user's address: E.164 (`+15550001111`) or `whatsapp:+15550001111`. */
  from: string
  /** The account's number that receives the message (E.164, short code or `whatsapp:+…`). */
  to: string
  /** Text of the message (up to 1,600 characters; long bodies arrive reassembled, as on Twilio). */
  body?: string
  /** Media the user attached (up to 10; one on WhatsApp). Only their content type matters to the double. */
  mediaUrls?: string[]
  /** Content types of `mediaUrls`, by position; default: from each URL's extension. */
  mediaContentTypes?: (string | undefined)[]
  /** `'whatsapp'` adds the `whatsapp:` prefix to `from` and `to` where missing. Default: from the prefixes. */
  channel?: 'sms' | 'mms' | 'whatsapp'
  /** WhatsApp profile name of the user (the `ProfileName` parameter). Default `''`. */
  profileName?: string
  /** The receiving account; default: the account owning `to` (else the first account). */
  accountSid?: string
  /** The messaging service of `to`; default: the first service whose sender pool holds `to`. */
  messagingServiceSid?: string
}

/** An entry Twilio would log in its debugger while handling the inbound message. */
export interface InboundError {
  /** 11200 (HTTP retrieval failure), 12100/12102 (parse), 12200 (schema warning), 12300 (content type), 14xxx, 21610, … */
  code: number
  level: 'error' | 'warning'
  message: string
  /** The URL whose answer caused it, when there is one. */
  url?: string
}

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
}

/** Options of the inbound feature. */
export interface InboundFeatureOptions {
  /** Most TwiML documents fetched for one inbound message (webhook, fallback and redirects). Default 50. */
  maxDocuments?: number
}

interface Context {
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

interface ReplySpec {
  to: string
  from: string
  body: string
  media: string[]
  messagingServiceSid: string | null
  statusCallback?: string
  /** GET: the status callbacks go as GET requests (`<Message method="GET">`). */
  statusCallbackMethod?: 'GET'
}

function title(code: number): string {
  return ERROR_TITLES[code] ?? `Error ${code}`
}

function messageTypeOf(contentType: string | undefined): string {
  if (!contentType) return 'text'
  if (contentType.startsWith('image/')) return 'image'
  if (contentType.startsWith('video/')) return 'video'
  if (contentType.startsWith('audio/')) return 'audio'
  return 'document'
}

function absoluteUrl(url: string, base: string): string | undefined {
  try {
    const u = new URL(url, base)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined
  } catch {
    return undefined
  }
}

function normalized(a: ParsedAddress): string {
  return a.channel === 'sms' ? a.address : `${a.channel}:${a.address}`
}

/**
 * The inbound side of one double: receives messages, talks to the app's webhook, keeps the opt-out
 * list and the WhatsApp windows. Installs its create guard and listeners on the backend; its state is
 * cleared when the backend resets.
 *
 * @example
 * const feature = new InboundMessaging(backend, random)
 * const result = await feature.receive({ from: '+15550001111', to: DEFAULT_FROM, body: 'Hello' })
 * result.message.direction // 'inbound'
 */
export class InboundMessaging {
  readonly optOuts = new OptOutList()
  readonly windows = new WhatsAppWindows()
  private readonly maxDocuments: number

  constructor(
    private readonly backend: MessagingBackend,
    private readonly random: SeededRandom,
    options: InboundFeatureOptions = {},
  ) {
    this.maxDocuments = options.maxDocuments ?? 50
    backend.guards.push(this.optOuts.guard)
    this.windows.enforce(backend)
    backend.subscribe((e) => {
      if (e.type !== 'reset') return
      this.optOuts.clear()
      this.windows.clear()
    })
  }

  /** Receives a message from a user: see {@link InboundOptions} and {@link InboundResult}. */
  async receive(options: InboundOptions): Promise<InboundResult> {
    const ctx = this.createInbound(options)
    const keyword = ctx.channel === 'sms' ? this.handleKeyword(ctx) : undefined
    const { delivery, deliveries } = await this.runWebhook(ctx)
    const result: InboundResult = {
      message: renderMessage(ctx.inbound),
      delivery,
      deliveries,
      replies: ctx.replies,
      errors: ctx.errors,
    }
    if (keyword) result.keyword = keyword
    return result
  }

  // ---------------------------------------------------------------- the inbound message

  private createInbound(options: InboundOptions): Context {
    if (!options || typeof options.from !== 'string' || typeof options.to !== 'string')
      throw new TwilioDoubleError(
        "inbound({ from, to, body }): 'from' (the user's number) and 'to' (your Twilio number) are required strings",
      )
    const hasPrefix = (v: string) => /^whatsapp:/i.test(v.trim())
    const whatsapp = options.channel === 'whatsapp' || hasPrefix(options.from) || hasPrefix(options.to)
    if (options.channel !== undefined && !['sms', 'mms', 'whatsapp'].includes(options.channel))
      throw new TwilioDoubleError(
        `inbound(): channel must be 'sms', 'mms' or 'whatsapp' (got '${options.channel}')`,
      )
    const prefix = (v: string) => (whatsapp && !hasPrefix(v) ? `whatsapp:${v.trim()}` : v.trim())
    const fromParsed = parseTo(prefix(options.from))
    if (!fromParsed || (fromParsed.channel !== 'sms' && fromParsed.channel !== 'whatsapp'))
      throw new TwilioDoubleError(
        `inbound(): from '${options.from}' is not a phone number: use E.164 such as +15550001111 (or whatsapp:+15550001111)`,
      )
    const toParsed = parseFrom(prefix(options.to))
    if (!toParsed || toParsed.kind === 'alphanumeric' || toParsed.channel !== fromParsed.channel)
      throw new TwilioDoubleError(
        `inbound(): to '${options.to}' is not a number of yours on the ${fromParsed.channel} channel: use your Twilio number, e.g. DEFAULT_FROM`,
      )
    const channel = fromParsed.channel
    const user = normalized(fromParsed)
    const number = normalized(toParsed)
    const account = this.accountFor(number, options.accountSid)

    let serviceSid: string | null = null
    if (options.messagingServiceSid !== undefined) {
      if (!account.services.has(options.messagingServiceSid))
        throw new TwilioDoubleError(
          `inbound(): messaging service ${options.messagingServiceSid} is not a service of account ${account.sid}: add it to accounts[].messagingServices or omit messagingServiceSid`,
        )
      serviceSid = options.messagingServiceSid
    } else {
      serviceSid = this.optOuts.servicesOf(account, number)[0] ?? null
    }

    const body = options.body ?? ''
    if (typeof body !== 'string') throw new TwilioDoubleError('inbound(): body must be a string')
    if ([...body].length > 1600)
      throw new TwilioDoubleError(
        'inbound(): body is longer than 1,600 characters, more than one message Twilio delivers; split it into several inbound() calls',
      )
    const mediaUrls = options.mediaUrls ?? []
    if (mediaUrls.length > 10)
      throw new TwilioDoubleError('inbound(): at most 10 media items arrive with one message')
    if (channel === 'whatsapp' && mediaUrls.length > 1)
      throw new TwilioDoubleError(
        'inbound(): a WhatsApp message carries one media item; call inbound() once per item',
      )

    const now = this.backend.scheduler.now()
    const sid = this.random.sid(mediaUrls.length > 0 ? 'MM' : 'SM')
    const media: MediaRecord[] = mediaUrls.map((url, i) => {
      const mediaSid = this.random.sid('ME')
      return {
        sid: mediaSid,
        url: `https://api.twilio.com/2010-04-01/Accounts/${account.sid}/Messages/${sid}/Media/${mediaSid}`,
        contentType: options.mediaContentTypes?.[i] ?? contentTypeOf(url),
        dateCreated: now,
      }
    })
    const numSegments = channel === 'whatsapp' || media.length > 0 ? 1 : countSegments(body).segments
    const record: Omit<MessageRecord, 'seq'> = {
      sid,
      accountSid: account.sid,
      to: number,
      from: user,
      body,
      numSegments,
      numMedia: media.length,
      direction: 'inbound',
      status: 'received',
      messagingServiceSid: serviceSid,
      channel,
      dateCreated: now,
      dateUpdated: now,
      dateSent: now,
      price: null,
      priceUnit: 'USD',
      errorCode: null,
      errorMessage: null,
      sortKey: now,
      history:
        numSegments > 1
          ? [
              { status: 'receiving', at: now },
              { status: 'received', at: now },
            ]
          : [{ status: 'received', at: now }],
    }
    if (media.length > 0) record.media = media
    const inbound = this.backend.addRecord(record)
    if (channel === 'whatsapp') this.windows.touch(account.sid, number, user, now)
    return {
      account,
      inbound,
      serviceSid,
      user,
      number,
      channel,
      profileName: options.profileName ?? '',
      replies: [],
      errors: [],
    }
  }

  private accountFor(number: string, accountSid: string | undefined): Account {
    const accounts = this.backend.accounts
    const key = addressKey(number)
    if (accountSid !== undefined) {
      const a = accounts.get(accountSid)
      if (!a)
        throw new TwilioDoubleError(
          `inbound(): no account ${accountSid}: use one of ${[...accounts.keys()].join(', ')}`,
        )
      if (a.ownedNumbers && !hasNumber(a, key))
        throw new TwilioDoubleError(
          `inbound(): ${number} is not a number of account ${a.sid}: add it to accounts[].phoneNumbers`,
        )
      return a
    }
    const found = accountOfNumber(accounts, key)
    if (!found)
      throw new TwilioDoubleError(
        `inbound(): no account owns ${number}: add it to accounts[].phoneNumbers (with its smsUrl)`,
      )
    return found
  }

  // ---------------------------------------------------------------- keywords

  /** Twilio's default handling of STOP/START/HELP on long codes, toll-free numbers and services. */
  private handleKeyword(ctx: Context): KeywordAction | undefined {
    const action = keywordOf(ctx.inbound.body)
    if (!action) return undefined
    // Standalone short codes get no default keyword handling.
    if (/^\d{5,6}$/.test(ctx.number) && !ctx.serviceSid) return undefined
    const extra = ctx.serviceSid ? [ctx.serviceSid] : []
    if (action === 'opt-out') this.optOuts.optOut(ctx.account, ctx.user, ctx.number, extra)
    else if (action === 'opt-in') this.optOuts.optIn(ctx.account, ctx.user, ctx.number, extra)
    else if (this.optOuts.isBlocked(ctx.account, ctx.user, ctx.number, ctx.serviceSid)) return action
    this.sendReply(ctx, {
      to: ctx.user,
      from: ctx.number,
      body: KEYWORD_REPLIES[action],
      media: [],
      messagingServiceSid: ctx.serviceSid,
    })
    return action
  }

  // ---------------------------------------------------------------- webhook and TwiML

  private webhookParams(ctx: Context): Record<string, string> {
    const r = ctx.inbound
    const p: Record<string, string> = {}
    if (ctx.channel === 'whatsapp') {
      p.ProfileName = ctx.profileName
      p.WaId = ctx.user.replace(/^whatsapp:\+?/, '')
      p.MessageType = messageTypeOf(r.media?.[0]?.contentType)
    }
    const from = parseFrom(r.from ?? '')
    const to = parseFrom(r.to)
    const geo = ctx.channel === 'sms'
    if (geo && to?.country) {
      p.ToCountry = to.country
      p.ToState = ''
      p.ToCity = ''
      p.ToZip = ''
    }
    p.SmsMessageSid = r.sid
    p.NumMedia = String(r.numMedia)
    p.SmsSid = r.sid
    if (geo && from?.country) {
      p.FromCountry = from.country
      p.FromState = ''
      p.FromCity = ''
      p.FromZip = ''
    }
    p.SmsStatus = 'received'
    p.Body = r.body
    p.To = r.to
    if (r.messagingServiceSid) p.MessagingServiceSid = r.messagingServiceSid
    p.NumSegments = String(r.numSegments)
    p.ReferralNumMedia = '0'
    p.MessageSid = r.sid
    p.AccountSid = r.accountSid
    p.From = r.from ?? ''
    p.ApiVersion = '2010-04-01'
    for (const [i, m] of (r.media ?? []).entries()) {
      p[`MediaContentType${i}`] = m.contentType
      p[`MediaUrl${i}`] = m.url
    }
    return p
  }

  private async runWebhook(
    ctx: Context,
  ): Promise<{ delivery: CallbackDelivery | undefined; deliveries: CallbackDelivery[] }> {
    const service = ctx.serviceSid ? ctx.account.services.get(ctx.serviceSid) : undefined
    const key = addressKey(ctx.number)
    const numberConfig = ctx.account.webhooks.get(key) ?? ctx.account.ownedNumbers?.get(key)
    const as = (m: string | undefined): 'GET' | 'POST' => (m === 'GET' ? 'GET' : 'POST')
    let url: string | undefined
    let method: 'GET' | 'POST' = 'POST'
    let fallback: { url: string; method: 'GET' | 'POST' } | undefined
    if (service?.inboundRequestUrl) {
      url = service.inboundRequestUrl
      method = as(service.inboundMethod)
      if (service.fallbackUrl) fallback = { url: service.fallbackUrl, method: as(service.fallbackMethod) }
    } else if (numberConfig?.smsUrl) {
      url = numberConfig.smsUrl
      method = as(numberConfig.smsMethod)
      if (numberConfig.smsFallbackUrl)
        fallback = { url: numberConfig.smsFallbackUrl, method: as(numberConfig.smsFallbackMethod) }
    }
    const deliveries: CallbackDelivery[] = []
    if (!url) return { delivery: undefined, deliveries }

    const baseParams = this.webhookParams(ctx)
    let params = baseParams
    let executed: CallbackDelivery | undefined
    let current: { url: string; method: 'GET' | 'POST' } = { url, method }
    let fallbackUsed = false
    const fail = (code: number, message: string, at?: string) =>
      ctx.errors.push({ code, level: 'error', message, ...(at ? { url: at } : {}) })

    for (;;) {
      if (deliveries.length >= this.maxDocuments) {
        fail(14106, `${title(14106)}: more than ${this.maxDocuments} documents for one message`, current.url)
        break
      }
      const d = await this.backend.outbox.send({
        kind: 'inbound',
        messageSid: ctx.inbound.sid,
        accountSid: ctx.account.sid,
        status: 'received',
        url: current.url,
        method: current.method,
        params,
        authToken: ctx.account.authToken,
        at: this.backend.scheduler.now(),
      })
      // undefined: the double was reset while the request was in flight
      if (!d) break
      deliveries.push(d)
      executed = d
      let errorCode: number | undefined
      let verbs: ReturnType<typeof parseTwiml>['verbs'] = []
      if (d.error !== undefined || d.responseStatus === undefined || d.responseStatus >= 400) {
        errorCode = 11200
        fail(11200, `${title(11200)}: ${d.error ?? `the app answered HTTP ${d.responseStatus}`}`, current.url)
      } else {
        const parsed = parseTwiml(d.responseBody ?? '', d.responseContentType)
        for (const issue of parsed.issues) ctx.errors.push({ ...issue, url: current.url })
        if (parsed.fatal) errorCode = parsed.issues.find((i) => i.level === 'error')?.code
        verbs = parsed.verbs
      }
      if (errorCode !== undefined) {
        if (!fallbackUsed && fallback && deliveries.length === 1) {
          fallbackUsed = true
          params = { ...baseParams, ErrorCode: String(errorCode), ErrorUrl: current.url }
          current = fallback
          continue
        }
        break
      }
      let next: { url: string; method: 'GET' | 'POST' } | undefined
      for (const verb of verbs) {
        if (verb.verb === 'Message') {
          this.replyFromTwiml(ctx, verb, current.url)
          continue
        }
        const target = absoluteUrl(verb.url, current.url)
        if (!target) {
          fail(11100, `${title(11100)}: <Redirect> URL '${verb.url}'`, current.url)
          break
        }
        next = { url: target, method: verb.method }
        break
      }
      if (!next) break
      current = next
    }
    return { delivery: executed, deliveries }
  }

  /** Turns a TwiML `<Message>` into an `outbound-reply` message, or logs why Twilio would not send it. */
  private replyFromTwiml(ctx: Context, verb: TwimlMessage, documentUrl: string): void {
    const warn = (code: number, detail: string): void => {
      ctx.errors.push({ code, level: 'warning', message: `${title(code)}: ${detail}`, url: documentUrl })
    }
    const toRaw = verb.to || ctx.user
    const fromRaw = verb.from || ctx.number
    const to = parseTo(toRaw)
    const from = parseFrom(fromRaw)
    const owned = !ctx.account.ownedNumbers || ctx.account.ownedNumbers.has(addressKey(fromRaw))
    if (!to) warn(14101, `'${toRaw}' is not a number a message can be sent to`)
    else if (!from || !owned) warn(14102, `'${fromRaw}' is not a number of account ${ctx.account.sid}`)
    else if (verb.body === '' && verb.media.length === 0)
      warn(14103, 'the <Message> has no body and no media')
    else if ([...verb.body].length > 1600) warn(14103, 'the body is longer than 1,600 characters')
    else {
      const spec: ReplySpec = {
        to: normalized(to),
        from: normalized(from),
        body: verb.body,
        media: verb.media,
        messagingServiceSid: addressKey(fromRaw) === addressKey(ctx.number) ? ctx.serviceSid : null,
      }
      if (verb.action) {
        const statusCallback = absoluteUrl(verb.action, documentUrl)
        if (statusCallback) {
          spec.statusCallback = statusCallback
          if (verb.method === 'GET') spec.statusCallbackMethod = 'GET'
        } else warn(14105, `'${verb.action}' is not a URL`)
      }
      this.sendReply(ctx, spec, true)
    }
  }

  /**
   * Creates an `outbound-reply` message and starts its lifecycle. With `checkOptOut`, a reply to a
   * recipient who opted out is recorded as failed with 21610 and never sent.
   */
  private sendReply(ctx: Context, spec: ReplySpec, checkOptOut = false): void {
    const now = this.backend.scheduler.now()
    const to = parseTo(spec.to)
    const channel = to?.channel ?? ctx.channel
    const media = (channel === 'whatsapp' ? spec.media.slice(0, 1) : spec.media.slice(0, 10)).map(
      (url): MediaRecord => ({
        sid: this.random.sid('ME'),
        url,
        contentType: contentTypeOf(url),
        dateCreated: now,
      }),
    )
    const blocked =
      checkOptOut &&
      channel === 'sms' &&
      this.optOuts.isBlocked(ctx.account, spec.to, spec.from, spec.messagingServiceSid)
    const record: Omit<MessageRecord, 'seq'> = {
      sid: this.random.sid(media.length > 0 ? 'MM' : 'SM'),
      accountSid: ctx.account.sid,
      to: spec.to,
      from: spec.from,
      body: spec.body,
      numSegments: countSegments(spec.body).segments,
      numMedia: media.length,
      direction: 'outbound-reply',
      status: blocked ? 'failed' : 'queued',
      messagingServiceSid: spec.messagingServiceSid,
      channel,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
      price: null,
      priceUnit: 'USD',
      errorCode: blocked ? 21610 : null,
      errorMessage: blocked ? title(21610) : null,
      sortKey: now,
      history: blocked ? [{ status: 'failed', at: now, errorCode: 21610 }] : [{ status: 'queued', at: now }],
    }
    if (media.length > 0) record.media = media
    if (spec.statusCallback)
      record.extra = spec.statusCallbackMethod
        ? { statusCallback: spec.statusCallback, statusCallbackMethod: spec.statusCallbackMethod }
        : { statusCallback: spec.statusCallback }
    const added = this.backend.addRecord(record)
    ctx.replies.push(renderMessage(added))
    if (blocked) {
      ctx.errors.push({ code: 21610, level: 'error', message: `${title(21610)}: ${spec.to}` })
      return
    }
    this.backend.startLifecycle(added)
  }
}
