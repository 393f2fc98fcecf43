import { z } from 'zod'
import { accountSid, rfc2822Date } from './common.js'
import { formInteger, formPageSize } from './form-values.js'
import { pageMeta } from './message.js'

/** An account's status (Twilio's `account_enum_status`). */
export const accountStatus = z.enum(['active', 'suspended', 'closed'])
/** An account's type (Twilio's `account_enum_type`). */
export const accountType = z.enum(['Trial', 'Full'])

/**
 * The Account resource as Twilio's API returns it (`api.v2010.account`: every property nullable).
 *
 * @example
 * accountSchema.parse(await client.api.v2010.accounts.create({ friendlyName: 'ci worker 1' }).then((a) => a.toJSON()))
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
export type AccountResource = z.infer<typeof accountSchema>

/** A page of the Accounts list. */
export const accountPageSchema = z.object({ ...pageMeta, accounts: z.array(accountSchema) }).strict()
export type AccountPage = z.infer<typeof accountPageSchema>

/** Parameters of Create Account (`POST /2010-04-01/Accounts.json`). */
export const createAccountParamsSchema = z.object({ FriendlyName: z.string().optional() })
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
export type ListAccountsParams = z.infer<typeof listAccountsParamsSchema>
