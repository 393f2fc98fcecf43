import { describe, expect, it } from 'vitest'
import { obfuscateNumber } from './redaction.js'

describe('obfuscateNumber', () => {
  it.each([
    ['+15550001111', '+1555000XXXX'],
    ['+447400123456', '+44740012XXXX'],
    ['whatsapp:+15550001111', 'whatsapp:+1555000XXXX'],
    ['messenger:123456789', 'messenger:123456789'],
    ['MyBrand', 'MyBrand'],
  ])('%s → %s', (address, obfuscated) => expect(obfuscateNumber(address)).toBe(obfuscated))
})
