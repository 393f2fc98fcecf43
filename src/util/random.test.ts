import { describe, expect, it } from 'vitest'
import { SeededRandom } from './random.js'

describe('SeededRandom SIDs', () => {
  it('writes the prefix before 32 hex digits, the same sequence for the same seed', () => {
    const a = new SeededRandom('sids')
    const b = new SeededRandom('sids')
    const sids = [a.sid('SM'), a.sid('MM'), a.sid('ME'), a.sid('ABC'), a.sid('')]
    expect(sids.map((s) => s.slice(0, s.length - 32))).toEqual(['SM', 'MM', 'ME', 'ABC', ''])
    for (const s of sids) expect(s.slice(-32)).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(sids.map((s) => s.slice(-32))).size).toBe(5)
    // the digits do not depend on the prefix: only on the seed and how many came before
    expect([b.sid('XY'), b.sid('XY'), b.hex32(), b.sid('Z'), b.sid('QQ')].map((s) => s.slice(-32))).toEqual(
      sids.map((s) => s.slice(-32)),
    )
  })

  it('starts over after reset()', () => {
    const r = new SeededRandom(7)
    const first = [r.sid('SM'), r.sid('SM')]
    r.reset()
    expect([r.sid('SM'), r.sid('SM')]).toEqual(first)
  })
})
