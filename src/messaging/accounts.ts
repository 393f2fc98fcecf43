import {
  type AccountOptions,
  DEFAULT_ACCOUNT_SID,
  DEFAULT_API_KEY_SECRET,
  DEFAULT_API_KEY_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
  type MessagingServiceOptions,
  type PhoneNumberOptions,
} from '../config.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { addressKey } from './address.js'

/** An account as the double keeps it. */
export interface Account {
  sid: string
  authToken: string
  apiKeys: Map<string, string>
  /** undefined: any sender accepted. */
  ownedNumbers: Map<string, PhoneNumberOptions> | undefined
  /**
   * Inbound webhooks of numbers set at run time (the standalone server's control API), by address key; they
   * win over `ownedNumbers` settings, own no sender, and are cleared by `reset()`.
   */
  webhooks: Map<string, PhoneNumberOptions>
  services: Map<string, MessagingServiceOptions & { senders: string[] }>
  applications: Map<string, { sid: string; messageStatusCallback?: string }>
}

/**
 * Whether `account` has the number of address key `key` (see `addressKey()`): among its phone numbers, its
 * messaging services' senders, or the numbers given webhooks at run time.
 */
export function hasNumber(account: Account, key: string): boolean {
  return (
    account.ownedNumbers?.has(key) === true ||
    account.webhooks.has(key) ||
    [...account.services.values()].some((s) => s.senders.some((n) => addressKey(n) === key))
  )
}

/** The account that has the number of address key `key` (see {@link hasNumber}), else the first that accepts any sender. */
export function accountOfNumber(accounts: Map<string, Account>, key: string): Account | undefined {
  const all = [...accounts.values()]
  return all.find((a) => hasNumber(a, key)) ?? all.find((a) => a.ownedNumbers === undefined)
}

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`)

/** The accounts a double starts with when none are given. */
export function defaultAccounts(): AccountOptions[] {
  return [
    {
      sid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      apiKeys: [{ sid: DEFAULT_API_KEY_SID, secret: DEFAULT_API_KEY_SECRET }],
      messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }],
    },
  ]
}

/** Validates account options and builds the accounts, naming any problem and its fix. */
export function buildAccounts(options: AccountOptions[]): Map<string, Account> {
  const out = new Map<string, Account>()
  if (options.length === 0)
    throw new TwilioDoubleError('accounts: pass at least one account, or omit the option for the default one')
  for (const a of options) {
    if (!SID('AC').test(a.sid))
      throw new TwilioDoubleError(
        `accounts: '${a.sid}' is not an account SID: use 'AC' followed by 32 hex digits`,
      )
    if (!a.authToken) throw new TwilioDoubleError(`accounts: account ${a.sid} needs an authToken`)
    if (out.has(a.sid)) throw new TwilioDoubleError(`accounts: account ${a.sid} is listed twice`)
    const apiKeys = new Map<string, string>()
    for (const k of a.apiKeys ?? []) {
      if (!SID('SK').test(k.sid))
        throw new TwilioDoubleError(
          `accounts: API key '${k.sid}' of ${a.sid} is not an API key SID: use 'SK' followed by 32 hex digits`,
        )
      apiKeys.set(k.sid, k.secret)
    }
    let ownedNumbers: Account['ownedNumbers']
    if (a.phoneNumbers) {
      ownedNumbers = new Map()
      for (const p of a.phoneNumbers) {
        const opts = typeof p === 'string' ? { number: p } : p
        ownedNumbers.set(addressKey(opts.number), opts)
      }
    }
    const services: Account['services'] = new Map()
    for (const s of a.messagingServices ?? []) {
      if (!SID('MG').test(s.sid))
        throw new TwilioDoubleError(
          `accounts: messaging service '${s.sid}' is not a service SID: use 'MG' followed by 32 hex digits`,
        )
      services.set(s.sid, { ...s, senders: [...(s.senders ?? [])] })
      if (ownedNumbers)
        for (const n of s.senders ?? [])
          if (!ownedNumbers.has(addressKey(n))) ownedNumbers.set(addressKey(n), { number: n })
    }
    const applications: Account['applications'] = new Map()
    for (const app of a.applications ?? []) {
      if (!SID('AP').test(app.sid))
        throw new TwilioDoubleError(
          `accounts: application '${app.sid}' is not an application SID: use 'AP' followed by 32 hex digits`,
        )
      applications.set(app.sid, app)
    }
    out.set(a.sid, {
      sid: a.sid,
      authToken: a.authToken,
      apiKeys,
      ownedNumbers,
      webhooks: new Map(),
      services,
      applications,
    })
  }
  return out
}
