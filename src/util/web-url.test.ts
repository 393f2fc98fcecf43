import { describe, expect, it } from 'vitest'
import { isWebUrl } from './web-url.js'

describe('isWebUrl()', () => {
  it('takes an absolute http or https URL with a host name', () => {
    for (const url of ['https://example.com/cat.png', 'http://127.0.0.1:3000/sms', 'HTTP://EXAMPLE.COM'])
      expect(isWebUrl(url), url).toBe(true)
  })

  it('refuses another scheme, a relative URL, no URL, and a URL without a host name', () => {
    for (const url of [
      'ftp://example.com/cat.png',
      '/sms',
      'not a url',
      '',
      'http://',
      'https://:8080/sms',
      'https:///',
    ])
      expect(isWebUrl(url), url).toBe(false)
  })
})
