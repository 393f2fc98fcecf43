/**
 * A small hand-written checker for requests and responses against the Twilio OpenAPI slice
 * (contracts/openapi/twilio_api_v2010.messages.json, see contracts/openapi/README.md).
 *
 * Supports the JSON-schema subset the slice uses: $ref, type, nullable, enum, pattern, minLength/maxLength,
 * minimum/maximum, properties (undeclared fields are reported), additionalProperties, required, items,
 * allOf/oneOf/anyOf, and the formats date-time-rfc-2822 and uri-map.
 */
import { readFileSync } from 'node:fs'

export interface OpenApiProblem {
  path: string
  problem: string
}

export interface CheckResponseOptions {
  /** Also report declared properties missing from an object (the spec has no `required` on responses). */
  allProperties?: boolean
}

const SLICE_URL = new URL('../../contracts/openapi/twilio_api_v2010.messages.json', import.meta.url)
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

let cachedSpec: any
let cachedRoutes: { template: string; regex: RegExp; item: any }[] | undefined

export function loadSlice(): any {
  cachedSpec ??= JSON.parse(readFileSync(SLICE_URL, 'utf8'))
  return cachedSpec
}

function routes(): { template: string; regex: RegExp; item: any }[] {
  if (cachedRoutes) return cachedRoutes
  const spec = loadSlice()
  cachedRoutes = Object.keys(spec.paths).map((template) => {
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('')
    return { template, regex: new RegExp(`^${source}$`), item: spec.paths[template] }
  })
  return cachedRoutes
}

