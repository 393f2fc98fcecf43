/**
 * The Accounts resource on the wire: its parameters read into the domain's commands, its JSON (the shape of
 * `api.v2010.account` in Twilio's OpenAPI description) and the pages of its list.
 */
import { TwilioApiError } from '../errors/twilio-api-error.js'
import type { Account, AccountStatus } from '../messaging/accounts.js'
import type {
  AccountsPage,
  CreateAccountCommand,
  ListAccountsCommand,
  UpdateAccountCommand,
} from '../messaging/accounts-api.js'
import {
  type AccountResource,
  createAccountParamsSchema,
  type ListAccountsParams,
  listAccountsParamsSchema,
  type UpdateAccountParams,
  updateAccountParamsSchema,
} from '../schemas/account.js'
import { toRfc2822 } from '../util/dates.js'
import { cursorOf, given, one, pageToken, readPaging, refused, wireShape } from './commands.js'
import type { FormParams } from './form.js'
import { cursorLinks, pageEnvelope, queryPair } from './page-envelope.js'
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

/** Twilio's refusal of a `Status` that is no account status (20001). */
function invalidStatus(raw: string): TwilioApiError {
  return new TwilioApiError(20001, { message: `Invalid Status '${raw}': use active, suspended or closed` })
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
 * Reads Update Account's parameters into a command with `updateAccountParamsSchema`, refusing a `Status` that is
 * no account status (20001), so that the domain only ever takes a valid one. Empty values stand for parameters not
 * given; a repeated parameter is read by its first value.
 *
 * @example
 * readUpdateAccount('AC…', { Status: 'closed' }).status // 'closed'
 */
export function readUpdateAccount(accountSid: string, params: FormParams): UpdateAccountCommand {
  const wire = wireShape(params, []) as UpdateAccountParams
  const bad = refused(updateAccountParamsSchema.safeParse(wire))
  const status = given(wire.Status)
  if (status !== undefined && bad.has('Status')) throw invalidStatus(status)
  const command: UpdateAccountCommand = { accountSid }
  if (status !== undefined) command.status = status as AccountStatus
  const friendlyName = given(wire.FriendlyName)
  if (friendlyName !== undefined) command.friendlyName = friendlyName
  return command
}

/**
 * Reads Read Accounts' query into a command with `listAccountsParamsSchema`, refusing a malformed value in the
 * order of List Messages: `PageSize` (20001; over 1000: 20007), `Page` (20001), the filter `Status` (20001), then
 * `PageToken` (20001). Empty values stand for parameters not given.
 *
 * @example
 * readListAccounts({ Status: 'active', PageSize: '20' }) // { status: 'active', pageSize: 20, page: 0 }
 */
export function readListAccounts(params: FormParams): ListAccountsCommand {
  const wire = wireShape(params, []) as ListAccountsParams
  const bad = refused(listAccountsParamsSchema.safeParse(wire))
  const command: ListAccountsCommand = readPaging(wire, bad)
  const status = given(wire.Status)
  if (status !== undefined && bad.has('Status')) throw invalidStatus(status)
  const cursor = cursorOf(wire, bad)
  if (status !== undefined) command.status = status as AccountStatus
  const friendlyName = given(wire.FriendlyName)
  if (friendlyName !== undefined) command.friendlyName = friendlyName
  if (cursor) command.cursor = { direction: cursor.direction, accountSid: cursor.sid }
  return command
}

/**
 * A page of the Accounts list (`found`, read with `command`) in Twilio's envelope, as the Messages list's: its
 * paging URIs echo the command's filters (`FriendlyName`, then `Status`) and carry PageToken cursors (PA… after
 * its last, PB… before its first account); its own `uri` keeps the token it was read with.
 *
 * @example
 * listAccountsResponse(listAccounts(directory, main, command), command, '/2010-04-01/Accounts.json').status // 200
 */
export function listAccountsResponse(
  found: AccountsPage,
  command: ListAccountsCommand,
  path: string,
): WireResponse {
  const { friendlyName, status, pageSize, page, cursor } = command
  const { accounts, hasMore } = found
  const query = [
    ...(friendlyName === undefined ? [] : [queryPair('FriendlyName', friendlyName)]),
    ...(status === undefined ? [] : [queryPair('Status', status)]),
  ]
  return wireJson(
    200,
    pageEnvelope('accounts', accounts.map(renderAccount), {
      path,
      query,
      pageSize,
      page,
      hasMore,
      ...cursorLinks(accounts, cursor && pageToken(cursor.direction, cursor.accountSid)),
    }),
  )
}
