/**
 * The tenants of a double: each account (declared, taken on first use, or created through the Accounts API) is
 * served by its own {@link Tenant}, an isolated state with its own clock. The registry is the double's
 * {@link AccountDirectory}: the request pipeline authenticates against it and finds in it the state serving a path.
 */
import type { CallbackDelivery, CallbackHandler, DeliveryFilter } from '../callbacks/outbox.js'
import type { AccountOptions } from '../config.js'
import type { CreateTwilioDoubleOptions, Settings } from '../double-options.js'
import { buildState } from '../double-state.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import {
  type Account,
  type AccountStatus,
  buildAccounts,
  defaultAccounts,
  defaultSubaccountName,
  hasNumber,
  subaccountOf,
} from '../messaging/accounts.js'
import type { AccountDirectory } from '../messaging/accounts-api.js'
import { addressKey } from '../messaging/address.js'
import type { BackendEvent, MessagingBackend } from '../messaging/backend.js'
import type { InboundOptions } from '../messaging/inbound.js'
import type { MessageFilter, MessageRecord } from '../messaging/types.js'
import { ScenarioSet } from '../scenarios/scenario-set.js'
import { SeededRandom } from '../util/random.js'
import { Tenant } from './tenant.js'

/** An account of the registry and the tenant serving it (none once the account is closed). */
interface Entry {
  account: Account
  tenant: Tenant | undefined
  /** The options of a declared account (a reset makes it again from them). */
  declared?: AccountOptions
  /** Seed of the tenant's SIDs and where its clock starts. */
  seed: string | number
  start: number
}

type Matcher = string | RegExp | ((url: string) => boolean)

/** A receiver registered on the whole double: on every tenant's outbox, those made later included. */
interface SharedHandler {
  match: Matcher
  handler: CallbackHandler
  /** What removes it from each tenant's current outbox (a closed tenant's is dropped with it). */
  removers: Map<Tenant, () => void>
}

/**
 * Every account of a double and the tenant serving each. The first declared account's tenant is the double's main
 * one: its clock is `double.now()` and its backend `double.backend`.
 *
 * @example
 * const registry = new TenantRegistry(options, resolveSettings(options), emit)
 * const sub = registry.createSubaccount(registry.first.account, 'ci worker 1')
 * await registry.tenant(sub.sid)!.advance(60_000) // the other accounts' clocks stay where they are
 */
export class TenantRegistry implements AccountDirectory {
  /** The double's own scenarios: they apply to every account when none of the account's own match. */
  readonly scenarios: ScenarioSet
  private readonly entries = new Map<string, Entry>()
  private readonly random: SeededRandom
  private readonly handlers = new Set<SharedHandler>()
  /** The next `seq` of a message of any tenant: the double's order of creation, across its accounts. */
  private nextSeq = 0
  private readonly sequence = () => this.nextSeq++
  /**
   * The double's clock: its first account's, on which messages of every account compare (`doubleClockLead`). It
   * goes back when that account alone is reset (to the account's start, as every account's reset does); the other
   * accounts' records are then measured again against it ({@link reset}), each `ms` earlier on it when it went back
   * by `ms`. So a record always tells when it was made on the double's clock as it reads now: messages made before
   * the reset stay before every one made after it, and a time read from `double.now()` after the reset compares
   * with all of them. (Keeping the clock from going back instead would make that account's reset depend on what
   * the other accounts hold.)
   */
  private readonly doubleClock = () => this.first.now()
  readonly first: Tenant

  constructor(
    private readonly options: CreateTwilioDoubleOptions,
    private readonly settings: Settings,
    private readonly emit: (e: BackendEvent) => void,
  ) {
    this.scenarios = new ScenarioSet(`${settings.seed}/scenarios`, addressKey)
    this.random = new SeededRandom(`${settings.seed}/accounts`)
    const declared = options.accounts ?? defaultAccounts()
    const accounts = [...buildAccounts(declared, settings.start).values()]
    accounts.forEach((account, i) => {
      // the first account keeps the double's seed: its SIDs are those a double of one account always had
      const seed = i === 0 ? settings.seed : `${settings.seed}/${account.sid}`
      this.add(account, { declared: declared[i], seed, start: settings.start })
    })
    this.first = this.entries.values().next().value!.tenant!
  }

  // ---------------------------------------------------------------- the AccountDirectory of the pipeline

  get(sid: string): Account | undefined {
    return this.entries.get(sid)?.account
  }

  byApiKey(keySid: string, secret: string): Account | undefined {
    for (const { account } of this.entries.values())
      if (account.apiKeys.size > 0 && account.apiKeys.get(keySid) === secret) return account
    return undefined
  }

  adopt(sid: string, authToken: string): Account {
    const start = this.first.now()
    const [account] = buildAccounts([{ sid, authToken }], start).values()
    this.add(account!, { seed: `${this.settings.seed}/${sid}`, start })
    return account!
  }

  backendOf(sid: string): MessagingBackend | undefined {
    return this.entries.get(sid)?.tenant?.backend
  }

