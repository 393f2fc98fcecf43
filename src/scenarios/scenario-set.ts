import { isKnownErrorCode } from '../errors/catalog.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { channel } from '../schemas/common.js'
import { toMs } from '../util/duration.js'
import { SeededRandom } from '../util/random.js'
import type { Operation, Scenario, ScenarioContext, ScenarioOutcome } from './types.js'

const OPERATIONS: Operation[] = ['create', 'fetch', 'list', 'update', 'delete', 'media', 'feedback']
const DELIVER = ['delivered', 'undelivered', 'failed', 'sent', 'read']
const CHANNELS: readonly string[] = channel.options
const WHEN_KEYS = ['to', 'from', 'body', 'channel', 'messagingServiceSid', 'operation']
/** Outcomes that answer the call instead of making the message. */
const REFUSALS = ['reject', 'fault', 'networkError'] as const
/** Outcomes of a made message's delivery and callbacks. */
const DELIVERY = [
  'deliver',
  'errorCode',
  'delays',
  'readAfter',
  'tamperSignature',
  'duplicateCallbacks',
  'reorderCallbacks',
] as const
const THEN_KEYS = ['reject', 'message', 'fault', 'retryAfter', 'networkError', 'latency', ...DELIVERY]
const SCENARIO_KEYS = ['name', 'when', 'then', 'times', 'probability']
/** An address on a channel other than SMS, by its prefix. */
const CHANNEL_ADDRESS = /^(whatsapp|messenger|rcs):/i
const DELAY_KEYS = ['accepted', 'queued', 'sending', 'sent', 'delivered']

interface Active {
  scenario: Scenario
  remaining: number
}

/**
 * The scenarios of one double (or of one account of it): `use()` adds, matching consumes `times`, `reset()` clears.
 * A set made with a `fallback` (the double's own set, for an account's) matches its own scenarios first, then the
 * fallback's.
 *
 * A scenario matches a call when every field of its `when` matches (`to`/`from` compare as addresses, by the
 * `addressKey` the set is given; `body` exactly or by RegExp; `operation` defaults to `create`). The newest matching scenario wins. A
 * scenario with `probability` applies to a matching call when a draw from the seeded generator of the set the call
 * is matched in falls below it, the fallback's scenarios included: an account's set draws for the double's
 * scenarios too, so that one account's calls never change another's picks. The same seed gives the same picks.
 *
 * @example
 * const set = new ScenarioSet('my-seed', addressKey)
 * set.use({ when: { to: /^\+1555/ }, then: { reject: 21610 }, times: 1 })
 */
export class ScenarioSet {
  private active: Active[] = []
  private readonly random: SeededRandom
  private readonly seed: string | number | undefined

  /**
   * `seed`: the seed of probability draws (a string or number), or a generator to draw from. `addressKey`: what
   * makes two ways of writing an address the same (the messaging domain's key: E.164, channel prefix). `fallback`:
   * a set whose scenarios apply when none of this set's match (they stay its own: `reset()` leaves them).
   */
  constructor(
    seed: SeededRandom | string | number,
    private readonly addressKey: (address: string) => string,
    private readonly fallback?: ScenarioSet,
  ) {
    if (typeof seed === 'string' || typeof seed === 'number') {
      this.seed = seed
      this.random = new SeededRandom(seed)
    } else {
      this.seed = undefined
      this.random = seed
    }
  }

  /** Adds scenarios; later ones take precedence over earlier ones. Returns a function that removes them. */
  use(...scenarios: Scenario[]): () => void {
    const added = scenarios.map((s) => {
      validateScenario(s)
      this.checkCreateTo(s)
      return { scenario: s, remaining: s.times ?? Number.POSITIVE_INFINITY }
    })
    this.active.push(...added)
    return () => {
      this.active = this.active.filter((a) => !added.includes(a))
    }
  }

