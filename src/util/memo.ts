/**
 * A pure function remembered for its last `limit` inputs (the oldest is forgotten first), for work repeated
 * with the same input on hot paths: phone numbers, address keys, dates, credentials. `compute` must never
 * return `undefined`.
 *
 * @example
 * const upper = memoize((s: string) => s.toUpperCase(), 100)
 * upper('a') // 'A', computed; upper('a') again is remembered
 */
export function memoize<K, V>(compute: (key: K) => V, limit: number): (key: K) => V {
  const memo = new Map<K, V>()
  return (key) => {
    const hit = memo.get(key)
    if (hit !== undefined) return hit
    const value = compute(key)
    if (memo.size >= limit) memo.delete(memo.keys().next().value as K)
    memo.set(key, value)
    return value
  }
}

/**
 * One shared copy of equal strings (the last 4,096 distinct ones): stored messages keep addresses that repeat
 * across thousands of messages once instead of once per message.
 *
 * @example
 * const to = intern(decodeURIComponent('%2B15558675310')) // the same string object as the last equal one
 */
export const intern: (value: string) => string = memoize((value: string) => value, 4096)
