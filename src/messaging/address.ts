/**
 * Parsing of the `To` and `From` addresses of Twilio's Create Message call.
 *
 * Phone numbers are checked with libphonenumber-js (full metadata, for number types). The
 * fictional/test ranges that test suites use all the time (`+1 555 xxx xxxx`, `+1 NXX 555 01XX`,
 * Twilio's magic `+1500555xxxx`, the UK's mobiles for drama `+44 7700 900xxx`) are accepted in the default,
 * lenient mode, with their country.
 */
import { type NumberType, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { Channel } from '../schemas/common.js'
import { memoize } from '../util/memo.js'

export type { Channel }

export interface ParsedAddress {
  /** The value as given. */
  raw: string
  /** From the prefix: `whatsapp:`, `messenger:`, `rcs:`; none → `sms`. */
  channel: Channel
  kind: 'phone' | 'short-code' | 'alphanumeric' | 'channel-id'
  /** Without the channel prefix; E.164 for phones. */
  address: string
  e164?: string
  /** ISO 3166 alpha-2 when known (`US` for the fictional +1 ranges too, `GB` for the UK's drama mobiles). */
  country?: string
  numberType?: 'mobile' | 'landline' | 'fixed-or-mobile' | 'voip' | 'toll-free' | 'unknown'
  /** True for `+1 555 xxx xxxx`, `+1 NXX 555 01XX`, Twilio's test numbers `+1500555xxxx` and `+44 7700 900xxx`. */
  fictional: boolean
  /** A From written as a US national number (`(500) 555-0006`), read as its `+1` E.164 form. */
  national?: boolean
}

export interface AddressOptions {
  /** Require libphonenumber's `isValid` and reject fictional numbers (except Twilio's `+1500555xxxx`). */
  strict?: boolean
  /** The phone facts one double remembers (see {@link AddressCache}); without it, each call parses. */
  cache?: AddressCache
}

type NumberKind = NonNullable<ParsedAddress['numberType']>

interface PhoneInfo {
  e164: string
  country: string | undefined
  numberType: NumberKind
  possible: boolean
  valid: boolean
  fictional: boolean
  twilioTest: boolean
}

const FORMATTING = /[\s().-]/g
const SHORT_CODE = /^\d{5,6}$/
const ALPHANUMERIC = /^[A-Za-z0-9 ]{1,11}$/
const HAS_LETTER = /[A-Za-z]/
const MESSENGER_ID = /^\d{1,32}$/
/** Digits and the separators a national number is written with: `(500) 555-0006`, `500.555.0006`. */
const NATIONAL_CHARS = /^[\d\s().-]+$/

/**
 * Pre-check only: `+`, a digit 1-9 and 6 to 14 more digits (E.164 allows 15 digits; Niue/Tokelau numbers are 7
 * digits long), checked without a regular expression.
 */
function isE164Shape(s: string): boolean {
  if (s.length < 8 || s.length > 16 || s.charCodeAt(0) !== 43) return false
  const lead = s.charCodeAt(1)
  if (lead < 49 || lead > 57) return false
  for (let i = 2; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** `text` without formatting characters (most numbers are written without any already). */
function withoutFormatting(text: string): string {
  return isE164Shape(text) ? text : text.replace(FORMATTING, '')
}

/** `text` without formatting characters, when that is E.164-shaped. */
function e164Candidate(text: string): string | undefined {
  const candidate = withoutFormatting(text)
  return isE164Shape(candidate) ? candidate : undefined
}

const TYPES: Partial<Record<NonNullable<NumberType>, NumberKind>> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'landline',
  FIXED_LINE_OR_MOBILE: 'fixed-or-mobile',
  VOIP: 'voip',
  TOLL_FREE: 'toll-free',
}

const MEMO_LIMIT = 10_000

/**
 * The phone facts and address keys one double remembers for its recent numbers (libphonenumber-js's parse with
 * full metadata costs about 200 µs a number, several times per create; bench/micro/phone.ts measures a create
 * about 2.8x faster with it when a test reuses its numbers).
 *
 * @example
 * const cache = new AddressCache()
 * parseTo('+15558675310', { cache }) // parsed once; the next call with the same number is remembered
 */
export class AddressCache {
  /** E.164-shaped string → phone facts (null when libphonenumber cannot parse it). */
  readonly phoneInfo = memoize(computePhoneInfo, MEMO_LIMIT)
  /** Any value → its address key. */
  readonly addressKey = memoize((value: string) => computeAddressKey(value, this.phoneInfo), MEMO_LIMIT)
}

function computePhoneInfo(candidate: string): PhoneInfo | null {
  const digits = candidate.slice(1)
  const nanp = digits.length === 11 && digits[0] === '1'
  const national = nanp ? digits.slice(1) : ''
  const twilioTest = nanp && national.startsWith('500555')
  // Ofcom's UK mobile numbers for drama, 07700 900000 to 900999
  const ukDrama = digits.length === 12 && digits.startsWith('447700900')
  const fictional =
    ukDrama ||
    (nanp &&
      (twilioTest ||
        national.startsWith('555') ||
        (national.slice(3, 6) === '555' && national.slice(6, 8) === '01')))
  const fictionalCountry = ukDrama ? 'GB' : 'US'

  const parsed = parsePhoneNumberFromString(candidate)
  if (!parsed) {
    if (!fictional) return null
    return {
      e164: candidate,
      country: 'US',
      numberType: 'unknown',
      possible: true,
      valid: false,
      fictional,
      twilioTest,
    }
  }
  const valid = parsed.isValid()
  let country: string | undefined = parsed.country
  if (!country) {
    const possible = parsed.getPossibleCountries()
    country = possible.length === 1 ? possible[0] : fictional ? fictionalCountry : undefined
  }
  const type = valid ? parsed.getType() : undefined
  return {
    e164: parsed.number,
    country,
    numberType: (type && TYPES[type]) ?? 'unknown',
    possible: parsed.isPossible(),
    valid,
    fictional,
    twilioTest,
  }
}

function splitChannel(value: string): { channel: Channel; rest: string } | undefined {
  const colon = value.indexOf(':')
  if (colon < 0) return { channel: 'sms', rest: value }
  const prefix = value.slice(0, colon).toLowerCase()
  const rest = value.slice(colon + 1)
  if (prefix === 'whatsapp' || prefix === 'messenger' || prefix === 'rcs') return { channel: prefix, rest }
  return undefined
}

function parsePhone(
  raw: string,
  channel: Channel,
  text: string,
  options: AddressOptions | undefined,
): ParsedAddress | undefined {
  if (text[0] !== '+') return undefined
  const candidate = e164Candidate(text)
  if (candidate === undefined) return undefined
  const info = options?.cache ? options.cache.phoneInfo(candidate) : computePhoneInfo(candidate)
  if (!info) return undefined
  if (options?.strict) {
    if (!info.twilioTest && (!info.valid || info.fictional)) return undefined
  } else if (!info.possible && !info.fictional) {
    return undefined
  }
  const result: ParsedAddress = {
    raw,
    channel,
    kind: 'phone',
    address: info.e164,
    e164: info.e164,
    numberType: info.numberType,
    fictional: info.fictional,
  }
  if (info.country) result.country = info.country
  return result
}

function parseChannelId(raw: string, rest: string): ParsedAddress | undefined {
  if (!MESSENGER_ID.test(rest)) return undefined
  return { raw, channel: 'messenger', kind: 'channel-id', address: rest, fictional: false }
}

/**
 * Parses a `To` address: an E.164 phone number (formatting characters `space - . ( )` are stripped)
 * or a channel address (`whatsapp:+E164`, `rcs:+E164`, `messenger:<digits>`). Short codes and
 * alphanumeric sender IDs are not valid recipients.
 *
 * Lenient (default): any possible E.164 number per libphonenumber, plus the fictional ranges.
 * Strict: libphonenumber's `isValid` is required and fictional numbers are rejected, except Twilio's
 * test numbers `+1500555xxxx`.
 *
 * @returns `undefined` when the value is not a phone number or channel address (the caller answers 21211).
 * @example
 * parseTo('+1 (555) 010-0001')?.address // '+15550100001'
 * parseTo('whatsapp:+14155238886')?.channel // 'whatsapp'
 * parseTo('+15555550100', { strict: true }) // undefined
 * parseTo('+1asd') // undefined
 */
export function parseTo(value: string, options?: AddressOptions): ParsedAddress | undefined {
  const split = splitChannel(value)
  if (!split) return undefined
  if (split.channel === 'messenger') return parseChannelId(value, split.rest)
  return parsePhone(value, split.channel, split.rest, options)
}

/**
 * Parses a `From` address: an E.164 phone number (same rules as {@link parseTo}), a US number written
 * without its country code (`(500) 555-0006`, read as `+15005550006`; `national` is set), a short code
 * (5 or 6 digits), an alphanumeric sender ID (1..11 characters of `[A-Za-z0-9 ]` with at least one
 * letter; SMS only) or a channel address.
 *
 * @returns `undefined` when none fits (the caller answers 21212).
 * @example
 * parseFrom('+15005550006')?.kind // 'phone'
 * parseFrom('(500) 555-0006')?.address // '+15005550006'
 * parseFrom('12345')?.kind // 'short-code'
 * parseFrom('MyBrand')?.kind // 'alphanumeric'
 * parseFrom('ThisIsTooLongX') // undefined
 */
export function parseFrom(value: string, options?: AddressOptions): ParsedAddress | undefined {
  const split = splitChannel(value)
  if (!split) return undefined
  const { channel, rest } = split
  if (channel === 'messenger') return parseChannelId(value, rest)
  if (rest[0] === '+') return parsePhone(value, channel, rest, options)
  if (channel !== 'sms') return undefined
  const national = nationalNumber(rest)
  if (national) {
    const phone = parsePhone(value, channel, national, options)
    return phone && { ...phone, national: true }
  }
  if (SHORT_CODE.test(rest)) {
    return { raw: value, channel, kind: 'short-code', address: rest, fictional: false }
  }
  if (ALPHANUMERIC.test(rest) && HAS_LETTER.test(rest)) {
    return { raw: value, channel, kind: 'alphanumeric', address: rest, fictional: false }
  }
  return undefined
}

/**
 * The `+1` E.164 form of a US number written without its country code, as Twilio reads a `From` such as
 * `(500) 555-0006`, `500-555-0006` or `1 500 555 0006`: digits and separators only, 10 digits (11 with the
 * leading 1). Anything else (a short code, an alphanumeric sender ID, a number of another length) is not one.
 *
 * @example
 * nationalNumber('(500) 555-0006') // '+15005550006'
 * nationalNumber('12345') // undefined
 */
export function nationalNumber(text: string): string | undefined {
  if (!NATIONAL_CHARS.test(text)) return undefined
  let digits = 0
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) digits++
  const leadingOne = text.replace(FORMATTING, '').startsWith('1')
  if (!(digits === 10 && !leadingOne) && !(digits === 11 && leadingOne)) return undefined
  return parsePhoneNumberFromString(text, 'US')?.number
}

/**
 * True when the number is known to be a landline (fixed line), e.g. for 21614 in strict mode.
 * `fixed-or-mobile` and `unknown` numbers are not treated as landlines.
 *
 * @example
 * isLandline(parseTo('+442071838750')!) // true
 * isLandline(parseTo('+447400123456')!) // false
 */
export function isLandline(a: ParsedAddress): boolean {
  return a.numberType === 'landline'
}

/**
 * An address as a message holds it (and Twilio answers it): E.164 for phone numbers, other senders as given, with
 * the channel's prefix in lower case for channels other than SMS, however it was written.
 *
 * @example
 * normalized(parseTo('WHATSAPP:+1 555 000 1111')!) // 'whatsapp:+15550001111'
 */
export function normalized(a: ParsedAddress): string {
  return a.channel === 'sms' ? a.address : `${a.channel}:${a.address}`
}

/**
 * Normalizes an address for index keys and comparisons: the channel prefix is kept (lower-cased),
 * phone numbers become E.164 (formatting stripped even when the number would not pass validation).
 * Other values are returned trimmed. A double passes its {@link AddressCache}.
 *
 * @example
 * addressKey('whatsapp:+1 555 010 0001') // 'whatsapp:+15550100001'
 * addressKey('+44 20 7183 8750') // '+442071838750'
 * addressKey('MyBrand') // 'MyBrand'
 */
export function addressKey(value: string, cache?: AddressCache): string {
  return cache ? cache.addressKey(value) : computeAddressKey(value, computePhoneInfo)
}

function computeAddressKey(value: string, phoneInfo: (candidate: string) => PhoneInfo | null): string {
  const trimmed = value.trim()
  const split = splitChannel(trimmed)
  if (!split) return trimmed
  let rest = split.rest.trim()
  if (rest[0] === '+') {
    const candidate = withoutFormatting(rest)
    rest = isE164Shape(candidate) ? (phoneInfo(candidate)?.e164 ?? candidate) : candidate
  }
  return split.channel === 'sms' ? rest : `${split.channel}:${rest}`
}
