import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GSM7_BASIC_CHARS, GSM7_EXTENSION_CHARS, SMART_ENCODING_MAP } from './gsm7-tables.js'
import { countSegments, isGsm7, smartEncode } from './segments.js'

const gsm = (n: number) => 'a'.repeat(n)
const ucs = (n: number) => 'ж'.repeat(n) // Cyrillic: 1 UTF-16 code unit, not GSM-7
const EMOJI = '😀' // surrogate pair: 2 UTF-16 code units

describe('gsm7 tables', () => {
  it('hold the 127 basic characters, 10 extension characters and 270 SmartEncoding entries', () => {
    expect([...GSM7_BASIC_CHARS]).toHaveLength(127)
    expect([...GSM7_EXTENSION_CHARS]).toHaveLength(10)
    expect(SMART_ENCODING_MAP.size).toBe(270)
  })

  it('map every look-alike to GSM-7 text, and never map a GSM-7 character', () => {
    for (const [from, to] of SMART_ENCODING_MAP) {
      expect(isGsm7(to)).toBe(true)
      expect(isGsm7(from)).toBe(false)
    }
  })
})

describe('isGsm7', () => {
  it('accepts basic and extension characters and the empty string', () => {
    expect(isGsm7('')).toBe(true)
    expect(isGsm7(GSM7_BASIC_CHARS + GSM7_EXTENSION_CHARS)).toBe(true)
  })

  it('accepts exactly the characters of the two tables, over every UTF-16 code unit', () => {
    const tables = new Set(GSM7_BASIC_CHARS + GSM7_EXTENSION_CHARS)
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code)
      if (isGsm7(char) !== tables.has(char)) expect.fail(`U+${code.toString(16)}: isGsm7 ${isGsm7(char)}`)
      if (isGsm7(`a${char}b`) !== tables.has(char)) expect.fail(`U+${code.toString(16)} inside a body`)
    }
    expect(isGsm7(`abc${EMOJI}`)).toBe(false)
  })

  it('counts each extension character as two septets and each UCS-2 code unit as one', () => {
    expect(countSegments(`${gsm(158)}€`)).toMatchObject({ encoding: 'GSM-7', segments: 1 })
    expect(countSegments(`${gsm(159)}€`)).toMatchObject({ encoding: 'GSM-7', segments: 2 })
    expect(countSegments(`${ucs(68)}${EMOJI}`)).toMatchObject({ encoding: 'UCS-2', segments: 1 })
    expect(countSegments(`${ucs(69)}${EMOJI}`)).toMatchObject({ encoding: 'UCS-2', segments: 2 })
  })

  it('rejects anything else', () => {
    expect(isGsm7('`')).toBe(false)
    expect(isGsm7('“')).toBe(false)
    expect(isGsm7('ж')).toBe(false)
    expect(isGsm7(EMOJI)).toBe(false)
    expect(isGsm7('\t')).toBe(false)
  })
})

describe('countSegments: GSM-7', () => {
  it.each([
    [1, 1],
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
  ])('%i basic characters → %i segment(s)', (length, segments) => {
    expect(countSegments(gsm(length))).toEqual({ encoding: 'GSM-7', segments, body: gsm(length) })
  })

  it('counts extension characters as two septets', () => {
    expect(countSegments('{'.repeat(80))).toMatchObject({ encoding: 'GSM-7', segments: 1 })
    expect(countSegments('{'.repeat(81))).toMatchObject({ encoding: 'GSM-7', segments: 2 })
    expect(countSegments(gsm(159) + '€')).toMatchObject({ segments: 2 })
    expect(countSegments(gsm(158) + '€')).toMatchObject({ segments: 1 })
  })

  it('moves an ESC pair whole to the next segment instead of splitting it', () => {
    // 152 + 2 + 152 = 306 septets: a naive ceil(306 / 153) gives 2, but the '{' at septets 153-154
    // does not fit the first part (152 + 2 > 153), so the parts are 152 | 2 + 151 | 1.
    expect(countSegments(gsm(152) + '{' + gsm(152)).segments).toBe(3)
    // Same length with the pair not straddling the boundary: 151 + 2 | 153.
    expect(countSegments(gsm(151) + '{' + gsm(153)).segments).toBe(2)
  })

  it('counts an empty (media-only) body as 1 segment', () => {
    expect(countSegments('')).toEqual({ encoding: 'GSM-7', segments: 1, body: '' })
  })
})

