/**
 * Every rule a Create Message goes through, in the order Twilio applies them: {@link CREATE_RULES}. Each rule
 * reads the command and what the rules before it found, and refuses with Twilio's error code or adds to the draft
 * of the message. The content rules are in create-content.ts, the body rules in create-body.ts; the others here.
 */
import { TwilioApiError } from '../errors/twilio-api-error.js'
import { magicNumberError } from '../scenarios/magic-numbers.js'
import type { ScenarioSet } from '../scenarios/scenario-set.js'
import type { ScenarioOutcome } from '../scenarios/types.js'
import type { Scheduler } from '../time/scheduler.js'
import { parseApiDate } from '../util/dates.js'
import type { SeededRandom } from '../util/random.js'
import { isSid } from '../util/sid.js'
import { isWebUrl } from '../util/web-url.js'
import type { Account } from './accounts.js'
import {
  type AddressCache,
  addressKey,
  type Channel,
  isLandline,
  nationalNumber,
  type ParsedAddress,
  parseFrom,
  parseTo,
} from './address.js'
import type { CreateMessageCommand } from './commands.js'
import { type ContentTemplate, type ContentTemplates, isApproved } from './content.js'
import { mms, shortenLinks } from './create-body.js'
import { checkContent, renderContent } from './create-content.js'
import type { Lifecycle } from './delivery.js'
import type { OptOutList } from './opt-out.js'
import { applyScenario, matchScenario } from './scenario-step.js'
import { countSegments } from './segments.js'
import type { SenderQueues } from './sender-queues.js'

/** Most messages an account may have waiting in `scheduled` on Twilio (error 35125 beyond). */
export const MAX_SCHEDULED_MESSAGES = 500_000

/** Rules of Create Message that options can change. */
export interface CreateRules {
  strictNumbers: boolean
  magicNumbers: boolean
  maxValidityPeriod: number
  scheduleMinAheadMs: number
  scheduleMaxAheadMs: number
  /** Scheduling with From only: `drop` the scheduling parameters and send now (the document), or `reject` with 35118. */
  scheduleFromOnly: 'drop' | 'reject'
  /** Most messages an account may have waiting in `scheduled` (Twilio's 500,000); one more is refused with 35125. */
  maxScheduled: number
  /**
   * MaxPrice: `checked` (the document: 21627 for 0, a negative value or no number; a message above it fails with
   * 30010) or `obsolete` (Twilio's OpenAPI description: no effect since 2024-06-03, any value accepted).
   */
  maxPrice: 'checked' | 'obsolete'
  /**
   * Countries (ISO codes) whose carriers take MMS from Twilio: the Message resource document names the US and
   * Canada. An MMS to another country goes through Twilio's MMS converter, as SMS with a link to its media.
   */
  mmsCountries: ReadonlySet<string>
}

/** What a create reads: the command, its account, the double's rules, state and clock. */
export interface CreateInput {
  readonly command: CreateMessageCommand
  readonly account: Account
  readonly rules: CreateRules
  /** The double's clock (a scenario's latency passes on it). */
  readonly scheduler: Scheduler
  readonly scenarios: ScenarioSet
  readonly optOuts: OptOutList
  readonly queues: SenderQueues
  /** The phone facts the double remembers. */
  readonly addresses: AddressCache
  /** The double's seeded random (the codes of the links a create writes into a body). */
  readonly random: SeededRandom
  /** The account's content templates. */
  readonly content: ContentTemplates
  /** The lifecycle, which knows how many messages of an account wait in `scheduled`. */
  readonly lifecycle: Pick<Lifecycle, 'scheduledIn'>
}

