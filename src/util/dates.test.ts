import { describe, expect, it } from 'vitest'
import { toRfc2822 } from './dates.js'

describe('toRfc2822', () => {
  it('writes Twilio’s RFC 2822 form with +0000', () => {
    expect(toRfc2822(0)).toBe('Thu, 01 Jan 1970 00:00:00 +0000')
    expect(toRfc2822(Date.parse('2023-08-24T05:01:45.999Z'))).toBe('Thu, 24 Aug 2023 05:01:45 +0000')
    expect(toRfc2822(Date.parse('2024-02-29T23:59:59Z'))).toBe('Thu, 29 Feb 2024 23:59:59 +0000')
    expect(toRfc2822(-1)).toBe('Wed, 31 Dec 1969 23:59:59 +0000')
  })

  it('keeps four digits in a year before 1000', () => {
    expect(toRfc2822(Date.UTC(999, 0, 1))).toBe('Tue, 01 Jan 0999 00:00:00 +0000')
  })

  it('gives the same text for the same time however often it is asked', () => {
    const ms = Date.parse('2024-01-01T00:00:05Z')
    expect(new Set([toRfc2822(ms), toRfc2822(ms + 1), toRfc2822(ms)])).toEqual(
      new Set(['Mon, 01 Jan 2024 00:00:05 +0000']),
    )
  })
})
