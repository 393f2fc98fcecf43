import type { CallbackDelivery } from '../callbacks/outbox.js'
import type { TwilioDouble } from '../double.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { MessageStatus } from '../schemas/common.js'
import type { MessageResource } from '../schemas/message.js'

/** A text field of a match: equal to the string, or matching the RegExp. */
export type TextMatch = string | RegExp

/**
 * What `toHaveSentMessage()` and `toHaveSentMessages()` look for in the messages the double has sent
 * (outbound messages, created through the API). Every given field must match.
 */
export interface SentMessageMatch {
  /** Recipient, e.g. `'+15550001111'` or `'whatsapp:+15550001111'`, or a RegExp. */
  to?: TextMatch
  /** Sender (as stored: the number, short code, alphanumeric ID or `whatsapp:` address), or a RegExp. */
  from?: TextMatch
  /** The message text, exactly or by RegExp, e.g. `/code \d{6}/`. */
  body?: TextMatch
  /** Current status of the message, or any of a list. */
  status?: MessageStatus | MessageStatus[]
  /** A media URL the message was created with (any of them matches). */
  mediaUrl?: TextMatch
  /** Number of media URLs. */
  numMedia?: number
  messagingServiceSid?: string
  sid?: string
  accountSid?: string
  /** Error code of a failed or undelivered message; `null` for none. */
  errorCode?: number | null
}

/** What `toHaveReceivedStatusCallback()` looks for among the status callbacks the double delivered. */
export interface StatusCallbackMatch {
  /** The message SID (`SM…` / `MM…`). */
  sid?: string
  /** `MessageStatus` of the callback: `'sent'`, `'delivered'`, `'undelivered'`, `'failed'`, `'read'`, … */
  status?: MessageStatus
  /** The callback URL, exactly or by RegExp. */
  url?: TextMatch
  /** `ErrorCode` parameter of the callback (failed / undelivered). */
  errorCode?: number
  /** The HTTP status the receiving app answered with. */
  responseStatus?: number
}

/** The custom matchers, typed for `expect(double)` in vitest and jest. */
export interface TwilioDoubleMatchers<R = unknown> {
  /**
   * Passes when the double has sent (created through the API) at least one message matching `expected`.
   *
   * @example
   * expect(twilioDouble).toHaveSentMessage({ to: '+15550001111', body: /code \d{6}/ })
   */
  toHaveSentMessage(expected?: SentMessageMatch): R
  /**
   * Passes when the double has sent exactly `count` messages (matching `where`, when given).
   *
   * @example
   * expect(twilioDouble).toHaveSentMessages(2, { to: '+15550001111' })
   */
  toHaveSentMessages(count: number, where?: SentMessageMatch): R
  /**
   * Passes when a status callback matching `expected` was delivered and answered by the receiver (any HTTP
   * status; narrow it with `responseStatus`). Run `await double.settle()` (or `advance()`) first, so that
   * the transitions and their callbacks have happened.
   *
   * @example
   * expect(twilioDouble).toHaveReceivedStatusCallback({ sid: message.sid, status: 'delivered' })
   */
  toHaveReceivedStatusCallback(expected: StatusCallbackMatch): R
}

/** The part of the matcher context of vitest and jest these matchers use. */
interface MatcherContext {
  isNot?: boolean
  utils?: { matcherHint?: (name: string, received?: string, expected?: string, options?: object) => string }
}

interface MatcherResult {
  pass: boolean
  message: () => string
}

const MESSAGE_KEYS = [
  'to',
  'from',
  'body',
  'status',
  'mediaUrl',
  'numMedia',
  'messagingServiceSid',
  'sid',
  'accountSid',
  'errorCode',
] as const
const CALLBACK_KEYS = ['sid', 'status', 'url', 'errorCode', 'responseStatus'] as const
const MAX_LISTED = 10

function isDouble(value: unknown): value is TwilioDouble {
  const v = value as Partial<TwilioDouble> | null
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.messages?.list === 'function' &&
    typeof v.callbacks?.list === 'function'
  )
}

function requireDouble(matcher: string, value: unknown): TwilioDouble {
  if (!isDouble(value))
    throw new TwilioDoubleError(
      `expect(received).${matcher}(): received must be a twilio double (from createTwilioDouble() or the twilioDouble export of twilio-double/vitest or twilio-double/jest), got ${describeValue(value)}`,
    )
  return value
}

