import type { FormParams } from '../messaging/create-message.js'

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

function decode(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s
  if (!plus.includes('%')) return plus
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
