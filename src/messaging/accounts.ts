import {
  type AccountOptions,
  type ApplicationOptions,
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
import { type OptionKeys, refuseUnknownKeys } from '../util/option-keys.js'
import { isWebUrl } from '../util/web-url.js'
import { addressKey, parseFrom } from './address.js'

/** The status of an account (Twilio's `account_enum_status`). */
export type AccountStatus = 'active' | 'suspended' | 'closed'

/** An account as the double keeps it. */
export interface Account {
  sid: string
  authToken: string
  /** Twilio's `friendly_name`. */
  friendlyName: string
  /** The account that owns this one: a subaccount's parent; a main account's own SID (as Twilio's `owner_account_sid`). */
  ownerSid: string
  /** `active`; a subaccount's owner may suspend or close it (a closed account's state is dropped). */
  status: AccountStatus
  /** Virtual time the account was created and last changed (epoch ms). */
  dateCreated: number
  dateUpdated: number
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

/** A host name: labels of letters, digits and hyphens, with dots between. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`)

const ACCOUNT_KEYS: OptionKeys<AccountOptions> = {
  sid: true,
  authToken: true,
  friendlyName: true,
  apiKeys: true,
  phoneNumbers: true,
  messagingServices: true,
  applications: true,
}
const API_KEY_KEYS: OptionKeys<NonNullable<AccountOptions['apiKeys']>[number]> = { sid: true, secret: true }
const PHONE_NUMBER_KEYS: OptionKeys<PhoneNumberOptions> = {
  number: true,
  smsUrl: true,
  smsMethod: true,
  smsFallbackUrl: true,
  smsFallbackMethod: true,
}
const SERVICE_KEYS: OptionKeys<MessagingServiceOptions> = {
  sid: true,
  senders: true,
  statusCallback: true,
  inboundRequestUrl: true,
  inboundMethod: true,
  fallbackUrl: true,
  fallbackMethod: true,
  linkShortening: true,
}
const APPLICATION_KEYS: OptionKeys<ApplicationOptions> = { sid: true, messageStatusCallback: true }

/** Refuses a webhook method other than GET and POST, the two Twilio uses. */
function checkMethods<T extends object>(
  options: T,
  keys: readonly (keyof T & string)[],
  where: string,
): void {
  for (const key of keys) {
    const method: unknown = options[key]
    if (method !== undefined && method !== 'GET' && method !== 'POST')
      throw new TwilioDoubleError(`${where}.${key}: expected 'GET' or 'POST' (got ${JSON.stringify(method)})`)
  }
}

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

/** What a main account is called unless its options name it: the name Twilio gives a new account. */
export const DEFAULT_ACCOUNT_FRIENDLY_NAME = 'My first Twilio account'

/** True when `account` is a subaccount (owned by another account). */
export function isSubaccount(account: Account): boolean {
  return account.ownerSid !== account.sid
}

/**
 * Validates account options and builds the accounts, naming any problem and its fix. `createdAt` (epoch ms) dates
 * them.
 *
 * @example
 * buildAccounts([{ sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN }], 0).get(DEFAULT_ACCOUNT_SID)?.status // 'active'
 */
export function buildAccounts(options: AccountOptions[], createdAt: number): Map<string, Account> {
  const out = new Map<string, Account>()
  if (options.length === 0)
    throw new TwilioDoubleError('accounts: pass at least one account, or omit the option for the default one')
  for (const [i, a] of options.entries()) {
    refuseUnknownKeys(a, ACCOUNT_KEYS, `accounts[${i}]`)
    if (!SID('AC').test(a.sid))
      throw new TwilioDoubleError(
        `accounts: '${a.sid}' is not an account SID: use 'AC' followed by 32 hex digits`,
      )
    if (!a.authToken) throw new TwilioDoubleError(`accounts: account ${a.sid} needs an authToken`)
    if (out.has(a.sid)) throw new TwilioDoubleError(`accounts: account ${a.sid} is listed twice`)
    const apiKeys = new Map<string, string>()
    for (const [j, k] of (a.apiKeys ?? []).entries()) {
      refuseUnknownKeys(k, API_KEY_KEYS, `accounts[${i}].apiKeys[${j}]`)
      if (!SID('SK').test(k.sid))
        throw new TwilioDoubleError(
          `accounts: API key '${k.sid}' of ${a.sid} is not an API key SID: use 'SK' followed by 32 hex digits`,
        )
      apiKeys.set(k.sid, k.secret)
    }
    let ownedNumbers: Account['ownedNumbers']
    if (a.phoneNumbers) {
      ownedNumbers = new Map()
      for (const [j, p] of a.phoneNumbers.entries()) {
        const opts = typeof p === 'string' ? { number: p } : p
        refuseUnknownKeys(opts, PHONE_NUMBER_KEYS, `accounts[${i}].phoneNumbers[${j}]`)
        checkMethods(opts, ['smsMethod', 'smsFallbackMethod'], `accounts[${i}].phoneNumbers[${j}]`)
        checkWebhooks(opts, ['smsUrl', 'smsFallbackUrl'], `${opts.number} (${a.sid})`)
        // read as a From is read: a US number written without +1 is the +1 number it stands for
        const parsed = typeof opts.number === 'string' ? parseFrom(opts.number) : undefined
        if (!parsed)
          throw new TwilioDoubleError(
            `accounts: phone number '${opts.number}' of ${a.sid} is no number a message can come from: write it in E.164 ('+15550001111'), as a short code, an alphanumeric sender ID or a channel address (whatsapp:+15550001111)`,
          )
        ownedNumbers.set(addressKey(parsed.national ? (parsed.e164 ?? opts.number) : opts.number), opts)
      }
    }
    const services: Account['services'] = new Map()
    for (const [j, s] of (a.messagingServices ?? []).entries()) {
      refuseUnknownKeys(s, SERVICE_KEYS, `accounts[${i}].messagingServices[${j}]`)
      refuseUnknownKeys(
        s.linkShortening,
        { domain: true },
        `accounts[${i}].messagingServices[${j}].linkShortening`,
      )
      checkMethods(s, ['inboundMethod', 'fallbackMethod'], `accounts[${i}].messagingServices[${j}]`)
      if (!SID('MG').test(s.sid))
        throw new TwilioDoubleError(
          `accounts: messaging service '${s.sid}' is not a service SID: use 'MG' followed by 32 hex digits`,
        )
      checkWebhooks(s, ['statusCallback', 'inboundRequestUrl', 'fallbackUrl'], `${s.sid} (${a.sid})`)
      const domain = s.linkShortening?.domain
      if (s.linkShortening !== undefined && (typeof domain !== 'string' || !HOST_NAME.test(domain)))
        throw new TwilioDoubleError(
          `accounts: messaging service ${s.sid}: linkShortening.domain must be a host name such as 'acme.link', without https:// (got ${JSON.stringify(domain)})`,
        )
      services.set(s.sid, { ...s, senders: [...(s.senders ?? [])] })
      if (ownedNumbers)
        for (const n of s.senders ?? [])
          if (!ownedNumbers.has(addressKey(n))) ownedNumbers.set(addressKey(n), { number: n })
    }
    const applications: Account['applications'] = new Map()
    for (const [j, app] of (a.applications ?? []).entries()) {
      refuseUnknownKeys(app, APPLICATION_KEYS, `accounts[${i}].applications[${j}]`)
      if (!SID('AP').test(app.sid))
        throw new TwilioDoubleError(
          `accounts: application '${app.sid}' is not an application SID: use 'AP' followed by 32 hex digits`,
        )
      checkWebhooks(app, ['messageStatusCallback'], `${app.sid} (${a.sid})`)
      applications.set(app.sid, app)
    }
    if (a.friendlyName !== undefined && (typeof a.friendlyName !== 'string' || a.friendlyName === ''))
      throw new TwilioDoubleError(`accounts: friendlyName of ${a.sid} must be a non-empty string`)
    out.set(a.sid, {
      sid: a.sid,
      authToken: a.authToken,
      friendlyName: a.friendlyName ?? DEFAULT_ACCOUNT_FRIENDLY_NAME,
      ownerSid: a.sid,
      status: 'active',
      dateCreated: createdAt,
      dateUpdated: createdAt,
      apiKeys,
      ownedNumbers,
      webhooks: new Map(),
      services,
      applications,
    })
  }
  return out
}

/** What a subaccount is made of besides its owner's configuration. */
export interface SubaccountSpec {
  sid: string
  authToken: string
  friendlyName: string
  /** Virtual time of its creation (epoch ms). */
  createdAt: number
}

/**
 * A subaccount of `owner`: its own SID, token and name, no API key, and a copy of its owner's phone numbers,
 * messaging services and applications, so that it answers as the owner's double did when it was new (Twilio gives
 * a new subaccount no number: the copy stands for numbers bought into it).
 *
 * @example
 * subaccountOf(owner, { sid, authToken, friendlyName: 'ci worker 1', createdAt: now }).ownerSid === owner.sid // true
 */
export function subaccountOf(owner: Account, spec: SubaccountSpec): Account {
  return {
    sid: spec.sid,
    authToken: spec.authToken,
    friendlyName: spec.friendlyName,
    ownerSid: owner.sid,
    status: 'active',
    dateCreated: spec.createdAt,
    dateUpdated: spec.createdAt,
    apiKeys: new Map(),
    ownedNumbers: owner.ownedNumbers && new Map(owner.ownedNumbers),
    webhooks: new Map(),
    services: new Map([...owner.services].map(([sid, s]) => [sid, { ...s, senders: [...s.senders] }])),
    applications: new Map([...owner.applications].map(([sid, app]) => [sid, { ...app }])),
  }
}

/**
 * Twilio's default name of a subaccount created without a FriendlyName: `SubAccount Created at
 * {YYYY-MM-DD HH:MM meridian}` (UTC).
 *
 * @example
 * defaultSubaccountName(Date.UTC(2024, 0, 1, 13, 5)) // 'SubAccount Created at 2024-01-01 1:05 pm'
 */
export function defaultSubaccountName(at: number): string {
  const d = new Date(at)
  const hours = d.getUTCHours()
  const pad = (n: number) => String(n).padStart(2, '0')
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  return `SubAccount Created at ${day} ${hours % 12 === 0 ? 12 : hours % 12}:${pad(d.getUTCMinutes())} ${hours < 12 ? 'am' : 'pm'}`
}

/**
 * Refuses a webhook URL of the options that no delivery could reach (no http or https scheme, no host name): it is
 * refused when it is declared rather than when the first message for it comes. `of` names what it belongs to.
 */
function checkWebhooks<T extends object>(options: T, keys: readonly (keyof T & string)[], of: string): void {
  for (const key of keys) {
    const url: unknown = options[key]
    if (url !== undefined && (typeof url !== 'string' || !isWebUrl(url)))
      throw new TwilioDoubleError(
        `accounts: ${key} of ${of} must be an http or https URL, such as http://127.0.0.1:3000/sms (got ${JSON.stringify(url)})`,
      )
  }
}
