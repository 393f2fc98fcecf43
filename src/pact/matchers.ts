import type * as Pact from '@pact-foundation/pact'
import { z } from 'zod'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../config.js'
import { errorMessage, errorStatus, moreInfo } from '../errors/catalog.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { pact } from '../peers/pact.js'
import {
  accountSid,
  e164,
  mediaSid,
  messageDirection,
  messageSid,
  messageStatus,
  messagingServiceSid,
  priceString,
  rfc2822Date,
  stringCount,
} from '../schemas/common.js'
import { type MessageResource, messageSchema } from '../schemas/message.js'

const { MatchersV3 } = pact

/** A Pact matcher (plain data, as `MatchersV3` builds them). */
export type PactMatcher<T = unknown> = Pact.MatchersV3.Matcher<T>

/**
 * True for a Pact matcher object.
 *
 * @example
 * isPactMatcher(twilioMatchers.e164()) // true
 */
export function isPactMatcher(value: unknown): value is PactMatcher {
  return MatchersV3.isMatcher(value)
}

/**
 * An example message SID used by the builders: `SM` + 31 zeros + `1`.
 *
 * @example
 * fetchMessageInteraction(pact, { sid: EXAMPLE_MESSAGE_SID })
 */
export const EXAMPLE_MESSAGE_SID = 'SM00000000000000000000000000000001'
/**
 * An example media message SID: `MM` + 31 zeros + `2`.
 *
 * @example
 * exampleMessage({ sid: EXAMPLE_MMS_SID, num_media: '1' })
 */
export const EXAMPLE_MMS_SID = 'MM00000000000000000000000000000002'
/**
 * The example recipient of the builders (a fictional US number).
 *
 * @example
 * await client.messages.create({ from: DEFAULT_FROM, to: EXAMPLE_TO, body: 'Hi' }) // what a create interaction expects
 */
export const EXAMPLE_TO = '+15558675310'
/**
 * The example date of the builders: the double's default start time in Twilio's format.
 *
 * @example
 * exampleMessage({ status: 'delivered', date_sent: EXAMPLE_DATE })
 */
export const EXAMPLE_DATE = 'Mon, 01 Jan 2024 00:00:00 +0000'

type JsonSchema = {
  type?: string | string[]
  anyOf?: JsonSchema[]
  enum?: unknown[]
  pattern?: string
  properties?: Record<string, JsonSchema>
  additionalProperties?: JsonSchema | boolean
  items?: JsonSchema
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The non-null branch of a nullable JSON schema. */
function nonNull(js: JsonSchema): JsonSchema {
  if (js.anyOf) {
    const rest = js.anyOf.filter((b) => b.type !== 'null')
    if (rest.length === 1) return nonNull(rest[0]!)
  }
  if (Array.isArray(js.type)) {
    const types = js.type.filter((t) => t !== 'null')
    return { ...js, type: types.length === 1 ? types[0] : types }
  }
  return js
}

/**
 * A regex matcher whose example is checked against the pattern (so a wrong example fails when the pact is
 * written, not when it is verified).
 *
 * @example
 * regexMatcher(/^\d{5}$/, '94030')
 */
export function regexMatcher(pattern: string | RegExp, example: string): PactMatcher<string> {
  const source = pattern instanceof RegExp ? pattern.source : pattern
  if (!new RegExp(source).test(example))
    throw new TwilioDoubleError(
      `the example ${JSON.stringify(example)} does not match the pattern /${source}/; fix the example`,
    )
  return MatchersV3.regex(source, example)
}

function fromJsonSchema(js: JsonSchema, example: unknown, path: string): unknown {
  if (example === null) return MatchersV3.nullValue()
  const s = nonNull(js)
  if (Array.isArray(s.enum)) {
    if (!s.enum.includes(example))
      throw new TwilioDoubleError(`${path}: ${JSON.stringify(example)} is not one of ${s.enum.join(', ')}`)
    return regexMatcher(`^(${s.enum.map((v) => escapeRegex(String(v))).join('|')})$`, String(example))
  }
  if (typeof s.pattern === 'string' && typeof example === 'string') return regexMatcher(s.pattern, example)
  if (s.type === 'integer' && typeof example === 'number') return MatchersV3.integer(example)
  if (s.type === 'number' && typeof example === 'number') return MatchersV3.number(example)
  if (s.type === 'boolean' && typeof example === 'boolean') return MatchersV3.boolean(example)
  if (s.type === 'string' && typeof example === 'string') return MatchersV3.string(example)
  if (s.type === 'array' && Array.isArray(example) && s.items) {
    if (example.length === 0) return MatchersV3.like([])
    return MatchersV3.eachLike(fromJsonSchema(s.items, example[0], `${path}[0]`), 1)
  }
  if (s.type === 'object' && example && typeof example === 'object' && !Array.isArray(example)) {
    if (!s.properties) return MatchersV3.like(example)
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(example))
      out[k] = s.properties[k] ? fromJsonSchema(s.properties[k], v, `${path}.${k}`) : MatchersV3.like(v)
    return out
  }
  return MatchersV3.like(example)
}

