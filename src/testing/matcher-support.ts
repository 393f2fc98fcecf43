/**
 * What the custom matchers share: the matcher context of vitest and jest, checks of what they are given, and how
 * their failure messages describe values, lists and pending work.
 */
import { MATCHER_SNAPSHOT, type MatcherSnapshot } from '../client/tenant.js'
import type { TwilioDouble } from '../double.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { messageStatus } from '../schemas/common.js'

/** A text field of a match: equal to the string, or matching the RegExp. */
export type TextMatch = string | RegExp

/** The part of the matcher context of vitest and jest these matchers use. */
export interface MatcherContext {
  isNot?: boolean
  utils?: { matcherHint?: (name: string, received?: string, expected?: string, options?: object) => string }
}

/** What a matcher returns to vitest or jest. */
export interface MatcherResult {
  pass: boolean
  message: () => string
}

/** Most items a failure message lists (the latest ones). */
const MAX_LISTED = 10

/** A tenant of a shared server, which the matchers read through the control API (they answer a promise then). */
export interface RemoteReadable {
  [MATCHER_SNAPSHOT](): Promise<MatcherSnapshot>
}

/**
 * The reader of a tenant of a shared server (`createTenant()`, the setup entries' `twilioTenant`): the matchers
 * read a snapshot of it through the control API, and answer a promise (`await expect(tenant).toHaveSentMessage()`).
 */
export function remoteReader(value: unknown): (() => Promise<TwilioDouble>) | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const read = (value as Record<symbol, unknown>)[MATCHER_SNAPSHOT]
  if (typeof read !== 'function') return undefined
  // a snapshot has every member of a double the matchers read
  return () => (read as () => Promise<MatcherSnapshot>)() as Promise<unknown> as Promise<TwilioDouble>
}

function isDouble(value: unknown): value is TwilioDouble {
  const v = value as Partial<TwilioDouble> | null
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.messages?.list === 'function' &&
    typeof v.callbacks?.list === 'function'
  )
}

/** The double a matcher was given, or an error saying what to pass. */
export function requireDouble(matcher: string, value: unknown): TwilioDouble {
  if (!isDouble(value))
    throw new TwilioDoubleError(
      `expect(received).${matcher}(): received must be a twilio double (from createTwilioDouble() or the twilioDouble export of twilio-double/vitest or twilio-double/jest), got ${describeValue(value)}`,
    )
  return value
}

/**
 * Refuses a match object with fields the matcher does not know, or with a field given as `undefined` (`{ to:
 * user.phone }` with no phone would otherwise match every `item`).
 */
export function checkKeys(
  matcher: string,
  value: object | undefined,
  allowed: readonly string[],
  item: string,
): void {
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
  const undefinedKeys = Object.entries(value)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k)
  if (undefinedKeys.length > 0)
    throw new TwilioDoubleError(
      `${matcher}(expected): ${undefinedKeys.join(', ')} ${undefinedKeys.length > 1 ? 'are' : 'is'} undefined, so it would match any ${item}; leave it out or give a value`,
    )
}

/** What a field of a match object holds, as {@link checkValue} checks it. */
export type FieldKind = 'text' | 'string' | 'integer' | 'error code' | 'status' | 'statuses'

const KIND_WANTED: Record<FieldKind, string> = {
  text: 'a string or a RegExp',
  string: 'a string',
  integer: 'an integer',
  'error code': 'an integer error code, or null for none',
  status: `a message status in lower case (${messageStatus.options.join(', ')})`,
  statuses: `a message status in lower case, or a list of them (${messageStatus.options.join(', ')})`,
}

function isStatus(v: unknown): boolean {
  return typeof v === 'string' && (messageStatus.options as readonly string[]).includes(v)
}

function fits(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case 'text':
      return typeof v === 'string' || v instanceof RegExp
    case 'string':
      return typeof v === 'string'
    case 'integer':
      return Number.isInteger(v)
    case 'error code':
      return v === null || Number.isInteger(v)
    case 'status':
      return isStatus(v)
    case 'statuses':
      return Array.isArray(v) ? v.length > 0 && v.every(isStatus) : isStatus(v)
  }
}

/**
 * Refuses a field of a match object whose value can never equal what the double records (`status: 'Delivered'`,
 * `numMedia: '1'`): it would fail every match, and make its `.not` pass whatever was sent.
 */
export function checkValue(matcher: string, key: string, value: unknown, kind: FieldKind): void {
  if (value === undefined || fits(kind, value)) return
  throw new TwilioDoubleError(
    `${matcher}(expected): ${key} must be ${KIND_WANTED[kind]}, got ${describeValue(value)}`,
  )
}

/** A value as a failure message writes it (RegExps as written, strings quoted, objects without undefined fields). */
export function describeValue(value: unknown): string {
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

/** Whether `actual` is the string, or matches the RegExp, of `expected`. */
export function textMatches(expected: TextMatch, actual: string | null | undefined): boolean {
  if (actual === null || actual === undefined) return false
  if (expected instanceof RegExp) {
    expected.lastIndex = 0
    return expected.test(actual)
  }
  return expected === actual
}

/**
 * Items as a numbered list (the latest {@link MAX_LISTED}), each with the fields in which it differs from what was
 * expected, when `differences` is given.
 */
export function numberedList<T>(
  items: T[],
  describe: (item: T) => string,
  differences?: (item: T) => string[],
): string {
  if (items.length === 0) return '  (none)'
  const shown = items.slice(-MAX_LISTED)
  const lines = shown.map((item, i) => {
    const n = items.length - shown.length + i + 1
    const diff = differences ? differences(item) : []
    return `  ${n}. ${describe(item)}${diff.length > 0 ? `  ← differs in ${diff.join(', ')}` : ''}`
  })
  if (items.length > shown.length) lines.unshift(`  … ${items.length - shown.length} earlier not shown`)
  return lines.join('\n')
}

/** What is still to happen: status transitions waiting for virtual time, and callbacks being delivered. */
export function pendingWork(double: TwilioDouble): { transitions: number; deliveries: number } {
  return {
    transitions: double.backend?.scheduler?.pending ?? 0,
    deliveries: double.backend?.outbox?.pending ?? 0,
  }
}

/** A line saying transitions are still pending (and what to await), or nothing. */
export function pendingHint(double: TwilioDouble): string {
  const { transitions } = pendingWork(double)
  return transitions > 0
    ? `\n\n(${transitions} status transition${transitions === 1 ? ' is' : 's are'} still pending: await double.settle() or double.advance() before asserting)`
    : ''
}

/** The first line of a failure message, as the runner writes matcher hints. */
export function hint(ctx: MatcherContext, name: string, expected: string): string {
  const h = ctx.utils?.matcherHint
  return h
    ? h(`${ctx.isNot ? '.not' : ''}.${name}`, 'double', expected)
    : `expect(double).${name}(${expected})`
}
