import { hexValue } from './hex.js'

/**
 * Whether `value` is a SID with the two-letter `prefix`: the prefix and 32 hexadecimal digits.
 *
 * @example
 * isSid('MG', `MG${'0'.repeat(31)}1`) // true
 * isSid('MG', '+15005550006') // false
 */
export function isSid(prefix: string, value: string): boolean {
  if (value.length !== 34 || !value.startsWith(prefix)) return false
  for (let i = 2; i < 34; i++) if (hexValue(value.charCodeAt(i)) < 0) return false
  return true
}
