/** A SID: two capital letters, then 32 hexadecimal digits. */
const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/

/**
 * Whether `value` is a SID with the two-letter `prefix`: the prefix and 32 hexadecimal digits.
 *
 * @example
 * isSid('MG', `MG${'0'.repeat(31)}1`) // true
 * isSid('MG', '+15005550006') // false
 */
export function isSid(prefix: string, value: string): boolean {
  return value.startsWith(prefix) && SID.test(value)
}
