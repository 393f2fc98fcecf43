import type { CallbackOptions } from './callbacks/outbox.js'
import { type ContentTemplateOptions, DEFAULT_ACCOUNT_SID, type TwilioDoubleOptions } from './config.js'
import { isKnownErrorCode } from './errors/catalog.js'
import { TwilioDoubleError } from './errors/twilio-api-error.js'
import { type BackendOptions, resolveSenderRates, type SenderRates } from './messaging/backend.js'
import type { DeclaredTemplate } from './messaging/content.js'
import { MAX_SCHEDULED_MESSAGES } from './messaging/create-rules.js'
import { type PriceTable, resolvePrices } from './messaging/pricing.js'
import type { DelayedStatus } from './scenarios/types.js'
import { toEpochMs } from './util/dates.js'
import { type Duration, toMs } from './util/duration.js'
import { type OptionKeys, refuseUnknownKeys } from './util/option-keys.js'
import { SeededRandom } from './util/random.js'

/** Every option of `createTwilioDouble()`. */
export interface CreateTwilioDoubleOptions extends TwilioDoubleOptions {
  /** Time spent in each status before the next (ms or duration strings). */
  delays?: Partial<Record<DelayedStatus, Duration>>
  /**
   * Prices in USD per segment (SMS) or per message (MMS, WhatsApp), by channel: a number, or prices by ISO
   * country code with `default` for the others. Channels not named keep the built-in prices.
   */
  prices?: Partial<PriceTable>
  /** Messages per second per sender kind (queue model); kinds not named keep Twilio's defaults. */
  senderRates?: Partial<SenderRates>
  /** Seconds of traffic a sender's queue holds before creates answer 429 (default 14,400; false: no limit). */
  maxQueueSeconds?: number | false
  /** Error code of a message whose ValidityPeriod ends while it is queued: 30001 (default) or e.g. 30036. */
  validityErrorCode?: number
  /** Status callback and webhook delivery. */
  callbacks?: CallbackOptions
  /** Retention caps: oldest messages are dropped first beyond `maxMessages` per account. */
  retention?: { maxMessages?: number }
}

// every option, so that the compiler notices one added to the type and not here
const OPTION_KEYS: OptionKeys<CreateTwilioDoubleOptions> = {
  accounts: true,
  seed: true,
  strictAccounts: true,
  startTime: true,
  clock: true,
  strictNumbers: true,
  magicNumbers: true,
  scheduling: true,
  maxValidityPeriod: true,
  maxPrice: true,
  applicationCallback: true,
  mmsCountries: true,
  contentTemplates: true,
  delays: true,
  prices: true,
  senderRates: true,
  maxQueueSeconds: true,
  validityErrorCode: true,
  callbacks: true,
  retention: true,
}

/** Refuses an option the double does not know (a misspelt one would otherwise be ignored without a word). */
function checkOptionKeys(options: CreateTwilioDoubleOptions): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TwilioDoubleError(
      `createTwilioDouble(options): options must be an object such as { seed: 'my-suite' } (got ${JSON.stringify(options)})`,
    )
  const unknown = Object.keys(options).filter((k) => !Object.hasOwn(OPTION_KEYS, k))
  if (unknown.length > 0)
    throw new TwilioDoubleError(
      `createTwilioDouble(): unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; the options are ${Object.keys(OPTION_KEYS).join(', ')}`,
    )
}

const DELAY_KEYS: OptionKeys<Record<DelayedStatus, unknown>> = {
  accepted: true,
  queued: true,
  sending: true,
  sent: true,
  delivered: true,
}
const SCHEDULING_KEYS: OptionKeys<NonNullable<CreateTwilioDoubleOptions['scheduling']>> = {
  minAhead: true,
  maxAhead: true,
  fromOnly: true,
  maxScheduled: true,
}
const CALLBACK_KEYS: OptionKeys<CallbackOptions> = {
  timeoutMs: true,
  retries: true,
  maxRecorded: true,
  network: true,
  fetch: true,
}
const RETENTION_KEYS: OptionKeys<NonNullable<CreateTwilioDoubleOptions['retention']>> = { maxMessages: true }
const TEMPLATE_KEYS: OptionKeys<ContentTemplateOptions> = {
  sid: true,
  accountSid: true,
  friendlyName: true,
  language: true,
  variables: true,
  types: true,
  whatsapp: true,
}
const WHATSAPP_TEMPLATE_KEYS: OptionKeys<NonNullable<ContentTemplateOptions['whatsapp']>> = {
  name: true,
  category: true,
  status: true,
  rejectionReason: true,
}

/**
 * Refuses what the options hold below their top level that the double would otherwise ignore or misread: a key
 * its type does not name, a value of the wrong kind.
 */
