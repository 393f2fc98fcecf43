/**
 * The Accounts resource on the wire: its parameters read into the domain's commands, its JSON (the shape of
 * `api.v2010.account` in Twilio's OpenAPI description) and the pages of its list.
 */
import type { Account } from '../messaging/accounts.js'
import type {
  CreateAccountCommand,
  ListAccountsCommand,
  UpdateAccountCommand,
} from '../messaging/accounts-api.js'
import {
  type AccountResource,
  accountStatus,
  createAccountParamsSchema,
  updateAccountParamsSchema,
} from '../schemas/account.js'
import { toRfc2822 } from '../util/dates.js'
import { one, readPaging } from './commands.js'
import type { FormParams } from './form.js'
import { pageEnvelope, queryPair } from './page-envelope.js'
import { type WireResponse, wireJson } from './respond.js'

/** The subresources Twilio lists for every account, in the order of its answers. */
const SUBRESOURCES: readonly [string, string][] = [
  ['available_phone_numbers', 'AvailablePhoneNumbers'],
  ['calls', 'Calls'],
  ['conferences', 'Conferences'],
  ['incoming_phone_numbers', 'IncomingPhoneNumbers'],
  ['notifications', 'Notifications'],
  ['outgoing_caller_ids', 'OutgoingCallerIds'],
  ['recordings', 'Recordings'],
  ['transcriptions', 'Transcriptions'],
  ['addresses', 'Addresses'],
  ['signing_keys', 'SigningKeys'],
  ['connect_apps', 'ConnectApps'],
  ['sip', 'SIP'],
  ['authorized_connect_apps', 'AuthorizedConnectApps'],
  ['usage', 'Usage'],
  ['keys', 'Keys'],
  ['applications', 'Applications'],
  ['short_codes', 'SMS/ShortCodes'],
  ['queues', 'Queues'],
  ['messages', 'Messages'],
  ['balance', 'Balance'],
]

/**
 * Renders an account in Twilio's wire shape.
 *
 * @example
 * renderAccount(account).uri // '/2010-04-01/Accounts/AC….json'
 */
export function renderAccount(a: Account): AccountResource {
  const base = `/2010-04-01/Accounts/${a.sid}`
  return {
    auth_token: a.authToken,
    date_created: toRfc2822(a.dateCreated),
    date_updated: toRfc2822(a.dateUpdated),
    friendly_name: a.friendlyName,
    owner_account_sid: a.ownerSid,
    sid: a.sid,
    status: a.status,
    subresource_uris: Object.fromEntries(SUBRESOURCES.map(([key, path]) => [key, `${base}/${path}.json`])),
    type: 'Full',
    uri: `${base}.json`,
  }
}

/** The text of a parameter, empty read as absent. */
function text(params: FormParams, key: string): string | undefined {
  const v = one(params, key)
  return v === undefined || v === '' ? undefined : v
}

/** A `Status` parameter, or the 20001 refusal of a value that is not one. */
function readStatus(params: FormParams): Pick<UpdateAccountCommand, 'status' | 'malformed'> {
  const raw = text(params, 'Status')
  if (raw === undefined) return {}
  const parsed = accountStatus.safeParse(raw)
  return parsed.success
    ? { status: parsed.data }
    : {
        malformed: {
          param: 'Status',
          code: 20001,
          message: `Invalid Status '${raw}': use active, suspended or closed`,
        },
      }
}

/**
 * Reads Create Account's parameters.
 *
 * @example
 * readCreateAccount({ FriendlyName: 'ci worker 1' }).friendlyName // 'ci worker 1'
 */
export function readCreateAccount(params: FormParams): CreateAccountCommand {
  const wire = createAccountParamsSchema.parse({ FriendlyName: text(params, 'FriendlyName') })
  return wire.FriendlyName === undefined ? {} : { friendlyName: wire.FriendlyName }
}

/**
 * Reads Update Account's parameters.
 *
 * @example
 * readUpdateAccount('AC…', { Status: 'closed' }).status // 'closed'
 */
export function readUpdateAccount(accountSid: string, params: FormParams): UpdateAccountCommand {
  const command: UpdateAccountCommand = { accountSid, ...readStatus(params) }
  const wire = updateAccountParamsSchema.safeParse({ FriendlyName: text(params, 'FriendlyName') })
  if (wire.success && wire.data.FriendlyName !== undefined) command.friendlyName = wire.data.FriendlyName
  return command
}

/**
 * Reads the filters of Read Accounts.
 *
 * @example
 * readListAccounts({ Status: 'active' }).status // 'active'
 */
export function readListAccounts(params: FormParams): ListAccountsCommand {
  const command: ListAccountsCommand = { ...readStatus(params) }
  const name = text(params, 'FriendlyName')
  if (name !== undefined) command.friendlyName = name
  return command
}

/** The filters of Read Accounts that Twilio echoes into paging URIs, in its order. */
const ACCOUNT_FILTER_KEYS = ['FriendlyName', 'Status'] as const

/**
 * A page of the Accounts list (`accounts`) with Twilio's envelope, paged by `Page` and `PageSize`.
 *
 * @example
 * listAccountsResponse(accounts, { PageSize: '2' }, '/2010-04-01/Accounts.json').status // 200
 */
export function listAccountsResponse(accounts: Account[], params: FormParams, path: string): WireResponse {
  const { pageSize, page } = readPaging(params)
  const from = page * pageSize
  const items = accounts.slice(from, from + pageSize)
  const query = ACCOUNT_FILTER_KEYS.flatMap((k) => {
    const v = text(params, k)
    return v === undefined ? [] : [queryPair(k, v)]
  })
  return wireJson(
    200,
    pageEnvelope('accounts', items.map(renderAccount), {
      path,
      query,
      pageSize,
      page,
      count: items.length,
      hasMore: from + pageSize < accounts.length,
    }),
  )
}
