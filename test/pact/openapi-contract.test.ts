import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  errorMatcher,
  messageMatcher,
  messagePageMatcher,
  pactMatchers,
  twilioMatchers,
} from '../../src/pact/index.js'
import { checkResponse } from '../support/openapi.js'
import { checkInteraction, checkPact, describeProblems, reifyBody } from './support/pact-openapi.js'

const PACTS = fileURLToPath(new URL('../../contracts/pacts/', import.meta.url))
const pactFiles = readdirSync(PACTS).filter((f) => f.endsWith('.json'))
const MESSAGES = '/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json'
const MESSAGE =
  '/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages/SM00000000000000000000000000000001.json'

describe('committed pacts against the OpenAPI slice of Twilio', () => {
  it('there is at least the reference consumer pact', () => {
    expect(pactFiles).toContain('notifications-app-Twilio.json')
  })

  for (const file of pactFiles) {
    it(`${file}: every interaction uses declared paths, parameters, statuses and response fields`, () => {
      const reports = checkPact(join(PACTS, file))
      expect(reports.length).toBeGreaterThan(0)
      expect(describeProblems(reports)).toEqual([])
    })
  }
})

describe('the matchers of the builders describe what Twilio sends', () => {
  it('a message, a page and an error body reify to valid examples', () => {
    expect(
      checkResponse('POST', MESSAGES, 201, reifyBody(messageMatcher()), { allProperties: true }),
    ).toEqual([])
    expect(
      checkResponse('GET', MESSAGES, 200, reifyBody(messagePageMatcher({ status: 'delivered' }))),
    ).toEqual([])
    expect(checkResponse('GET', MESSAGE, 404, reifyBody(errorMatcher(20404)))).toEqual([])
  })

  it('pactMatchers are the matchers of twilioMatchers under a name of their own', () => {
    const body = reifyBody({
      ...(reifyBody(messageMatcher()) as Record<string, unknown>),
      sid: pactMatchers.messageSid(),
      status: pactMatchers.messageStatus('sent'),
    })
    expect(checkResponse('POST', MESSAGES, 201, body, { allProperties: true })).toEqual([])
    expect(pactMatchers).toBe(twilioMatchers)
  })
})

describe('the check finds what Twilio never sends', () => {
  const base = {
    description: 'a create',
    request: {
      method: 'POST',
      path: MESSAGES,
      body: {
        content: 'To=%2B15558675310&From=%2B15005550006&Body=Hi',
        contentType: 'application/x-www-form-urlencoded',
      },
    },
    response: {
      status: 201,
      body: { content: reifyBody(messageMatcher()), contentType: 'application/json' },
    },
  }

  it('a valid interaction has no problem', () => {
    expect(checkInteraction(base).problems).toEqual([])
  })

  it('an unknown response field', () => {
    const withTags = { ...(reifyBody(messageMatcher()) as object), tags: { campaign: 'spring' } }
    const report = checkInteraction({ ...base, response: { status: 201, body: { content: withTags } } })
    expect(report.problems).toEqual([
      { path: 'response $.tags', problem: 'unknown field (not declared in the schema)' },
    ])
  })

  it('a wrong status code', () => {
    const report = checkInteraction({ ...base, response: { ...base.response, status: 200 } })
    expect(report.problems.map((p) => p.problem)).toEqual([
      expect.stringContaining('status 200 is not declared'),
    ])
  })

  it('a wrong type (num_segments as a number)', () => {
    const wrong = { ...(reifyBody(messageMatcher()) as object), num_segments: 1 }
    const report = checkInteraction({ ...base, response: { status: 201, body: { content: wrong } } })
    expect(report.problems.map((p) => p.path)).toEqual(['response $.num_segments'])
  })

  it('an unknown form parameter and a missing required one', () => {
    const report = checkInteraction({
      ...base,
      request: {
        ...base.request,
        body: { content: 'Recipient=%2B1555&Body=Hi', contentType: 'application/x-www-form-urlencoded' },
      },
    })
    const problems = report.problems.map((p) => `${p.path} ${p.problem}`)
    expect(problems).toContain('request form["Recipient"] unknown form parameter for CreateMessage')
    expect(problems).toContain('request form["To"] missing required form parameter')
  })

  it('an unknown path', () => {
    const report = checkInteraction({
      ...base,
      request: { ...base.request, path: '/2010-04-01/Accounts/AC1/Texts.json' },
    })
    expect(report.problems[0]?.problem).toMatch(/no operation for POST/)
  })
})
