import { GSM7_BASIC_CHARS, GSM7_EXTENSION_CHARS, SEGMENT_LIMITS, SMART_ENCODING_MAP } from './gsm7-tables.js'

/**
 * Character encoding Twilio picks for an SMS body: GSM-7 when every character is in the GSM 03.38
 * basic or extension table, otherwise UCS-2 for the whole message.
 *
 * @example
 * ```ts
 * const encoding: SegmentEncoding = countSegments('hi 👋').encoding // 'UCS-2'
 * ```
 */
export type SegmentEncoding = 'GSM-7' | 'UCS-2'

/**
 * Result of {@link countSegments}.
 *
 * @example
 * ```ts
 * const info: SegmentInfo = countSegments('“Hi”', { smartEncoded: true })
 * // { encoding: 'GSM-7', segments: 1, body: '"Hi"' }
 * ```
 */
export interface SegmentInfo {
  /** Encoding of the body as sent. */
  encoding: SegmentEncoding
  /** Number of SMS segments (always at least 1). */
  segments: number
  /** The body as sent: after SmartEncoding when it was asked for and applied, otherwise the input. */
  body: string
}

/** A RegExp character class of `chars`, each taken as written. */
const charClass = (chars: string) => `[${chars.replace(/[\\\]^-]/g, '\\$&')}]`

/** Bodies of GSM-7 characters only (basic or extension table), one UTF-16 code unit each. */
const GSM7 = new RegExp(`^${charClass(GSM7_BASIC_CHARS + GSM7_EXTENSION_CHARS)}*$`)

/** The characters of the extension table, which cost two septets (ESC + char). */
const EXTENSION = new RegExp(charClass(GSM7_EXTENSION_CHARS), 'g')

/** One character of the extension table. */
const EXTENSION_CHAR = new RegExp(`^${charClass(GSM7_EXTENSION_CHARS)}$`)

/** The septets `body` takes in GSM-7, or -1 when some character is not GSM-7. */
function gsm7Septets(body: string): number {
  if (!GSM7.test(body)) return -1
  return body.length + (body.match(EXTENSION)?.length ?? 0)
}

/**
 * Whether every character of `body` can be sent in GSM-7 (basic table or extension table).
 * The empty string is GSM-7.
 *
 * @example
 * ```ts
 * isGsm7('Price: 10€ {approx}') // true (€ { } are extension characters)
 * isGsm7('“quoted”') // false (curly quotes are not GSM-7)
 * ```
 */
export function isGsm7(body: string): boolean {
  return gsm7Septets(body) >= 0
}

/**
 * Applies Twilio's SmartEncoding: replaces Unicode look-alikes (smart quotes, dashes, ellipsis,
 * Unicode spaces, fullwidth ASCII, zero-width characters, …) with GSM-7 equivalents.
 * Following Twilio's rule, the replacement only happens when the whole result is GSM-7; when some
 * character has no GSM-7 alternative (an emoji, Cyrillic, …) `body` is returned unchanged.
 *
 * @example
 * ```ts
 * smartEncode('“Don’t” — wait…') // '"Don\'t" - wait...'
 * smartEncode('“Don’t” 😀') // '“Don’t” 😀' (unchanged: the emoji cannot be GSM-7)
 * ```
 */
export function smartEncode(body: string): string {
  if (isGsm7(body)) return body
  let encoded = ''
  for (const char of body) encoded += SMART_ENCODING_MAP.get(char) ?? char
  return isGsm7(encoded) ? encoded : body
}

/**
 * Counts the SMS segments Twilio bills for `body`.
 *
 * - GSM-7: basic characters cost 1 septet, extension characters (form feed, `[ \ ] ^ { | } ~ €`)
 *   cost 2 (ESC + char). Up to 160 septets fit one segment; longer messages carry 153 septets per
 *   segment, and an ESC pair is never split across segments.
 * - UCS-2 (any non-GSM-7 character): up to 70 UTF-16 code units in one segment, else 67 per
 *   segment; a surrogate pair (e.g. an emoji) is never split across segments.
 *
 * The body is walked by code point, so a multi-code-point grapheme (ZWJ emoji sequence, flag) may
 * span two segments, as its code points can on the network. An empty body (a media-only message)
 * counts as 1 segment. With `smartEncoded: true` the body is first passed through
 * {@link smartEncode}, and the returned `body` is the one counted.
 *
 * @example
 * ```ts
 * countSegments('a'.repeat(161)) // { encoding: 'GSM-7', segments: 2, body: 'aaa…' }
 * countSegments('Привет') // { encoding: 'UCS-2', segments: 1, body: 'Привет' }
 * countSegments('It’s…', { smartEncoded: true }) // { encoding: 'GSM-7', segments: 1, body: "It's..." }
 * ```
 */
export function countSegments(body: string, options: { smartEncoded?: boolean } = {}): SegmentInfo {
  const sent = options.smartEncoded ? smartEncode(body) : body
  const septets = gsm7Septets(sent)
  const encoding: SegmentEncoding = septets >= 0 ? 'GSM-7' : 'UCS-2'
  const limits = SEGMENT_LIMITS[encoding]
  // most bodies fit one segment: their cost (septets, or UTF-16 code units) without a per-character list
  const total = septets >= 0 ? septets : sent.length
  if (total <= limits.single) return { encoding, segments: 1, body: sent }
  const costs = Array.from(sent, (char) => cost(char, encoding))
  return { encoding, segments: packSegments(costs, limits), body: sent }
}

/** Septets (GSM-7) or UTF-16 code units (UCS-2) of one character. */
function cost(char: string, encoding: SegmentEncoding): number {
  if (encoding === 'UCS-2') return char.length
  return EXTENSION_CHAR.test(char) ? 2 : 1
}

/** Packs per-character costs into segments without ever splitting one character's cost. */
function packSegments(costs: readonly number[], limits: { single: number; concatenated: number }): number {
  let segments = 1
  let used = 0
  for (const cost of costs) {
    if (used + cost > limits.concatenated) {
      segments += 1
      used = 0
    }
    used += cost
  }
  return segments
}
