import { describe, expect, it } from 'vitest'
import { TwilioApiError } from '../errors/twilio-api-error.js'
import { listAccountsParamsSchema, updateAccountParamsSchema } from '../schemas/account.js'
import { readListAccounts, readUpdateAccount } from './accounts.js'

const SUB = `AC${'0123456789abcdef'.repeat(2)}`

/** The Twilio error `read` throws, or undefined when it takes its parameters. */
function thrown(read: () => unknown): { code: number; message: string; status: number } | undefined {
  try {
    read()
    return undefined
  } catch (err) {
    if (err instanceof TwilioApiError) return { code: err.code, message: err.message, status: err.status }
    throw err
  }
}

/** The Twilio error a read of Read Accounts' query throws, or undefined when the read takes it. */
function refusal(params: Record<string, string | string[]>): { code: number; message: string } | undefined {
  const err = thrown(() => readListAccounts(params))
  return err && { code: err.code, message: err.message }
}

describe('readUpdateAccount(): Update Account parameters → typed command', () => {
  it('types FriendlyName and Status; empty values are not given; a repeated one is read by its first value', () => {
    expect(readUpdateAccount(SUB, { FriendlyName: 'w 1', Status: 'suspended' })).toEqual({
      accountSid: SUB,
      friendlyName: 'w 1',
      status: 'suspended',
    })
    expect(readUpdateAccount(SUB, { FriendlyName: '', Status: '' })).toEqual({ accountSid: SUB })
    expect(readUpdateAccount(SUB, { Status: ['closed', 'gone'] })).toEqual({
      accountSid: SUB,
      status: 'closed',
    })
  })

  it('refuses a Status that is no account status while reading (20001, HTTP 400): the domain never gets one', () => {
    for (const raw of ['gone', 'Active', 'closed ']) {
      expect(
        thrown(() => readUpdateAccount(SUB, { Status: raw })),
        raw,
      ).toEqual({
        code: 20001,
        message: `Invalid Status '${raw}': use active, suspended or closed`,
        status: 400,
      })
    }
    expect(thrown(() => readUpdateAccount(SUB, { Status: ['gone', 'active'] }))?.code).toBe(20001)
  })

  it('takes exactly what updateAccountParamsSchema (twilio-double/schemas) takes, and refuses the rest', () => {
    const bodies: Record<string, string>[] = [
      {},
      { Status: '' },
      { Status: 'active' },
      { Status: 'suspended' },
      { Status: 'closed' },
      { Status: 'gone' },
      { Status: 'ACTIVE' },
      { FriendlyName: '' },
      { FriendlyName: 'anything at all' },
      { FriendlyName: 'x', Status: 'closed' },
    ]
    for (const body of bodies)
      expect(thrown(() => readUpdateAccount(SUB, body)) === undefined, JSON.stringify(body)).toBe(
        updateAccountParamsSchema.safeParse(body).success,
      )
  })
})

describe('readListAccounts(): Read Accounts query → typed command', () => {
  it('types every parameter; empty values are not given; PageToken is a cursor after (PA) or before (PB) an account', () => {
    expect(
      readListAccounts({
        FriendlyName: 'w 1',
        Status: 'suspended',
        PageSize: ' 20 ',
        Page: '2',
        PageToken: `PA${SUB}`,
      }),
    ).toEqual({
      friendlyName: 'w 1',
      status: 'suspended',
      pageSize: 20,
      page: 2,
      cursor: { direction: 'after', accountSid: SUB },
    })
    expect(readListAccounts({ PageToken: `PB${SUB}` }).cursor).toEqual({
      direction: 'before',
      accountSid: SUB,
    })
    const blank = { FriendlyName: '', Status: '', PageSize: '', Page: '', PageToken: '' }
    expect(readListAccounts(blank)).toEqual({ pageSize: 50, page: 0 })
    expect(readListAccounts({ Status: ['closed', 'gone'] })).toEqual({
      status: 'closed',
      pageSize: 50,
      page: 0,
    })
  })

  it('takes exactly what listAccountsParamsSchema (twilio-double/schemas) takes, and refuses the rest', () => {
    const queries: Record<string, string>[] = [
      {},
      { PageSize: '' },
      { PageSize: '1' },
      { PageSize: '1000' },
      { PageSize: ' 7 ' },
      { PageSize: '0' },
      { PageSize: '1001' },
      { PageSize: '2.5' },
      { PageSize: '-3' },
      { PageSize: 'x' },
      { Page: '' },
      { Page: '0' },
      { Page: '-1' },
      { Page: 'x' },
      { Status: '' },
      { Status: 'active' },
      { Status: 'suspended' },
      { Status: 'closed' },
      { Status: 'gone' },
      { Status: 'Active' },
      { FriendlyName: '' },
      { FriendlyName: 'anything at all' },
      { PageToken: '' },
      { PageToken: `PA${SUB}` },
      { PageToken: `PB${SUB}` },
      { PageToken: 'anything' },
      { PageToken: SUB },
      { PageToken: `PASM${'0'.repeat(32)}` },
      { PageToken: `PA${SUB}x` },
    ]
    for (const query of queries)
      expect(refusal(query) === undefined, JSON.stringify(query)).toBe(
        listAccountsParamsSchema.safeParse(query).success,
      )
    expect(refusal({ PageSize: '1001' })?.code).toBe(20007)
    expect(refusal({ PageToken: 'anything' })).toEqual({
      code: 20001,
      message: "Invalid PageToken 'anything'",
    })
  })

  it('names the first problem in the order of the Messages list: PageSize, Page, Status, then PageToken', () => {
    const invalidStatus = { code: 20001, message: "Invalid Status 'gone': use active, suspended or closed" }
    expect(refusal({ PageToken: 'x', Status: 'gone', Page: '-1', PageSize: '0' })).toEqual({
      code: 20001,
      message: "Invalid PageSize '0': use an integer from 1 to 1000",
    })
    expect(refusal({ PageToken: 'x', Status: 'gone', Page: '-1' })).toEqual({
      code: 20001,
      message: "Invalid Page '-1': use an integer >= 0",
    })
    expect(refusal({ PageToken: 'x', Status: 'gone' })).toEqual(invalidStatus)
    expect(refusal({ Status: 'gone', PageSize: '1001' })?.code).toBe(20007)
  })
})