/**
 * Derives a Pact matcher from a zod schema and an example: string patterns become regex matchers (SIDs, E.164,
 * RFC 2822 dates, string counts), enums become a regex of their values, integers an integer matcher,
 * `null` examples a null matcher, objects are matched field by field and everything else by type.
 *
 * @example
 * matcherFromSchema(messageSid, 'SM00000000000000000000000000000001')
 * // { 'pact:matcher:type': 'regex', regex: '^(SM|MM)[0-9a-fA-F]{32}$', value: 'SM…1' }
 */
export function matcherFromSchema(schema: z.ZodType, example: unknown): unknown {
  const js = z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema
  return fromJsonSchema(js, example, '$')
}

/** An E.164 number, or the same with a channel prefix (`whatsapp:+1…`). */
const ADDRESS = /^((whatsapp|messenger|rcs):)?\+[1-9]\d{1,14}$/

/**
 * Matchers of Twilio's value formats, derived from the zod schemas of `twilio-double/schemas`.
 *
 * @example
 * import { twilioMatchers } from 'twilio-double/pact'
 * const body = { sid: twilioMatchers.messageSid(), status: twilioMatchers.messageStatus('queued') }
 */
export const twilioMatchers = {
  /** `AC` + 32 hex digits. */
  accountSid: (example: string = DEFAULT_ACCOUNT_SID) =>
    matcherFromSchema(accountSid, example) as PactMatcher<string>,
  /** `SM` or `MM` + 32 hex digits. */
  messageSid: (example: string = EXAMPLE_MESSAGE_SID) =>
    matcherFromSchema(messageSid, example) as PactMatcher<string>,
  /** `ME` + 32 hex digits. */
  mediaSid: (example = 'ME00000000000000000000000000000001') =>
    matcherFromSchema(mediaSid, example) as PactMatcher<string>,
  /** `MG` + 32 hex digits. */
  messagingServiceSid: (example: string = DEFAULT_MESSAGING_SERVICE_SID) =>
    matcherFromSchema(messagingServiceSid, example) as PactMatcher<string>,
  /** An E.164 phone number. */
  e164: (example: string = EXAMPLE_TO) => matcherFromSchema(e164, example) as PactMatcher<string>,
  /** An E.164 number with an optional channel prefix (`whatsapp:+1…`). */
  address: (example: string = EXAMPLE_TO) => regexMatcher(ADDRESS, example),
  /** Twilio's RFC 2822 date, e.g. `Mon, 01 Jan 2024 00:00:00 +0000`. */
  rfc2822Date: (example: string = EXAMPLE_DATE) =>
    matcherFromSchema(rfc2822Date, example) as PactMatcher<string>,
  /** A count sent as a string (`num_segments`, `num_media`). */
  stringCount: (example = '1') => matcherFromSchema(stringCount, example) as PactMatcher<string>,
  /** A price string such as `-0.00790`. */
  price: (example = '-0.00790') => matcherFromSchema(priceString, example) as PactMatcher<string>,
  /** Any message status (the enum); the example is what the consumer test receives. */
  messageStatus: (example: MessageResource['status'] & string = 'queued') =>
    matcherFromSchema(messageStatus, example) as PactMatcher<string>,
  /** Any message direction. */
  direction: (example: MessageResource['direction'] & string = 'outbound-api') =>
    matcherFromSchema(messageDirection, example) as PactMatcher<string>,
  /** An `https://…` or `http://…` URL. */
  url: (example: string) => regexMatcher(/^https?:\/\/\S+$/, example),
  /** An ISO 8601 UTC date-time as the `twilio` client sends `SendAt` (`2024-01-01T02:00:00Z`). */
  isoDateTime: (example: string) =>
    regexMatcher(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, example),
}

/**
 * {@link twilioMatchers} under a name that does not meet the expect matchers of `twilio-double/matchers`
 * (also named `twilioMatchers`) when a test imports both.
 *
 * @example
 * import { pactMatchers } from 'twilio-double/pact'
 * import { twilioMatchers } from 'twilio-double/matchers'
 * const body = { sid: pactMatchers.messageSid() }
 */
export const pactMatchers = twilioMatchers

const SENT = new Set(['sent', 'delivered', 'undelivered', 'read'])

/**
 * An example message in Twilio's wire shape, as the double renders it; `overrides` win. Nulls follow the status
 * (a queued message has no `date_sent` or price yet; a delivered one has both).
 *
 * @example
 * exampleMessage({ status: 'delivered', body: 'Hi' })
 */
