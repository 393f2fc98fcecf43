import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkRequest, checkResponse, findOperation, isRfc2822, loadSlice } from './support/openapi.js'

const AC = 'AC' + '0123456789abcdef'.repeat(2)
const SM = 'SM' + 'fedcba9876543210'.repeat(2)
const MG = 'MG' + 'a'.repeat(32)
const BASE = `/2010-04-01/Accounts/${AC}`
const MESSAGE_URI = `${BASE}/Messages/${SM}.json`

function message(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account_sid: AC,
    api_version: '2010-04-01',
    body: 'Hello! 👍',
    date_created: 'Thu, 24 Aug 2023 05:01:45 +0000',
    date_sent: null,
    date_updated: 'Thu, 24 Aug 2023 05:01:45 +0000',
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: '+14155552345',
    messaging_service_sid: MG,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: SM,
    status: 'queued',
    subresource_uris: {
      media: `${BASE}/Messages/${SM}/Media.json`,
      feedback: `${BASE}/Messages/${SM}/Feedback.json`,
    },
    to: '+14155559876',
    uri: MESSAGE_URI,
    ...overrides,
  }
}

const SUB = `AC${'fedcba9876543210'.repeat(2)}`

function account(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${SUB}`
  return {
    auth_token: '0123456789abcdef0123456789abcdef',
    date_created: 'Thu, 24 Aug 2023 05:01:45 +0000',
    date_updated: 'Thu, 24 Aug 2023 05:01:45 +0000',
    friendly_name: 'ci worker 1',
    owner_account_sid: AC,
    sid: SUB,
    status: 'active',
    subresource_uris: { messages: `${base}/Messages.json`, calls: `${base}/Calls.json` },
    type: 'Full',
    uri: `${base}.json`,
    ...overrides,
  }
}

function collectKeys(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) collectKeys(v, into)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k)
      collectKeys(v, into)
    }
  }
  return into
}

describe('OpenAPI slice', () => {
  const spec = loadSlice()

  it('has exactly the 9 Message / Media / Feedback operations and the 4 Account operations', () => {
    const ids: string[] = []
    for (const item of Object.values<any>(spec.paths)) {
      for (const op of Object.values<any>(item))
        if (op && typeof op.operationId === 'string') ids.push(op.operationId)
    }
    expect(ids.sort()).toEqual(
      [
        'CreateMessage',
        'ListMessage',
        'FetchMessage',
        'UpdateMessage',
        'DeleteMessage',
        'ListMedia',
        'FetchMedia',
        'DeleteMedia',
        'CreateMessageFeedback',
        'CreateAccount',
        'FetchAccount',
        'ListAccount',
        'UpdateAccount',
      ].sort(),
    )
    expect(Object.keys(spec.paths)).toHaveLength(7)
    expect(spec.info.title).toBe('Twilio - Api (Message and Account slice)')
    expect(spec.info['x-slice'].note).toContain('Account, Message, Media and Feedback paths only')
  })

  it('is shipped as contracts/openapi/twilio_api_v2010.messaging-slice.json: the file its README names, the checker reads and the package holds', () => {
    const dir = new URL('../contracts/openapi/', import.meta.url)
    const name = 'twilio_api_v2010.messaging-slice.json'
    expect(readdirSync(dir).sort()).toEqual(['LICENSE', 'README.md', name])
    expect(JSON.parse(readFileSync(new URL(name, dir), 'utf8'))).toEqual(spec)
    expect(readFileSync(new URL('README.md', dir), 'utf8')).toContain(`\`${name}\` is a trimmed slice`)
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    expect(pkg.files).toContain('contracts/openapi')
  })

  it('carries no prose or examples, but keeps x-twilio.conditional and the licence pointer', () => {
    const keys = collectKeys(spec, new Set())
    for (const k of ['description', 'summary', 'example', 'examples', 'pii']) expect(keys.has(k)).toBe(false)
    const create = spec.paths['/2010-04-01/Accounts/{AccountSid}/Messages.json'].post
    expect(create['x-twilio'].conditional).toEqual([
      ['from', 'messaging_service_sid'],
      ['body', 'media_url', 'content_sid'],
    ])
    expect(spec.info.license.name).toBe('MIT')
    expect(spec.info['x-slice'].licenseFile).toBe('LICENSE')
  })

  it('resolves every $ref inside the slice', () => {
    const refs: string[] = []
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit)
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref') refs.push(x as string)
          else visit(x)
        }
      }
    }
    visit(spec)
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) {
      const name = ref.replace('#/components/schemas/', '')
      expect(spec.components.schemas[name], ref).toBeDefined()
    }
  })
})

