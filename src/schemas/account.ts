import { z } from 'zod'
import { accountSid, rfc2822Date } from './common.js'
import { formInteger, formPageSize } from './form-values.js'
import { pageMeta } from './message.js'

/**
 * An account's status (Twilio's `account_enum_status`).
 *
 * @example
 * accountStatus.parse('suspended')
 */
export const accountStatus = z.enum(['active', 'suspended', 'closed'])
/**
 * An account's type (Twilio's `account_enum_type`).
 *
 * @example
 * accountType.parse('Trial')
 */
export const accountType = z.enum(['Trial', 'Full'])

/**
 * The Account resource as Twilio's API returns it (`api.v2010.account`: every property nullable).
 *
 * @example
 * const res = await fetch(`https://api.twilio.com/2010-04-01/Accounts/${sid}.json`, { headers })
 * accountSchema.parse(await res.json())
 */
export const accountSchema = z
  .object({
    auth_token: z.string().nullable(),
    date_created: rfc2822Date.nullable(),
    date_updated: rfc2822Date.nullable(),
    friendly_name: z.string().nullable(),
    owner_account_sid: accountSid.nullable(),
    sid: accountSid.nullable(),
    status: accountStatus.nullable(),
    subresource_uris: z.record(z.string(), z.string()).nullable(),
    type: accountType.nullable(),
    uri: z.string().nullable(),
  })
  .strict()
/** An account as Twilio's API answers it (fetch, list, create, update). */
export type AccountResource = z.infer<typeof accountSchema>

/**
 * A page of the Accounts list (`GET /2010-04-01/Accounts.json`).
 *
 * @example
 * const res = await fetch('https://api.twilio.com/2010-04-01/Accounts.json', { headers })
 * accountPageSchema.parse(await res.json()).accounts
 */
export const accountPageSchema = z.object({ ...pageMeta, accounts: z.array(accountSchema) }).strict()
/** A page of the Accounts list: the paging fields and its `accounts`. */
export type AccountPage = z.infer<typeof accountPageSchema>

/**
 * Parameters of Create Account (`POST /2010-04-01/Accounts.json`).
 *
 * @example
 * createAccountParamsSchema.parse({ FriendlyName: 'ci worker 1' })
 */
export const createAccountParamsSchema = z.object({ FriendlyName: z.string().optional() })
/** The form parameters of Create Account. */
export type CreateAccountParams = z.infer<typeof createAccountParamsSchema>

/**
 * Parameters of Update Account (`POST /2010-04-01/Accounts/{Sid}.json`; strings, as they arrive; an empty value
 * stands for a parameter not given). `Status` is one of the account statuses.
 *
 * @example
 * updateAccountParamsSchema.parse({ Status: 'suspended' })
 */
export const updateAccountParamsSchema = z.object({
  FriendlyName: z.string().optional(),
  Status: z.union([accountStatus, z.literal('')]).optional(),
})
/** The form parameters of Update Account, as they arrive. */
export type UpdateAccountParams = z.infer<typeof updateAccountParamsSchema>

/**
 * Query parameters of Read Accounts (`GET /2010-04-01/Accounts.json`; all strings, as they arrive; an empty value
 * stands for a parameter not given). `FriendlyName` is matched exactly, `Status` is one of the account statuses,
 * `PageSize` a whole number from 1 to 1000 and `Page` a whole number (as in List Messages), `PageToken` a cursor
 * from a paging URI (`PA` after or `PB` before an account SID).
 *
 * @example
 * listAccountsParamsSchema.parse({ Status: 'active', PageSize: '20' })
 */
export const listAccountsParamsSchema = z.object({
  FriendlyName: z.string().optional(),
  Status: z.union([accountStatus, z.literal('')]).optional(),
  PageSize: formPageSize.optional(),
  Page: formInteger.optional(),
  PageToken: z
    .string()
    .regex(/^(|P[AB]AC[0-9a-fA-F]{32})$/)
    .optional(),
})
/** The query parameters of Read Accounts, as they arrive. */
export type ListAccountsParams = z.infer<typeof listAccountsParamsSchema>
