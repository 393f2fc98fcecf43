/**
 * Twilio's wire format → the domain's typed commands. Parameters are read with the zod schemas users import
 * from `twilio-double/schemas`; the domain's errors are rendered in Twilio's shape here too.
 */
import { TwilioApiError } from '../errors/twilio-api-error.js'
import type {
  CreateMessageCommand,
  FeedbackCommand,
  ListMediaCommand,
  ListMessagesCommand,
  MalformedParameter,
  UpdateMessageCommand,
} from '../messaging/commands.js'
import {
  NotFoundError,
  QueueFullError,
  ScenarioFault,
  ScenarioRefusal,
  UnknownCursorError,
} from '../messaging/errors.js'
import {
  createMessageParamsSchema,
  feedbackParamsSchema,
  type ListMediaParams,
  type ListMessagesParams,
  listMediaParamsSchema,
  listMessagesParamsSchema,
  REPEATED_CREATE_PARAMS,
  updateMessageParamsSchema,
} from '../schemas/params.js'
import { dateFilterRange } from '../util/dates.js'
import type { FormParams } from './form.js'

/** The first value of a parameter (a repeated key gives its first value). */
export function one(params: FormParams, key: string): string | undefined {
  const v = params[key]
  return Array.isArray(v) ? v[0] : v
}

/** Every value of a repeated parameter. */
export function many(params: FormParams, key: string): string[] {
  const v = params[key]
  return v === undefined ? [] : Array.isArray(v) ? v : [v]
}

/**
 * Parameters as the schemas describe them: the parameters Twilio repeats (`MediaUrl`) as arrays, any other
 * repeated one by its first value.
 *
 * @example
 * wireShape({ MediaUrl: 'https://a.test/1.png', To: ['+15550001111', '+15550002222'] }, ['MediaUrl'])
 * // { MediaUrl: ['https://a.test/1.png'], To: '+15550001111' }
 */
export function wireShape(
  params: FormParams,
  repeated: readonly string[],
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const key in params) {
    const v = params[key]!
    out[key] = repeated.includes(key) ? (Array.isArray(v) ? v : [v]) : Array.isArray(v) ? v[0]! : v
  }
  return out
}

/**
 * The parameters a schema refused, by name.
 *
 * @example
 * refused(listMessagesParamsSchema.safeParse({ PageSize: '0' })) // Set { 'PageSize' }
 */
export function refused(result: {
  success: boolean
  error?: { issues: { path: PropertyKey[] }[] }
}): Set<string> {
  return new Set(result.success ? [] : result.error!.issues.map((i) => String(i.path[0])))
}

const flag = (v: string | undefined) => (v === undefined || v === '' ? undefined : v.toLowerCase() === 'true')
const nonEmpty = <T extends string>(v: string | undefined) =>
  v === undefined || v === '' ? undefined : (v as T)

/**
 * What Twilio answers for a malformed optional parameter of Create Message, in the order Twilio checks them
 * (code 21619 "Unable to create record: …"; 30029 and 30030 for the retention parameters). MaxPrice and ValidityPeriod are read as sent and checked by the
 * domain, whose options say what they may be.
 */
const CREATE_SHAPE_PROBLEMS: readonly [string, number, (value: string) => string][] = [
  ['Attempt', 21619, () => 'Attempt must be an integer'],
  ...['ProvideFeedback', 'ForceDelivery', 'ShortenUrls', 'SendAsMms', 'SmartEncoded'].map(
    (key) => [key, 21619, () => `${key} must be true or false`] as [string, number, () => string],
  ),
  // Message Redaction's own codes (their message is Twilio's, whatever the value)
  ['ContentRetention', 30029, () => ''],
  ['AddressRetention', 30030, () => ''],
  ['TrafficType', 21619, () => 'TrafficType must be one of free'],
  ['RiskCheck', 21619, () => 'RiskCheck must be one of enable, disable'],
  ['ScheduleType', 21619, (v) => `ScheduleType ${v} is not supported; use fixed`],
]

