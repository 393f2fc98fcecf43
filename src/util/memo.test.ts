import { describe, expect, it } from 'vitest'
import { memoize } from './memo.js'

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
})
