import { describe, expect, it } from 'vitest'
import { memoize, RecentMap } from './memo.js'

describe('memoize', () => {
  it('computes an input once while it is remembered, null results included', () => {
    const calls: string[] = []
    const f = memoize((s: string) => {
      calls.push(s)
      return s === 'none' ? null : s.toUpperCase()
    }, 10)
    expect([f('a'), f('a'), f('none'), f('none')]).toEqual(['A', 'A', null, null])
    expect(calls).toEqual(['a', 'none'])
  })

  it('forgets the oldest input beyond its limit, and nothing else', () => {
    const calls: number[] = []
    const f = memoize((n: number) => {
      calls.push(n)
      return n * 2
    }, 2)
    f(1)
    f(2)
    f(3) // 1 is forgotten
    expect([f(3), f(2)]).toEqual([6, 4])
    expect(calls).toEqual([1, 2, 3])
    expect(f(1)).toBe(2)
    expect(calls).toEqual([1, 2, 3, 1])
  })

  it('keeps its recent inputs while many distinct ones stream through', () => {
    const calls: number[] = []
    const f = memoize((n: number) => {
      calls.push(n)
      return n + 1
    }, 100)
    for (let n = 0; n < 10_000; n++) f(n)
    expect(calls).toHaveLength(10_000)
    // the last 50 (half the limit) are remembered, an early one is computed again
    for (let n = 9_950; n < 10_000; n++) expect(f(n)).toBe(n + 1)
    expect(calls).toHaveLength(10_000)
    expect(f(0)).toBe(1)
    expect(calls).toHaveLength(10_001)
  })

  it('remembers an input read again from the older generation', () => {
    const calls: number[] = []
    const f = memoize((n: number) => {
      calls.push(n)
      return n
    }, 4)
    for (const n of [1, 2, 3, 4]) f(n) // 1, 2 are the older generation now
    f(1) // read from the older generation, kept in the newer one
    for (const n of [5, 6]) f(n)
    expect(f(1)).toBe(1)
    expect(calls).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('remembers a null result in the older generation too', () => {
    const calls: string[] = []
    const f = memoize((s: string) => {
      calls.push(s)
      return s === 'none' ? null : s
    }, 2)
    f('none')
    f('a') // 'none' is in the older generation now
    expect(f('none')).toBeNull()
    expect(calls).toEqual(['none', 'a'])
  })
})

describe('RecentMap', () => {
  it('keeps the last generation or two of keys; get() keeps a key read from the older one, peek() does not', () => {
    const kept = new RecentMap<string, number>(2)
    const peeked = new RecentMap<string, number>(2)
    for (const m of [kept, peeked]) for (const [i, k] of ['a', 'b', 'c'].entries()) m.set(k, i) // a, b older
    expect(kept.get('a')).toBe(0)
    expect(peeked.peek('a')).toBe(0)
    for (const m of [kept, peeked]) for (const [i, k] of ['d', 'e'].entries()) m.set(k, 3 + i)
    // peeked: c, d are the older generation and a is gone; kept: a, read into the newer generation, is still kept
    expect(kept.peek('a')).toBe(0)
    expect(peeked.peek('a')).toBeUndefined()
    expect(peeked.peek('c')).toBe(2)
    kept.clear()
    expect(kept.peek('d')).toBeUndefined()
  })
})
