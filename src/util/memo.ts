/**
 * A pure function remembered for its recent inputs, for work repeated with the same input on hot paths: phone
 * numbers, address keys, dates, credentials. It keeps two generations of up to `limit / 2` inputs each: an
 * input is remembered for at least the last `limit / 2` distinct inputs and at most `limit`, and forgetting
 * costs the same however many distinct inputs stream through (a load test with a new number per message).
 * `compute` must never return `undefined`.
 *
 * @example
 * const upper = memoize((s: string) => s.toUpperCase(), 100)
 * upper('a') // 'A', computed; upper('a') again is remembered
 */
export function memoize<K, V>(compute: (key: K) => V, limit: number): (key: K) => V {
  const generation = Math.max(1, Math.ceil(limit / 2))
  let current = new Map<K, V>()
  let previous = new Map<K, V>()
  return (key) => {
    const hit = current.get(key)
    if (hit !== undefined) return hit
    let value = previous.get(key)
    if (value === undefined) value = compute(key)
    if (current.size >= generation) {
      previous = current
      current = new Map()
    }
    current.set(key, value)
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
