/**
 * Replies to an inbound message: a TwiML `<Message>` checked as Twilio checks it, and the
 * `outbound-reply` message it becomes (refused with 21610 when the recipient opted out).
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { addressKey, normalized, parseFrom, parseTo } from './address.js'
import { absoluteUrl, type InboundContext, type InboundDeps, title } from './inbound-context.js'
import { contentTypeOf } from './media.js'
import { countSegments } from './segments.js'
import type { TwimlMessage } from './twiml.js'
import type { MediaRecord, MessageRecord } from './types.js'

/** A reply to send. */
export interface ReplySpec {
  to: string
  from: string
  body: string
  media: string[]
  messagingServiceSid: string | null
  statusCallback?: string
  /** GET: the status callbacks go as GET requests (`<Message method="GET">`). */
  statusCallbackMethod?: 'GET'
}

/**
 * A `<Message to/from>` number written without `+` (`(415) 555-1212`, `4155551212`), read as Twilio reads
 * it: in the country of `reference` (the From number), so `+14155551212` for a US From. E.164 numbers,
 * short codes, sender IDs and values that are no phone number are returned unchanged.
 *
 * @example
 * inCountryOf('(415) 555-1212', '+15005550006') // '+14155551212'
 * inCountryOf('020 7183 8750', '+447400123456') // '+442071838750'
 */
export function inCountryOf(value: string, reference: string): string {
  const colon = value.indexOf(':')
  const prefix = colon >= 0 ? value.slice(0, colon + 1) : ''
  const rest = value.slice(prefix.length).trim()
  if (rest.startsWith('+') || !/^[\d\s().-]+$/.test(rest) || /^\d{5,6}$/.test(rest)) return value
  const country = parseFrom(reference)?.country
  if (!country) return value
  const parsed = parsePhoneNumberFromString(rest, country as CountryCode)
  return parsed ? `${prefix}${parsed.number}` : value
}

/** Turns a TwiML `<Message>` into an `outbound-reply` message, or logs why Twilio would not send it. */
export function replyFromTwiml(
  deps: InboundDeps,
  ctx: InboundContext,
  verb: TwimlMessage,
  documentUrl: string,
): void {
  const warn = (code: number, detail: string): void => {
    ctx.errors.push({ code, level: 'warning', message: `${title(code)}: ${detail}`, url: documentUrl })
  }
  // numbers without + are read in the country of the reply's From (the receiving number by default)
  const fromRaw = verb.from ? inCountryOf(verb.from, ctx.number) : ctx.number
  const toRaw = verb.to ? inCountryOf(verb.to, fromRaw) : ctx.user
  const to = parseTo(toRaw)
  const from = parseFrom(fromRaw)
  const owned = !ctx.account.ownedNumbers || ctx.account.ownedNumbers.has(addressKey(fromRaw))
  if (!to) warn(14101, `'${verb.to}' is not a number a message can be sent to`)
  else if (!from || !owned)
    warn(14102, `'${verb.from ?? fromRaw}' is not a number of account ${ctx.account.sid}`)
  else if (verb.body === '' && verb.media.length === 0) warn(14103, 'the <Message> has no body and no media')
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
    sendReply(deps, ctx, spec, true)
  }
}

/**
 * Creates an `outbound-reply` message and starts its lifecycle. With `checkOptOut`, a reply to a
 * recipient who opted out is recorded as failed with 21610 and never sent.
 */
export function sendReply(
  deps: InboundDeps,
  ctx: InboundContext,
  spec: ReplySpec,
  checkOptOut = false,
): void {
  const now = deps.backend.scheduler.now()
  const to = parseTo(spec.to)
  const channel = to?.channel ?? ctx.channel
  const media = (channel === 'whatsapp' ? spec.media.slice(0, 1) : spec.media.slice(0, 10)).map(
    (url): MediaRecord => ({
      sid: deps.random.sid('ME'),
      url,
      contentType: contentTypeOf(url),
      dateCreated: now,
    }),
  )
  const blocked =
    checkOptOut &&
    channel === 'sms' &&
    deps.optOuts.isBlocked(ctx.account, spec.to, spec.from, spec.messagingServiceSid)
  const record: Omit<MessageRecord, 'seq'> = {
    sid: deps.random.sid(media.length > 0 ? 'MM' : 'SM'),
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
  const added = deps.backend.addRecord(record)
  ctx.replies.push(deps.render(added))
  if (blocked) {
    ctx.errors.push({ code: 21610, level: 'error', message: `${title(21610)}: ${spec.to}` })
    return
  }
  deps.backend.startLifecycle(added)
}