describe('countSegments: UCS-2', () => {
  it.each([
    [1, 1],
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
    [201, 3],
    [202, 4],
  ])('%i UCS-2 characters → %i segment(s)', (length, segments) => {
    expect(countSegments(ucs(length))).toEqual({ encoding: 'UCS-2', segments, body: ucs(length) })
  })

  it('switches the whole message to UCS-2 for one non-GSM character', () => {
    expect(countSegments(gsm(69) + 'ж')).toMatchObject({ encoding: 'UCS-2', segments: 1 })
    expect(countSegments(gsm(70) + 'ж')).toMatchObject({ encoding: 'UCS-2', segments: 2 })
    // Extension characters cost one code unit in UCS-2, not two.
    expect(countSegments('{'.repeat(69) + 'ж')).toMatchObject({ encoding: 'UCS-2', segments: 1 })
  })

  it('counts an emoji as two code units', () => {
    expect(countSegments(EMOJI.repeat(35))).toMatchObject({ encoding: 'UCS-2', segments: 1 })
    expect(countSegments(EMOJI.repeat(36))).toMatchObject({ encoding: 'UCS-2', segments: 2 })
  })

  it('never splits a surrogate pair across segments', () => {
    // 66 + 2 + 66 = 134 code units: a naive ceil(134 / 67) gives 2, but the emoji at units 67-68
    // moves whole, so the parts are 66 | 2 + 65 | 1.
    expect(countSegments(ucs(66) + EMOJI + ucs(66)).segments).toBe(3)
    expect(countSegments(ucs(65) + EMOJI + ucs(67)).segments).toBe(2)
    // 67 emoji = 134 code units, but only 33 pairs fit into 67 units: 33 + 33 + 1 parts.
    expect(countSegments(EMOJI.repeat(67)).segments).toBe(3)
  })
})

describe('smartEncode', () => {
  it('turns smart quotes, dashes and ellipses into GSM-7', () => {
    const body = '“Don’t” — ‘wait’ – okay…'
    expect(smartEncode(body)).toBe("\"Don't\" - 'wait' - okay...")
    expect(isGsm7(body)).toBe(false)
    expect(isGsm7(smartEncode(body))).toBe(true)
  })

  it('removes zero-width characters and maps fullwidth ASCII', () => {
    expect(smartEncode('a\u200Bb\uFEFF')).toBe('ab')
    expect(smartEncode('ＡＢＣ１２３！')).toBe('ABC123!')
  })

  it('leaves a message with a non-convertible character (emoji) unchanged', () => {
    const body = '“Don’t” forget 😀'
    expect(smartEncode(body)).toBe(body)
    expect(countSegments(body, { smartEncoded: true })).toEqual({ encoding: 'UCS-2', segments: 1, body })
  })

  it('leaves GSM-7 text unchanged', () => {
    expect(smartEncode('Hello {world} 10€')).toBe('Hello {world} 10€')
  })

  it('lets countSegments count the smart-encoded body as GSM-7', () => {
    const body = '“' + gsm(100) + '”…' // 103 UCS-2 units → 2 segments; 105 GSM-7 septets → 1 segment
    expect(countSegments(body)).toEqual({ encoding: 'UCS-2', segments: 2, body })
    expect(countSegments(body, { smartEncoded: true })).toEqual({
      encoding: 'GSM-7',
      segments: 1,
      body: '"' + gsm(100) + '"...',
    })
  })
})

describe('properties', () => {
  const interesting = fc.constantFrom(
    ...GSM7_BASIC_CHARS,
    ...GSM7_EXTENSION_CHARS,
    ...SMART_ENCODING_MAP.keys(),
    EMOJI,
    'ж',
    '👍🏽',
  )
  const bodies = fc.oneof(
    fc.string({ unit: interesting, maxLength: 400 }),
    fc.string({ unit: 'grapheme', maxLength: 400 }),
    fc.string({ unit: 'binary', maxLength: 400 }),
  )

  it('always counts at least one segment, and never more segments than code points', () => {
    fc.assert(
      fc.property(bodies, fc.boolean(), (body, smartEncoded) => {
        const info = countSegments(body, { smartEncoded })
        expect(info.segments).toBeGreaterThanOrEqual(1)
        expect(info.segments).toBeLessThanOrEqual(Math.max(1, [...info.body].length))
        expect(info.encoding).toBe(isGsm7(info.body) ? 'GSM-7' : 'UCS-2')
      }),
      { seed: 160153 },
    )
  })

  it('smartEncode output is GSM-7 whenever it differs from the input', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        const encoded = smartEncode(body)
        if (encoded !== body) expect(isGsm7(encoded)).toBe(true)
        expect(countSegments(body, { smartEncoded: true }).body).toBe(encoded)
      }),
      { seed: 7067 },
    )
  })
})
