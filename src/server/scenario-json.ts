import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { Scenario, ScenarioMatch } from '../scenarios/types.js'

/** A RegExp as JSON: `{ "source": "^\\+1555", "flags": "i" }`, or a string written `/^\+1555/i`. */
export type JsonPattern = string | { source: string; flags?: string }

const PATTERN_FIELDS = ['to', 'from', 'body'] as const
const SLASHED = /^\/(.+)\/([dgimsuvy]*)$/s

function toRegExp(source: string, flags: string, field: string): RegExp {
  try {
    return new RegExp(source, flags)
  } catch (err) {
    throw new TwilioDoubleError(
      `scenario when.${field}: ${JSON.stringify(source)} is not a valid regular expression (${(err as Error).message})`,
    )
  }
}

function patternFromJson(value: unknown, field: string): string | RegExp {
  if (typeof value === 'string') {
    const m = SLASHED.exec(value)
    return m ? toRegExp(m[1]!, m[2]!, field) : value
  }
  if (value && typeof value === 'object' && typeof (value as { source?: unknown }).source === 'string') {
    const { source, flags } = value as { source: string; flags?: unknown }
    if (flags !== undefined && typeof flags !== 'string')
      throw new TwilioDoubleError(`scenario when.${field}.flags must be a string such as "i"`)
    return toRegExp(source, flags ?? '', field)
  }
  throw new TwilioDoubleError(
    `scenario when.${field} must be a string, a "/regexp/flags" string or {"source","flags"} (got ${JSON.stringify(value)})`,
  )
}

/**
 * Turns the JSON form of a scenario (as posted to `POST /__double/scenarios`) into a {@link Scenario}:
 * `when.to`, `when.from` and `when.body` may be regular expressions written `{"source","flags"}` or `"/re/flags"`.
 * The double itself validates the rest when the scenario is added.
 *
 * @example
 * scenarioFromJson({ when: { to: '/^\\+1555/' }, then: { reject: 21610 } })
 */
export function scenarioFromJson(value: unknown): Scenario {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new TwilioDoubleError(
      'a scenario must be a JSON object such as {"when":{"to":"+15550001111"},"then":{"reject":21610}}',
    )
  const raw = value as Record<string, unknown>
  if (raw.then === undefined || raw.then === null || typeof raw.then !== 'object' || Array.isArray(raw.then))
    throw new TwilioDoubleError(
      'a scenario needs a "then" object, e.g. {"then":{"reject":21610}} or {"then":{"deliver":"undelivered","errorCode":30003}}',
    )
  const out: Scenario = { ...(raw as unknown as Scenario) }
  if (raw.when !== undefined) {
    if (!raw.when || typeof raw.when !== 'object' || Array.isArray(raw.when))
      throw new TwilioDoubleError('scenario "when" must be an object such as {"to":"+15550001111"}')
    const when: ScenarioMatch = { ...(raw.when as ScenarioMatch) }
    for (const field of PATTERN_FIELDS) {
      const v = (raw.when as Record<string, unknown>)[field]
      if (v !== undefined) when[field] = patternFromJson(v, field)
    }
    out.when = when
  }
  return out
}

/**
 * The JSON form of a scenario: RegExps become `{ source, flags }`, a function outcome becomes `"[function]"`.
 *
 * @example
 * scenarioToJson({ when: { to: /^\+1555/ }, then: { reject: 21610 } })
 * // { when: { to: { source: '^\\+1555', flags: '' } }, then: { reject: 21610 } }
 */
export function scenarioToJson(s: Scenario): Record<string, unknown> {
  const when: Record<string, unknown> | undefined = s.when ? { ...s.when } : undefined
  if (when)
    for (const field of PATTERN_FIELDS) {
      const v = when[field]
      if (v instanceof RegExp) when[field] = { source: v.source, flags: v.flags }
    }
  return {
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(when ? { when } : {}),
    then: typeof s.then === 'function' ? '[function]' : s.then,
    ...(s.times !== undefined ? { times: s.times } : {}),
    ...(s.probability !== undefined ? { probability: s.probability } : {}),
  }
}
