import { describe, expect, it } from 'vitest'
import { findRoute, ROUTES, splitUrl } from './handle.js'

describe('splitUrl (the path and query the pipeline routes on)', () => {
  const whatwg = (raw: string) => {
    const url = new URL(raw)
    return { pathname: url.pathname, query: url.search.slice(1) }
  }

  it('reads every URL as WHATWG URL parsing does, on its fast path and off it', () => {
    const base = 'https://api.twilio.com/2010-04-01/Accounts/AC123/Messages'
    const urls = [
      `${base}.json`,
      `${base}.json?`,
      `${base}.json?To=%2B15550001111&PageSize=20`,
      `${base}.json?DateSent%3C=2024-01-01&To=whatsapp:+1555`,
      `${base}.json?Body=a+b&x=y#fragment`,
      `${base}/SM0123456789abcdef0123456789abcdef.json`,
      `${base}/SM0123/Media/ME1.json?PageToken=PAME1`,
      `http://localhost${'/2010-04-01/Accounts/AC1/Messages.json'}`,
      'http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?a=1',
      'http://[::1]:4010/2010-04-01/Accounts/AC1/Messages.json',
      `${base}/../Messages.json`,
      `${base}/./x/%2e%2E/Messages.json`,
      `${base}/a b.json?q="quoted" <x>`,
      `${base}.json?q=it's`,
      `${base}.json?Body=ünï`,
      `${base}\\x.json`,
      'HTTPS://API.TWILIO.COM/2010-04-01/Accounts/AC1/Messages.json',
      'https://user:pass@api.twilio.com/2010-04-01/Accounts/AC1/Messages.json',
      `${base}.json?To=%2B1&x=a/b?c&y=@:`,
      `${base}/%2E%2e/x.json`,
      `${base}/.well-known`,
      'http:///2010-04-01/Accounts/AC1/Messages.json',
      'https://api.twilio.com?To=1',
      'https://api.twilio.com',
      'https://api.twilio.com/?',
    ]
    for (const raw of urls) expect(splitUrl(raw), raw).toEqual(whatwg(raw))
  })

  it('answers undefined for what is not a URL', () => {
    expect(splitUrl('/2010-04-01/Accounts/AC1/Messages.json')).toBeUndefined()
    expect(splitUrl('not a url')).toBeUndefined()
  })
})

describe('findRoute (routing without regular expressions)', () => {
  // what the route table's patterns say, route by route in order
  const byPattern = (method: string, path: string) => {
    for (const route of ROUTES) {
      if (route.method !== method) continue
      const match = route.pattern.exec(path)
      if (match) return { route, match: [...match] }
    }
    return undefined
  }

  it('finds the route and the path parts the patterns find, for every method and every kind of path', () => {
    const acc = '/2010-04-01/Accounts/AC123'
    const paths = [
      `${acc}/Messages.json`,
      `${acc}/Messages/SM1.json`,
      `${acc}/Messages/SM1/Media.json`,
      `${acc}/Messages/SM1/Media/ME1.json`,
      `${acc}/Messages/SM1/Feedback.json`,
      `${acc}/Messages/a.json.json`,
      `${acc}/Messages/.json`,
      `${acc}/Messages/x.json`,
      `${acc}/Messages//Media.json`,
      `${acc}/Messages/SM1/Media/.json`,
      `${acc}/Messages/SM1/Media/ME1.json/`,
      `${acc}/Messages/SM1/Other.json`,
      `${acc}/Messages/SM1/Media/ME1/x.json`,
      `${acc}/Messages.json/`,
      `${acc}/Messages`,
      `${acc}/messages.json`,
      `${acc}/Messages.xml`,
      `${acc}/Messages/SM1`,
      `${acc}/Calls.json`,
      '/2010-04-01/Accounts//Messages.json',
      '/2010-04-01/Accounts/Messages.json',
      '/2010-04-01/Accounts/AC 1 "x"/Messages.json',
      '/2010-04-01/Accounts/AC1.json',
      '/2010-04-01/Messages.json',
      '/Messages.json',
      '/',
      '',
    ]
    for (const method of ['GET', 'POST', 'DELETE', 'PUT', 'OPTIONS'])
      for (const path of paths) {
        const expected = byPattern(method, path)
        const found = findRoute(method, path)
        expect(found?.route, `${method} ${path}`).toBe(expected?.route)
        expect(found?.match, `${method} ${path}`).toEqual(expected?.match)
      }
  })
})