  createSubaccount(owner: Account, friendlyName: string | undefined): Account {
    const start = this.now(owner)
    const account = subaccountOf(owner, {
      sid: this.freshSid(),
      authToken: this.random.hex32(),
      friendlyName: friendlyName ?? defaultSubaccountName(start),
      createdAt: start,
    })
    this.add(account, { seed: `${this.settings.seed}/${account.sid}`, start })
    return account
  }

  subaccountsOf(owner: Account): Account[] {
    const out: Account[] = []
    for (const { account } of this.entries.values())
      if (account.ownerSid === owner.sid && account.sid !== owner.sid) out.push(account)
    return out
  }

  setStatus(account: Account, status: AccountStatus): void {
    account.status = status
    const entry = this.entries.get(account.sid)
    if (status !== 'closed' || !entry?.tenant) return
    // a closed account's state goes: its messages, scenarios, clock and deliveries (Twilio deletes a closed
    // subaccount's data; the double does so at once), and nothing refers to it any more
    entry.tenant.stop()
    for (const shared of this.handlers) shared.removers.delete(entry.tenant)
    entry.tenant = undefined
  }

  now(account: Account): number {
    return (this.entries.get(account.sid)?.tenant ?? this.first).now()
  }

  // ---------------------------------------------------------------- tenants

  /** The tenant serving `sid`; undefined for an unknown or closed account. */
  tenant(sid: string): Tenant | undefined {
    return this.entries.get(sid)?.tenant
  }

  /** The tenant serving `sid`, or a {@link TwilioDoubleError} naming the account and why it has none. */
  requireTenant(sid: string): Tenant {
    const entry = this.entries.get(sid)
    if (entry?.tenant) return entry.tenant
    throw new TwilioDoubleError(
      entry
        ? `account ${sid} is closed: its state is gone (create another subaccount)`
        : `no account ${sid}: the double has ${this.describeAccounts()}`,
    )
  }

  /** The tenants of the accounts not closed, oldest first. */
  tenants(): Tenant[] {
    const out: Tenant[] = []
    for (const { tenant } of this.entries.values()) if (tenant) out.push(tenant)
    return out
  }

  /** Every account, closed ones included, oldest first. */
  accounts(): Account[] {
    return [...this.entries.values()].map((e) => e.account)
  }

  /**
   * Adds a declared account at run time (a Pact provider state, `ensureAccount()`): a tenant of its own, kept
   * across resets as an account taken on first use is. An existing account is left as it is.
   */
  declare(options: AccountOptions): Account {
    const existing = this.entries.get(options.sid)
    if (existing) return existing.account
    const start = this.first.now()
    const [account] = buildAccounts([options], start).values()
    this.add(account!, { seed: `${this.settings.seed}/${options.sid}`, start })
    return account!
  }

  /**
   * The tenant an inbound message goes to: the account named, else the one that has the receiving number (declared
   * accounts first), else the first that accepts any sender, else the first.
   */
  inboundTenant(options: InboundOptions): Tenant {
    return this.tenantForNumber(options.to, options.accountSid, 'inbound()')
  }

  /**
   * The tenant of the account `accountSid` (which must be open), else of the account that has `number` (declared
   * accounts first), else of the first that accepts any sender, else the first. `where` names the caller in errors.
   */
  tenantForNumber(number: string | undefined, accountSid: string | undefined, where: string): Tenant {
    if (accountSid !== undefined) {
      const entry = this.entries.get(accountSid)
      if (!entry?.tenant)
        throw new TwilioDoubleError(
          `${where}: ${entry ? `account ${accountSid} is closed` : `no account ${accountSid}`}: use one of ${this.describeAccounts()}`,
        )
      return entry.tenant
    }
    const tenants = this.tenants()
    const key = typeof number === 'string' && number !== '' ? addressKey(number) : undefined
    return (
      (key !== undefined ? tenants.find((t) => hasNumber(t.account, key)) : undefined) ??
      tenants.find((t) => t.account.ownedNumbers === undefined) ??
      this.first
    )
  }

  // ---------------------------------------------------------------- the whole double

  /**
   * Resets one account's tenant: its messages, callbacks, scenarios and receivers go, its clock goes back. When it
   * is the first account's, the double's clock goes back with it, and the other accounts' records are measured
   * again against it (see {@link doubleClock}).
   */
  reset(sid: string): void {
    const entry = this.entries.get(sid)
    if (!entry?.tenant) throw new TwilioDoubleError(`reset(): no open account ${sid}`)
    let account = entry.account
    if (entry.declared) account = buildAccounts([entry.declared], entry.start).get(sid)!
    else account.webhooks = new Map()
    entry.account = account
    const before = this.doubleClock()
    entry.tenant.reset(account)
    const back = before - this.doubleClock()
    // (a real clock does not go back: only a virtual one is set back by a reset)
    if (entry.tenant === this.first && back > 0)
      for (const tenant of this.tenants()) if (tenant !== this.first) tenant.backend.doubleClockSetBack(back)
    this.attachHandlers(entry.tenant)
    this.emit({ type: 'reset', accountSid: sid })
  }