/** A message as the rules build it; complete once every rule has run. */
export interface CreateDraft {
  /** When the message is created (epoch ms): when the call arrived, plus a scenario's latency. */
  now: number
  /** The delivery outcome of the scenario that matched the call (it goes on with the message to its lifecycle). */
  outcome: ScenarioOutcome | undefined
  toRaw: string
  fromRaw: string | undefined
  messagingServiceSid: string | undefined
  body: string
  mediaUrls: string[]
  contentSid: string | undefined
  /** The template `ContentSid` names. */
  template: ContentTemplate | undefined
  to: ParsedAddress
  from: ParsedAddress | undefined
  channel: Channel
  statusCallback: string | undefined
  applicationSid: string | undefined
  validityPeriod: number | undefined
  maxPrice: number | undefined
  /** Message Redaction asked for: the body discarded, the recipient's number obfuscated once it is sent. */
  discardContent: boolean
  obfuscateAddress: boolean
  /** When a scheduled message is sent (epoch ms). */
  scheduledAt: number | undefined
  /** The status it is created in. */
  status: 'scheduled' | 'accepted' | 'queued'
  numSegments: number
  /**
   * How a message with media or `SendAsMms` goes out: `mms`, or `sms` through Twilio's MMS converter (its SID stays
   * `MM…`); undefined for any other message.
   */
  sentAs: 'mms' | 'sms' | undefined
  /** A free-form WhatsApp message: it fails with 63016 when it is queued outside the customer service window. */
  checkWindow: boolean
}

/**
 * A rule of create: refuses with Twilio's error, or fills in the draft. Only a rule that lets time pass (a
 * scenario's latency) returns a promise.
 */
export type CreateRule = (draft: CreateDraft, input: CreateInput) => void | Promise<void>

/** The rules of Create Message, in order. */
export const CREATE_RULES: readonly { name: string; rule: CreateRule }[] = [
  {
    name: 'scenario (latency, network error, fault or refusal; its delivery outcome goes on with the message)',
    rule: scenario,
  },
  { name: 'recipient and sender are given (21604, 21603)', rule: requireAddresses },
  { name: 'content (21602, 21617, 21623, 21620, 21655, 21654, 21656)', rule: checkContent },
  { name: "magic numbers (Twilio's test credentials numbers)", rule: magicNumbers },
  { name: 'addresses (21211, 21614, 21212, 21606, 21910, 21612, 21701)', rule: checkAddresses },
  { name: 'content template rendered for the channel (21656)', rule: renderContent },
  { name: 'options (21609, 21619, 21624, 21627, 30029, 30030)', rule: checkOptions },
  { name: 'scheduling (35111, 35114, 35125, 35118)', rule: schedule },
  {
    name: 'Link Shortening of the messaging service (21619 for ShortenUrls without one)',
    rule: shortenLinks,
  },
  { name: 'encoding and segments', rule: encode },
  {
    name: "MMS or Twilio's MMS converter (one segment; SMS with a link where MMS is not delivered)",
    rule: mms,
  },
  { name: 'opt-out (21610)', rule: optOut },
  { name: 'WhatsApp customer service window (63016 once queued)', rule: whatsappWindow },
  { name: "sender's queue limit (429)", rule: queueLimit },
]

/**
 * Runs every rule of {@link CREATE_RULES} on a command; the draft of the message, or the refusal thrown (Twilio's
 * error, or a scenario's).
 */
export async function applyCreateRules(input: CreateInput): Promise<CreateDraft> {
  const draft = {
    now: input.scheduler.now(),
    outcome: undefined,
    checkWindow: false,
    numSegments: 0,
  } as CreateDraft
  for (const { rule } of CREATE_RULES) {
    const pending = rule(draft, input)
    if (pending) await pending
  }
  return draft
}

/**
 * The newest scenario matching the call (on the parameters as sent): its latency passes before the message is
 * created, its network error, fault or refusal ends the call, its delivery outcome is kept for the lifecycle.
 */
function scenario(
  d: CreateDraft,
  { command, scenarios, scheduler, addresses }: CreateInput,
): void | Promise<void> {
  const { to, from } = command
  const outcome = matchScenario(
    scenarios,
    {
      operation: 'create',
      accountSid: command.accountSid,
      to,
      from,
      body: command.body,
      messagingServiceSid: command.messagingServiceSid,
      params: command.params ?? {},
    },
    addresses,
  )
  if (!outcome) return
  d.outcome = outcome
  const pending = applyScenario(outcome, scheduler, { to, from })
  if (pending)
    return pending.then(() => {
      d.now = scheduler.now()
    })
}

