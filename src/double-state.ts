import { Outbox } from './callbacks/outbox.js'
import type { CreateTwilioDoubleOptions, Settings } from './double-options.js'
import { TOOLKIT_ERROR_PREFIX } from './errors/twilio-api-error.js'
import type { AccountPolicy } from './http/pipeline.js'
import { renderMessage } from './http/render.js'
import { type Account, defaultAccounts } from './messaging/accounts.js'
import { addressKey } from './messaging/address.js'
import { type BackendEvent, MessagingBackend } from './messaging/backend.js'
import { InboundMessaging } from './messaging/inbound.js'
import { ScenarioSet } from './scenarios/scenario-set.js'
import { Scheduler } from './time/scheduler.js'
import { SeededRandom } from './util/random.js'

/** Everything `reset()` builds anew for one account: clock, outbox, scenarios, SIDs and messages. */
export interface DoubleState {
  scheduler: Scheduler
  outbox: Outbox
  scenarios: ScenarioSet
  backend: MessagingBackend
  inbound: InboundMessaging
}

/** What the state of one account (its tenant) is built from, besides the double's options and settings. */
export interface TenantSpec {
  /** The account the state serves. */
  account: Account
  /** Seed of its SIDs and scenario draws. */
  seed: string | number
  /** Where its clock starts (epoch ms), and where a reset puts it back. */
  start: number
  /** The double's own scenarios, which apply to the account when none of its own match. */
  sharedScenarios: ScenarioSet
  /** The double's order of creation of messages, shared by its accounts (see `MessageRecord.seq`). */
  sequence: () => number
  /**
   * The double's clock (its first account's), on which the messages of every account compare (see
   * `MessageRecord.doubleClockLead`); default: the account's own.
   */
  doubleClock?: () => number
}

/**
 * Builds the state of one account of a double: at creation, and again at each reset (which passes the outbox it
 * replaces, so that the declared interceptors carry over; a new account passes another account's outbox for the
 * same reason).
 *
 * @example
 * const settings = resolveSettings(options)
 * let state = buildState(options, settings, { account, seed: settings.seed, start: settings.start, sharedScenarios, sequence }, emit)
 * state = buildState(options, settings, spec, emit, state.outbox) // reset()
 */
export function buildState(
  options: CreateTwilioDoubleOptions,
  settings: Settings,
  spec: TenantSpec,
  emit: (e: BackendEvent) => void,
  previousOutbox?: Outbox,
): DoubleState {
  const random = new SeededRandom(spec.seed)
  const scheduler = new Scheduler(settings.clockMode, spec.start)
  const outbox = new Outbox(options.callbacks, previousOutbox)
  const accounts = new Map([[spec.account.sid, spec.account]])
  const scenarios = new ScenarioSet(`${spec.seed}/scenarios`, addressKey, spec.sharedScenarios)
  const backend = new MessagingBackend(
    accounts,
    scheduler,
    outbox,
    scenarios,
    random,
    settings.backend,
    spec.sequence,
    spec.doubleClock,
  )
  backend.subscribe(emit)
  const inbound = new InboundMessaging(backend, random, { render: renderMessage })
  return { scheduler, outbox, scenarios, backend, inbound }
}

/** How many accounts or services a hint's line names at most. */
const KNOWN_LISTED = 8

/** `sids` as a hint lists them: all of a few, else the first {@link KNOWN_LISTED} and how many more. */
function firstFew(sids: string[]): string {
  return sids.length > KNOWN_LISTED
    ? `${sids.slice(0, KNOWN_LISTED).join(', ')} and ${sids.length - KNOWN_LISTED} more`
    : sids.join(', ')
}

/**
 * Which credentials a double takes (see `strictAccounts`), the one `[twilio-double]` line it logs per refused
 * user, naming the accounts it knows, and the one it logs per messaging service it does not know (21701), saying
 * how to declare it.
 *
 * @example
 * const policy = accountsOf(options, () => registry.accounts())
 * await dispatch(registry, request, policy)
 */
export function accountsOf(
  options: CreateTwilioDoubleOptions,
  accounts: () => Iterable<Account>,
): AccountPolicy {
  const told = new Set<string>()
  const toldServices = new Set<string>()
  const takesNew = !(options.strictAccounts ?? options.accounts !== undefined)
  return {
    open: takesNew,
    refused: (user, pathAccountSid) => {
      const key = `${user}>${pathAccountSid}`
      if (told.has(key)) return
      told.add(key)
      // the accounts a request could use: open ones, the first few of a double with many
      const open = [...accounts()].filter((a) => a.status !== 'closed').map((a) => a.sid)
      const known = firstFew(open)
      const who = user === undefined ? 'a request without Basic credentials' : `credentials of ${user}`
      console.warn(
        `${TOOLKIT_ERROR_PREFIX}20003 for ${who} on ${pathAccountSid ? `the path of ${pathAccountSid}` : 'the Accounts resource'}: the double knows the accounts ${known}; use one of them with its auth token (or an API key of it), or declare yours in createTwilioDouble({ accounts: [{ sid, authToken }] })`,
      )
    },
    unknownService: (account, serviceSid) => {
      if (toldServices.has(serviceSid)) return
      toldServices.add(serviceSid)
      console.warn(unknownServiceHint(options, takesNew, account, serviceSid))
    },
  }
}

/**
 * The line a 21701 logs for a messaging service the double does not know: the account that asked, the services
 * it has, and the option that declares the service (on the account's owner for a subaccount, which starts with a
 * copy of its owner's services).
 */
function unknownServiceHint(
  options: CreateTwilioDoubleOptions,
  takesNew: boolean,
  account: Account,
  serviceSid: string,
): string {
  const owner = account.ownerSid
  const declared = (options.accounts ?? defaultAccounts()).find((a) => a.sid === owner)
  const sids = [...account.services.keys()]
  const services = sids.length === 0 ? 'none' : firstFew(sids)
  const has =
    !declared && owner === account.sid ? 'was taken on first use, so it has none' : `has ${services}`
  const what =
    owner === account.sid
      ? `${account.sid} ${has}`
      : `${account.sid}, a subaccount of ${owner} made with a copy of ${owner}'s services, ${has}`
  const service = `{ sid: '${serviceSid}', senders: ['<its sender numbers>'] }`
  // declaring accounts ends taking others on first use, unless strictAccounts says otherwise
  const strict = takesNew
    ? ' (with accounts declared, only they are taken, unless you add strictAccounts: false)'
    : ''
  let fix: string
  if (declared && options.accounts)
    fix = `add ${service} to the messagingServices of ${owner} in createTwilioDouble({ accounts })`
  else if (declared)
    // the default account, declared as it is (key and service kept) with the service added
    fix = `declare it with the default account's own: createTwilioDouble({ accounts: [{ sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN, apiKeys: [{ sid: DEFAULT_API_KEY_SID, secret: DEFAULT_API_KEY_SECRET }], messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }, ${service}] }] })${strict}`
  else {
    const entry = `{ sid: '${owner}', authToken: '<its auth token>', messagingServices: [${service}] }`
    fix = options.accounts
      ? `add the account with it to createTwilioDouble({ accounts }): ${entry}`
      : `declare the account with it: createTwilioDouble({ accounts: [${entry}] })${strict}`
  }
  return `${TOOLKIT_ERROR_PREFIX}21701: account ${account.sid} asked for messaging service ${serviceSid}, and the double knows no such service (${what}); ${fix}; a standalone server's --config file takes the same accounts`
}
