import { describe, expect, it } from 'vitest'
import { createTwilioDouble } from '../double.js'
import { AddressCache, addressKey, isLandline, nationalNumber, parseFrom, parseTo } from './address.js'

describe('nationalNumber', () => {
  it.each([
    ['(500) 555-0006', '+15005550006'],
    ['500-555-0006', '+15005550006'],
    ['500.555.0006', '+15005550006'],
    ['5005550006', '+15005550006'],
    ['1 (500) 555-0006', '+15005550006'],
  ])('reads %s as %s', (text, e164) => expect(nationalNumber(text)).toBe(e164))

  it.each(['12345', '(500) 555-000', '1234567890', '+15005550006', 'MyBrand', '500 555 0006 x1'])(
    'reads %s as no national number',
    (text) => expect(nationalNumber(text)).toBeUndefined(),
  )

  it('is how parseFrom reads a From without its country code', () => {
    expect(parseFrom('(500) 555-0006')).toMatchObject({
      raw: '(500) 555-0006',
      kind: 'phone',
      address: '+15005550006',
      country: 'US',
      national: true,
    })
    expect(parseFrom('+15005550006')?.national).toBeUndefined()
    expect(parseFrom('whatsapp:(500) 555-0006')).toBeUndefined()
  })
})

describe('parseTo', () => {
  it.each([
    ['+14155238886', 'US'],
    ['+447400123456', 'GB'],
    ['+4915112345678', 'DE'],
  ])('accepts the E.164 number %s (%s)', (value, country) => {
    const a = parseTo(value)
    expect(a).toMatchObject({
      raw: value,
      channel: 'sms',
      kind: 'phone',
      address: value,
      e164: value,
      country,
      fictional: false,
    })
  })

  it('gives number types for mobiles', () => {
    expect(parseTo('+447400123456')?.numberType).toBe('mobile')
    expect(parseTo('+4915112345678')?.numberType).toBe('mobile')
    expect(parseTo('+14155238886')?.numberType).toBe('fixed-or-mobile')
    expect(parseTo('+18005551234')?.numberType).toBe('toll-free')
  })

  it('accepts fictional and Twilio test numbers by default', () => {
    expect(parseTo('+15005550006')).toMatchObject({ e164: '+15005550006', country: 'US', fictional: true })
    expect(parseTo('+15555550100')).toMatchObject({ e164: '+15555550100', country: 'US', fictional: true })
    expect(parseTo('+12125550142')).toMatchObject({ country: 'US', fictional: true })
    expect(parseTo('+12125551234')?.fictional).toBe(false)
    // Ofcom's range of UK mobile numbers for drama, the UK's usual test numbers: a British mobile
    expect(parseTo('+447700900123')).toMatchObject({ e164: '+447700900123', country: 'GB', fictional: true })
    expect(parseTo('+44 7700 900999')).toMatchObject({
      e164: '+447700900999',
      country: 'GB',
      fictional: true,
    })
    expect(parseTo('+447700901123')?.fictional).toBe(false)
  })

  it('in strict mode rejects fictional and invalid numbers but keeps Twilio test numbers', () => {
    const strict = { strict: true }
    expect(parseTo('+15555550100', strict)).toBeUndefined()
    expect(parseTo('+15550100001', strict)).toBeUndefined()
    expect(parseTo('+12125550142', strict)).toBeUndefined()
    expect(parseTo('+611077501650', strict)).toBeUndefined()
    expect(parseTo('+15005550006', strict)).toMatchObject({ e164: '+15005550006', fictional: true })
    expect(parseTo('+15005550009', strict)?.e164).toBe('+15005550009')
    expect(parseTo('+447400123456', strict)?.country).toBe('GB')
    expect(parseTo('+447700900123', strict)).toBeUndefined()
  })

  it('accepts possible but invalid numbers in lenient mode', () => {
    expect(parseTo('+611077501650')).toMatchObject({ e164: '+611077501650', numberType: 'unknown' })
  })

  it('strips formatting and returns E.164', () => {
    expect(parseTo('+1 (555) 010-0001')).toMatchObject({
      raw: '+1 (555) 010-0001',
      address: '+15550100001',
      e164: '+15550100001',
      fictional: true,
    })
    expect(parseTo('+44 20.7183.8750')?.address).toBe('+442071838750')
  })

  it('parses channel addresses', () => {
    expect(parseTo('whatsapp:+14155238886')).toMatchObject({
      raw: 'whatsapp:+14155238886',
      channel: 'whatsapp',
      kind: 'phone',
      address: '+14155238886',
      e164: '+14155238886',
    })
    expect(parseTo('rcs:+447400123456')).toMatchObject({ channel: 'rcs', address: '+447400123456' })
    expect(parseTo('messenger:1234567890')).toMatchObject({
      channel: 'messenger',
      kind: 'channel-id',
      address: '1234567890',
      fictional: false,
    })
    expect(parseTo('messenger:1234567890')?.e164).toBeUndefined()
  })

  it.each([
    '',
    'hello',
    '12',
    '+1asd',
    '+12',
    'MyBrand',
    '12345',
    '14155238886',
    '+1212555012',
    'whatsapp:',
    'whatsapp:hello',
    'whatsapp:14155238886',
    'rcs:MyAgent',
    'messenger:abc',
    'messenger:',
    'telegram:+14155238886',
    '+1415523888612345',
  ])('rejects %j', (value) => {
    expect(parseTo(value)).toBeUndefined()
  })
})