/** Create Message's text parameters, each with the command field it fills (as sent; the domain checks them). */
const CREATE_TEXTS = [
  ['to', 'To'],
  ['from', 'From'],
  ['messagingServiceSid', 'MessagingServiceSid'],
  ['body', 'Body'],
  ['contentSid', 'ContentSid'],
  ['contentVariables', 'ContentVariables'],
  ['statusCallback', 'StatusCallback'],
  ['applicationSid', 'ApplicationSid'],
  ['validityPeriod', 'ValidityPeriod'],
  ['maxPrice', 'MaxPrice'],
  ['sendAt', 'SendAt'],
] as const

/** Create Message's flags (`true`/`false`), each with the command field it fills. */
const CREATE_FLAGS = [
  ['provideFeedback', 'ProvideFeedback'],
  ['forceDelivery', 'ForceDelivery'],
  ['shortenUrls', 'ShortenUrls'],
  ['sendAsMms', 'SendAsMms'],
  ['smartEncoded', 'SmartEncoded'],
] as const

/**
 * Reads Create Message's parameters into a command (see {@link CreateMessageCommand}).
 *
 * @example
 * readCreate('AC…', { To: '+15550001111', From: '+15005550006', Body: 'Hi' }).to // '+15550001111'
 */
export function readCreate(accountSid: string, params: FormParams): CreateMessageCommand {
  const wire = wireShape(params, REPEATED_CREATE_PARAMS) as Record<string, string | undefined>
  const checked = createMessageParamsSchema.safeParse(wire)
  // the parameters of the wrong shape (none, most of the time)
  const bad = checked.success ? undefined : refused(checked)
  const ok = (key: string) => (bad?.has(key) ? undefined : wire[key])
  const command: CreateMessageCommand = { accountSid, mediaUrls: many(params, 'MediaUrl'), params }
  for (const [field, key] of CREATE_TEXTS) {
    const v = one(params, key)
    if (v !== undefined) command[field] = v
  }
  const attempt = nonEmpty(ok('Attempt'))
  if (attempt !== undefined) command.attempt = Number(attempt)
  for (const [field, key] of CREATE_FLAGS) {
    const v = flag(ok(key))
    if (v !== undefined) command[field] = v
  }
  const contentRetention = nonEmpty<'retain' | 'discard'>(ok('ContentRetention'))
  if (contentRetention) command.contentRetention = contentRetention
  const addressRetention = nonEmpty<'retain' | 'obfuscate'>(ok('AddressRetention'))
  if (addressRetention) command.addressRetention = addressRetention
  const trafficType = nonEmpty<'free'>(ok('TrafficType'))
  if (trafficType) command.trafficType = trafficType
  const riskCheck = nonEmpty<'enable' | 'disable'>(ok('RiskCheck'))
  if (riskCheck) command.riskCheck = riskCheck
  const scheduleType = nonEmpty<'fixed'>(ok('ScheduleType'))
  if (scheduleType) command.scheduleType = scheduleType
  if (bad) {
    const problem = CREATE_SHAPE_PROBLEMS.find(([key]) => bad.has(key))
    if (problem) command.malformed = malformed(problem[0], problem[1], problem[2](String(wire[problem[0]])))
  }
  return command
}

function malformed(param: string, code: number, message: string): MalformedParameter {
  return { param, code, message }
}

/**
 * Reads Update Message's parameters into a command.
 *
 * @example
 * readUpdate('AC…', 'SM…', { Body: '' }).body // ''
 */
export function readUpdate(accountSid: string, messageSid: string, params: FormParams): UpdateMessageCommand {
  const wire = updateMessageParamsSchema.parse(wireShape(params, []))
  const command: UpdateMessageCommand = { accountSid, messageSid }
  if (wire.Body !== undefined) command.body = wire.Body
  if (wire.Status !== undefined) command.status = wire.Status
  return command
}

/**
 * Reads Create Message Feedback's parameters into a command.
 *
 * @example
 * readFeedback('AC…', 'SM…', { Outcome: 'unconfirmed' }).outcome // 'unconfirmed'
 */