  /**
   * Resets every tenant, and the double's own scenarios and receivers. Accounts created or taken at run time stay
   * (closing is what removes a subaccount's state).
   */
  resetAll(): void {
    this.scenarios.reset()
    this.handlers.clear()
    for (const [sid, entry] of this.entries) {
      if (!entry.tenant) continue
      let account = entry.account
      if (entry.declared) account = buildAccounts([entry.declared], entry.start).get(sid)!
      else account.webhooks = new Map()
      entry.account = account
      entry.tenant.reset(account)
    }
  }

  /** Moves every tenant's clock by `ms` (each keeps its lead or lag on the others), one tenant after the other. */
  async advanceAll(ms: number): Promise<void> {
    for (const tenant of this.tenants()) await tenant.advance(ms)
  }

  /** Settles every tenant, until none has new work (a callback handler of one may create in another). */
  async settleAll(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      let quiet = true
      for (const tenant of this.tenants()) if (!(await tenant.settleRound())) quiet = false
      if (quiet && this.tenants().every((t) => t.pending === 0)) return
    }
    throw new TwilioDoubleError(
      'settle() found new work after 1000 rounds: a callback handler keeps creating messages?',
    )
  }

  /** Registers a receiver of callbacks on every tenant, those created later included, until the next reset. */
  handle(match: Matcher, handler: CallbackHandler): () => void {
    const shared: SharedHandler = { match, handler, removers: new Map() }
    // the first outbox checks the arguments (and refuses bad ones) before anything is kept
    shared.removers.set(this.first, this.first.outbox.handle(match, handler))
    for (const tenant of this.tenants()) if (tenant !== this.first) this.attach(shared, tenant)
    this.handlers.add(shared)
    return () => {
      this.handlers.delete(shared)
      for (const remove of shared.removers.values()) remove()
    }
  }

  /** Records of every tenant (or of `filter.accountSid`'s), each tenant's newest first. */
  records(filter: MessageFilter & { accountSid?: string } = {}): MessageRecord[] {
    if (filter.accountSid !== undefined)
      return this.tenant(filter.accountSid)?.backend.allMessages(filter) ?? []
    const tenants = this.tenants()
    if (tenants.length === 1) return tenants[0]!.backend.allMessages(filter)
    return tenants.flatMap((t) => t.backend.allMessages(filter))
  }

  /** How many messages match, over every tenant (or `filter.accountSid`'s). */
  count(filter: MessageFilter & { accountSid?: string } = {}): number {
    if (filter.accountSid !== undefined)
      return this.tenant(filter.accountSid)?.backend.countMessages(filter) ?? 0
    let n = 0
    for (const t of this.tenants()) n += t.backend.countMessages(filter)
    return n
  }

  /** A message by SID, in whichever tenant holds it. */
  findMessage(sid: string): MessageRecord | undefined {
    for (const t of this.tenants()) {
      const r = t.backend.findMessage(sid)
      if (r) return r
    }
    return undefined
  }

  /** Deliveries of every tenant, each tenant's oldest first. */
  deliveries(filter?: DeliveryFilter): CallbackDelivery[] {
    const tenants = this.tenants()
    if (tenants.length === 1) return tenants[0]!.outbox.list(filter)
    return tenants.flatMap((t) => t.outbox.list(filter))
  }

  // ---------------------------------------------------------------- inside

  private add(
    account: Account,
    spec: { declared?: AccountOptions; seed: string | number; start: number },
  ): void {
    const { options, settings, scenarios, emit, sequence, doubleClock } = this
    const tenant = new Tenant(
      account,
      (a, previous) =>
        buildState(
          options,
          settings,
          {
            account: a,
            seed: spec.seed,
            start: spec.start,
            sharedScenarios: scenarios,
            sequence,
            doubleClock,
          },
          emit,
          previous,
        ),
      // every outbox shares the interceptors declared on the double and the hosts already warned about
      this.entries.values().next().value?.tenant?.outbox,
    )
    this.entries.set(account.sid, { account, tenant, ...spec })
    this.attachHandlers(tenant)
  }

  private attachHandlers(tenant: Tenant): void {
    for (const shared of this.handlers) this.attach(shared, tenant)
  }

  private attach(shared: SharedHandler, tenant: Tenant): void {
    shared.removers.set(tenant, tenant.outbox.handle(shared.match, shared.handler))
  }

  /** A SID no account has (the seeded draws of two doubles' first accounts could meet). */
  private freshSid(): string {
    for (;;) {
      const sid = this.random.sid('AC')
      if (!this.entries.has(sid)) return sid
    }
  }

  private describeAccounts(): string {
    const open = this.accounts().filter((a) => a.status !== 'closed')
    return open.length > 8
      ? `${open.length} accounts open, such as ${open
          .slice(0, 3)
          .map((a) => a.sid)
          .join(', ')}`
      : `the accounts ${open.map((a) => a.sid).join(', ')}`
  }
}