function checkNestedOptions(o: CreateTwilioDoubleOptions): void {
  const at = (where: string) => `createTwilioDouble(): ${where}`
  const got = (v: unknown) => `(got ${typeof v === 'function' ? 'a function' : JSON.stringify(v)})`
  /** A number of messages, when given, is a whole number from `least`. */
  const refuseCount = (value: unknown, least: number, where: string) => {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= least))
      throw new TwilioDoubleError(
        `${at(where)}: expected a whole number of messages >= ${least} ${got(value)}`,
      )
  }
  if (o.seed !== undefined && typeof o.seed !== 'string' && typeof o.seed !== 'number')
    throw new TwilioDoubleError(`${at('seed')}: expected a string or a number ${got(o.seed)}`)
  refuseUnknownKeys(o.delays, DELAY_KEYS, at('delays'))
  refuseUnknownKeys(o.scheduling, SCHEDULING_KEYS, at('scheduling'))
  refuseCount(o.scheduling?.maxScheduled, 0, 'scheduling.maxScheduled')
  const queue = o.maxQueueSeconds
  if (queue !== undefined && queue !== false && !(typeof queue === 'number' && queue > 0))
    throw new TwilioDoubleError(
      `${at('maxQueueSeconds')}: expected seconds (a number > 0) or false ${got(queue)}`,
    )
  refuseUnknownKeys(o.retention, RETENTION_KEYS, at('retention'))
  refuseCount(o.retention?.maxMessages, 1, 'retention.maxMessages')
  if (o.validityErrorCode !== undefined && !isKnownErrorCode(o.validityErrorCode))
    throw new TwilioDoubleError(
      `validityErrorCode ${o.validityErrorCode} is not in the catalog; use 30001 (the default) or e.g. 30036`,
    )
  const c = o.callbacks
  if (c === undefined) return
  if (typeof c !== 'object' || c === null || Array.isArray(c))
    throw new TwilioDoubleError(`${at('callbacks')}: expected an object such as { retries: 2 } ${got(c)}`)
  refuseUnknownKeys(c, CALLBACK_KEYS, at('callbacks'))
  // the outbox checks the numbers it takes (timeoutMs, retries, maxRecorded)
  if (c.network !== undefined && typeof c.network !== 'boolean')
    throw new TwilioDoubleError(`${at('callbacks.network')}: expected true or false ${got(c.network)}`)
  if (c.fetch !== undefined && typeof c.fetch !== 'function')
    throw new TwilioDoubleError(`${at('callbacks.fetch')}: expected a fetch function ${got(c.fetch)}`)
}

/** What `createTwilioDouble()` works out of its options once (validated), for every state it builds. */
export interface Settings {
  seed: string | number
  clockMode: 'virtual' | 'real'
  /** Where time starts, in epoch ms (and where `reset()` puts it back). */
  start: number
  backend: BackendOptions
}

/**
 * Validates the options of `createTwilioDouble()` and works out what every state of the double is built from;
 * throws a {@link TwilioDoubleError} saying the fix for an unknown or contradictory option.
 *
 * @example
 * const settings = resolveSettings({ seed: 'my-suite', delays: { sent: '2s' } })
 * settings.backend.delays.sent // 2000
 */
