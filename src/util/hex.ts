/**
 * The value of a hexadecimal digit's character code (`0`-`9`, `A`-`F`, `a`-`f`), or -1.
 *
 * @example
 * hexValue('b'.charCodeAt(0)) // 11
 */
export function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 65 && code <= 70) return code - 55
  if (code >= 97 && code <= 102) return code - 87
  return -1
}