export function readFeedback(accountSid: string, messageSid: string, params: FormParams): FeedbackCommand {
  const wire = wireShape(params, [])
  const result = feedbackParamsSchema.safeParse(wire)
  const command: FeedbackCommand = { accountSid, messageSid }
  if (result.success) {
    if (result.data.Outcome !== undefined) command.outcome = result.data.Outcome
  } else {
    command.malformed = malformed(
      'Outcome',
      20001,
      `Invalid Outcome '${wire.Outcome}': use confirmed or unconfirmed`,
    )
  }
  return command
}

/** The paging parameters of every list query. */
type PagingParams = { PageSize?: string; Page?: string }

/**
 * A value of a list query as given: an empty value stands for a parameter not given.
 *
 * @example
 * given('') // undefined
 */
export const given = (v: string | undefined) => (v === '' ? undefined : v)

/**
 * `PageSize` and `Page` of a list query in its schema's shape (`bad`: the parameters its schema refused), refused
 * as Twilio does, in its order: `PageSize` (20001; over 1000: 20007), then `Page` (20001, also for a page past any
 * list Twilio could hold).
 *
 * @example
 * readPaging({ PageSize: ' 20 ', Page: '' }, new Set()) // { pageSize: 20, page: 0 }
 */
export function readPaging(wire: PagingParams, bad: ReadonlySet<string>): { pageSize: number; page: number } {
  const sizeRaw = given(wire.PageSize)
  if (sizeRaw !== undefined && bad.has('PageSize'))
    throw /^\s*\d+\s*$/.test(sizeRaw) && Number(sizeRaw) > 1000
      ? new TwilioApiError(20007)
      : new TwilioApiError(20001, { message: `Invalid PageSize '${sizeRaw}': use an integer from 1 to 1000` })
  const pageSize = sizeRaw === undefined ? 50 : Number(sizeRaw)
  const pageRaw = given(wire.Page)
  if (pageRaw !== undefined && bad.has('Page'))
    throw new TwilioApiError(20001, { message: `Invalid Page '${pageRaw}': use an integer >= 0` })
  const page = pageRaw === undefined ? 0 : Number(pageRaw)
  // start/end are integers in the envelope: a page past any list Twilio could hold is refused.
  if (!Number.isSafeInteger(page * pageSize + pageSize))
    throw new TwilioApiError(20001, { message: `Invalid Page '${pageRaw}': the page is out of range` })
  return { pageSize, page }
}

/**
 * The range of epoch ms of the date filter `name` and its `<` (on or before) and `>` (on or after) forms (see
 * `dateFilterRange`), refusing a value that is no date (20001), in that order.
 */
function dateRange<Name extends 'DateSent' | 'DateCreated'>(
  wire: Partial<Record<Name | `${Name}<` | `${Name}>`, string>>,
  bad: ReadonlySet<string>,
  name: Name,
): { after?: number; before?: number } {
  const keys = [name, `${name}<`, `${name}>`] as const
  for (const key of keys)
    if (bad.has(key))
      throw new TwilioApiError(20001, {
        message: `Invalid ${key} '${wire[key]}': use YYYY-MM-DD, YYYY-MM-DDTHH:mm:ssZ, MM/DD/YYYY HH:mm:ss MST or an RFC 2822 date`,
      })
  return dateFilterRange({
    on: given(wire[keys[0]]),
    before: given(wire[keys[1]]),
    after: given(wire[keys[2]]),
  })
}

/**
 * A list cursor read from `PageToken` (`PA…` after, `PB…` before the SID it names), refused (20001) if malformed
 * (`bad`: the parameters the list's schema refused).
 *
 * @example
 * cursorOf({ PageToken: 'PASM00000000000000000000000000000001' }, new Set()) // { direction: 'after', sid: 'SM…01' }
 */
export function cursorOf(
  wire: { PageToken?: string },
  bad: ReadonlySet<string>,
): { direction: 'after' | 'before'; sid: string } | undefined {
  const token = given(wire.PageToken)
  if (token === undefined) return undefined
  if (bad.has('PageToken')) throw new TwilioApiError(20001, { message: `Invalid PageToken '${token}'` })
  return { direction: token[1] === 'A' ? 'after' : 'before', sid: token.slice(2) }
}

