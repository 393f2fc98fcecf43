import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID } from '../../src/config.js'
import { json } from '../../src/http/respond.js'
import { checkExchange, createCheckedDouble } from '../support/checked-double.js'
import { ACCOUNT_PATH, API, call, createOk, get } from '../support/requests.js'

const SM = `SM${'a'.repeat(32)}`
const fetchReq = new Request(`${API}${ACCOUNT_PATH}/Messages/${SM}.json`)

describe('the exchange checker catches what it must', () => {
  it('accepts a real answer of the double', async () => {
    const checked = createCheckedDouble()
    const m = await createOk(checked.double, { To: '+15550001111', From: '+15005550006', Body: 'x' })
    await call(checked.double, get(`/Messages/${m.sid}.json`))
    await checked.expectClean(2)
    expect(checked.exchanges.map((e) => e.status)).toEqual([201, 200])
  })

  it('reports an undeclared field, a wrong type and a missing property', async () => {
    const problems = await checkExchange(fetchReq, json(200, { sid: SM, num_segments: 1, extra: true }))
    const text = problems.map((p) => `${p.path} ${p.problem}`).join('\n')
    expect(text).toContain('$.extra unknown field')
    expect(text).toContain('$.num_segments expected string')
    expect(text).toContain('missing declared property "account_sid"')
  })

  it('reports a missing or wrong content-length and a missing content-type', async () => {
    const noLength = new Response('{}', { status: 404, headers: { 'content-type': 'application/json' } })
    expect((await checkExchange(fetchReq, noLength)).map((p) => p.problem)).toContain('no content-length')
    const wrongLength = new Response(new TextEncoder().encode('{}'), {
      status: 404,
      headers: { 'content-length': '7' },
    })
    const problems = (await checkExchange(fetchReq, wrongLength)).map((p) => p.problem)
    expect(problems).toContain('no content-type')
    expect(problems).toContain('content-length 7 but 2 bytes')
  })

  it('reports error bodies that leave the catalog', async () => {
    const wrongStatus = json(404, {
      code: 21211,
      message: 'x',
      more_info: 'https://www.twilio.com/docs/errors/21211',
      status: 404,
    })
    expect((await checkExchange(fetchReq, wrongStatus)).map((p) => p.problem)).toContain(
      'catalog status of 21211 is 400, got 404',
    )
    const wrongText = json(400, {
      code: 21602,
      message: 'Body missing',
      more_info: 'https://www.twilio.com/docs/errors/21602',
      status: 400,
    })
    expect((await checkExchange(fetchReq, wrongText)).map((p) => p.path)).toContain('$.message')
    const unknown = json(400, {
      code: 99999,
      message: 'x',
      more_info: 'https://x.example/99999',
      status: 400,
    })
    const problems = (await checkExchange(fetchReq, unknown)).map((p) => p.path)
    expect(problems).toEqual(expect.arrayContaining(['$.code', '$.more_info']))
    const extraField = json(400, {
      code: 21602,
      message: 'Message body is required.',
      more_info: 'https://www.twilio.com/docs/errors/21602',
      status: 400,
      account_sid: DEFAULT_ACCOUNT_SID,
    })
    expect((await checkExchange(fetchReq, extraField)).length).toBeGreaterThan(0)
  })

  it('reports a 5xx and a success on an undeclared operation', async () => {
    const fault = json(500, {
      code: 20500,
      message: 'Internal Server Error',
      more_info: 'https://www.twilio.com/docs/errors/20500',
      status: 500,
    })
    expect((await checkExchange(fetchReq, fault)).map((p) => p.problem)).toContain('server error 500')
    const calls = new Request(`${API}${ACCOUNT_PATH}/Calls.json`)
    expect((await checkExchange(calls, json(200, {}))).map((p) => p.problem)).toContain(
      'success 200 for an undeclared operation',
    )
  })
})
