/**
 * The inbound message itself: checks what the test says a user sent, finds the receiving account and
 * messaging service, and stores the message Twilio creates (`direction: 'inbound'`, status `received`).
 */
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { isWebUrl } from '../util/web-url.js'
import { type Account, accountOfNumber, hasNumber } from './accounts.js'
import { addressKey, normalized, parseFrom, parseTo } from './address.js'
import type { InboundContext, InboundDeps } from './inbound-context.js'
import { contentTypeOf } from './media.js'
import { countSegments } from './segments.js'
import type { MediaRecord, MessageRecord } from './types.js'

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

/** The options of {@link InboundOptions}, in the order a refusal lists them. */
const INBOUND_OPTIONS = [
  'from',
  'to',
  'body',
  'mediaUrls',
  'mediaContentTypes',
  'channel',
  'profileName',
  'accountSid',
  'messagingServiceSid',
]

/**
 * Stores the inbound message described by `options` and opens the WhatsApp window it starts; refuses
 * options a user could not have sent with a {@link TwilioDoubleError} naming the fix.
 */
export function createInbound(deps: InboundDeps, options: InboundOptions): InboundContext {
  if (!options || typeof options.from !== 'string' || typeof options.to !== 'string')
    throw new TwilioDoubleError(
      "inbound({ from, to, body }): 'from' (the user's number) and 'to' (your Twilio number) are required strings",
    )
  const unknown = Object.keys(options).filter((k) => !INBOUND_OPTIONS.includes(k))
  if (unknown.length > 0)
    throw new TwilioDoubleError(
      `inbound(): unknown option(s) ${unknown.join(', ')}; an inbound message has ${INBOUND_OPTIONS.join(', ')}`,
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
  const account = accountFor(deps, number, options.accountSid)

  let serviceSid: string | null = null
  if (options.messagingServiceSid !== undefined) {
    if (!account.services.has(options.messagingServiceSid))
      throw new TwilioDoubleError(
        `inbound(): messaging service ${options.messagingServiceSid} is not a service of account ${account.sid}: add it to accounts[].messagingServices or omit messagingServiceSid`,
      )
    serviceSid = options.messagingServiceSid
  } else {
    serviceSid = deps.optOuts.servicesOf(account, number)[0] ?? null
  }

  const body = options.body ?? ''
  if (typeof body !== 'string') throw new TwilioDoubleError('inbound(): body must be a string')
  if ([...body].length > 1600)
    throw new TwilioDoubleError(
      'inbound(): body is longer than 1,600 characters, more than one message Twilio delivers; split it into several inbound() calls',
    )
  const mediaUrls = options.mediaUrls ?? []
  if (!Array.isArray(mediaUrls) || !mediaUrls.every((url) => typeof url === 'string'))
    throw new TwilioDoubleError(
      "inbound(): mediaUrls must be a list of URLs, e.g. ['https://example.com/cat.png']",
    )
  const notUrl = mediaUrls.findIndex((url) => !isWebUrl(url))
  if (notUrl !== -1)
    throw new TwilioDoubleError(
      `inbound(): mediaUrls[${notUrl}] '${mediaUrls[notUrl]}' is not an http(s) URL: give the media's URL, e.g. 'https://example.com/cat.png'`,
    )
  if (mediaUrls.length > 10)
    throw new TwilioDoubleError('inbound(): at most 10 media items arrive with one message')
  if (channel === 'whatsapp' && mediaUrls.length > 1)
    throw new TwilioDoubleError(
      'inbound(): a WhatsApp message carries one media item; call inbound() once per item',
    )

  const now = deps.backend.scheduler.now()
  const sid = deps.random.sid(mediaUrls.length > 0 ? 'MM' : 'SM')
  const media: MediaRecord[] = mediaUrls.map((url, i) => {
    const mediaSid = deps.random.sid('ME')
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
  const inbound = deps.backend.addRecord(record)
  if (channel === 'whatsapp') deps.windows.touch(account.sid, number, user, now)
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

function accountFor(deps: InboundDeps, number: string, accountSid: string | undefined): Account {
  const accounts = deps.backend.accounts
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
