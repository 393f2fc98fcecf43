import { describe, expect, it } from 'vitest'
import { isSid } from './sid.js'

describe('isSid', () => {
  it('accepts the prefix and 32 hexadecimal digits of either case', () => {
    expect(isSid('MG', `MG${'0'.repeat(31)}1`)).toBe(true)
    expect(isSid('MG', 'MG0123456789abcdef0123456789ABCDEF')).toBe(true)
    expect(isSid('HX', `HX${'f'.repeat(32)}`)).toBe(true)
  })

  it('refuses another prefix, another length or a character that is not a hexadecimal digit', () => {
    expect(isSid('MG', `AP${'0'.repeat(32)}`)).toBe(false)
    expect(isSid('MG', `MG${'0'.repeat(31)}`)).toBe(false)
    expect(isSid('MG', `MG${'0'.repeat(33)}`)).toBe(false)
    expect(isSid('MG', `MG${'0'.repeat(31)}g`)).toBe(false)
    expect(isSid('MG', `MG${'0'.repeat(31)}\n`)).toBe(false)
    expect(isSid('MG', `mg${'0'.repeat(32)}`)).toBe(false)
    expect(isSid('MG', '+15005550006')).toBe(false)
    expect(isSid('MG', 'MGnot-a-sid')).toBe(false)
  })
})