describe('findOperation', () => {
  it('maps concrete paths to operations, ignoring the query string', () => {
    expect(findOperation('GET', MESSAGE_URI)?.operationId).toBe('FetchMessage')
    expect(findOperation('post', `${BASE}/Messages.json`)?.operationId).toBe('CreateMessage')
    expect(
      findOperation('GET', `${BASE}/Messages.json?PageSize=20&DateSent%3C=2023-01-01`)?.operationId,
    ).toBe('ListMessage')
    expect(
      findOperation('DELETE', `${BASE}/Messages/${SM}/Media/ME${'1'.repeat(32)}.json`)?.operationId,
    ).toBe('DeleteMedia')
    expect(
      findOperation('POST', `https://api.twilio.com${BASE}/Messages/${SM}/Feedback.json`)?.template,
    ).toBe('/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Feedback.json')
    expect(findOperation('GET', '/2010-04-01/Accounts.json?Status=active')?.operationId).toBe('ListAccount')
    expect(findOperation('POST', '/2010-04-01/Accounts.json')?.operationId).toBe('CreateAccount')
    expect(findOperation('GET', `/2010-04-01/Accounts/${SUB}.json`)?.operationId).toBe('FetchAccount')
    expect(findOperation('POST', `/2010-04-01/Accounts/${SUB}.json`)?.operationId).toBe('UpdateAccount')
    expect(findOperation('DELETE', `/2010-04-01/Accounts/${SUB}.json`)).toBeUndefined()
    expect(findOperation('PUT', MESSAGE_URI)).toBeUndefined()
    expect(findOperation('GET', `${BASE}/Calls.json`)).toBeUndefined()
  })
})