function pathOnly(urlPath: string): string {
  let p = urlPath
  if (/^https?:\/\//i.test(p)) p = new URL(p).pathname
  const q = p.search(/[?#]/)
  return q >= 0 ? p.slice(0, q) : p
}

/** Finds the operation for a concrete method + URL path (query string ignored; a full URL is accepted too). */
export function findOperation(
  method: string,
  urlPath: string,
): { template: string; operationId: string; operation: any } | undefined {
  const m = method.toLowerCase()
  const p = pathOnly(urlPath)
  for (const route of routes()) {
    if (!route.regex.test(p)) continue
    const operation = route.item[m]
    if (operation && (METHODS as readonly string[]).includes(m)) {
      return { template: route.template, operationId: operation.operationId, operation }
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------------
// schema walker

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec'
const RFC2822 = new RegExp(
  `^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (${MONTHS}) \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}$`,
)

/** True for Twilio's date format, e.g. `Thu, 24 Aug 2023 05:01:45 +0000` (a real date, right weekday). */
export function isRfc2822(s: string): boolean {
  if (!RFC2822.test(s)) return false
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return false
  // for UTC (what Twilio sends) the round trip must be exact: catches 31 Feb, 25:00, wrong weekday
  if (s.endsWith('+0000')) return d.toUTCString().replace(/GMT$/, '+0000') === s
  return true
}

function resolveRef(ref: string): any {
  const m = /^#\/components\/schemas\/(.+)$/.exec(ref)
  const schema = m ? loadSlice().components?.schemas?.[m[1]!] : undefined
  if (!schema) throw new Error(`unresolved $ref ${ref}`)
  return schema
}

function deref(schema: any): any {
  let s = schema
  for (let i = 0; s && typeof s.$ref === 'string'; i++) {
    if (i > 32) throw new Error('$ref loop')
    s = resolveRef(s.$ref)
  }
  return s
}

function typeOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

function describe(v: unknown): string {
  const t = typeOf(v)
  if (t === 'string') return `string ${JSON.stringify(v)}`
  if (t === 'integer' || t === 'number' || t === 'boolean') return `${t} ${String(v)}`
  return t
}

function typeMatches(type: string, v: unknown): boolean {
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

const childPath = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`

/** Merges allOf members into one object schema, so that undeclared-field reporting sees every member. */
function flattenAllOf(schema: any): any {
  if (!Array.isArray(schema.allOf)) return schema
  const { allOf, ...rest } = schema
  const merged: any = { ...rest, properties: { ...(rest.properties ?? {}) } }
  const required = new Set<string>(rest.required ?? [])
  for (const member of allOf) {
    const m = flattenAllOf(deref(member))
    for (const [k, v] of Object.entries(m)) {
      if (k === 'properties') Object.assign(merged.properties, v)
      else if (k === 'required') for (const r of v as string[]) required.add(r)
      else if (!(k in merged)) merged[k] = v
    }
  }
  if (required.size > 0) merged.required = [...required]
  if (Object.keys(merged.properties).length === 0) delete merged.properties
  return merged
}

function walk(
  rawSchema: any,
  value: unknown,
  path: string,
  out: OpenApiProblem[],
  opts: CheckResponseOptions,
): void {
  if (rawSchema === undefined || rawSchema === true) return
  const schema = flattenAllOf(deref(rawSchema))
  const problem = (p: string) => out.push({ path, problem: p })

  if (value === null) {
    if (schema.nullable === true || schema.type === undefined) return
    problem(`null, but the schema is not nullable (type ${schema.type})`)
    return
  }

  for (const key of ['oneOf', 'anyOf'] as const) {
    if (!Array.isArray(schema[key])) continue
    const passing = schema[key].filter((member: any) => {
      const sub: OpenApiProblem[] = []
      walk(member, value, path, sub, opts)
      return sub.length === 0
    }).length
    if (key === 'oneOf' && passing !== 1)
      problem(`matches ${passing} of the oneOf schemas (expected exactly 1)`)
    if (key === 'anyOf' && passing === 0) problem('matches none of the anyOf schemas')
  }

  if (typeof schema.type === 'string' && !typeMatches(schema.type, value)) {
    problem(`expected ${schema.type}${schema.nullable ? ' or null' : ''}, got ${describe(value)}`)
    return
  }

  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    problem(
      `${describe(value)} is not one of ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`,
    )
  }

  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) {
      problem(`${JSON.stringify(value)} does not match pattern ${schema.pattern}`)
    }
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
      problem(`length ${value.length} < minLength ${schema.minLength}`)
    }
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
      problem(`length ${value.length} > maxLength ${schema.maxLength}`)
    }
    if (schema.format === 'date-time-rfc-2822' && !isRfc2822(value)) {
      problem(`${JSON.stringify(value)} is not an RFC 2822 date like "Thu, 24 Aug 2023 05:01:45 +0000"`)
    }
  }

  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      problem(`${value} < minimum ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      problem(`${value} > maximum ${schema.maximum}`)
  }

  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => {
      walk(schema.items, item, `${path}[${i}]`, out, opts)
    })
  }

  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>
    const props: Record<string, any> | undefined = schema.properties
    if (schema.format === 'uri-map') {
      for (const [k, v] of Object.entries(obj)) {
        if (typeof v !== 'string')
          out.push({ path: childPath(path, k), problem: `expected string (uri), got ${describe(v)}` })
      }
    }
    for (const name of schema.required ?? []) {
      if (!(name in obj)) problem(`missing required property ${JSON.stringify(name)}`)
    }
    if (props) {
      if (opts.allProperties) {
        for (const name of Object.keys(props)) {
          if (!(name in obj) && !(schema.required ?? []).includes(name)) {
            problem(`missing declared property ${JSON.stringify(name)}`)
          }
        }
      }
      for (const [k, v] of Object.entries(obj)) {
        if (k in props) walk(props[k], v, childPath(path, k), out, opts)
        else if (schema.additionalProperties === true) continue
        else if (typeof schema.additionalProperties === 'object')
          walk(schema.additionalProperties, v, childPath(path, k), out, opts)
        else out.push({ path: childPath(path, k), problem: 'unknown field (not declared in the schema)' })
      }
    } else if (typeof schema.additionalProperties === 'object') {
      for (const [k, v] of Object.entries(obj))
        walk(schema.additionalProperties, v, childPath(path, k), out, opts)
    }
  }
}

/** Validates `value` against a schema of the slice (e.g. `{ $ref: '#/components/schemas/api.v2010.account.message' }`). */
export function checkSchema(
  schema: any,
  value: unknown,
  path = '$',
  opts: CheckResponseOptions = {},
): OpenApiProblem[] {
  const out: OpenApiProblem[] = []
  walk(schema, value, path, out, opts)
  return out
}

// ---------------------------------------------------------------------------------------------------------
// responses

const TWILIO_ERROR_FIELDS = new Set(['code', 'message', 'more_info', 'status', 'details', 'detail'])

/**
 * Twilio's REST error body: `{ code, message, more_info, status }`, plus an optional `details` object and,
 * on 401 answers, an optional `detail` string ("Your AccountSid or AuthToken was incorrect.").
 */
export function checkTwilioError(status: number, body: unknown): OpenApiProblem[] {
  const out: OpenApiProblem[] = []
  if (typeOf(body) !== 'object')
    return [{ path: '$', problem: `error body must be an object, got ${describe(body)}` }]
  const b = body as Record<string, unknown>
  const want: [string, string][] = [
    ['code', 'integer'],
    ['message', 'string'],
    ['more_info', 'string'],
    ['status', 'integer'],
  ]
  for (const [name, type] of want) {
    if (!(name in b)) out.push({ path: '$', problem: `error body is missing ${JSON.stringify(name)}` })
    else if (!typeMatches(type, b[name])) {
      out.push({ path: `$.${name}`, problem: `expected ${type}, got ${describe(b[name])}` })
    }
  }
  if (typeof b.status === 'number' && b.status !== status) {
    out.push({
      path: '$.status',
      problem: `error body status ${b.status} differs from HTTP status ${status}`,
    })
  }
  if (typeof b.more_info === 'string' && !/^https?:\/\//.test(b.more_info)) {
    out.push({ path: '$.more_info', problem: `expected a URL, got ${JSON.stringify(b.more_info)}` })
  }
  if ('details' in b && b.details !== null && typeOf(b.details) !== 'object') {
    out.push({ path: '$.details', problem: `expected object, got ${describe(b.details)}` })
  }
  if ('detail' in b && typeof b.detail !== 'string') {
    out.push({ path: '$.detail', problem: `expected string, got ${describe(b.detail)}` })
  }
  for (const k of Object.keys(b)) {
    if (!TWILIO_ERROR_FIELDS.has(k))
      out.push({ path: childPath('$', k), problem: 'unknown field in error body' })
  }
  return out
}

const isEmptyBody = (body: unknown) => body === undefined || body === null || body === ''

/**
 * Checks a response: the status must be declared for the operation (or, for status >= 400, the body must be
 * a Twilio error); the body is checked against the declared JSON schema. Returns the problems (empty = ok).
 */
export function checkResponse(
  method: string,
  urlPath: string,
  status: number,
  body: unknown,
  opts: CheckResponseOptions = {},
): OpenApiProblem[] {
  const found = findOperation(method, urlPath)
  if (!found) return [{ path: '', problem: `no operation for ${method.toUpperCase()} ${pathOnly(urlPath)}` }]
  const responses = found.operation.responses ?? {}
  const declared = responses[String(status)] ?? (status >= 400 ? undefined : responses.default)
  if (!declared) {
    if (status >= 400) return checkTwilioError(status, body)
    return [
      {
        path: '',
        problem: `status ${status} is not declared for ${found.operationId} (declared: ${Object.keys(responses).join(', ')})`,
      },
    ]
  }
  const schema = declared.content?.['application/json']?.schema
  if (!schema) {
    return isEmptyBody(body)
      ? []
      : [{ path: '$', problem: `status ${status} declares no body, got ${describe(body)}` }]
  }
  return checkSchema(schema, body, '$', opts)
}

// ---------------------------------------------------------------------------------------------------------
// requests

const snakeToPascal = (s: string) =>
  s
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')

/**
 * Checks request parameter names: form body (application/x-www-form-urlencoded requestBody properties) and
 * query parameters. Reports undeclared names, missing required ones, and unmet `x-twilio.conditional`
 * groups (at least one of e.g. From / MessagingServiceSid).
 */
export function checkRequest(
  method: string,
  urlPath: string,
  params: { query?: Record<string, unknown>; form?: Record<string, unknown> },
): OpenApiProblem[] {
  const found = findOperation(method, urlPath)
  if (!found) return [{ path: '', problem: `no operation for ${method.toUpperCase()} ${pathOnly(urlPath)}` }]
  const op = found.operation
  const out: OpenApiProblem[] = []

  const queryParams: any[] = (op.parameters ?? []).filter((p: any) => p.in === 'query')
  const queryNames = new Set(queryParams.map((p) => p.name as string))
  const query = params.query ?? {}
  for (const name of Object.keys(query)) {
    if (!queryNames.has(name)) {
      out.push({
        path: `query[${JSON.stringify(name)}]`,
        problem: `unknown query parameter for ${found.operationId}`,
      })
    }
  }
  for (const p of queryParams) {
    if (p.required && !(p.name in query)) {
      out.push({ path: `query[${JSON.stringify(p.name)}]`, problem: 'missing required query parameter' })
    }
  }

  const formSchema = op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema
  const form = params.form ?? {}
  if (!formSchema) {
    for (const name of Object.keys(form)) {
      out.push({ path: `form[${JSON.stringify(name)}]`, problem: `${found.operationId} takes no form body` })
    }
    return out
  }
  const schema = flattenAllOf(deref(formSchema))
  const props: Record<string, any> = schema.properties ?? {}
  for (const name of Object.keys(form)) {
    if (!(name in props)) {
      out.push({
        path: `form[${JSON.stringify(name)}]`,
        problem: `unknown form parameter for ${found.operationId}`,
      })
    }
  }
  for (const name of schema.required ?? []) {
    if (!(name in form))
      out.push({ path: `form[${JSON.stringify(name)}]`, problem: 'missing required form parameter' })
  }
  const conditional: unknown = op['x-twilio']?.conditional
  if (Array.isArray(conditional)) {
    for (const group of conditional) {
      if (!Array.isArray(group)) continue
      const names = group.map((g: string) => snakeToPascal(g))
      if (!names.some((n) => n in form)) {
        out.push({ path: 'form', problem: `one of ${names.join(', ')} is required (x-twilio.conditional)` })
      }
    }
  }
  return out
}
