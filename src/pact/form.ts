import type { Rule } from '@pact-foundation/pact'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { pact } from '../peers/pact.js'
import { isPactMatcher, type PactMatcher, twilioMatchers } from './matchers.js'
import type { V4RequestBuilder } from './pact-types.js'

const { MatchersV3 } = pact

/** A form field of an interaction: an exact value, a matcher, or (repeated keys) a list of them. */
export type FormField = string | number | boolean | PactMatcher<string> | (string | PactMatcher<string>)[]

/** A form body ready for Pact: the example body and one matching rule per matched field. */
export interface PactFormBody {
  /** `application/x-www-form-urlencoded` text of the example values (repeated keys for lists). */
  text: string
  /** Example values by field (lists for repeated keys). */
  example: Record<string, string | string[]>
  /** Matching rules, one per field (path `$.Field`): the field's matcher, or equality for plain values. */
  rules: Rule[]
}

function exampleOf(value: string | PactMatcher<string>, field: string): string {
  if (!isPactMatcher(value)) return String(value)
  const reified = MatchersV3.reify(value)
  if (typeof reified !== 'string')
    throw new TwilioDoubleError(
      `form field ${field}: a form value must be a string (its matcher's example is ${JSON.stringify(reified)})`,
    )
  return reified
}

function ruleOf(matcher: PactMatcher<string>): PactMatcher<unknown> {
  // The example value travels in the body; the rule only needs the matcher definition.
  const { value: _value, ...rule } = matcher as PactMatcher<string> & { value?: unknown }
  return rule as PactMatcher<unknown>
}

const enc = (s: string) => encodeURIComponent(s)

/**
 * Builds a form body for Pact from fields: plain values are matched exactly (an equality rule), matcher values
 * by their rule (Pact needs one rule per form field, at `$.Field`, or it applies the body's content-type rule to
 * the field). A list is sent as repeated keys (`MediaUrl=a&MediaUrl=b`), the
 * first matcher of the list applying to every value.
 *
 * @example
 * pactFormBody({ To: twilioMatchers.e164('+15558675310'), Body: 'Hi', MediaUrl: [twilioMatchers.url('https://example.com/a.png')] })
 */
export function pactFormBody(fields: Record<string, FormField | undefined>): PactFormBody {
  const parts: string[] = []
  const example: Record<string, string | string[]> = {}
  const rules: Rule[] = []
  for (const [key, raw] of Object.entries(fields)) {
    if (raw === undefined) continue
    const values = Array.isArray(raw) ? raw : [raw as string | PactMatcher<string>]
    if (Array.isArray(raw) && raw.length === 0) continue
    const examples = values.map((v) => exampleOf(v as string | PactMatcher<string>, key))
    for (const e of examples) parts.push(`${enc(key)}=${enc(e)}`)
    example[key] = Array.isArray(raw) ? examples : examples[0]!
    // Every field needs its own rule: without one, Pact applies the body's content-type rule to the value.
    const matcher = values.find((v) => isPactMatcher(v)) as PactMatcher<string> | undefined
    rules.push({ path: `$.${key}`, rules: [matcher ? ruleOf(matcher) : MatchersV3.equal(examples[0]!)] })
  }
  return { text: parts.join('&'), example, rules }
}

/**
 * Sets a form body and its matching rules on a Pact V4 request builder.
 *
 * @example
 * pact.addInteraction().uponReceiving('a create').withRequest('POST', path, (b) => withFormBody(b, { To: '+15558675310' }))
 */
export function withFormBody(
  builder: V4RequestBuilder,
  fields: Record<string, FormField | undefined>,
): V4RequestBuilder {
  const form = pactFormBody(fields)
  builder.body('application/x-www-form-urlencoded', Buffer.from(form.text, 'utf8'))
  if (form.rules.length > 0) builder.matchingRules({ body: form.rules })
  return builder
}

/** Default matchers of Twilio's form and query parameters, by name (used when a value is given plainly). */
const FIELD_MATCHERS: Record<string, (example: string) => PactMatcher<string> | undefined> = {
  To: (v) =>
    /^((whatsapp|messenger|rcs):)?\+[1-9]\d{1,14}$/.test(v) ? twilioMatchers.address(v) : undefined,
  From: (v) =>
    /^((whatsapp|messenger|rcs):)?\+[1-9]\d{1,14}$/.test(v) ? twilioMatchers.address(v) : undefined,
  Body: (v) => (v === '' ? undefined : MatchersV3.string(v)),
  MediaUrl: (v) => (/^https?:\/\/\S+$/.test(v) ? twilioMatchers.url(v) : undefined),
  StatusCallback: (v) => (/^https?:\/\/\S+$/.test(v) ? twilioMatchers.url(v) : undefined),
  MessagingServiceSid: (v) =>
    /^MG[0-9a-fA-F]{32}$/.test(v) ? twilioMatchers.messagingServiceSid(v) : undefined,
  SendAt: (v) => twilioMatchers.isoDateTime(v),
  PageSize: (v) => (/^\d+$/.test(v) ? MatchersV3.regex('^\\d+$', v) : undefined),
}

/**
 * Gives plainly written Twilio parameters their default matcher (To/From: E.164, MediaUrl and StatusCallback:
 * URLs, MessagingServiceSid: `MG…`, SendAt: ISO date-time, Body: any string, PageSize: digits); other values
 * and matchers are kept. Wrap a value in `MatchersV3.equal()` to match it exactly.
 *
 * @example
 * twilioParams({ To: '+15558675310', ScheduleType: 'fixed' }) // To → regex, ScheduleType exact
 */
export function twilioParams(fields: Record<string, FormField | undefined>): Record<string, FormField> {
  const out: Record<string, FormField> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    const auto = FIELD_MATCHERS[key]
    const wrap = (v: string | PactMatcher<string>) =>
      isPactMatcher(v) || !auto ? v : (auto(String(v)) ?? String(v))
    out[key] = Array.isArray(value) ? value.map(wrap) : isPactMatcher(value) ? value : wrap(String(value))
  }
  return out
}
