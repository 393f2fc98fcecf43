/** `toHaveReceivedStatusCallback()`: the status callbacks the double delivered, and why one may be missing. */
import type { CallbackDelivery } from '../callbacks/outbox.js'
import type { TwilioDouble } from '../double.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { MessageStatus } from '../schemas/common.js'
import {
  checkKeys,
  checkValue,
  describeValue,
  type FieldKind,
  hint,
  type MatcherContext,
  type MatcherResult,
  numberedList,
  pendingWork,
  type RemoteReadable,
  remoteReader,
  requireDouble,
  type TextMatch,
  textMatches,
} from './matcher-support.js'

/** What `toHaveReceivedStatusCallback()` looks for among the status callbacks the double delivered. */
export interface StatusCallbackMatch {
  /** The message SID (`SM…` / `MM…`). */
  sid?: string
  /** `MessageStatus` of the callback: `'sent'`, `'delivered'`, `'undelivered'`, `'failed'`, `'read'`, … */
  status?: MessageStatus
  /** The callback URL, exactly or by RegExp. */
  url?: TextMatch
  /** `ErrorCode` parameter of the callback (failed / undelivered); `null`: a callback without one. */
  errorCode?: number | null
  /** The HTTP status the receiving app answered with. */
  responseStatus?: number
}

const CALLBACK_KEYS = ['sid', 'status', 'url', 'errorCode', 'responseStatus'] as const
const CALLBACK_FIELD_KINDS: Record<(typeof CALLBACK_KEYS)[number], FieldKind> = {
  sid: 'string',
  status: 'status',
  url: 'text',
  errorCode: 'error code',
  responseStatus: 'integer',
}

function callbackMismatches(d: CallbackDelivery, expected: StatusCallbackMatch): string[] {
  const out: string[] = []
  if (expected.sid !== undefined && d.messageSid !== expected.sid) out.push('sid')
  if (expected.status !== undefined && d.status !== expected.status) out.push('status')
  if (expected.url !== undefined && !textMatches(expected.url, d.url)) out.push('url')
  if (
    expected.errorCode !== undefined &&
    d.params.ErrorCode !== (expected.errorCode === null ? undefined : String(expected.errorCode))
  )
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
  return numberedList(deliveries, describeDelivery, expected && ((d) => callbackMismatches(d, expected)))
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
  received: RemoteReadable,
  expected: StatusCallbackMatch,
): Promise<MatcherResult>
export function toHaveReceivedStatusCallback(
  this: MatcherContext,
  received: unknown,
  expected: StatusCallbackMatch,
): MatcherResult
export function toHaveReceivedStatusCallback(
  this: MatcherContext,
  received: unknown,
  expected: StatusCallbackMatch,
): MatcherResult | Promise<MatcherResult> {
  const read = remoteReader(received)
  if (read) return read().then((snapshot) => toHaveReceivedStatusCallback.call(this, snapshot, expected))
  const double = requireDouble('toHaveReceivedStatusCallback', received)
  if (expected === undefined)
    throw new TwilioDoubleError(
      "toHaveReceivedStatusCallback(expected): pass what to look for, e.g. { sid, status: 'delivered' }",
    )
  checkKeys('toHaveReceivedStatusCallback', expected, CALLBACK_KEYS, 'callback')
  for (const key of CALLBACK_KEYS)
    checkValue('toHaveReceivedStatusCallback', key, expected[key], CALLBACK_FIELD_KINDS[key])
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
        ? `${head}Expected no status callback matching ${wanted}, but ${matching.length} ${matching.length === 1 ? 'was' : 'were'} received:\n${listDeliveries(matching)}`
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
