/** `toHaveSentMessage()` and `toHaveSentMessages()`: the messages the double has sent. */
import type { TwilioDouble } from '../double.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { MessageStatus } from '../schemas/common.js'
import type { MessageResource } from '../schemas/message.js'
import {
  checkKeys,
  checkValue,
  describeValue,
  type FieldKind,
  hint,
  type MatcherContext,
  type MatcherResult,
  numberedList,
  pendingHint,
  type RemoteReadable,
  remoteReader,
  requireDouble,
  type TextMatch,
  textMatches,
} from './matcher-support.js'

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
const MESSAGE_FIELD_KINDS: Record<(typeof MESSAGE_KEYS)[number], FieldKind> = {
  to: 'text',
  from: 'text',
  body: 'text',
  status: 'statuses',
  mediaUrl: 'text',
  numMedia: 'integer',
  messagingServiceSid: 'string',
  sid: 'string',
  accountSid: 'string',
  errorCode: 'error code',
}

/** Refuses a match object with unknown fields, or a field that could never match. */
function checkMatch(matcher: string, expected: SentMessageMatch): void {
  checkKeys(matcher, expected, MESSAGE_KEYS, 'message')
  for (const key of MESSAGE_KEYS) checkValue(matcher, key, expected[key], MESSAGE_FIELD_KINDS[key])
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
  return numberedList(
    messages,
    (m) => describeMessage(double, m),
    expected && ((m) => messageMismatches(double, m, expected)),
  )
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
  received: RemoteReadable,
  expected?: SentMessageMatch,
): Promise<MatcherResult>
export function toHaveSentMessage(
  this: MatcherContext,
  received: unknown,
  expected?: SentMessageMatch,
): MatcherResult
export function toHaveSentMessage(
  this: MatcherContext,
  received: unknown,
  expected: SentMessageMatch = {},
): MatcherResult | Promise<MatcherResult> {
  const read = remoteReader(received)
  if (read) return read().then((snapshot) => toHaveSentMessage.call(this, snapshot, expected))
  const double = requireDouble('toHaveSentMessage', received)
  checkMatch('toHaveSentMessage', expected)
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
  received: RemoteReadable,
  count: number,
  where?: SentMessageMatch,
): Promise<MatcherResult>
export function toHaveSentMessages(
  this: MatcherContext,
  received: unknown,
  count: number,
  where?: SentMessageMatch,
): MatcherResult
export function toHaveSentMessages(
  this: MatcherContext,
  received: unknown,
  count: number,
  where: SentMessageMatch = {},
): MatcherResult | Promise<MatcherResult> {
  const read = remoteReader(received)
  if (read) return read().then((snapshot) => toHaveSentMessages.call(this, snapshot, count, where))
  const double = requireDouble('toHaveSentMessages', received)
  if (!Number.isInteger(count) || count < 0)
    throw new TwilioDoubleError(
      `toHaveSentMessages(count): count must be an integer >= 0, got ${describeValue(count)}`,
    )
  checkMatch('toHaveSentMessages', where)
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
