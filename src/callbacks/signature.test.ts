import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { twilioSignature } from './signature.js'

describe('twilioSignature', () => {
  it("matches the documented example of Twilio's security guide", () => {
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    }
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe(
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    )
  })

  it('agrees with the twilio package for unicode values, repeated keys and query strings', () => {
    const url = 'http://127.0.0.1:4321/hooks/status?tenant=a%20b&x=1'
    const params = { Body: 'Grüße 👋 & more', MediaUrl: ['b', 'a', 'b'], To: 'whatsapp:+15550001111' }
    const signature = twilioSignature('token-1', url, params)
    expect(twilio.getExpectedTwilioSignature('token-1', url, params)).toBe(signature)
    expect(twilio.validateRequest('token-1', signature, url, params)).toBe(true)
    expect(twilio.validateRequest('token-2', signature, url, params)).toBe(false)
    expect(twilio.validateRequest('token-1', signature, url, { ...params, Body: 'changed' })).toBe(false)
  })
})
