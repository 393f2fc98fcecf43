/** Form parameters as parsed from a request: repeated keys become arrays. */
export type FormParams = Record<string, string | string[]>

/**
 * Parses `application/x-www-form-urlencoded` text (or a query string) into parameters with `URLSearchParams`,
 * repeated keys becoming arrays in order, empty keys left out. Malformed percent-encoding is kept as written
 * rather than rejected, as Twilio does: a `%` without two hexadecimal digits, and a run of escapes that is not
 * UTF-8 (`%E2` alone), which `URLSearchParams` alone would turn into U+FFFD.
 *
 * @example
 * parseForm('To=%2B15550001111&MediaUrl=a&MediaUrl=b') // { To: '+15550001111', MediaUrl: ['a', 'b'] }
 */
export function parseForm(text: string): FormParams {
  const out: FormParams = Object.create(null)
  for (const [key, value] of new URLSearchParams(keepMalformed(text))) {
    if (!key) continue
    const prev = out[key]
    if (prev === undefined) out[key] = value
    else if (Array.isArray(prev)) prev.push(value)
    else out[key] = [prev, value]
  }
  return out
}

/**
 * `text` with every malformed escape's `%` escaped itself, so that `URLSearchParams` reads it back as written: a `%`
 * without two hexadecimal digits (`%ZZ`, which Node 20's `URLSearchParams` misreads beside a non-ASCII character)
 * and each `%` of a run of escapes that is not UTF-8 (`%E2` alone → `%25E2`); and a leading `?`, which
 * `URLSearchParams` would drop.
 */
function keepMalformed(text: string): string {
  const kept = text.replace(/(%[0-9a-fA-F]{2})+|%/g, (escapes) => {
    if (escapes === '%') return '%25'
    try {
      decodeURIComponent(escapes)
      return escapes
    } catch {
      return escapes.replaceAll('%', '%25')
    }
  })
  return kept.startsWith('?') ? `%3F${kept.slice(1)}` : kept
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
