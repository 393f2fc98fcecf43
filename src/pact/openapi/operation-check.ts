/**
 * Checks one request or one response against the operation an OpenAPI description declares for its method and
 * path: parameter names, values (types, enums, patterns) and repetitions; status codes, response fields, and
 * Twilio's error body. Twilio's rules the description does not state (what a create answers) are in
 * ./twilio-rules.ts.
 */
import { errorStatus, isKnownErrorCode } from '../../errors/catalog.js'
import { type OpenApiDescription, pathOnly, type Schema } from './document.js'
import {
  type CheckSchemaOptions,
  checkSchema,
  childPath,
  describeValue,
  type OpenApiProblem,
  typeMatches,
  typeOf,
} from './schema-check.js'
import { responseRuleProblems } from './twilio-rules.js'

/** Parameters of a request: a list for a repeated key. */
export type RequestParams = Record<string, string | string[] | undefined>

function noOperation(api: OpenApiDescription, method: string, path: string): OpenApiProblem[] {
  const methods = api.methodsOf(path)
  const detail = methods.length > 0 ? ` (the path takes ${methods.join(', ')})` : ''
  return [{ path: '', problem: `no operation for ${method.toUpperCase()} ${pathOnly(path)}${detail}` }]
}

/** The value of a form or query parameter read as its schema's type (forms carry text only). */
function paramValue(schema: Schema, raw: string): { value?: unknown; problem?: string } {
  switch (schema.type) {
    case 'integer':
      return /^-?\d+$/.test(raw)
        ? { value: Number(raw) }
        : { problem: `expected an integer, got ${JSON.stringify(raw)}` }
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw))
        ? { value: Number(raw) }
        : { problem: `expected a number, got ${JSON.stringify(raw)}` }
    case 'boolean':
      return raw === 'true' || raw === 'false'
        ? { value: raw === 'true' }
        : { problem: `expected true or false, got ${JSON.stringify(raw)}` }
    default:
      return { value: raw }
  }
}

function checkParam(
  api: OpenApiDescription,
  rawSchema: Schema | undefined,
  values: string[],
  where: string,
  out: OpenApiProblem[],
): void {
  const schema = api.resolve(rawSchema)
  if (!schema) return
  const repeatable = schema.type === 'array'
  if (!repeatable && values.length > 1)
    out.push({ path: where, problem: `sent ${values.length} times; Twilio takes one value` })
  const itemSchema = repeatable ? (api.resolve(schema.items) ?? {}) : schema
  if (repeatable && typeof schema.maxItems === 'number' && values.length > schema.maxItems)
    out.push({ path: where, problem: `sent ${values.length} times; Twilio takes at most ${schema.maxItems}` })
  values.forEach((raw, i) => {
    const at = values.length > 1 ? `${where}[${i}]` : where
    const read = paramValue(itemSchema, raw)
    if (read.problem) out.push({ path: at, problem: read.problem })
    else out.push(...checkSchema(api, itemSchema, read.value, at))
  })
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v]

const snakeToPascal = (s: string) =>
  s
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')

/**
 * The problems of a request: the operation exists; path parameters match their patterns; query and form
 * parameters are declared, required ones present, values of the declared type and enum, repeated only when
 * the parameter is a list (`MediaUrl`); at least one of each `x-twilio.conditional` group (From or
 * MessagingServiceSid).
 *
 * @example
 * checkRequest(api, 'POST', '/2010-04-01/Accounts/AC…/Messages.json', { form: { To: '+1…', Body: 'Hi' } })
 */
export function checkRequest(
  api: OpenApiDescription,
  method: string,
  urlPath: string,
  params: { query?: RequestParams; form?: RequestParams },
): OpenApiProblem[] {
  const found = api.findOperation(method, urlPath)
  if (!found) return noOperation(api, method, urlPath)
  const op = found.operation
  const out: OpenApiProblem[] = []
  const declared: Schema[] = [...(op.parameters ?? [])].map((p: Schema) => api.deref(p) ?? p)

  for (const p of declared.filter((d) => d.in === 'path')) {
    const value = found.pathParams[p.name]
    if (value !== undefined) checkParam(api, p.schema, [value], `path {${p.name}}`, out)
  }

  const queryParams = declared.filter((p) => p.in === 'query')
  const query = params.query ?? {}
  for (const [name, value] of Object.entries(query)) {
    const param = queryParams.find((p) => p.name === name)
    const where = `query[${JSON.stringify(name)}]`
    if (!param) out.push({ path: where, problem: `unknown query parameter for ${found.operationId}` })
    else checkParam(api, param.schema, list(value), where, out)
  }
  for (const p of queryParams)
    if (p.required && !(p.name in query))
      out.push({ path: `query[${JSON.stringify(p.name)}]`, problem: 'missing required query parameter' })

  const formSchema = api.resolve(op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema)
  const form = params.form ?? {}
  if (!formSchema) {
    for (const name of Object.keys(form))
      out.push({ path: `form[${JSON.stringify(name)}]`, problem: `${found.operationId} takes no form body` })
    return out
  }
  const props: Record<string, Schema> = formSchema.properties ?? {}
  for (const [name, value] of Object.entries(form)) {
    const where = `form[${JSON.stringify(name)}]`
    if (!(name in props))
      out.push({ path: where, problem: `unknown form parameter for ${found.operationId}` })
    else checkParam(api, props[name], list(value), where, out)
  }
  for (const name of formSchema.required ?? [])
    if (!(name in form))
      out.push({ path: `form[${JSON.stringify(name)}]`, problem: 'missing required form parameter' })
  const conditional: unknown = op['x-twilio']?.conditional
  if (Array.isArray(conditional))
    for (const group of conditional) {
      if (!Array.isArray(group)) continue
      const names = group.map((g: string) => snakeToPascal(g))
      if (!names.some((n) => n in form))
        out.push({ path: 'form', problem: `one of ${names.join(', ')} is required (x-twilio.conditional)` })
    }
  return out
}

