import { TwilioApiError } from '../errors/twilio-api-error.js'
import { magicNumberError } from '../scenarios/magic-numbers.js'
import { parseApiDate } from '../util/dates.js'
import { hexValue } from '../util/hex.js'
import type { Account } from './accounts.js'
import { addressKey, type Channel, isLandline, type ParsedAddress, parseFrom, parseTo } from './address.js'
import type { CreateMessageCommand } from './commands.js'
import { countSegments } from './segments.js'

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

/** Rules of Create Message that options can change. */
export interface CreateRules {
  strictNumbers: boolean
  magicNumbers: boolean
  maxValidityPeriod: number
  scheduleMinAheadMs: number
  scheduleMaxAheadMs: number
  /** Scheduling with From only: `drop` the scheduling parameters and send now (the document), or `reject` with 35118. */
  scheduleFromOnly: 'drop' | 'reject'
}

/** A validated create request, ready to become a message. */
export interface CreatePlan {
  to: ParsedAddress
  from: ParsedAddress | undefined
  messagingServiceSid: string | null
  body: string
  numSegments: number
  mediaUrls: string[]
  channel: Channel
  scheduledAt: number | undefined
  statusCallback: string | undefined
  applicationSid: string | undefined
  validityPeriod: number | undefined
  maxPrice: number | undefined
  contentSid: string | undefined
  provideFeedback: boolean
}

/** Whether `value` is a SID with the two-letter `prefix`: the prefix and 32 hexadecimal digits. */
function isSid(prefix: string, value: string): boolean {
  if (value.length !== 34 || !value.startsWith(prefix)) return false
  for (let i = 2; i < 34; i++) if (hexValue(value.charCodeAt(i)) < 0) return false
  return true
}

function validUrl(value: string): boolean {
  try {
    const u = new URL(value)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0
  } catch {
    return false
  }
}

/**
 * Validates a Create Message command against Twilio's rules, in the order Twilio checks them, and
 * throws the matching `TwilioApiError`.
 */