describe('checkResponse', () => {
  it('accepts a correct message', () => {
    expect(checkResponse('POST', `${BASE}/Messages.json`, 201, message())).toEqual([])
    expect(
      checkResponse('GET', MESSAGE_URI, 200, message({ status: 'delivered', error_code: 30003 })),
    ).toEqual([])
    expect(checkResponse('GET', MESSAGE_URI, 200, message(), { allProperties: true })).toEqual([])
  })

  it('accepts a correct list envelope', () => {
    const uri = `${BASE}/Messages.json?PageSize=50&Page=0`
    const page = {
      end: 1,
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: 50,
      previous_page_uri: null,
      start: 0,
      uri,
      messages: [message(), message({ sid: `MM${'b'.repeat(32)}`, num_media: '1' })],
    }
    expect(checkResponse('GET', uri, 200, page, { allProperties: true })).toEqual([])
  })

  it('accepts an account and a page of accounts, and reports what Twilio never answers for one', () => {
    const uri = `/2010-04-01/Accounts/${SUB}.json`
    expect(
      checkResponse('POST', '/2010-04-01/Accounts.json', 201, account(), { allProperties: true }),
    ).toEqual([])
    expect(checkResponse('GET', uri, 200, account({ status: 'closed' }), { allProperties: true })).toEqual([])
    const list = '/2010-04-01/Accounts.json?PageSize=50&Page=0'
    const page = {
      accounts: [
        account(),
        account({ sid: AC, owner_account_sid: AC, uri: `/2010-04-01/Accounts/${AC}.json` }),
      ],
      end: 1,
      first_page_uri: list,
      next_page_uri: null,
      page: 0,
      page_size: 50,
      previous_page_uri: null,
      start: 0,
      uri: list,
    }
    expect(checkResponse('GET', list, 200, page, { allProperties: true })).toEqual([])
    expect(checkResponse('GET', uri, 200, account({ balance: '10.00' }))).toEqual([
      { path: '$.balance', problem: expect.stringContaining('unknown field') },
    ])
    expect(checkResponse('POST', uri, 200, account({ status: 'deleted' }))[0]?.path).toBe('$.status')
    expect(checkResponse('GET', uri, 200, account({ type: 'Premium' }))[0]?.path).toBe('$.type')
    expect(checkResponse('GET', uri, 200, account({ owner_account_sid: 'AC1' }))[0]?.path).toBe(
      '$.owner_account_sid',
    )
    expect(checkResponse('POST', '/2010-04-01/Accounts.json', 200, account())[0]?.problem).toContain(
      'not declared',
    )
  })

  it('accepts an empty body on 204', () => {
    expect(checkResponse('DELETE', MESSAGE_URI, 204, undefined)).toEqual([])
    expect(checkResponse('DELETE', MESSAGE_URI, 204, '')).toEqual([])
    expect(checkResponse('DELETE', MESSAGE_URI, 204, { sid: SM })).toHaveLength(1)
  })

  it('reports num_segments given as a number', () => {
    const problems = checkResponse('GET', MESSAGE_URI, 200, message({ num_segments: 1 }))
    expect(problems).toEqual([
      { path: '$.num_segments', problem: expect.stringContaining('expected string') },
    ])
  })

  it('reports error_code given as a string', () => {
    const problems = checkResponse('GET', MESSAGE_URI, 200, message({ error_code: '30003' }))
    expect(problems).toEqual([{ path: '$.error_code', problem: expect.stringContaining('expected integer') }])
  })

  it('reports an unknown field', () => {
    const problems = checkResponse('GET', MESSAGE_URI, 200, message({ segments: 1 }))
    expect(problems).toEqual([{ path: '$.segments', problem: expect.stringContaining('unknown field') }])
  })

  it('reports a wrong enum status', () => {
    const problems = checkResponse('GET', MESSAGE_URI, 200, message({ status: 'cancelled' }))
    expect(problems).toEqual([{ path: '$.status', problem: expect.stringContaining('not one of') }])
  })

  it('reports a bad sid pattern', () => {
    const problems = checkResponse('GET', MESSAGE_URI, 200, message({ sid: `SX${'a'.repeat(32)}` }))
    expect(problems).toEqual([{ path: '$.sid', problem: expect.stringContaining('does not match pattern') }])
  })

  it('reports non-nullable nulls, bad dates and bad list items', () => {
    expect(checkResponse('GET', MESSAGE_URI, 200, message({ direction: null }))[0]?.path).toBe('$.direction')
    const badDate = checkResponse('GET', MESSAGE_URI, 200, message({ date_created: '2023-08-24T05:01:45Z' }))
    expect(badDate).toEqual([{ path: '$.date_created', problem: expect.stringContaining('RFC 2822') }])
    const list = { messages: [message(), message({ num_media: 0 })] }
    expect(checkResponse('GET', `${BASE}/Messages.json`, 200, list)[0]?.path).toBe('$.messages[1].num_media')
    const missing = checkResponse('GET', MESSAGE_URI, 200, { sid: SM }, { allProperties: true })
    expect(missing.length).toBeGreaterThan(10)
  })

  it('reports an undeclared success status', () => {
    expect(checkResponse('POST', `${BASE}/Messages.json`, 200, message())[0]?.problem).toContain(
      'not declared',
    )
  })

  it('accepts a Twilio error body and reports a 404 error body with a missing code', () => {
    const error = {
      code: 20404,
      message: `The requested resource ${MESSAGE_URI} was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    }
    expect(checkResponse('GET', MESSAGE_URI, 404, error)).toEqual([])
    const { code: _code, ...withoutCode } = error
    expect(checkResponse('GET', MESSAGE_URI, 404, withoutCode)).toEqual([
      { path: '$', problem: expect.stringContaining('"code"') },
    ])
    expect(checkResponse('GET', MESSAGE_URI, 404, { ...error, code: '20404' })[0]?.path).toBe('$.code')
  })
})

describe('checkRequest', () => {
  it('reports an unknown form parameter Bodyy', () => {
    const problems = checkRequest('POST', `${BASE}/Messages.json`, {
      form: { To: '+14155559876', From: '+14155552345', Bodyy: 'hi' },
    })
    expect(problems.map((p) => p.path)).toContain('form["Bodyy"]')
    expect(problems.find((p) => p.path === 'form["Bodyy"]')?.problem).toContain('unknown form parameter')
  })

  it('accepts To, From, Body, MediaUrl', () => {
    expect(
      checkRequest('POST', `${BASE}/Messages.json`, {
        form: {
          To: '+14155559876',
          From: '+14155552345',
          Body: 'hi',
          MediaUrl: ['https://example.com/a.png'],
        },
      }),
    ).toEqual([])
  })

  it('reports a missing required To and unmet conditional groups', () => {
    const problems = checkRequest('POST', `${BASE}/Messages.json`, { form: { Body: 'hi' } })
    expect(problems).toEqual([
      { path: 'form["To"]', problem: 'missing required form parameter' },
      { path: 'form', problem: expect.stringContaining('From, MessagingServiceSid') },
    ])
  })

  it('accepts DateSent< and PageSize on ListMessage, rejects unknown query names', () => {
    expect(
      checkRequest('GET', `${BASE}/Messages.json`, { query: { 'DateSent<': '2023-08-24', PageSize: '20' } }),
    ).toEqual([])
    const problems = checkRequest('GET', `${BASE}/Messages.json`, { query: { DateSentBefore: '2023-08-24' } })
    expect(problems).toEqual([
      { path: 'query["DateSentBefore"]', problem: expect.stringContaining('unknown query') },
    ])
  })

  it('checks the parameters of the Account operations', () => {
    expect(
      checkRequest('GET', '/2010-04-01/Accounts.json', { query: { FriendlyName: 'w1', Status: 'active' } }),
    ).toEqual([])
    expect(checkRequest('GET', '/2010-04-01/Accounts.json', { query: { Status: 'gone' } })[0]?.path).toBe(
      'query["Status"]',
    )
    expect(checkRequest('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: 'w1' } })).toEqual([])
    const uri = `/2010-04-01/Accounts/${SUB}.json`
    expect(checkRequest('POST', uri, { form: { Status: 'suspended', FriendlyName: 'x' } })).toEqual([])
    expect(checkRequest('POST', uri, { form: { AuthToken: 'x' } })[0]?.problem).toContain(
      'unknown form parameter for UpdateAccount',
    )
    expect(checkRequest('GET', '/2010-04-01/Accounts/AC1.json', {})[0]?.path).toBe('path {Sid}')
  })

  it('checks UpdateMessage and Feedback form bodies', () => {
    expect(checkRequest('POST', MESSAGE_URI, { form: { Status: 'canceled' } })).toEqual([])
    expect(checkRequest('POST', MESSAGE_URI, { form: { To: '+1' } })[0]?.path).toBe('form["To"]')
    expect(
      checkRequest('POST', `${BASE}/Messages/${SM}/Feedback.json`, { form: { Outcome: 'confirmed' } }),
    ).toEqual([])
    expect(checkRequest('GET', MESSAGE_URI, { form: { Body: 'x' } })[0]?.problem).toContain(
      'takes no form body',
    )
  })
})

describe('isRfc2822', () => {
  it('accepts Twilio dates and rejects others', () => {
    expect(isRfc2822('Thu, 24 Aug 2023 05:01:45 +0000')).toBe(true)
    expect(isRfc2822('Fri, 24 Aug 2023 05:01:45 +0000')).toBe(false) // wrong weekday
    expect(isRfc2822('Thu, 24 Aug 2023 05:01:45 GMT')).toBe(false)
    expect(isRfc2822('Thu, 4 Aug 2023 05:01:45 +0000')).toBe(false)
    expect(isRfc2822('2023-08-24T05:01:45.000Z')).toBe(false)
  })
})
