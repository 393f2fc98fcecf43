import { describe, expect, it } from 'vitest'
import { MAGIC_NUMBERS, magicNumberError } from './magic-numbers.js'

describe('magic numbers', () => {
  it('lists the test-credential numbers and their codes', () => {
    expect(MAGIC_NUMBERS.map((m) => `${m.param} ${m.value} ${m.code ?? 'ok'}`)).toEqual([
      'From +15005550006 ok',
      'From +15005550001 21212',
      'From +15005550007 21606',
      'From +15005550008 21611',
      'To +15005550001 21211',
      'To +15005550002 21612',
      'To +15005550003 21408',
      'To +15005550004 21610',
      'To +15005550009 21614',
    ])
  })

  it('answers the code of a magic From before the one of a magic To', () => {
    expect(magicNumberError('+15005550001', '+15005550002')).toEqual({ code: 21212, param: 'From' })
    expect(magicNumberError('+15005550006', '+15005550002')).toEqual({ code: 21612, param: 'To' })
    expect(magicNumberError('+15005550006', '+15550001111')).toBeUndefined()
    expect(magicNumberError(undefined, '+15005550009')).toEqual({ code: 21614, param: 'To' })
  })
})
