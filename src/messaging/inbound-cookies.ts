/**
 * The cookies of a conversation. Twilio keeps the cookies an app sets in its answer to an inbound-message
 * webhook (`Set-Cookie`) per To/From pair, for at most four hours, and sends them back (`Cookie`) with the
 * next webhook of that pair, as a browser does for a site: the "SMS conversation" tutorials build on it.
 * Time is the double's clock, so `advance('4h')` ends a conversation.
 */

/** How long Twilio keeps a cookie of a conversation at most: four hours. */
export const CONVERSATION_COOKIE_MS = 4 * 60 * 60 * 1000

interface Cookie {
  value: string
  /** Epoch ms (virtual time) after which the cookie is gone. */
  expires: number
}

/**
 * A `Set-Cookie` value read as far as a conversation needs it: its name, value and end (`Max-Age` wins
 * over `Expires`, as in RFC 6265; neither: the four hours). Undefined for a value without `name=`.
 */
function readSetCookie(header: string, now: number): { name: string; cookie: Cookie } | undefined {
  const [pair = '', ...attributes] = header.split(';')
  const eq = pair.indexOf('=')
  if (eq <= 0) return undefined
  const name = pair.slice(0, eq).trim()
  if (name === '') return undefined
  let expires = now + CONVERSATION_COOKIE_MS
  let maxAge: number | undefined
  let expiresAt: number | undefined
  for (const attribute of attributes) {
    const at = attribute.indexOf('=')
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase()
    const value = at < 0 ? '' : attribute.slice(at + 1).trim()
    if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value)
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) expiresAt = Date.parse(value)
  }
  if (maxAge !== undefined) expires = Math.min(expires, now + maxAge * 1000)
  else if (expiresAt !== undefined) expires = Math.min(expires, expiresAt)
  return { name, cookie: { value: pair.slice(eq + 1).trim(), expires } }
}

/**
 * Cookies by conversation (account, our number, the user's number). One per double; cleared by reset.
 *
 * @example
 * const jar = new ConversationCookies()
 * jar.store('AC…|+15005550006|+15550001111', ['step=2; Path=/'], now)
 * jar.header('AC…|+15005550006|+15550001111', now) // 'step=2'
 */
export class ConversationCookies {
  private conversations = new Map<string, Map<string, Cookie>>()

  /** The `Cookie` header of the conversation's next webhook, or undefined when it has none. */
  header(conversation: string, now: number): string | undefined {
    const cookies = this.conversations.get(conversation)
    if (!cookies) return undefined
    const pairs: string[] = []
    for (const [name, cookie] of cookies) {
      if (cookie.expires <= now) cookies.delete(name)
      else pairs.push(`${name}=${cookie.value}`)
    }
    if (cookies.size === 0) this.conversations.delete(conversation)
    return pairs.length > 0 ? pairs.join('; ') : undefined
  }

  /** Keeps the cookies of an app's answer (its `Set-Cookie` values); an expired one removes its name. */
  store(conversation: string, setCookies: readonly string[], now: number): void {
    for (const header of setCookies) {
      const read = readSetCookie(header, now)
      if (!read) continue
      let cookies = this.conversations.get(conversation)
      if (read.cookie.expires <= now) {
        cookies?.delete(read.name)
        continue
      }
      if (!cookies) {
        cookies = new Map()
        this.conversations.set(conversation, cookies)
      }
      cookies.set(read.name, read.cookie)
    }
  }

  /** Forgets every conversation. */
  clear(): void {
    this.conversations.clear()
  }
}