export function resolveSettings(options: CreateTwilioDoubleOptions): Settings {
  checkOptionKeys(options)
  checkNestedOptions(options)
  const clockMode = options.clock ?? 'virtual'
  if (clockMode !== 'virtual' && clockMode !== 'real')
    throw new TwilioDoubleError(`clock must be 'virtual' or 'real' (got '${String(clockMode)}')`)
  if (clockMode === 'real' && options.startTime !== undefined)
    throw new TwilioDoubleError(
      "startTime sets where virtual time starts; with clock: 'real' the double reads the process clock: leave startTime out and set that clock (vi.setSystemTime() / jest.setSystemTime() under fake timers)",
    )
  const delays: Partial<Record<DelayedStatus, number>> = {}
  for (const [k, v] of Object.entries(options.delays ?? {}))
    if (v !== undefined) delays[k as DelayedStatus] = toMs(v)
  const min = toMs(options.scheduling?.minAhead ?? '60m')
  const max = toMs(options.scheduling?.maxAhead ?? '7d')
  if (min > max)
    throw new TwilioDoubleError(
      `scheduling: minAhead (${options.scheduling?.minAhead ?? '60m'}) is later than maxAhead (${options.scheduling?.maxAhead ?? '7d'}); SendAt could never be accepted`,
    )
  const maxPrice = options.maxPrice ?? 'checked'
  if (maxPrice !== 'checked' && maxPrice !== 'obsolete')
    throw new TwilioDoubleError(
      `maxPrice must be 'checked' (the Message resource document) or 'obsolete' (Twilio's OpenAPI description) (got ${JSON.stringify(options.maxPrice)})`,
    )
  const applicationCallback = options.applicationCallback ?? 'replaces'
  if (applicationCallback !== 'replaces' && applicationCallback !== 'fallback')
    throw new TwilioDoubleError(
      `applicationCallback must be 'replaces' (the Message resource document) or 'fallback' (Twilio's OpenAPI description) (got ${JSON.stringify(options.applicationCallback)})`,
    )
  const mmsCountries = options.mmsCountries ?? ['US', 'CA']
  if (
    !Array.isArray(mmsCountries) ||
    !mmsCountries.every((c) => typeof c === 'string' && /^[A-Z]{2}$/.test(c))
  )
    throw new TwilioDoubleError(
      `mmsCountries must be ISO country codes such as ['US', 'CA', 'AU'] (got ${JSON.stringify(options.mmsCountries)})`,
    )
  const contentTemplates = resolveTemplates(options)
  const backend: BackendOptions = {
    rules: {
      strictNumbers: options.strictNumbers ?? false,
      magicNumbers: options.magicNumbers ?? true,
      maxValidityPeriod: options.maxValidityPeriod ?? 14_400,
      scheduleMinAheadMs: min,
      scheduleMaxAheadMs: max,
      scheduleFromOnly: options.scheduling?.fromOnly ?? 'drop',
      maxScheduled: options.scheduling?.maxScheduled ?? MAX_SCHEDULED_MESSAGES,
      maxPrice,
      mmsCountries: new Set(mmsCountries),
    },
    delays,
    prices: resolvePrices(options.prices),
    senderRates: resolveSenderRates(options.senderRates),
    maxQueueSeconds: options.maxQueueSeconds,
    validityErrorCode: options.validityErrorCode,
    applicationCallback,
    maxMessages: options.retention?.maxMessages,
    contentTemplates,
  }
  const start =
    clockMode === 'real' || options.startTime === undefined
      ? Date.now()
      : toEpochMs(options.startTime, 'startTime')
  return { seed: options.seed ?? 'twilio-double', clockMode, start, backend }
}

const HX = /^HX[0-9a-fA-F]{32}$/
const APPROVAL_STATUSES = ['received', 'pending', 'approved', 'rejected', 'paused', 'disabled']

/**
 * The declared content templates, each with its SID (drawn from the seed when not given) and account (the first
 * account when not given); a template without types, or with a SID that is no `HX…` SID or is given twice, is
 * refused, saying the fix.
 */
function resolveTemplates(options: CreateTwilioDoubleOptions): DeclaredTemplate[] {
  const declared = options.contentTemplates ?? []
  if (!Array.isArray(declared))
    throw new TwilioDoubleError(
      `contentTemplates must be an array of templates such as [{ types: { 'twilio/text': { body: 'Hi {{1}}' } } }] (got ${JSON.stringify(declared)})`,
    )
  const random = new SeededRandom(`${options.seed ?? 'twilio-double'}/content-templates`)
  const firstAccount = options.accounts?.[0]?.sid ?? DEFAULT_ACCOUNT_SID
  const seen = new Set<string>()
  return declared.map((t, i) => {
    const where = `contentTemplates[${i}]`
    refuseUnknownKeys(t, TEMPLATE_KEYS, where)
    refuseUnknownKeys(t?.whatsapp, WHATSAPP_TEMPLATE_KEYS, `${where}.whatsapp`)
    if (typeof t !== 'object' || t === null || typeof t.types !== 'object' || t.types === null)
      throw new TwilioDoubleError(
        `${where}: a template needs its types, e.g. { types: { 'twilio/text': { body: 'Your code is {{1}}' } } }`,
      )
    if (Object.keys(t.types).length === 0)
      throw new TwilioDoubleError(
        `${where}: types is empty; give at least one, e.g. { 'twilio/text': { body: 'Hi' } }`,
      )
    const sid = t.sid ?? random.sid('HX')
    if (!HX.test(sid))
      throw new TwilioDoubleError(
        `${where}: '${sid}' is not a content SID: use 'HX' followed by 32 hex digits`,
      )
    if (seen.has(sid)) throw new TwilioDoubleError(`${where}: the SID ${sid} is given to two templates`)
    seen.add(sid)
    const status = t.whatsapp?.status
    if (status !== undefined && !APPROVAL_STATUSES.includes(status))
      throw new TwilioDoubleError(
        `${where}: whatsapp.status '${status}' is none of WhatsApp's: ${APPROVAL_STATUSES.join(', ')}`,
      )
    return { ...t, sid, accountSid: t.accountSid ?? firstAccount }
  })
}
