import { Outbox } from './callbacks/outbox.js'
import type { CreateTwilioDoubleOptions, Settings } from './double-options.js'
import { TOOLKIT_ERROR_PREFIX } from './errors/twilio-api-error.js'
import type { AccountPolicy } from './http/pipeline.js'
import { renderMessage } from './http/render.js'
import { buildAccounts, defaultAccounts, defaultSubaccountName, subaccountOf } from './messaging/accounts.js'
import type { AccountDirectory } from './messaging/accounts-api.js'
import { addressKey } from './messaging/address.js'
import { type BackendEvent, MessagingBackend } from './messaging/backend.js'
import { InboundMessaging } from './messaging/inbound.js'
import { ScenarioSet } from './scenarios/scenario-set.js'
import { Scheduler } from './time/scheduler.js'
import { SeededRandom } from './util/random.js'

/** Everything `reset()` builds anew from the options: clock, outbox, scenarios, SIDs, accounts and messages. */
export interface DoubleState {
  scheduler: Scheduler
  outbox: Outbox
  scenarios: ScenarioSet
  backend: MessagingBackend
  inbound: InboundMessaging
}

/**
 * Builds a double's state from its options and settings: at creation, and again at each `reset()` (which
 * passes the outbox it replaces, so that the declared interceptors carry over).
 *
 * @example
 * const settings = resolveSettings(options)
 * let state = buildState(options, settings, emit)
 * state = buildState(options, settings, emit, state.outbox) // reset()
 */
export function buildState(
  options: CreateTwilioDoubleOptions,
  settings: Settings,
  emit: (e: BackendEvent) => void,
  previousOutbox?: Outbox,
): DoubleState {
  const random = new SeededRandom(settings.seed)
  const scheduler = new Scheduler(settings.clockMode, settings.start)
  const outbox = new Outbox(options.callbacks, previousOutbox)
  const accounts = buildAccounts(options.accounts ?? defaultAccounts(), settings.start)
  const scenarios = new ScenarioSet(`${settings.seed}/scenarios`, addressKey)
  const backend = new MessagingBackend(accounts, scheduler, outbox, scenarios, random, settings.backend)
  backend.subscribe(emit)
  const inbound = new InboundMessaging(backend, random, { render: renderMessage })
  return { scheduler, outbox, scenarios, backend, inbound }
}

/**
 * Which credentials a double takes (see `strictAccounts`), and the one `[twilio-double]` line it logs per refused
 * user, naming the accounts it knows.
 *
 * @example
 * const policy = accountsOf(options, () => state.backend)
 * await dispatch(state.backend, request, policy)
 */
export function accountsOf(
  options: CreateTwilioDoubleOptions,
  backend: () => MessagingBackend,
): AccountPolicy {
  const told = new Set<string>()
  return {
    open: !(options.strictAccounts ?? options.accounts !== undefined),
    refused: (user, pathAccountSid) => {
      const key = `${user}>${pathAccountSid}`
      if (told.has(key)) return
      told.add(key)
      const known = [...backend().accounts.keys()].join(', ')
      const who = user === undefined ? 'a request without Basic credentials' : `credentials of ${user}`
      console.warn(
        `${TOOLKIT_ERROR_PREFIX}20003 for ${who} on ${pathAccountSid ? `the path of ${pathAccountSid}` : 'the Accounts resource'}: the double knows the accounts ${known}; use one of them with its auth token (or an API key of it), or declare yours in createTwilioDouble({ accounts: [{ sid, authToken }] })`,
      )
    },
  }
}

/**
 * The accounts of a double whose accounts all live in its one state: subaccounts are added to it (and a reset,
 * which builds the state from the options again, removes them).
 *
 * @example
 * const directory = sharedDirectory(() => state, new SeededRandom(`${settings.seed}/accounts`))
 * await dispatch(directory, request, policy)
 */
export function sharedDirectory(state: () => DoubleState, random: SeededRandom): AccountDirectory {
  const accounts = () => state().backend.accounts
  return {
    get: (sid) => accounts().get(sid),
    byApiKey: (keySid, secret) => {
      for (const account of accounts().values()) if (account.apiKeys.get(keySid) === secret) return account
      return undefined
    },
    adopt: (sid, authToken) => {
      const [account] = buildAccounts([{ sid, authToken }], state().scheduler.now()).values()
      state().backend.addAccount(account!)
      return account!
    },
    backendOf: (sid) => {
      const account = accounts().get(sid)
      return account && account.status !== 'closed' ? state().backend : undefined
    },
    createSubaccount: (owner, friendlyName) => {
      const now = state().scheduler.now()
      const account = subaccountOf(owner, {
        sid: random.sid('AC'),
        authToken: random.hex32(),
        friendlyName: friendlyName ?? defaultSubaccountName(now),
        createdAt: now,
      })
      state().backend.addAccount(account)
      return account
    },
    subaccountsOf: (owner) =>
      [...accounts().values()].filter((a) => a.ownerSid === owner.sid && a.sid !== owner.sid),
    setStatus: (account, status) => {
      account.status = status
    },
    now: () => state().scheduler.now(),
  }
}
