import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeForm, parseForm } from './form.js'

describe('parseForm', () => {
  it('decodes + as a space and percent escapes, an escaped + staying a plus', () => {
    expect(parseForm('To=%2B15558675310&Body=Hello+from+the+benchmark')).toEqual({
      To: '+15558675310',
      Body: 'Hello from the benchmark',
    })
    expect(parseForm('Body=a%2Bb+c')).toEqual({ Body: 'a+b c' })
    expect(parseForm('Body=caf%C3%A9+%F0%9F%98%80')).toEqual({ Body: 'café 😀' })
  })

  it('keeps plain values and keys as written', () => {
    expect(parseForm('From=MyBrand&PageSize=20')).toEqual({ From: 'MyBrand', PageSize: '20' })
  })

  it('makes repeated keys an array, in order, and skips empty parts and empty keys', () => {
    expect(parseForm('MediaUrl=a&&MediaUrl=b&=x&MediaUrl=c&Flag')).toEqual({
      MediaUrl: ['a', 'b', 'c'],
      Flag: '',
    })
  })

  it('keeps broken percent escapes as written and decodes the valid ones beside them', () => {
    expect(parseForm('Body=100%+sure+%E2%9C%93+%ZZ+%E2')).toEqual({ Body: '100% sure ✓ %ZZ %E2' })
    expect(parseForm('Body=caf%C3%A9+%E9%+%%41+%C3')).toEqual({ Body: 'café %E9% %A %C3' })
    expect(parseForm('Body=é%%41+ü%ZZ')).toEqual({ Body: 'é%A ü%ZZ' })
  })

  it('decodes every value as decodeURIComponent does, broken escapes kept', () => {
    // the reference: + as a space, then decodeURIComponent, or each valid run of escapes alone when it throws
    const reference = (s: string) => {
      const plus = s.replace(/\+/g, ' ')
      try {
        return decodeURIComponent(plus)
      } catch {
        return plus.replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
          try {
            return decodeURIComponent(m)
          } catch {
            return m
          }
        })
      }
    }
    const piece = fc.oneof(
      fc.string(),
      fc.string().map(encodeURIComponent),
      fc.constantFrom('%', '%2', '%2B', '%2b', '%7F', '%80', '%C3%A9', '%E2%9C', '%ZZ', '+', '%25'),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const value = pieces.join('').replace(/[&=]/g, '')
        expect(parseForm(`Body=${value}`).Body).toBe(reference(value))
      }),
      { numRuns: 2000 },
    )
  })

  it('keeps a leading ? as part of the first key', () => {
    expect(parseForm('?To=%2B15558675310')).toEqual({ '?To': '+15558675310' })
  })

  it("encodes what the twilio client's form encoding does: null as an empty value, a Date as ISO, an object's fields as Key[field], a lone surrogate as U+FFFD", () => {
    expect(
      encodeForm({
        Body: 'a\uD800b\uDFFF',
        StatusCallback: null,
        Skipped: undefined,
        MediaUrl: [null, undefined, 'https://x/1'],
        SendAt: new Date(Date.UTC(2024, 0, 1)),
        Bad: new Date(Number.NaN),
        Vars: { 1: 'x', n: [2, 3] },
      }),
    ).toBe(
      'Body=a%EF%BF%BDb%EF%BF%BD&StatusCallback=&MediaUrl=&MediaUrl=https%3A%2F%2Fx%2F1&SendAt=2024-01-01T00%3A00%3A00.000Z&Bad=Invalid%20Date&Vars%5B1%5D=x&Vars%5Bn%5D=2&Vars%5Bn%5D=3',
    )
    expect(encodeForm({ Body: '😀' })).toBe('Body=%F0%9F%98%80')
  })

  it('reads back what encodeForm writes', () => {
    const params = { To: '+15558675310', Body: 'a+b & c=d ü', MediaUrl: ['https://x/1?a=b', 'https://x/2'] }
    expect(parseForm(encodeForm(params))).toEqual(params)
  })
})
