/**
 * The Accounts resource of Twilio's API, as much of it as a double needs: a main account creates subaccounts,
 * reads them, renames them, suspends, reactivates and closes them. Who may do what is decided here; where an
 * account's state lives (its tenant) is the {@link AccountDirectory}'s business.
 */
import { TwilioApiError } from '../errors/twilio-api-error.js'
import { type Account, type AccountStatus, isSubaccount } from './accounts.js'
import type { MessagingBackend } from './backend.js'
import { NotFoundError, UnknownCursorError } from './errors.js'

/** The statuses of an account, as Twilio writes them. */
export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['active', 'suspended', 'closed']

/**
 * The accounts of a double, wherever the state of each lives: what the request pipeline authenticates against and
 * what the Accounts resource changes.
 */
export interface AccountDirectory {
  /** An account by SID, whatever its status; undefined when the double has none. */
  get(sid: string): Account | undefined
  /** The account whose API key `keySid` has the secret `secret`. */
  byApiKey(keySid: string, secret: string): Account | undefined
  /** A well-formed account SID the double did not know, taken on first use with the token it came with. */
  adopt(sid: string, authToken: string): Account
  /** The messaging domain serving `sid`; undefined for an unknown or closed account. */
  backendOf(sid: string): MessagingBackend | undefined
  /** A new subaccount of `owner` (SID and token drawn from the double's seed). */
  createSubaccount(owner: Account, friendlyName: string | undefined): Account
  /** The subaccounts of `owner`, oldest first. */
  subaccountsOf(owner: Account): Account[]
  /** Sets the status of an account; closing one drops its state (messages, scenarios, clock). */
  setStatus(account: Account, status: AccountStatus): void
  /** The time of an account's clock (epoch ms), for the dates of the Accounts resource. */
  now(account: Account): number
}

/** Create Account: `FriendlyName`. */
export interface CreateAccountCommand {
  friendlyName?: string
}

/** Update Account: `FriendlyName` and `Status` (read and checked by the HTTP layer). */
export interface UpdateAccountCommand {
  accountSid: string
  /** The new name; never empty (the HTTP layer reads an empty `FriendlyName` as not given). */
  friendlyName?: string
  status?: AccountStatus
}

/**
 * Read Accounts: `FriendlyName` (exact) and `Status`, a page read by position (`page` × `pageSize`) or from a
 * cursor (the page just after, or just before, an account of the list), as List Messages reads its pages.
 */
export interface ListAccountsCommand {
  friendlyName?: string
  status?: AccountStatus
  /** 1 to 1000. */
  pageSize: number
  /** Pages skipped when there is no cursor. */
  page: number
  /** Read from an account of the list: the page just after or just before it. */
  cursor?: AccountsCursor
}

/** A position in the Accounts list: just after or just before an account. */
export interface AccountsCursor {
  direction: 'after' | 'before'
  accountSid: string
}

/** A page of the Accounts list, and whether another follows it. */
export interface AccountsPage {
  accounts: Account[]
  hasMore: boolean
}

/** Twilio's answer to an action the credentials may not take (a subaccount creating one, an account closing itself). */
function permissionDenied(): TwilioApiError {
  return new TwilioApiError(20003, { override: 'Permission Denied' }, { status: 403 })
}

/**
 * Creates a subaccount of `caller`: only a main account may (Twilio has no sub-subaccounts).
 *
 * @example
 * createAccount(directory, main, { friendlyName: 'ci worker 1' }).ownerSid // main.sid
 */
export function createAccount(
  directory: AccountDirectory,
  caller: Account,
  command: CreateAccountCommand,
): Account {
  if (isSubaccount(caller)) throw permissionDenied()
  return directory.createSubaccount(caller, command.friendlyName || undefined)
}

/**
 * The account `sid` as `caller` may see it: itself or one of its subaccounts. Any other (a parent, a sibling, an
 * unknown SID) is not found, as on Twilio.
 *
 * @example
 * visibleAccount(directory, main, sub.sid) === sub // true
 */
export function visibleAccount(directory: AccountDirectory, caller: Account, sid: string): Account {
  const account = directory.get(sid)
  if (!account || (account.sid !== caller.sid && account.ownerSid !== caller.sid))
    throw new NotFoundError('account', sid)
  return account
}

/**
 * A page of the accounts `caller` may see (itself, then its subaccounts oldest first), filtered by exact friendly
 * name and by status: by position, or from a cursor naming one of those accounts (whatever the filters say of it;
 * any other is an {@link UnknownCursorError}).
 *
 * @example
 * listAccounts(directory, main, { status: 'active', pageSize: 50, page: 0 }).accounts.map((a) => a.sid)
 * listAccounts(directory, main, { pageSize: 2, page: 1, cursor: { direction: 'after', accountSid: sub.sid } })
 */
export function listAccounts(
  directory: AccountDirectory,
  caller: Account,
  command: ListAccountsCommand,
): AccountsPage {
  const { friendlyName, status, pageSize, page, cursor } = command
  const all = isSubaccount(caller) ? [caller] : [caller, ...directory.subaccountsOf(caller)]
  const kept = (list: Account[]) =>
    list.filter(
      (a) =>
        (friendlyName === undefined || a.friendlyName === friendlyName) &&
        (status === undefined || a.status === status),
    )
  if (!cursor) {
    const found = kept(all)
    const from = page * pageSize
    return { accounts: found.slice(from, from + pageSize), hasMore: from + pageSize < found.length }
  }
  const at = all.findIndex((a) => a.sid === cursor.accountSid)
  if (at < 0) throw new UnknownCursorError(cursor)
  if (cursor.direction === 'after') {
    const after = kept(all.slice(at + 1))
    return { accounts: after.slice(0, pageSize), hasMore: after.length > pageSize }
  }
  // before: the last page of those before the cursor; the cursor's account and those after it follow
  const before = kept(all.slice(0, at))
  return {
    accounts: before.slice(Math.max(0, before.length - pageSize)),
    hasMore: kept(all.slice(at)).length > 0,
  }
}

/**
 * Renames an account, or changes its status. Only its owner changes a subaccount's status (an account cannot
 * suspend or close itself, nor a main account be suspended); a closed account cannot be changed again.
 *
 * @example
 * updateAccount(directory, main, { accountSid: sub.sid, status: 'closed' }).status // 'closed'
 */
export function updateAccount(
  directory: AccountDirectory,
  caller: Account,
  command: UpdateAccountCommand,
): Account {
  const target = visibleAccount(directory, caller, command.accountSid)
  const statusChange = command.status !== undefined && command.status !== target.status
  if (target.status === 'closed') {
    if (statusChange || command.friendlyName !== undefined) throw new TwilioApiError(20005)
    return target
  }
  if (statusChange && target.ownerSid !== caller.sid) throw permissionDenied()
  if (statusChange && target.sid === caller.sid) throw permissionDenied()
  const { friendlyName } = command
  if (friendlyName !== undefined) target.friendlyName = friendlyName
  if (statusChange || friendlyName !== undefined) target.dateUpdated = directory.now(target)
  if (statusChange) directory.setStatus(target, command.status!)
  return target
}