export function planCreate(
  account: Account,
  command: CreateMessageCommand,
  rules: CreateRules,
  now: number,
): CreatePlan {
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

  const body = command.body ?? ''
  const mediaUrls = (command.mediaUrls ?? []).filter((u) => u !== '')
  const contentSid = command.contentSid?.trim() || undefined
  if (body === '' && mediaUrls.length === 0 && !contentSid) throw new TwilioApiError(21602)
  // characters are code points; a body of at most 1,600 UTF-16 units cannot hold more
  if (body.length > 1600 && [...body].length > 1600) throw new TwilioApiError(21617)
  if (mediaUrls.length > 10) throw new TwilioApiError(21623)
  const badMedia = mediaUrls.filter((u) => !validUrl(u))
  if (badMedia.length > 0) throw new TwilioApiError(21620, { value: badMedia.join(', ') })
  if (contentSid && !isSid('HX', contentSid)) throw new TwilioApiError(21655, { value: contentSid })
  const contentVariables = command.contentVariables
  if (contentVariables !== undefined && contentVariables !== '') {
    if (!contentSid) throw new TwilioApiError(21654)
    try {
      const parsed = JSON.parse(contentVariables)
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not an object')
    } catch {
      throw new TwilioApiError(21656)
    }
  }

  if (rules.magicNumbers) {
    const magic = magicNumberError(fromRaw, toRaw)
    if (magic) throw new TwilioApiError(magic.code, { to: toRaw, from: fromRaw })
  }

  const to = parseTo(toRaw, { strict: rules.strictNumbers })
  if (!to) throw new TwilioApiError(21211, { to: toRaw })
  if (rules.strictNumbers && to.channel === 'sms' && isLandline(to))
    throw new TwilioApiError(21614, { to: toRaw })

  let from: ParsedAddress | undefined
  if (fromRaw) {
    from = parseFrom(fromRaw, { strict: rules.strictNumbers })
    if (!from) throw new TwilioApiError(21212, { from: fromRaw })
    if (account.ownedNumbers && !account.ownedNumbers.has(addressKey(fromRaw)))
      throw new TwilioApiError(21606, { from: fromRaw })
    // A WhatsApp or Messenger message goes from a sender of that channel to an address of that channel
    // (Twilio answers 21910 "Invalid From and To pair"). Whether a phone-number sender may reach an `rcs:`
    // address is not documented; it is accepted, as before.
    const crossChannel = (c: string) => c === 'whatsapp' || c === 'messenger'
    if (from.channel !== to.channel && (crossChannel(from.channel) || crossChannel(to.channel)))
      throw new TwilioApiError(21910)
    if (addressKey(fromRaw) === addressKey(toRaw)) throw new TwilioApiError(21211, { to: toRaw })
  }
  if (serviceSid && (!isSid('MG', serviceSid) || !account.services.has(serviceSid)))
    throw new TwilioApiError(21701, { sid: serviceSid })

  const statusCallback = command.statusCallback?.trim() || undefined
  if (
    statusCallback !== undefined &&
    (statusCallback.length > 4000 || !validUrl(statusCallback) || /_/.test(new URL(statusCallback).hostname))
  )
    throw new TwilioApiError(21609, { value: statusCallback })
  const applicationSid = command.applicationSid?.trim() || undefined
  if (applicationSid && !isSid('AP', applicationSid))
    throw new TwilioApiError(21619, { message: `ApplicationSid ${applicationSid} is invalid` })

  const vpRaw = command.validityPeriod
  let validityPeriod: number | undefined
  if (vpRaw !== undefined && vpRaw !== '') {
    const n = Number(vpRaw)
    if (!/^\d+$/.test(vpRaw.trim()) || n < 1 || n > rules.maxValidityPeriod)
      throw new TwilioApiError(21624, { value: vpRaw })
    validityPeriod = n
  }
  // a parameter of the wrong shape (a flag, an enumeration, MaxPrice, Attempt, ScheduleType)
  if (command.malformed)
    throw new TwilioApiError(command.malformed.code, { message: command.malformed.message })
  const maxPrice = command.maxPrice
  const provideFeedback = command.provideFeedback ?? false
  const smartEncoded = command.smartEncoded ?? false

  // Scheduling: only with a messaging service; with From only, the scheduling parameters are dropped.
  let scheduledAt: number | undefined
  const scheduleType = command.scheduleType
  const sendAt = command.sendAt
  if (scheduleType === 'fixed' && serviceSid) {
    if (!sendAt) throw new TwilioApiError(35111)
    const parsed = parseApiDate(sendAt)
    if (!parsed || parsed.dayOnly)
      throw new TwilioApiError(35114, { message: `${sendAt} is not an ISO-8601 date-time` })
    const ahead = parsed.ms - now
    if (ahead < rules.scheduleMinAheadMs || ahead > rules.scheduleMaxAheadMs)
      throw new TwilioApiError(35114, {
        message: `SendAt must be between ${spanOf(rules.scheduleMinAheadMs)} and ${spanOf(rules.scheduleMaxAheadMs)} in the future`,
      })
    scheduledAt = parsed.ms
  } else if (scheduleType === 'fixed' && rules.scheduleFromOnly === 'reject') {
    throw new TwilioApiError(35118)
  }

  const channel = to.channel
  const finalBody = smartEncoded ? countSegments(body, { smartEncoded: true }).body : body
  const seg = countSegments(finalBody)
  // A WhatsApp message carries one media item; the others are ignored.
  const media = channel === 'whatsapp' ? mediaUrls.slice(0, 1) : mediaUrls
  return {
    to,
    from,
    messagingServiceSid: serviceSid ?? null,
    body: finalBody,
    numSegments: seg.segments,
    mediaUrls: media,
    channel,
    scheduledAt,
    statusCallback,
    applicationSid,
    validityPeriod,
    maxPrice,
    contentSid,
    provideFeedback,
  }
}
