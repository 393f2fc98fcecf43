/**
 * Whether `value` is an absolute `http:` or `https:` URL with a host name.
 *
 * @example
 * isWebUrl('https://example.com/cat.png') // true
 * isWebUrl('ftp://example.com/cat.png') // false
 */
export function isWebUrl(value: string): boolean {
  try {
    const u = new URL(value)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0
  } catch {
    return false
  }
}
