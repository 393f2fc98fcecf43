import { describe, expect, it } from 'vitest'
import { matchRoute } from './routes.js'

describe('matchRoute (the route table)', () => {
  const acc = '/2010-04-01/Accounts/AC123'

  it('names the operation and the SIDs of every path of the Messages resource', () => {
    const cases: [string, string, string | undefined, string[]][] = [
      ['POST', `${acc}/Messages.json`, 'create', []],
      ['GET', `${acc}/Messages.json`, 'list', []],
      ['GET', `${acc}/Messages/SM1.json`, 'fetch', ['SM1']],
      ['POST', `${acc}/Messages/SM1.json`, 'update', ['SM1']],
      ['DELETE', `${acc}/Messages/SM1.json`, 'delete', ['SM1']],
      ['GET', `${acc}/Messages/SM1/Media.json`, 'media', ['SM1']],
      ['GET', `${acc}/Messages/SM1/Media/ME1.json`, 'media', ['SM1', 'ME1']],
      ['DELETE', `${acc}/Messages/SM1/Media/ME1.json`, 'media', ['SM1', 'ME1']],
      ['POST', `${acc}/Messages/SM1/Feedback.json`, 'feedback', ['SM1']],
    ]
    for (const [method, path, operation, ids] of cases) {
      const found = matchRoute(method, path)
      expect(found.route?.operation, `${method} ${path}`).toBe(operation)
      if (found.route) {
        expect(found.accountSid).toBe('AC123')
        expect(found.ids).toEqual(ids)
      }
    }
  })

  it('names the Accounts list (no account in the path) and an account', () => {
    const list = matchRoute('POST', '/2010-04-01/Accounts.json')
    expect(list.route?.resource).toBe('accounts')
    expect(list.route && list.accountSid).toBeUndefined()
    const one = matchRoute('GET', `${acc}.json`)
    expect(one.route?.resource).toBe('account')
    expect(one.route && one.accountSid).toBe('AC123')
    expect(matchRoute('DELETE', `${acc}.json`)).toEqual({ route: undefined, allowed: ['GET', 'POST'] })
    expect(matchRoute('GET', `${acc}/Messages.json`).route?.resource).toBe('messages')
  })

  it('says which methods a known path allows, and nothing for an unknown path', () => {
    expect(matchRoute('PUT', `${acc}/Messages.json`)).toEqual({ route: undefined, allowed: ['POST', 'GET'] })
    expect(matchRoute('POST', `${acc}/Messages/SM1/Media.json`)).toEqual({
      route: undefined,
      allowed: ['GET'],
    })
    for (const path of [
      `${acc}/Messages`,
      `${acc}/messages.json`,
      `${acc}/Messages.json/`,
      `${acc}/Messages//Media.json`,
      `${acc}/Messages/SM1/Other.json`,
      `${acc}/Calls.json`,
      '/2010-04-01/Accounts//Messages.json',
      '/2010-04-01/Messages.json',
      '/',
      '',
    ])
      expect(matchRoute('GET', path), path).toEqual({ route: undefined, allowed: [] })
  })

  it('names the Content API paths (no account: the templates of the caller), on content.twilio.com only', () => {
    const cases: [string, string, string[]][] = [
      ['POST', '/v1/Content', []],
      ['GET', '/v1/Content', []],
      ['GET', '/v1/Content/HX1', ['HX1']],
      ['DELETE', '/v1/Content/HX1', ['HX1']],
      ['GET', '/v1/Content/HX1/ApprovalRequests', ['HX1']],
      ['POST', '/v1/Content/HX1/ApprovalRequests/whatsapp', ['HX1']],
    ]
    for (const [method, path, ids] of cases) {
      const found = matchRoute(method, path, 'content.twilio.com')
      expect(found.route?.resource, `${method} ${path}`).toBe('content')
      expect(found.route && [found.accountSid, found.ids]).toEqual([undefined, ids])
      // a local server or double.fetch with another host: by path
      expect(matchRoute(method, path, '127.0.0.1').route?.resource).toBe('content')
      // api.twilio.com has no Content API
      expect(matchRoute(method, path, 'api.twilio.com')).toEqual({ route: undefined, allowed: [] })
    }
    expect(matchRoute('PUT', '/v1/Content/HX1', 'content.sydney.au1.twilio.com')).toEqual({
      route: undefined,
      allowed: ['GET', 'DELETE'],
    })
    expect(matchRoute('GET', `${acc}/Messages.json`, 'content.twilio.com')).toEqual({
      route: undefined,
      allowed: [],
    })
  })
})