describe('parseFrom', () => {
  it('accepts phones with the same rules as To', () => {
    expect(parseFrom('+15005550006')).toMatchObject({ kind: 'phone', e164: '+15005550006', fictional: true })
    expect(parseFrom('+15555550100', { strict: true })).toBeUndefined()
    expect(parseFrom('+1asd')).toBeUndefined()
  })

  it('accepts short codes', () => {
    expect(parseFrom('12345')).toMatchObject({ channel: 'sms', kind: 'short-code', address: '12345' })
    expect(parseFrom('123456')?.kind).toBe('short-code')
    expect(parseFrom('1234')).toBeUndefined()
    expect(parseFrom('1234567')).toBeUndefined()
  })

  it('accepts alphanumeric sender IDs of 1..11 characters with a letter', () => {
    expect(parseFrom('MyBrand')).toMatchObject({
      raw: 'MyBrand',
      channel: 'sms',
      kind: 'alphanumeric',
      address: 'MyBrand',
      fictional: false,
    })
    expect(parseFrom('My Brand 24')?.kind).toBe('alphanumeric')
    expect(parseFrom('A')?.kind).toBe('alphanumeric')
    expect(parseFrom('ThisIsTooLongX')).toBeUndefined()
    expect(parseFrom('TwelveChars!')).toBeUndefined()
    expect(parseFrom('Brand_1')).toBeUndefined()
    expect(parseFrom('1234567')).toBeUndefined()
    expect(parseFrom('')).toBeUndefined()
  })

  it('accepts alphanumeric sender IDs only on sms', () => {
    expect(parseFrom('whatsapp:MyBrand')).toBeUndefined()
    expect(parseFrom('whatsapp:12345')).toBeUndefined()
  })

  it('parses channel addresses', () => {
    expect(parseFrom('whatsapp:+14155238886')).toMatchObject({ channel: 'whatsapp', address: '+14155238886' })
    expect(parseFrom('WhatsApp:+14155238886')?.channel).toBe('whatsapp')
    expect(parseFrom('messenger:1234567890')).toMatchObject({ channel: 'messenger', kind: 'channel-id' })
  })
})

describe('isLandline', () => {
  it('is true for a UK geographic number', () => {
    const a = parseTo('+442071838750')
    expect(a).toMatchObject({ country: 'GB', numberType: 'landline' })
    expect(isLandline(a!)).toBe(true)
  })

  it('is false for mobiles, fixed-or-mobile and unknown numbers', () => {
    expect(isLandline(parseTo('+447400123456')!)).toBe(false)
    expect(isLandline(parseTo('+14155238886')!)).toBe(false)
    expect(isLandline(parseTo('+15555550100')!)).toBe(false)
  })
})

describe('addressKey', () => {
  it('keeps the channel prefix and normalizes phones to E.164', () => {
    expect(addressKey('whatsapp:+1 555 010 0001')).toBe('whatsapp:+15550100001')
    expect(addressKey('+44 (20) 7183-8750')).toBe('+442071838750')
    expect(addressKey('WhatsApp:+14155238886')).toBe('whatsapp:+14155238886')
    expect(addressKey('messenger:1234567890')).toBe('messenger:1234567890')
    expect(addressKey('MyBrand')).toBe('MyBrand')
    expect(addressKey('12345')).toBe('12345')
  })

  it('matches the address of parsed values', () => {
    for (const value of ['+1 (555) 010-0001', 'whatsapp:+14155238886', '+447400123456']) {
      const a = parseTo(value)!
      const key = a.channel === 'sms' ? a.address : `${a.channel}:${a.address}`
      expect(addressKey(value)).toBe(key)
    }
  })
})

describe('AddressCache', () => {
  it('returns fresh objects for repeated inputs', () => {
    const cache = new AddressCache()
    const a = parseTo('+14155238886', { cache })!
    a.address = 'mutated'
    expect(parseTo('+14155238886', { cache })?.address).toBe('+14155238886')
  })

  it('answers as the uncached parse does, first time or remembered', () => {
    const cache = new AddressCache()
    const number = (i: number) => `+1415${String(5_550_000 + i).padStart(7, '0')}`
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 200; i++) {
        expect(parseTo(number(i), { cache })).toEqual(parseTo(number(i)))
        expect(addressKey(` ${number(i).slice(0, 5)} ${number(i).slice(5)}`, cache)).toBe(number(i))
      }
    expect(parseTo('+1asd', { cache })).toBeUndefined()
    expect(parseFrom('whatsapp:+1 415 555 0000', { cache, strict: true })).toEqual(
      parseFrom('whatsapp:+1 415 555 0000', { strict: true }),
    )
  })

  it('belongs to one double: two doubles share no cache', () => {
    const a = createTwilioDouble()
    const b = createTwilioDouble()
    expect(a.backend.addresses).not.toBe(b.backend.addresses)
    expect(a.backend.addresses.addressKey('+1 415 555 0000')).toBe('+14155550000')
  })
})