function requireAddresses(d: CreateDraft, { command }: CreateInput): void {
  const toRaw = command.to?.trim()
  if (!toRaw) throw new TwilioApiError(21604)
  let fromRaw = command.from?.trim() || undefined
  let serviceSid = command.messagingServiceSid?.trim() || undefined
  // A messaging service SID may be passed in From.
  if (fromRaw && !serviceSid && isSid('MG', fromRaw)) {
    serviceSid = fromRaw
    fromRaw = undefined
  }
  if (!fromRaw && !serviceSid) throw new TwilioApiError(21603)
  d.toRaw = toRaw
  d.fromRaw = fromRaw
  d.messagingServiceSid = serviceSid
}

function magicNumbers(d: CreateDraft, { rules }: CreateInput): void {
  if (!rules.magicNumbers) return
  // a magic From written as a national number, `(500) 555-0001`, is that number
  const from = d.fromRaw && (nationalNumber(d.fromRaw) ?? d.fromRaw)
  const magic = magicNumberError(from, d.toRaw)
  if (magic) throw new TwilioApiError(magic.code, { to: d.toRaw, from: d.fromRaw })
}

/** Countries whose carriers refuse an alphanumeric sender ID: Twilio answers 21612. */
const ALPHA_BARRED = new Set(['US', 'CA'])

function checkAddresses(d: CreateDraft, { account, rules, addresses: cache }: CreateInput): void {
  const { toRaw, fromRaw } = d
  const to = parseTo(toRaw, { strict: rules.strictNumbers, cache })
  if (!to) throw new TwilioApiError(21211, { to: toRaw })
  if (rules.strictNumbers && to.channel === 'sms' && isLandline(to))
    throw new TwilioApiError(21614, { to: toRaw })
  d.to = to
  d.channel = to.channel
  if (fromRaw) {
    const parsed = parseFrom(fromRaw, { strict: rules.strictNumbers, cache })
    if (!parsed) throw new TwilioApiError(21212, { from: fromRaw })
    // a US number written without its country code is the +1 number it names, from here on
    const from = parsed.national ? { ...parsed, raw: parsed.e164! } : parsed
    if (account.ownedNumbers && !account.ownedNumbers.has(addressKey(from.raw, cache)))
      throw new TwilioApiError(21606, { from: fromRaw })
    // A WhatsApp or Messenger message goes from a sender of that channel to an address of that channel
    // (Twilio answers 21910 "Invalid From and To pair"). Whether a phone-number sender may reach an `rcs:`
    // address is not documented; it is accepted, as before.
    const crossChannel = (c: string) => c === 'whatsapp' || c === 'messenger'
    if (from.channel !== to.channel && (crossChannel(from.channel) || crossChannel(to.channel)))
      throw new TwilioApiError(21910)
    // US and Canadian carriers take no alphanumeric sender ID
    if (from.kind === 'alphanumeric' && to.channel === 'sms' && ALPHA_BARRED.has(to.country ?? ''))
      throw new TwilioApiError(21612, { to: toRaw, from: fromRaw })
    if (addressKey(from.raw, cache) === addressKey(toRaw, cache))
      throw new TwilioApiError(21211, { to: toRaw })
    d.from = from
    d.fromRaw = from.raw
  }
  const serviceSid = d.messagingServiceSid
  if (serviceSid && (!isSid('MG', serviceSid) || !account.services.has(serviceSid)))
    throw new TwilioApiError(21701, { sid: serviceSid })
}

function checkOptions(d: CreateDraft, { command, rules }: CreateInput): void {
  const statusCallback = command.statusCallback?.trim() || undefined
  if (
    statusCallback !== undefined &&
    (statusCallback.length > 4000 || !isWebUrl(statusCallback) || /_/.test(new URL(statusCallback).hostname))
  )
    throw new TwilioApiError(21609, { value: statusCallback })
  const applicationSid = command.applicationSid?.trim() || undefined
  if (applicationSid && !isSid('AP', applicationSid))
    throw new TwilioApiError(21619, { message: `ApplicationSid ${applicationSid} is invalid` })
  const vpRaw = command.validityPeriod
  if (vpRaw !== undefined && vpRaw !== '') {
    const n = Number(vpRaw)
    if (!/^\d+$/.test(vpRaw.trim()) || n < 1 || n > rules.maxValidityPeriod)
      throw new TwilioApiError(21624, { value: vpRaw })
    d.validityPeriod = n
  }
  const maxPrice = command.maxPrice?.trim()
  if (maxPrice && rules.maxPrice === 'checked') {
    // a positive decimal ("Max Price must be a valid positive float")
    if (!/^(\d+\.?\d*|\.\d+)$/.test(maxPrice) || !(Number(maxPrice) > 0)) throw new TwilioApiError(21627)
    d.maxPrice = Number(maxPrice)
  }
  // a parameter of the wrong shape (a flag, an enumeration, Attempt, ScheduleType)
  if (command.malformed)
    throw new TwilioApiError(command.malformed.code, { message: command.malformed.message })
  d.statusCallback = statusCallback
  d.applicationSid = applicationSid
  d.discardContent = command.contentRetention === 'discard'
  d.obfuscateAddress = command.addressRetention === 'obfuscate'
}

