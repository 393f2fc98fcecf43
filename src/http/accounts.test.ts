import { describe, expect, it } from 'vitest'
import { TwilioApiError } from '../errors/twilio-api-error.js'
import { listAccountsParamsSchema } from '../schemas/account.js'
import { readListAccounts } from './accounts.js'

/** The Twilio error a read of Read Accounts' query throws, or undefined when the read takes it. */
function refusal(params: Record<string, string | string[]>): { code: number; message: string } | undefined {
  try {
    readListAccounts(params)
    return undefined
  } catch (err) {
    if (err instanceof TwilioApiError) return { code: err.code, message: err.message }
    throw err
  }
}

describe('readListAccounts(): Read Accounts query → typed command', () => {
  it('types every parameter; empty values are not given; PageToken is not read', () => {
    expect(
      readListAccounts({
        FriendlyName: 'w 1',
        Status: 'suspended',
        PageSize: ' 20 ',
        Page: '2',
        PageToken: 'x',
      }),
    ).toEqual({ friendlyName: 'w 1', status: 'suspended', pageSize: 20, page: 2 })
    expect(readListAccounts({ FriendlyName: '', Status: '', PageSize: '', Page: '' })).toEqual({
      pageSize: 50,
      page: 0,
    })
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
      { PageToken: 'anything' },
    ]
    for (const query of queries)
      expect(refusal(query) === undefined, JSON.stringify(query)).toBe(
        listAccountsParamsSchema.safeParse(query).success,
      )
    expect(refusal({ Status: 'gone', PageSize: '0' })).toEqual({
      code: 20001,
      message: "Invalid Status 'gone': use active, suspended or closed",
    })
    expect(refusal({ PageSize: '1001' })?.code).toBe(20007)
  })
})