function checkKeys(matcher: string, value: object | undefined, allowed: readonly string[]): void {
  if (value === undefined) return
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TwilioDoubleError(
      `${matcher}(expected): expected must be an object with some of ${allowed.join(', ')}`,
    )
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k))
  if (unknown.length > 0)
    throw new TwilioDoubleError(
      `${matcher}(expected): unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; use ${allowed.join(', ')}`,
    )
}

function describeValue(value: unknown): string {
  if (value instanceof RegExp) return String(value)
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`
  if (value === undefined) return 'undefined'
  if (typeof value === 'object' && value !== null)
    return `{ ${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${describeValue(v)}`)
      .join(', ')} }`
  return String(value)
}

function textMatches(expected: TextMatch, actual: string | null | undefined): boolean {
  if (actual === null || actual === undefined) return false
  if (expected instanceof RegExp) {
    expected.lastIndex = 0
    return expected.test(actual)
  }
  return expected === actual
}

/** The fields of `expected` that `message` does not match. */
function messageMismatches(double: TwilioDouble, m: MessageResource, expected: SentMessageMatch): string[] {
  const out: string[] = []
  if (expected.to !== undefined && !textMatches(expected.to, m.to)) out.push('to')
  if (expected.from !== undefined && !textMatches(expected.from, m.from)) out.push('from')
  if (expected.body !== undefined && !textMatches(expected.body, m.body)) out.push('body')
  if (expected.status !== undefined) {
    const wanted = Array.isArray(expected.status) ? expected.status : [expected.status]
    if (!m.status || !wanted.includes(m.status)) out.push('status')
  }
  if (expected.mediaUrl !== undefined) {
    const urls = m.sid ? double.messages.mediaUrls(m.sid) : []
    const wanted = expected.mediaUrl
    if (!urls.some((u) => textMatches(wanted, u))) out.push('mediaUrl')
  }
  if (expected.numMedia !== undefined && Number(m.num_media) !== expected.numMedia) out.push('numMedia')
  if (expected.messagingServiceSid !== undefined && m.messaging_service_sid !== expected.messagingServiceSid)
    out.push('messagingServiceSid')
  if (expected.sid !== undefined && m.sid !== expected.sid) out.push('sid')
  if (expected.accountSid !== undefined && m.account_sid !== expected.accountSid) out.push('accountSid')
  if (expected.errorCode !== undefined && m.error_code !== expected.errorCode) out.push('errorCode')
  return out
}

/** Outbound messages (created through the API), oldest first. */
function sentMessages(double: TwilioDouble): MessageResource[] {
  return double.messages
    .list()
    .filter((m) => m.direction !== 'inbound')
    .reverse()
}

function describeMessage(double: TwilioDouble, m: MessageResource): string {
  const media = m.sid && Number(m.num_media) > 0 ? double.messages.mediaUrls(m.sid) : []
  const parts = [
    `${m.sid} to ${m.to ?? '?'} from ${m.from ?? m.messaging_service_sid ?? '?'}`,
    `status ${m.status}${m.error_code !== null ? ` (error ${m.error_code})` : ''}`,
    `body ${JSON.stringify(m.body ?? '')}`,
  ]
  if (media.length > 0) parts.push(`media ${media.join(', ')}`)
  return parts.join(', ')
}

function listMessages(
  double: TwilioDouble,
  messages: MessageResource[],
  expected?: SentMessageMatch,
): string {
  if (messages.length === 0) return '  (none)'
  const shown = messages.slice(-MAX_LISTED)
  const lines = shown.map((m, i) => {
    const n = messages.length - shown.length + i + 1
    const diff = expected ? messageMismatches(double, m, expected) : []
    return `  ${n}. ${describeMessage(double, m)}${diff.length > 0 ? `  ← differs in ${diff.join(', ')}` : ''}`
  })
  if (messages.length > shown.length) lines.unshift(`  … ${messages.length - shown.length} earlier not shown`)
  return lines.join('\n')
}

/** What is still to happen: status transitions waiting for virtual time, and callbacks being delivered. */
function pendingWork(double: TwilioDouble): { transitions: number; deliveries: number } {
  return {
    transitions: double.backend?.scheduler?.pending ?? 0,
    deliveries: double.backend?.outbox?.pending ?? 0,
  }
}

function pendingHint(double: TwilioDouble): string {
  const { transitions } = pendingWork(double)
  return transitions > 0
    ? `\n\n(${transitions} status transition${transitions === 1 ? ' is' : 's are'} still pending: await double.settle() or double.advance() before asserting)`
    : ''
}

function hint(ctx: MatcherContext, name: string, expected: string): string {
  const h = ctx.utils?.matcherHint
  return h
    ? h(`${ctx.isNot ? '.not' : ''}.${name}`, 'double', expected)
    : `expect(double).${name}(${expected})`
}

/**
 * Passes when the double sent at least one message matching `expected` (all messages when omitted).
 *
 * @example
 * expect.extend({ toHaveSentMessage })
 * expect(double).toHaveSentMessage({ to: '+15550001111', body: /code \d{6}/ })
 */
export function toHaveSentMessage(
  this: MatcherContext,
  received: unknown,
  expected: SentMessageMatch = {},
): MatcherResult {
  const double = requireDouble('toHaveSentMessage', received)
  checkKeys('toHaveSentMessage', expected, MESSAGE_KEYS)
  const sent = sentMessages(double)
  const matching = sent.filter((m) => messageMismatches(double, m, expected).length === 0)
  const pass = matching.length > 0
  const wanted = describeValue(expected)
  return {
    pass,
    message: () =>
      pass
        ? `${hint(this, 'toHaveSentMessage', 'expected')}\n\nExpected no sent message matching ${wanted}, but ${matching.length} did:\n${listMessages(double, matching)}`
        : `${hint(this, 'toHaveSentMessage', 'expected')}\n\nExpected a sent message matching ${wanted}.\nSent instead (${sent.length}):\n${listMessages(double, sent, expected)}${
            sent.length === 0
              ? '\n\nThe double has not received any Create Message call: does the code under test send through the double (msw setup, nock, or twilio(..., { httpClient: double.httpClient() }))?'
              : ''
          }${pendingHint(double)}`,
  }
}

/**
 * Passes when the double sent exactly `count` messages (matching `where`, when given).
 *
 * @example
 * expect.extend({ toHaveSentMessages })
 * expect(double).toHaveSentMessages(1)
 */
export function toHaveSentMessages(
  this: MatcherContext,
  received: unknown,
  count: number,
  where: SentMessageMatch = {},
): MatcherResult {
  const double = requireDouble('toHaveSentMessages', received)
  if (!Number.isInteger(count) || count < 0)
    throw new TwilioDoubleError(
      `toHaveSentMessages(count): count must be an integer >= 0, got ${String(count)}`,
    )
  checkKeys('toHaveSentMessages', where, MESSAGE_KEYS)
  const sent = sentMessages(double)
  const matching = sent.filter((m) => messageMismatches(double, m, where).length === 0)
  const pass = matching.length === count
  const filtered = Object.keys(where).length > 0 ? ` matching ${describeValue(where)}` : ''
  return {
    pass,
    message: () =>
      pass
        ? `${hint(this, 'toHaveSentMessages', 'count')}\n\nExpected a number of sent messages${filtered} other than ${count}:\n${listMessages(double, matching)}`
        : `${hint(this, 'toHaveSentMessages', 'count')}\n\nExpected ${count} sent message${count === 1 ? '' : 's'}${filtered}, got ${matching.length}:\n${listMessages(double, matching)}${
            filtered && matching.length !== sent.length
              ? `\nAll sent messages (${sent.length}):\n${listMessages(double, sent, where)}`
              : ''
          }${pendingHint(double)}`,
  }
}

function callbackMismatches(d: CallbackDelivery, expected: StatusCallbackMatch): string[] {
  const out: string[] = []
  if (expected.sid !== undefined && d.messageSid !== expected.sid) out.push('sid')
  if (expected.status !== undefined && d.status !== expected.status) out.push('status')
  if (expected.url !== undefined && !textMatches(expected.url, d.url)) out.push('url')
  if (expected.errorCode !== undefined && d.params.ErrorCode !== String(expected.errorCode))
    out.push('errorCode')
  if (expected.responseStatus !== undefined && d.responseStatus !== expected.responseStatus)
    out.push('responseStatus')
  if (d.responseStatus === undefined) out.push('not received')
  return out
}

function describeDelivery(d: CallbackDelivery): string {
  const outcome =
    d.responseStatus !== undefined ? `answered ${d.responseStatus}` : `failed: ${d.error ?? 'no answer'}`
  const code = d.params.ErrorCode ? ` (ErrorCode ${d.params.ErrorCode})` : ''
  return `${d.messageSid} ${d.status}${code} → ${d.method} ${d.url}, ${outcome}`
}

function listDeliveries(deliveries: CallbackDelivery[], expected?: StatusCallbackMatch): string {
  if (deliveries.length === 0) return '  (none)'
  const shown = deliveries.slice(-MAX_LISTED)
  const lines = shown.map((d, i) => {
    const n = deliveries.length - shown.length + i + 1
    const diff = expected ? callbackMismatches(d, expected) : []
    return `  ${n}. ${describeDelivery(d)}${diff.length > 0 ? `  ← differs in ${diff.join(', ')}` : ''}`
  })
  if (deliveries.length > shown.length)
    lines.unshift(`  … ${deliveries.length - shown.length} earlier not shown`)
  return lines.join('\n')
}

/**
 * Passes when a status callback matching `expected` was delivered and the receiver answered it.
 *
 * @example
 * expect.extend({ toHaveReceivedStatusCallback })
 * await double.settle()
 * expect(double).toHaveReceivedStatusCallback({ sid, status: 'delivered' })
 */
export function toHaveReceivedStatusCallback(
  this: MatcherContext,
  received: unknown,
  expected: StatusCallbackMatch,
): MatcherResult {
  const double = requireDouble('toHaveReceivedStatusCallback', received)
  if (expected === undefined)
    throw new TwilioDoubleError(
      "toHaveReceivedStatusCallback(expected): pass what to look for, e.g. { sid, status: 'delivered' }",
    )
  checkKeys('toHaveReceivedStatusCallback', expected, CALLBACK_KEYS)
  const deliveries = double.callbacks.list({ kind: 'status' })
  const matching = deliveries.filter((d) => callbackMismatches(d, expected).length === 0)
  const pass = matching.length > 0
  const wanted = describeValue(expected)
  const relevant = expected.sid ? deliveries.filter((d) => d.messageSid === expected.sid) : deliveries
  const head = `${hint(this, 'toHaveReceivedStatusCallback', 'expected')}\n\n`
  return {
    pass,
    message: () =>
      pass
        ? `${head}Expected no status callback matching ${wanted}, but ${matching.length} was received:\n${listDeliveries(matching)}`
        : `${head}Expected a received status callback matching ${wanted}.\n${callbackCauses(
            double,
            expected,
            deliveries,
            relevant,
          )
            .map((c) => `${c}\n`)
            .join(
              '',
            )}\nDelivered instead${expected.sid ? ` for ${expected.sid}` : ''} (${relevant.length}):\n${listDeliveries(relevant, expected)}`,
  }
}

/** The likely reasons a status callback was not received, the likeliest first. */
function callbackCauses(
  double: TwilioDouble,
  expected: StatusCallbackMatch,
  deliveries: CallbackDelivery[],
  relevant: CallbackDelivery[],
): string[] {
  const causes: string[] = []
  const { transitions, deliveries: inFlight } = pendingWork(double)
  if (transitions > 0 || inFlight > 0) {
    const what = [
      transitions > 0 ? `${transitions} status transition${transitions === 1 ? '' : 's'}` : '',
      inFlight > 0 ? `${inFlight} callback deliver${inFlight === 1 ? 'y' : 'ies'}` : '',
    ].filter(Boolean)
    causes.push(
      `${what.join(' and ')} ${transitions + inFlight === 1 ? 'is' : 'are'} still pending: await double.settle() (or double.advance()) before asserting.`,
    )
  }
  if (relevant.length === 0 && expected.sid && !double.messages.get(expected.sid))
    causes.push(`The double has no message ${expected.sid}.`)
  else if (deliveries.length === 0 && double.messages.count() > 0 && transitions === 0)
    causes.push(
      'No status callback was delivered at all: they go only to messages created with a statusCallback URL (or sent through a messaging service or application that has one).',
    )
  const unanswered = relevant.filter((d) => d.responseStatus === undefined)
  if (unanswered.length > 0 && unanswered.length === relevant.length) {
    const urls = [...new Set(unanswered.map((d) => d.url))]
    causes.push(
      `None of ${relevant.length === 1 ? 'them' : `these ${relevant.length}`} was answered (${urls.join(', ')}): ${receiverHint(unanswered)}`,
    )
  }
  return causes
}

/** Why deliveries went unanswered, from their recorded errors. */
function receiverHint(unanswered: CallbackDelivery[]): string {
  const last = unanswered[unanswered.length - 1]!
  return last.error ?? 'no answer'
}

/**
 * The matchers, ready for `expect.extend()` in vitest or jest. The setup entries `twilio-double/vitest`
 * and `twilio-double/jest` register them for you.
 *
 * @example
 * import { expect } from 'vitest'
 * import { twilioMatchers } from 'twilio-double/matchers'
 * expect.extend(twilioMatchers)
 */
export const twilioMatchers = {
  toHaveSentMessage,
  toHaveSentMessages,
  toHaveReceivedStatusCallback,
}
