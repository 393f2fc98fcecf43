/**
 * Checks a JSON value against a schema of an OpenAPI description: type, nullability, enum, pattern, lengths,
 * bounds, properties (undeclared fields are reported), additionalProperties, required, items,
 * allOf/oneOf/anyOf, and Twilio's formats `date-time-rfc-2822` and `uri-map`.
 */
import type { OpenApiDescription, Schema } from './document.js'

/** One disagreement with the description: where, and what the description says. */
export interface OpenApiProblem {
  /** A JSON path (`$.status`), a parameter (`form["To"]`, `query["PageSize"]`), or '' for the operation. */
  path: string
  problem: string
}

/** Options of {@link checkSchema}. */
export interface CheckSchemaOptions {
  /** Also report declared properties missing from an object (Twilio's responses declare no `required`). */
  allProperties?: boolean
}

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec'
const RFC2822 = new RegExp(
  `^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (${MONTHS}) \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}$`,
)

/**
 * True for Twilio's date format, e.g. `Thu, 24 Aug 2023 05:01:45 +0000` (a real date with the right weekday).
 *
 * @example
 * isRfc2822('Thu, 24 Aug 2023 05:01:45 +0000') // true
 */
export function isRfc2822(s: string): boolean {
  if (!RFC2822.test(s)) return false
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return false
  // for UTC (what Twilio sends) the round trip must be exact: catches 31 Feb, 25:00, a wrong weekday
  if (s.endsWith('+0000')) return d.toUTCString().replace(/GMT$/, '+0000') === s
  return true
}

/** The JSON type of a value: null, array, integer, number, string, boolean or object. */
export function typeOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

/** A value as messages show it: `string "x"`, `integer 1`, `object`. */
export function describeValue(v: unknown): string {
  const t = typeOf(v)
  if (t === 'string') return `string ${JSON.stringify(v)}`
  if (t === 'integer' || t === 'number' || t === 'boolean') return `${t} ${String(v)}`
  return t
}

/** Whether a value has a JSON schema type (`integer` is a `number` too). */
export function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string'
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v)
    case 'number':
      return typeof v === 'number' && Number.isFinite(v)
    case 'boolean':
      return typeof v === 'boolean'
    case 'array':
      return Array.isArray(v)
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v)
    default:
      return true
  }
}

/** `$.a.b`, or `$["a-b"]` for names that are not identifiers. */
export function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`
}

function walk(
  api: OpenApiDescription,
  rawSchema: Schema | boolean | undefined,
  value: unknown,
  path: string,
  out: OpenApiProblem[],
  opts: CheckSchemaOptions,
): void {
  if (rawSchema === undefined || rawSchema === true || rawSchema === false) return
  const schema = api.resolve(rawSchema) ?? {}
  const problem = (p: string) => out.push({ path, problem: p })

  if (value === null) {
    if (schema.nullable === true || schema.type === undefined) return
    problem(`null, but Twilio never sends null here (type ${schema.type}, not nullable)`)
    return
  }

  for (const key of ['oneOf', 'anyOf'] as const) {
    if (!Array.isArray(schema[key])) continue
    const passing = schema[key].filter((member: Schema) => {
      const sub: OpenApiProblem[] = []
      walk(api, member, value, path, sub, opts)
      return sub.length === 0
    }).length
    if (key === 'oneOf' && passing !== 1)
      problem(`matches ${passing} of the oneOf schemas (expected exactly 1)`)
    if (key === 'anyOf' && passing === 0) problem('matches none of the anyOf schemas')
  }

  if (typeof schema.type === 'string' && !typeMatches(schema.type, value)) {
    problem(`expected ${schema.type}${schema.nullable ? ' or null' : ''}, got ${describeValue(value)}`)
    return
  }

  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    problem(
      `${describeValue(value)} is not one of ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`,
    )

  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value))
      problem(`${JSON.stringify(value)} does not match pattern ${schema.pattern}`)
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      problem(`length ${value.length} < minLength ${schema.minLength}`)
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
      problem(`length ${value.length} > maxLength ${schema.maxLength}`)
    if (schema.format === 'date-time-rfc-2822' && !isRfc2822(value))
      problem(`${JSON.stringify(value)} is not an RFC 2822 date like "Thu, 24 Aug 2023 05:01:45 +0000"`)
  }

  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      problem(`${value} < minimum ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      problem(`${value} > maximum ${schema.maximum}`)
  }

  if (Array.isArray(value) && schema.items !== undefined)
    value.forEach((item, i) => {
      walk(api, schema.items, item, `${path}[${i}]`, out, opts)
    })

  if (typeOf(value) === 'object') walkObject(api, schema, value as Record<string, unknown>, path, out, opts)
}

function walkObject(
  api: OpenApiDescription,
  schema: Schema,
  obj: Record<string, unknown>,
  path: string,
  out: OpenApiProblem[],
  opts: CheckSchemaOptions,
): void {
  const props: Record<string, Schema> | undefined = schema.properties
  if (schema.format === 'uri-map')
    for (const [k, v] of Object.entries(obj))
      if (typeof v !== 'string')
        out.push({ path: childPath(path, k), problem: `expected string (uri), got ${describeValue(v)}` })
  for (const name of schema.required ?? [])
    if (!(name in obj)) out.push({ path, problem: `missing required property ${JSON.stringify(name)}` })
  if (props) {
    if (opts.allProperties)
      for (const name of Object.keys(props))
        if (!(name in obj) && !(schema.required ?? []).includes(name))
          out.push({ path, problem: `missing declared property ${JSON.stringify(name)}` })
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) walk(api, props[k], v, childPath(path, k), out, opts)
      else if (schema.additionalProperties === true) continue
      else if (typeof schema.additionalProperties === 'object')
        walk(api, schema.additionalProperties, v, childPath(path, k), out, opts)
      else out.push({ path: childPath(path, k), problem: 'unknown field (not declared in the schema)' })
    }
  } else if (typeof schema.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(obj))
      walk(api, schema.additionalProperties, v, childPath(path, k), out, opts)
  }
}

/**
 * The problems of `value` against `schema` (empty when it conforms).
 *
 * @example
 * checkSchema(new OpenApiDescription(), { $ref: '#/components/schemas/api.v2010.account.message' }, message)
 */
export function checkSchema(
  api: OpenApiDescription,
  schema: Schema,
  value: unknown,
  path = '$',
  opts: CheckSchemaOptions = {},
): OpenApiProblem[] {
  const out: OpenApiProblem[] = []
  walk(api, schema, value, path, out, opts)
  return out
}
