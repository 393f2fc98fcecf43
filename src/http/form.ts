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
 * Encodes parameters as a form body as the `twilio` client does (its `qs.stringify` with `arrayFormat: 'repeat'`):
 * array values repeat their key (`MediaUrl=a&MediaUrl=b`), undefined is left out and null is an empty value, a
 * Date is its ISO time, an object's fields are `Key[field]`, and a lone surrogate (half of a character, which no
 * form can carry) is U+FFFD.
 *
 * @example
 * encodeForm({ To: '+15550001111', MediaUrl: ['a', 'b'] }) // 'To=%2B15550001111&MediaUrl=a&MediaUrl=b'
 */
export function encodeForm(params: Record<string, unknown>): string {
  const parts: string[] = []
  const add = (key: string, value: unknown): void => {
    if (value === undefined) return
    if (Array.isArray(value)) for (const item of value) add(key, item)
    else if (value instanceof Date)
      add(key, Number.isNaN(value.getTime()) ? String(value) : value.toISOString())
    else if (value !== null && typeof value === 'object')
      for (const [field, item] of Object.entries(value)) add(`${key}[${field}]`, item)
    else parts.push(`${formEscape(key)}=${formEscape(value === null ? '' : String(value))}`)
  }
  for (const [key, value] of Object.entries(params)) add(key, value)
  return parts.join('&')
}

/** A form key or value percent-encoded, its lone surrogates (which `encodeURIComponent` refuses) as U+FFFD. */
function formEscape(text: string): string {
  return encodeURIComponent(text.replace(/\p{Cs}/gu, '\uFFFD'))
}