  /**
   * Refuses a scenario of creates only whose `when.to` no create's To can be (the double keeps a message's To in
   * E.164 or as a channel address): a number in national format, say, would never match.
   */
  private checkCreateTo(s: Scenario): void {
    const to = s.when?.to
    const operation = s.when?.operation ?? 'create'
    const createsOnly = (Array.isArray(operation) ? operation : [operation]).every((op) => op === 'create')
    if (typeof to !== 'string' || !createsOnly) return
    const key = this.addressKey(to)
    if (key.startsWith('+') || CHANNEL_ADDRESS.test(key)) return
    throw new TwilioDoubleError(
      `scenario${s.name ? ` '${s.name}'` : ''}: when.to '${to}' never matches a create: a message's To is E.164 (such as '+15550001111') or a channel address (whatsapp:+15550001111); write it so, or match with a RegExp`,
    )
  }

  /** True when no scenario was added (or all were removed), here and in the fallback: nothing can match. */
  get isEmpty(): boolean {
    return this.active.length === 0 && (this.fallback?.isEmpty ?? true)
  }

  /** Scenarios of this set still active (not used up); the fallback's are not listed. */
  list(): Scenario[] {
    return this.active.filter((a) => a.remaining > 0).map((a) => a.scenario)
  }

  /** Removes every scenario and restarts the probability draws from the seed. */
  reset(): void {
    this.active = []
    if (this.seed !== undefined) this.random.reset()
  }

  /**
   * The outcome for a call, consuming one use of the matching scenario; the newest match wins. `random`: the
   * generator of the probability draws (this set's; the fallback draws from the set that falls back to it).
   */
  match(ctx: ScenarioContext, random: SeededRandom = this.random): ScenarioOutcome | undefined {
    for (let i = this.active.length - 1; i >= 0; i--) {
      const a = this.active[i]!
      if (a.remaining <= 0 || !matches(a.scenario, ctx, this.addressKey)) continue
      if (a.scenario.probability !== undefined && random.next() >= a.scenario.probability) continue
      const outcome = typeof a.scenario.then === 'function' ? runThen(a.scenario, ctx) : a.scenario.then
      if (!outcome) continue
      if (typeof a.scenario.then === 'function') validateOutcome(outcome, a.scenario.name)
      a.remaining--
      return outcome
    }
    return this.fallback?.match(ctx, random)
  }
}

function test(
  pattern: string | RegExp | undefined,
  value: string | undefined,
  key: ((address: string) => string) | undefined,
): boolean {
  if (pattern === undefined) return true
  if (value === undefined) return false
  if (typeof pattern === 'string') return key ? key(pattern) === key(value) : pattern === value
  pattern.lastIndex = 0
  return pattern.test(value)
}

function matches(s: Scenario, ctx: ScenarioContext, addressKey: (address: string) => string): boolean {
  const w = s.when ?? {}
  const ops =
    w.operation === undefined ? ['create'] : Array.isArray(w.operation) ? w.operation : [w.operation]
  if (!ops.includes(ctx.operation)) return false
  if (
    !test(w.to, ctx.to, addressKey) ||
    !test(w.from, ctx.from, addressKey) ||
    !test(w.body, ctx.body, undefined)
  )
    return false
  if (w.channel && w.channel !== ctx.channel) return false
  if (w.messagingServiceSid && w.messagingServiceSid !== ctx.messagingServiceSid) return false
  return true
}

function unknownKeys(o: object, allowed: string[]): string[] {
  return Object.keys(o).filter((k) => !allowed.includes(k))
}

