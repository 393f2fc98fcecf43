import { describe, expect, it } from 'vitest'
import { TwilioApiError } from '../errors/twilio-api-error.js'
import { UnknownCursorError } from '../messaging/errors.js'
import { listMessagesParamsSchema } from '../schemas/params.js'
import { apiErrorOf, readList, readListMedia } from './commands.js'

const AC = 'AC00000000000000000000000000000001'
const SM = `SM${'a'.repeat(32)}`

/** The Twilio error a read of List Messages' query throws. */
function refusal(params: Record<string, string | string[]>): { code: number; message: string } {
  try {
    readList(AC, params)
  } catch (err) {
    if (err instanceof TwilioApiError) return { code: err.code, message: err.message }
    throw err
  }
  throw new Error('readList() took the query')
}

describe('readList(): List Messages query → typed command', () => {
  it('types every parameter: numbers, a date range in epoch ms, a cursor; empty values are not given', () => {
    expect(
      readList(AC, {
        To: '+15550001111',
        From: '',
        'DateSent>': '2024-06-01',
        'DateSent<': '2024-06-03',
        PageSize: ' 20 ',
        Page: '2',
        PageToken: `PB${SM}`,
      }),
    ).toEqual({
      accountSid: AC,
      to: '+15550001111',
      dateSentAfter: Date.parse('2024-06-01T00:00:00Z'),
      dateSentBefore: Date.parse('2024-06-04T00:00:00Z') - 1,
      pageSize: 20,
      page: 2,
      cursor: { direction: 'before', messageSid: SM },
    })
    expect(readList(AC, { DateSent: '2024-06-01T10:00:00Z', PageToken: '' })).toEqual({
      accountSid: AC,
      dateSentAfter: Date.parse('2024-06-01T00:00:00Z'),
      dateSentBefore: Date.parse('2024-06-02T00:00:00Z') - 1,
      pageSize: 50,
      page: 0,
    })
  })

  it('refuses what the schema of twilio-double/schemas refuses, with the error Twilio gives', () => {
    for (const [params, key] of [
      [{ PageSize: '0' }, 'PageSize'],
      [{ PageSize: '1001' }, 'PageSize'],
      [{ Page: '-1' }, 'Page'],
      [{ 'DateSent<': 'soon' }, 'DateSent<'],
      [{ PageToken: 'PAnope' }, 'PageToken'],
    ] as const) {
      const parsed = listMessagesParamsSchema.safeParse(params)
      expect(
        parsed.error?.issues.map((i) => i.path[0]),
        key,
      ).toContain(key)
    }
    expect(refusal({ PageSize: '1001' })).toMatchObject({ code: 20007 })
    expect(refusal({ PageSize: '2.5' })).toEqual({
      code: 20001,
      message: "Invalid PageSize '2.5': use an integer from 1 to 1000",
    })
    expect(refusal({ Page: '9'.repeat(20) })).toEqual({
      code: 20001,
      message: `Invalid Page '${'9'.repeat(20)}': the page is out of range`,
    })
    expect(refusal({ PageToken: `PX${SM}` })).toEqual({ code: 20001, message: `Invalid PageToken 'PX${SM}'` })
  })

  it('answers the first problem in Twilio order: PageSize, Page, DateSent, DateSent<, DateSent>, PageToken', () => {
    const all = {
      PageSize: 'x',
      Page: 'x',
      DateSent: 'x',
      'DateSent<': 'x',
      'DateSent>': 'x',
      PageToken: 'x',
    }
    const order = ['PageSize', 'Page', 'DateSent', 'DateSent<', 'DateSent>', 'PageToken']
    for (let i = 0; i < order.length; i++) {
      const params = Object.fromEntries(order.slice(i).map((k) => [k, all[k as keyof typeof all]]))
      expect(refusal(params).message).toMatch(new RegExp(`^Invalid ${order[i]} 'x'`))
    }
  })

  it('a repeated parameter is read by its first value', () => {
    expect(readList(AC, { PageSize: ['2', 'x'] }).pageSize).toBe(2)
    expect(refusal({ PageSize: ['x', '2'] }).code).toBe(20001)
  })

  it("a cursor the domain does not know is Twilio's 20001 naming the token as sent", () => {
    const err = apiErrorOf(new UnknownCursorError({ direction: 'after', messageSid: SM }), '/p')
    expect(err).toBeInstanceOf(TwilioApiError)
    expect((err as TwilioApiError).toBody()).toMatchObject({
      code: 20001,
      message: `Invalid PageToken 'PA${SM}'`,
    })
  })
})

describe('readListMedia(): a Media list query → typed command', () => {
  const ME = `ME${'b'.repeat(32)}`

  it('types every parameter: numbers, a date range in epoch ms, a cursor; empty values are not given', () => {
    expect(
      readListMedia({
        DateCreated: '',
        'DateCreated>': '2024-06-01',
        'DateCreated<': '2024-06-03',
        PageSize: ' 2 ',
        Page: '1',
        PageToken: `PA${ME}`,
      }),
    ).toEqual({
      dateCreatedAfter: Date.parse('2024-06-01T00:00:00Z'),
      dateCreatedBefore: Date.parse('2024-06-04T00:00:00Z') - 1,
      pageSize: 2,
      page: 1,
      cursor: { direction: 'after', mediaSid: ME },
    })
    expect(readListMedia({ PageToken: '' })).toEqual({ pageSize: 50, page: 0 })
  })

  it("refuses a cursor of the Messages list: a Media list's cursor names a media SID", () => {
    expect(() => readListMedia({ PageToken: `PB${SM}` })).toThrow(`Invalid PageToken 'PB${SM}'`)
    expect(readListMedia({ PageToken: `PB${ME}` }).cursor).toEqual({ direction: 'before', mediaSid: ME })
  })
})
