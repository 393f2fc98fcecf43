import { hexValue } from '../util/hex.js'

/** Form parameters as parsed from a request: repeated keys become arrays. */
export type FormParams = Record<string, string | string[]>

/**
 * Parses `application/x-www-form-urlencoded` text (or a query string) into parameters, repeated keys
 * becoming arrays. Malformed percent-encoding is kept as written rather than rejected, as Twilio does.
 *
 * @example
 * parseForm('To=%2B15550001111&MediaUrl=a&MediaUrl=b') // { To: '+15550001111', MediaUrl: ['a', 'b'] }
 */
export function parseForm(text: string): FormParams {
  const out: FormParams = Object.create(null)
  if (!text) return out
  for (const part of text.split('&')) {
    if (!part) continue
    const eq = part.indexOf('=')
    const key = decode(eq < 0 ? part : part.slice(0, eq))
    const value = eq < 0 ? '' : decode(part.slice(eq + 1))
    if (!key) continue
    const prev = out[key]
    if (prev === undefined) out[key] = value
    else if (Array.isArray(prev)) prev.push(value)
    else out[key] = [prev, value]
  }
  return out
}

/**
 * Decodes the escapes of ASCII characters (`%2B`, `%3A`, …), which is what most values hold; undefined when an
 * escape is of a byte above 0x7F (part of a UTF-8 sequence) or malformed, for `decodeURIComponent` to handle.
 */
function decodeAscii(s: string, first: number): string | undefined {
  let out = ''
  let done = 0
  for (let at = first; at >= 0; at = s.indexOf('%', done)) {
    const high = hexValue(s.charCodeAt(at + 1))
    const low = hexValue(s.charCodeAt(at + 2))
    if (high < 0 || high > 7 || low < 0) return undefined
    out += s.slice(done, at) + String.fromCharCode(high * 16 + low)
    done = at + 3
  }
  return out + s.slice(done)
}

function decode(s: string): string {
  const plus = s.includes('+') ? s.replaceAll('+', ' ') : s
  const firstEscape = plus.indexOf('%')
  if (firstEscape < 0) return plus
  const ascii = decodeAscii(plus, firstEscape)
  if (ascii !== undefined) return ascii
  try {
    return decodeURIComponent(plus)
  } catch {
    // decode the valid escapes one by one, keep the broken ones
    return plus.replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
      try {
        return decodeURIComponent(m)
      } catch {
        return m
      }
    })
  }
}

/**
 * Encodes parameters as a form body, repeating array values (`MediaUrl=a&MediaUrl=b`) like the `twilio` client.
 *
 * @example
 * encodeForm({ To: '+15550001111', MediaUrl: ['a', 'b'] })
 */
export function encodeForm(params: Record<string, unknown>): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue
    const values = Array.isArray(v) ? v : [v]
    for (const item of values) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(item))}`)
  }
  return parts.join('&')
}