/**
 * Reads List Messages' query into a command, refusing a malformed value as Twilio does, in Twilio's order:
 * `PageSize` (20001; over 1000: 20007), `Page` (20001, also for a page past any list Twilio could hold), the
 * `DateSent` filters, then `PageToken` (20001). Empty values stand for parameters not given.
 *
 * @example
 * readList('AC…', { To: '+15550001111', PageSize: '20' }) // { accountSid: 'AC…', to: '+15550001111', pageSize: 20, page: 0 }
 */
export function readList(accountSid: string, params: FormParams): ListMessagesCommand {
  const wire = wireShape(params, []) as ListMessagesParams
  const bad = refused(listMessagesParamsSchema.safeParse(wire))
  const { pageSize, page } = readPaging(wire, bad)
  const { after, before } = dateRange(wire, bad, 'DateSent')
  const cursor = cursorOf(wire, bad)
  const command: ListMessagesCommand = { accountSid, pageSize, page }
  const to = given(wire.To)
  if (to !== undefined) command.to = to
  const from = given(wire.From)
  if (from !== undefined) command.from = from
  if (after !== undefined) command.dateSentAfter = after
  if (before !== undefined) command.dateSentBefore = before
  if (cursor) command.cursor = { direction: cursor.direction, messageSid: cursor.sid }
  return command
}

/**
 * Reads the query of a message's Media list into a command, refusing a malformed value as Twilio does, in
 * Twilio's order: `PageSize` and `Page` (as in {@link readList}), the `DateCreated` filters, then `PageToken`
 * (20001). Empty values stand for parameters not given.
 *
 * @example
 * readListMedia({ PageSize: '2', 'DateCreated>': '2024-06-01' }) // { pageSize: 2, page: 0, dateCreatedAfter: 1717200000000 }
 */
export function readListMedia(params: FormParams): ListMediaCommand {
  const wire = wireShape(params, []) as ListMediaParams
  const bad = refused(listMediaParamsSchema.safeParse(wire))
  const { pageSize, page } = readPaging(wire, bad)
  const { after, before } = dateRange(wire, bad, 'DateCreated')
  const cursor = cursorOf(wire, bad)
  const command: ListMediaCommand = { pageSize, page }
  if (after !== undefined) command.dateCreatedAfter = after
  if (before !== undefined) command.dateCreatedBefore = before
  if (cursor) command.cursor = { direction: cursor.direction, mediaSid: cursor.sid }
  return command
}

/**
 * The `PageToken` that names a list cursor, as paging URIs write it: `PA…` after, `PB…` before the message,
 * media item or account `sid`.
 */
export function pageToken(direction: 'after' | 'before', sid: string): string {
  return `${direction === 'after' ? 'PA' : 'PB'}${sid}`
}

/**
 * A domain error in Twilio's shape: a resource not found is 20404 with the request's `path`; a list cursor
 * naming no message (or account) is 20001 naming its page token; a scenario's refusal is its code (naming the path too), its
 * fault 429 (with `Retry-After`), 500 or 503; a full sender queue is 429 with `Retry-After`. Anything else is returned as it is.
 */
export function apiErrorOf(err: unknown, path: string): unknown {
  if (err instanceof NotFoundError)
    return new TwilioApiError(20404, {
      path: err.resource === 'account' ? `/2010-04-01/Accounts/${err.sid}.json` : path,
    })
  if (err instanceof UnknownCursorError)
    return new TwilioApiError(20001, {
      message: `Invalid PageToken '${pageToken(err.cursor.direction, err.sid)}'`,
    })
  if (err instanceof ScenarioRefusal)
    return new TwilioApiError(err.code, {
      to: err.details.to,
      from: err.details.from,
      path,
      ...(err.details.message ? { override: err.details.message } : {}),
    })
  if (err instanceof ScenarioFault)
    return err.status === 429
      ? new TwilioApiError(
          20429,
          {},
          { status: 429, headers: { 'Retry-After': String(err.retryAfterSeconds) } },
        )
      : new TwilioApiError(err.status === 500 ? 20500 : 20503, {}, { status: err.status })
  if (err instanceof QueueFullError)
    return new TwilioApiError(
      20429,
      {},
      { status: 429, headers: { 'Retry-After': String(err.retryAfterSeconds) } },
    )
  return err
}