export function exampleMessage(overrides: Partial<MessageResource> = {}): MessageResource {
  const status = overrides.status ?? 'queued'
  const account = overrides.account_sid ?? DEFAULT_ACCOUNT_SID
  const sid = overrides.sid ?? EXAMPLE_MESSAGE_SID
  const base = `/2010-04-01/Accounts/${account}/Messages/${sid}`
  const sent = SENT.has(status)
  const errorCode = status === 'undelivered' ? 30003 : status === 'failed' ? 30008 : null
  const message: MessageResource = {
    body: 'Hello from twilio-double',
    num_segments: status === 'scheduled' || status === 'accepted' || status === 'canceled' ? '0' : '1',
    direction: status === 'received' ? 'inbound' : 'outbound-api',
    from: DEFAULT_FROM,
    to: EXAMPLE_TO,
    date_updated: EXAMPLE_DATE,
    price: sent ? '-0.00790' : null,
    error_message: errorCode === null ? null : errorMessage(errorCode),
    uri: `${base}.json`,
    account_sid: account,
    num_media: '0',
    status,
    messaging_service_sid: null,
    sid,
    date_sent: sent ? EXAMPLE_DATE : null,
    date_created: EXAMPLE_DATE,
    error_code: errorCode,
    price_unit: 'USD',
    api_version: '2010-04-01',
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    ...overrides,
  }
  return messageSchema.parse(message)
}

/** Options of {@link messageMatcher}. */
export interface MessageMatcherOptions {
  /** Only these fields (default: every field of the resource). */
  fields?: (keyof MessageResource)[]
  /** Fields matched by exact value instead of by format (e.g. `['status']`). */
  exact?: (keyof MessageResource)[]
}

const MESSAGE_URI = /^\/2010-04-01\/Accounts\/AC[0-9a-fA-F]{32}\/Messages\/(SM|MM)[0-9a-fA-F]{32}\.json$/

/**
 * The body matcher of a Message resource: every field by its format (derived from the zod schema), so a pact
 * says what the consumer relies on without pinning Twilio's values. Its `subresource_uris` name the Media and
 * Feedback subresources, as Fetch, List and Update answer; Create names Media alone, so for the answer to a create
 * give `subresource_uris: { media: '…/Media.json' }` (the create builders do).
 *
 * @example
 * messageMatcher({ status: 'delivered' }, { exact: ['status'], fields: ['sid', 'status', 'to'] })
 */
export function messageMatcher(
  example: Partial<MessageResource> = {},
  options: MessageMatcherOptions = {},
): Record<string, unknown> {
  const full = exampleMessage(example)
  const fields = options.fields ?? (Object.keys(full) as (keyof MessageResource)[])
  const exact = new Set(options.exact ?? [])
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    const value = full[field]
    if (exact.has(field)) out[field] = value
    else if (value === null) out[field] = MatchersV3.nullValue()
    else if ((field === 'to' || field === 'from') && typeof value === 'string' && ADDRESS.test(value))
      out[field] = twilioMatchers.address(value)
    else if (field === 'uri' && typeof value === 'string') out[field] = regexMatcher(MESSAGE_URI, value)
    else if (field === 'subresource_uris') out[field] = MatchersV3.like(value)
    else out[field] = matcherFromSchema(messageSchema.shape[field], value)
  }
  return out
}

/** Options of {@link messagePageMatcher}. */
export interface MessagePageMatcherOptions extends MessageMatcherOptions {
  /** Page size the consumer asks for (default 50, Twilio's default). */
  pageSize?: number
  /** Account of the list URIs (default {@link DEFAULT_ACCOUNT_SID}). */
  accountSid?: string
}

/**
 * The body matcher of a page of the Messages list: at least one message like `example`, the paging fields by
 * type, and no further page (`next_page_uri: null`).
 *
 * @example
 * messagePageMatcher({ status: 'delivered', to: '+15558675310' }, { pageSize: 20 })
 */
export function messagePageMatcher(
  example: Partial<MessageResource> = {},
  options: MessagePageMatcherOptions = {},
): Record<string, unknown> {
  const pageSize = options.pageSize ?? 50
  const uri = `/2010-04-01/Accounts/${options.accountSid ?? example.account_sid ?? DEFAULT_ACCOUNT_SID}/Messages.json?PageSize=${pageSize}&Page=0`
  return {
    first_page_uri: MatchersV3.string(uri),
    end: MatchersV3.integer(0),
    previous_page_uri: MatchersV3.nullValue(),
    messages: MatchersV3.eachLike(messageMatcher(example, options), 1),
    uri: MatchersV3.string(uri),
    page_size: MatchersV3.integer(pageSize),
    start: MatchersV3.integer(0),
    next_page_uri: MatchersV3.nullValue(),
    page: MatchersV3.integer(0),
  }
}

/**
 * The body matcher of Twilio's error answer for `code`: the code and HTTP status exactly, the message by type,
 * `more_info` by format.
 *
 * @example
 * errorMatcher(21211) // { code: 21211, message: like(...), more_info: regex(...), status: 400 }
 */
export function errorMatcher(
  code: number,
  details: Parameters<typeof errorMessage>[1] = {},
): Record<string, unknown> {
  return {
    code,
    message: MatchersV3.string(errorMessage(code, details)),
    more_info: regexMatcher(/^https:\/\/www\.twilio\.com\/docs\/errors\/\d+$/, moreInfo(code)),
    status: errorStatus(code),
  }
}