function validateScenario(s: Scenario): void {
  if (!s || typeof s !== 'object')
    throw new TwilioDoubleError(
      `a scenario must be an object such as { when: { to }, then: { reject: 21610 } } (got ${String(s)})`,
    )
  const name = s.name ? ` '${s.name}'` : ''
  if (
    s.then === undefined ||
    (typeof s.then !== 'function' && (s.then === null || typeof s.then !== 'object'))
  )
    throw new TwilioDoubleError(
      `scenario${name} needs a 'then' object or function: e.g. { when: { to }, then: { reject: 21610 } }`,
    )
  const extra = unknownKeys(s, SCENARIO_KEYS)
  if (extra.length > 0)
    throw new TwilioDoubleError(
      `scenario${name}: unknown field(s) ${extra.join(', ')}; a scenario has ${SCENARIO_KEYS.join(', ')}`,
    )
  if (s.when !== undefined) {
    if (s.when === null || typeof s.when !== 'object')
      throw new TwilioDoubleError(`scenario${name}: 'when' must be an object such as { to: '+15550001111' }`)
    const bad = unknownKeys(s.when, WHEN_KEYS)
    if (bad.length > 0)
      throw new TwilioDoubleError(
        `scenario${name}: unknown 'when' field(s) ${bad.join(', ')}; match on ${WHEN_KEYS.join(', ')} (lower camel case)`,
      )
    for (const k of ['to', 'from', 'body'] as const) {
      const v = s.when[k]
      if (v !== undefined && typeof v !== 'string' && !(v instanceof RegExp))
        throw new TwilioDoubleError(`scenario${name}: when.${k} must be a string or a RegExp`)
    }
    if (s.when.channel !== undefined && !CHANNELS.includes(s.when.channel))
      throw new TwilioDoubleError(
        `scenario${name}: unknown channel '${s.when.channel}'; use one of ${CHANNELS.join(', ')}`,
      )
  }
  const ops =
    s.when?.operation === undefined
      ? []
      : Array.isArray(s.when.operation)
        ? s.when.operation
        : [s.when.operation]
  for (const op of ops)
    if (!OPERATIONS.includes(op))
      throw new TwilioDoubleError(
        `scenario${name}: unknown operation '${op}'; use one of ${OPERATIONS.join(', ')}`,
      )
  if (s.times !== undefined && (!Number.isInteger(s.times) || s.times < 1))
    throw new TwilioDoubleError(`scenario${name}: times must be a positive integer (omit it for 'always')`)
  if (s.probability !== undefined && !(s.probability >= 0 && s.probability <= 1))
    throw new TwilioDoubleError(`scenario${name}: probability must be between 0 and 1`)
  if (typeof s.then !== 'function') {
    validateOutcome(s.then, s.name)
    if (!Object.values(s.then).some((v) => v !== undefined))
      throw new TwilioDoubleError(
        `scenario${name}: 'then' names no outcome; give one such as { reject: 21610 }, { deliver: 'undelivered' } or { latency: '2s' } (a 'then' function returns undefined to let a call through)`,
      )
    const receipt =
      s.then.deliver === 'read' ? "deliver: 'read'" : s.then.readAfter !== undefined ? 'readAfter' : undefined
    const smsOnly = smsOnlyMatch(s.when)
    if (receipt && smsOnly)
      throw new TwilioDoubleError(
        `scenario${name}: ${receipt} needs a channel with read receipts (WhatsApp, RCS, Messenger), and this scenario matches SMS only (${smsOnly}): an SMS stops at delivered; match a whatsapp:, rcs: or messenger: address, or deliver: 'delivered'`,
      )
  }
}

/** Why a scenario's `when` matches SMS messages only (its channel, or a `to` without a channel prefix), if it does. */
function smsOnlyMatch(when: Scenario['when']): string | undefined {
  if (when?.channel === 'sms') return "when.channel 'sms'"
  if (typeof when?.to === 'string' && !CHANNEL_ADDRESS.test(when.to.trim())) return `when.to '${when.to}'`
  return undefined
}

/** A scenario's `then` function called; what it throws becomes an error naming the scenario. */
function runThen(scenario: Scenario, ctx: ScenarioContext): ScenarioOutcome | undefined {
  try {
    return (scenario.then as (c: ScenarioContext) => ScenarioOutcome | undefined)(ctx)
  } catch (err) {
    const name = scenario.name ? ` '${scenario.name}'` : ''
    throw new TwilioDoubleError(
      `scenario${name}: its 'then' function threw (${(err as Error)?.message ?? String(err)}); fix it, or return undefined to let the call through`,
    )
  }
}

