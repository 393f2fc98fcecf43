import { Outbox } from './callbacks/outbox.js'
import type { CreateTwilioDoubleOptions, Settings } from './double-options.js'
import { TOOLKIT_ERROR_PREFIX } from './errors/twilio-api-error.js'
import type { AccountPolicy } from './http/pipeline.js'
import { renderMessage } from './http/render.js'
import type { Account } from './messaging/accounts.js'
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

/** How many accounts a refusal's line names at most. */
const KNOWN_LISTED = 8

/**
 * Which credentials a double takes (see `strictAccounts`), and the one `[twilio-double]` line it logs per refused
 * user, naming the accounts it knows.
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
  return {
    open: !(options.strictAccounts ?? options.accounts !== undefined),
    refused: (user, pathAccountSid) => {
      const key = `${user}>${pathAccountSid}`
      if (told.has(key)) return
      told.add(key)
      // the accounts a request could use: open ones, the first few of a double with many
      const open = [...accounts()].filter((a) => a.status !== 'closed').map((a) => a.sid)
      const known =
        open.length > KNOWN_LISTED
          ? `${open.slice(0, KNOWN_LISTED).join(', ')} and ${open.length - KNOWN_LISTED} more`
          : open.join(', ')
      const who = user === undefined ? 'a request without Basic credentials' : `credentials of ${user}`
      console.warn(
        `${TOOLKIT_ERROR_PREFIX}20003 for ${who} on ${pathAccountSid ? `the path of ${pathAccountSid}` : 'the Accounts resource'}: the double knows the accounts ${known}; use one of them with its auth token (or an API key of it), or declare yours in createTwilioDouble({ accounts: [{ sid, authToken }] })`,
      )
    },
  }
}