const TWILIO_ERROR_FIELDS = new Set(['code', 'message', 'more_info', 'status', 'details', 'detail'])

/**
 * Twilio's REST error body: `{ code, message, more_info, status }`, an optional `details` object and, on 401,
 * an optional `detail` string; a messaging error (21000 and up) comes with the HTTP status Twilio gives its code.
 *
 * @example
 * checkTwilioError(400, { code: 21211, message: '…', more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 })
 */
export function checkTwilioError(status: number, body: unknown): OpenApiProblem[] {
  if (typeOf(body) !== 'object')
    return [{ path: '$', problem: `Twilio's error body is an object, got ${describeValue(body)}` }]
  const out: OpenApiProblem[] = []
  const b = body as Record<string, unknown>
  const want: [string, string][] = [
    ['code', 'integer'],
    ['message', 'string'],
    ['more_info', 'string'],
    ['status', 'integer'],
  ]
  for (const [name, type] of want) {
    if (!(name in b)) out.push({ path: '$', problem: `error body is missing ${JSON.stringify(name)}` })
    else if (!typeMatches(type, b[name]))
      out.push({ path: `$.${name}`, problem: `expected ${type}, got ${describeValue(b[name])}` })
  }
  if (typeof b.status === 'number' && b.status !== status)
    out.push({
      path: '$.status',
      problem: `error body status ${b.status} differs from HTTP status ${status}`,
    })
  // a messaging error's code sets its HTTP status (platform codes below 21000, such as 20001, come with several)
  if (
    typeof b.code === 'number' &&
    b.code >= 21000 &&
    isKnownErrorCode(b.code) &&
    errorStatus(b.code) !== status
  )
    out.push({
      path: '$.code',
      problem: `Twilio answers error ${b.code} with HTTP ${errorStatus(b.code)}, not ${status}`,
    })
  if (typeof b.more_info === 'string' && !/^https?:\/\//.test(b.more_info))
    out.push({ path: '$.more_info', problem: `expected a URL, got ${JSON.stringify(b.more_info)}` })
  if ('details' in b && b.details !== null && typeOf(b.details) !== 'object')
    out.push({ path: '$.details', problem: `expected object, got ${describeValue(b.details)}` })
  if ('detail' in b && typeof b.detail !== 'string')
    out.push({ path: '$.detail', problem: `expected string, got ${describeValue(b.detail)}` })
  for (const k of Object.keys(b))
    if (!TWILIO_ERROR_FIELDS.has(k))
      out.push({ path: childPath('$', k), problem: 'unknown field in error body' })
  return out
}

const isEmptyBody = (body: unknown) => body === undefined || body === null || body === ''

/**
 * The problems of a response: its status is declared for the operation (an error status needs Twilio's error
 * body instead), and its body conforms to the declared schema and to Twilio's rules for the operation.
 *
 * @example
 * checkResponse(api, 'POST', '/2010-04-01/Accounts/AC…/Messages.json', 201, message)
 */
export function checkResponse(
  api: OpenApiDescription,
  method: string,
  urlPath: string,
  status: number,
  body: unknown,
  opts: CheckSchemaOptions = {},
): OpenApiProblem[] {
  const found = api.findOperation(method, urlPath)
  if (!found) return noOperation(api, method, urlPath)
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
  if (!schema)
    return isEmptyBody(body)
      ? []
      : [{ path: '$', problem: `status ${status} declares no body, got ${describeValue(body)}` }]
  return [
    ...checkSchema(api, schema, body, '$', opts),
    ...responseRuleProblems(found.operationId, status, body),
  ]
}