/** A span of the scheduling window in words: `1 hour`, `90 minutes`, `7 days`, `45 seconds`. */
function spanOf(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ]
  for (const [size, name] of units)
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms === size ? '' : 's'}`
  return `${ms} ms`
}

/**
 * Scheduling: only with a messaging service (with From only, the scheduling parameters are dropped, or refused
 * with 35118 by option), and while the account has fewer than `maxScheduled` messages waiting (else 35125). The
 * message starts `scheduled`, else `accepted` with a messaging service (it picks a sender), else `queued`.
 */
function schedule(d: CreateDraft, { command, rules, account, lifecycle }: CreateInput): void {
  const { now } = d
  const { scheduleType, sendAt } = command
  if (scheduleType === 'fixed' && d.messagingServiceSid) {
    if (!sendAt) throw new TwilioApiError(35111)
    const parsed = parseApiDate(sendAt)
    if (!parsed || parsed.dayOnly)
      throw new TwilioApiError(35114, { message: `${sendAt} is not an ISO-8601 date-time` })
    const ahead = parsed.ms - now
    if (ahead < rules.scheduleMinAheadMs || ahead > rules.scheduleMaxAheadMs)
      throw new TwilioApiError(35114, {
        message: `SendAt must be between ${spanOf(rules.scheduleMinAheadMs)} and ${spanOf(rules.scheduleMaxAheadMs)} in the future`,
      })
    if (lifecycle.scheduledIn(account.sid) >= rules.maxScheduled) throw new TwilioApiError(35125)
    d.scheduledAt = parsed.ms
  } else if (scheduleType === 'fixed' && rules.scheduleFromOnly === 'reject') {
    throw new TwilioApiError(35118)
  }
  d.status = d.scheduledAt !== undefined ? 'scheduled' : d.messagingServiceSid ? 'accepted' : 'queued'
}

/** Smart encoding (by option), the segment count, and WhatsApp's one media item (the others are ignored). */
function encode(d: CreateDraft, { command }: CreateInput): void {
  if (command.smartEncoded) d.body = countSegments(d.body, { smartEncoded: true }).body
  d.numSegments = countSegments(d.body).segments
  if (d.channel === 'whatsapp') d.mediaUrls = d.mediaUrls.slice(0, 1)
}

/** A recipient who texted STOP to the sender (or to its messaging service) gets no SMS from it: 21610. */
function optOut(d: CreateDraft, { account, optOuts }: CreateInput): void {
  if (d.channel !== 'sms') return
  if (optOuts.isBlocked(account, d.toRaw, d.from?.raw, d.messagingServiceSid ?? null))
    throw new TwilioApiError(21610, { to: d.toRaw, from: d.from?.raw })
}

/**
 * WhatsApp's customer service window: a message other than a template WhatsApp has approved (free-form, or a
 * template whose approval is not `approved`) is accepted, and fails with 63016 once queued if the user has not
 * written within 24 hours (checked then, by the lifecycle).
 */
function whatsappWindow(d: CreateDraft): void {
  d.checkWindow = d.channel === 'whatsapp' && !(d.template && isApproved(d.template))
}

/** A sender's queue holds at most `maxQueueSeconds` of traffic; beyond it, the API answers 429. */
function queueLimit(d: CreateDraft, { command, queues }: CreateInput): void {
  if (d.status === 'queued' && d.from) queues.checkRoom(command.accountSid, d.from.raw, d.now)
}