function validateOutcome(o: ScenarioOutcome, scenarioName?: string): void {
  const name = scenarioName ? ` '${scenarioName}'` : ''
  if (o === null || typeof o !== 'object')
    throw new TwilioDoubleError(
      `scenario${name}: 'then' must give an outcome object such as { reject: 21610 }`,
    )
  const bad = unknownKeys(o, THEN_KEYS)
  if (bad.length > 0)
    throw new TwilioDoubleError(
      `scenario${name}: unknown 'then' field(s) ${bad.join(', ')}; an outcome has ${THEN_KEYS.join(', ')}`,
    )
  if (o.reject !== undefined && !isKnownErrorCode(o.reject))
    throw new TwilioDoubleError(
      `scenario${name}: error code ${o.reject} is not in the catalog; pick a Twilio error code such as 21211, 21610 or 30003`,
    )
  if (o.fault !== undefined && ![429, 500, 503].includes(o.fault))
    throw new TwilioDoubleError(`scenario${name}: fault must be 429, 500 or 503`)
  if (o.deliver !== undefined && !DELIVER.includes(o.deliver))
    throw new TwilioDoubleError(`scenario${name}: deliver must be one of ${DELIVER.join(', ')}`)
  if (o.errorCode !== undefined) {
    if (!isKnownErrorCode(o.errorCode))
      throw new TwilioDoubleError(
        `scenario${name}: delivery error code ${o.errorCode} is not in the catalog; use e.g. 30003 or 63016`,
      )
    if (o.deliver !== undefined && o.deliver !== 'failed' && o.deliver !== 'undelivered')
      throw new TwilioDoubleError(
        `scenario${name}: errorCode needs deliver: 'failed' or 'undelivered' (got '${o.deliver}')`,
      )
  }
  const refusals = REFUSALS.filter((k) => o[k] !== undefined && o[k] !== false)
  if (refusals.length > 1)
    throw new TwilioDoubleError(
      `scenario${name}: ${refusals.join(' and ')} both answer the call; give one of them`,
    )
  const delivery = DELIVERY.filter((k) => o[k] !== undefined && o[k] !== false)
  if (refusals.length === 1 && delivery.length > 0)
    throw new TwilioDoubleError(
      `scenario${name}: ${refusals[0]} answers the call with an error, so the message is never made and ${delivery.join(', ')} never applies; use two scenarios (one with times: 1) to refuse a create and deliver others`,
    )
  if (o.message !== undefined && o.reject === undefined)
    throw new TwilioDoubleError(
      `scenario${name}: message replaces the message of a reject; give reject: <code> with it`,
    )
  if (o.retryAfter !== undefined && o.fault !== 429)
    throw new TwilioDoubleError(
      `scenario${name}: retryAfter is the Retry-After of a 429 fault; give fault: 429 with it (got ${o.fault === undefined ? 'no fault' : `fault ${o.fault}`})`,
    )
  if (o.readAfter !== undefined && o.deliver !== undefined && o.deliver !== 'read')
    throw new TwilioDoubleError(`scenario${name}: readAfter needs deliver: 'read' (got '${o.deliver}')`)
  if (o.retryAfter !== undefined && !(Number.isInteger(o.retryAfter) && o.retryAfter >= 0))
    throw new TwilioDoubleError(`scenario${name}: retryAfter must be a whole number of seconds >= 0`)
  if (o.latency !== undefined) toMs(o.latency)
  if (o.readAfter !== undefined) toMs(o.readAfter)
  if (o.delays !== undefined) {
    const badDelays = unknownKeys(o.delays, DELAY_KEYS)
    if (badDelays.length > 0)
      throw new TwilioDoubleError(
        `scenario${name}: unknown delay(s) ${badDelays.join(', ')}; delays are per status: ${DELAY_KEYS.join(', ')}`,
      )
    for (const v of Object.values(o.delays)) if (v !== undefined) toMs(v)
  }
}
