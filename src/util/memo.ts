/**
 * A map that keeps its most recent entries in two generations of up to `generation` entries each: when the newer
 * one is full it becomes the older one and the oldest generation is dropped whole, so that forgetting costs the
 * same however many keys stream through (a Map emptied one entry at a time from its front scans the holes left
 * behind). An entry is kept for at least the last `generation` and at most `2 × generation` keys set.
 *
 * @example
 * const recent = new RecentMap<string, number>(1000)
 * recent.set('a', 1)
 * recent.get('a') // 1
 */
export class RecentMap<K, V> {
  private newer = new Map<K, V>()
  private older = new Map<K, V>()

  constructor(private readonly generation: number) {}

  /** The value of `key`; one found in the older generation is set again, as if just used. */
  get(key: K): V | undefined {
    const hit = this.newer.get(key)
    if (hit !== undefined) return hit
    const old = this.older.get(key)
    if (old !== undefined) this.set(key, old)
    return old
  }

  /** The value of `key`, leaving the generations as they are. */
  peek(key: K): V | undefined {
    const hit = this.newer.get(key)
    return hit !== undefined ? hit : this.older.get(key)
  }

  set(key: K, value: V): void {
    if (this.newer.size >= this.generation) {
      this.older = this.newer
      this.newer = new Map()
    }
    this.newer.set(key, value)
  }

  clear(): void {
    this.newer.clear()
    this.older.clear()
  }
}

/**
 * A pure function remembered for its recent inputs, for work repeated with the same input on hot paths: phone
 * numbers and address keys. An input is remembered for at least the last
 * `limit / 2` distinct inputs and at most `limit` (a {@link RecentMap}), and forgetting costs the same however
 * many distinct inputs stream through (a load test with a new number per message). `compute` must never return
 * `undefined`.
 *
 * @example
 * const upper = memoize((s: string) => s.toUpperCase(), 100)
 * upper('a') // 'A', computed; upper('a') again is remembered
 */
export function memoize<K, V>(compute: (key: K) => V, limit: number): (key: K) => V {
  const recent = new RecentMap<K, V>(Math.max(1, Math.ceil(limit / 2)))
  return (key) => {
    let value = recent.get(key)
    if (value === undefined) {
      value = compute(key)
      recent.set(key, value)
    }
    return value
  }
}
