/**
 * Holds the interactions of pacts whose provider is Twilio against Twilio's OpenAPI description (the slice the
 * package ships, or a description given): path and method, parameters, status codes, response fields. Pact
 * files of specification 2, 3 and 4 are read; no Pact library is needed (the CLI runs it without one).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { parseForm } from '../http/form.js'
import { OpenApiDescription, type Schema } from './openapi/document.js'
import { checkRequest, checkResponse, type RequestParams } from './openapi/operation-check.js'

/** One thing a pact expects that Twilio's description says otherwise. */
export interface PactFinding {
  /** The pact file (as given), or `(pact)` for a parsed pact. */
  file: string
  /** The interaction's description, with its provider states (`… (given a message exists)`). */
  interaction: string
  /** Whether the request or the response disagrees. */
  where: 'request' | 'response'
  /** A JSON path of the body (`$.status`), a parameter (`form["To"]`), `path {Sid}`, or '' for the operation. */
  path: string
  /** What Twilio's description says. */
  problem: string
}

/** What was checked in one pact file. */
export interface PactFileReport {
  file: string
  consumer: string
  provider: string
  /** HTTP interactions checked (0 when the file was skipped). */
  interactions: number
  /** Why the file was not checked (its provider is not Twilio), if it was not. */
  skipped?: string
}

/** The result of {@link checkPact}. */
export interface PactCheckReport {
  /** True when no finding was made. */
  ok: boolean
  /** The description the pacts were held against. */
  openapi: string
  files: PactFileReport[]
  findings: PactFinding[]
}

/** Options of {@link checkPact}. */
export interface CheckPactOptions {
  /**
   * Another OpenAPI description: a path to its JSON file, or the parsed document (default: the slice of
   * Twilio's twilio_api_v2010.json the package ships: Account, Message, Media and Feedback).
   */
  openapi?: string | Record<string, unknown>
  /** The provider name of your Twilio pacts, when it does not contain "twilio". */
  provider?: string
}

interface PactBody {
  content?: unknown
  contentType?: string
  encoded?: boolean | string
}

interface PactInteraction {
  description?: string
  type?: string
  providerState?: string
  providerStates?: { name?: string }[]
  request?: {
    method?: string
    path?: string
    query?: string | Record<string, string | string[]>
    headers?: Record<string, string | string[]>
    body?: unknown
  }
  response?: { status?: number; headers?: Record<string, string | string[]>; body?: unknown }
}

/** A parsed pact file. */
export interface PactDocument {
  consumer?: { name?: string }
  provider?: { name?: string }
  interactions?: PactInteraction[]
  metadata?: Record<string, unknown>
}

function header(headers: Record<string, string | string[]> | undefined, name: string): string {
  for (const [k, v] of Object.entries(headers ?? {}))
    if (k.toLowerCase() === name) return Array.isArray(v) ? v.join(', ') : String(v)
  return ''
}

/** A body as stored in a pact of any version: its content, content type and text. */
function bodyOf(
  raw: unknown,
  headers: Record<string, string | string[]> | undefined,
): { value: unknown; type: string } {
  const v4 = raw && typeof raw === 'object' && 'content' in raw ? (raw as PactBody) : undefined
  const type = v4?.contentType ?? header(headers, 'content-type')
  let value = v4 ? v4.content : raw
  if (typeof value === 'string' && v4?.encoded === 'base64')
    value = Buffer.from(value, 'base64').toString('utf8')
  if (typeof value === 'string' && /json/i.test(type) && value.trim() !== '') {
    try {
      value = JSON.parse(value)
    } catch {
      // left as text: the check reports a string where an object is declared
    }
  }
  return { value, type }
}

function queryOf(query: string | Record<string, string | string[]> | undefined): RequestParams {
  if (typeof query === 'string') return parseForm(query) as RequestParams
  return (query ?? {}) as RequestParams
}

function formOf(body: { value: unknown; type: string }): RequestParams | undefined {
  if (body.value === undefined || body.value === null || body.value === '') return undefined
  if (!/x-www-form-urlencoded/i.test(body.type)) return undefined
  if (typeof body.value === 'string') return parseForm(body.value) as RequestParams
  if (typeof body.value === 'object') return body.value as RequestParams
  return undefined
}

function nameOf(interaction: PactInteraction): string {
  const description = interaction.description ?? '(an interaction without description)'
  const states = interaction.providerStates?.flatMap((s) => (s.name ? [s.name] : [])) ?? []
  if (interaction.providerState) states.push(interaction.providerState)
  return states.length > 0 ? `${description} (given ${states.join(', ')})` : description
}

/** Whether a pact's provider is Twilio: named like it, or the name given in the options. */
function isTwilio(name: string, options: CheckPactOptions): boolean {
  return options.provider !== undefined ? name === options.provider : /twilio/i.test(name)
}

function checkInteraction(
  api: OpenApiDescription,
  file: string,
  interaction: PactInteraction,
): PactFinding[] {
  const name = nameOf(interaction)
  const request = interaction.request ?? {}
  const method = request.method ?? 'GET'
  const path = request.path ?? '/'
  const requestBody = bodyOf(request.body, request.headers)
  const form = formOf(requestBody)
  const found = (where: 'request' | 'response') => (p: { path: string; problem: string }) => ({
    file,
    interaction: name,
    where,
    path: p.path,
    problem: p.problem,
  })
  const requestProblems = checkRequest(api, method, path, {
    query: queryOf(request.query),
    ...(form ? { form } : {}),
  }).map(found('request'))
  // an unknown operation is reported once, for the request
  if (!api.findOperation(method, path)) return requestProblems
  const response = interaction.response ?? {}
  const responseBody = bodyOf(response.body, response.headers)
  const responseProblems = checkResponse(api, method, path, response.status ?? 200, responseBody.value).map(
    found('response'),
  )
  return [...requestProblems, ...responseProblems]
}

function readJson(file: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new TwilioDoubleError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new TwilioDoubleError(`${what} ${file} is not JSON: ${(err as Error).message}`)
  }
}

/** The pact files a list of files and directories names (a directory: its `*.json` files). */
function expand(entries: (string | PactDocument)[]): (string | PactDocument)[] {
  return entries.flatMap((entry): (string | PactDocument)[] => {
    if (typeof entry !== 'string') return [entry]
    let isDirectory = false
    try {
      isDirectory = statSync(entry).isDirectory()
    } catch {
      isDirectory = false
    }
    if (!isDirectory) return [entry]
    const pacts = readdirSync(entry).filter((f) => f.endsWith('.json'))
    if (pacts.length === 0)
      throw new TwilioDoubleError(
        `no pact files (*.json) in ${entry}: give the directory your consumer tests write their pacts to, or the pact files themselves`,
      )
    return pacts.sort().map((f) => join(entry, f))
  })
}

/**
 * Holds every HTTP interaction of the pacts whose provider is Twilio against Twilio's OpenAPI description:
 * the path and method exist; path, query and form parameters are Twilio's (names, types, enums, repeated keys
 * only where Twilio takes a list); the status code is one Twilio declares (or an error with Twilio's error
 * body and the code's HTTP status); each response field exists with the right type, enum value and
 * nullability; a create is answered as Twilio answers one (a message `queued`, `accepted` or `scheduled`; an
 * account `active`, not its own owner). Pacts whose provider is another (webhook pacts, where Twilio is the
 * consumer) are skipped and listed as such. Throws a `[twilio-double]` error rather than pass having checked
 * nothing: no files given, a directory without `*.json`, or `options.provider` named by no pact.
 *
 * @example
 * import { checkPact, formatPactCheck } from 'twilio-double/pact'
 *
 * const report = checkPact(['pacts/my-app-Twilio.json'])
 * if (!report.ok) throw new Error(formatPactCheck(report).join('\n'))
 */
export function checkPact(
  files: string | PactDocument | (string | PactDocument)[],
  options: CheckPactOptions = {},
): PactCheckReport {
  const api =
    typeof options.openapi === 'string'
      ? new OpenApiDescription(readJson(options.openapi, 'OpenAPI description') as Schema, options.openapi)
      : options.openapi
        ? new OpenApiDescription(options.openapi as Schema, 'the OpenAPI description given')
        : new OpenApiDescription()
  const reports: PactFileReport[] = []
  const findings: PactFinding[] = []
  const entries = expand(Array.isArray(files) ? files : [files])
  if (entries.length === 0) throw new TwilioDoubleError('no pact files given')
  for (const entry of entries) {
    const file = typeof entry === 'string' ? entry : '(pact)'
    const pact = (typeof entry === 'string' ? readJson(entry, 'pact file') : entry) as PactDocument
    if (!pact || typeof pact !== 'object' || !Array.isArray(pact.interactions))
      throw new TwilioDoubleError(`${file} is not a pact file (no "interactions" list)`)
    const consumer = pact.consumer?.name ?? '(unnamed consumer)'
    const provider = pact.provider?.name ?? '(unnamed provider)'
    if (!isTwilio(provider, options)) {
      const skipped = /twilio/i.test(consumer)
        ? `Twilio is its consumer (a webhook pact): verify it against your app with verifyWebhookHandlers`
        : options.provider !== undefined
          ? `its provider ${provider} is not ${options.provider}, the provider named to check (name ${provider} with --provider to check it instead)`
          : `its provider ${provider} is not Twilio (name it with --provider ${provider} to check it)`
      reports.push({ file, consumer, provider, interactions: 0, skipped })
      continue
    }
    const http = pact.interactions.filter(
      (i) => (i.type === undefined || i.type === 'Synchronous/HTTP') && i.request,
    )
    for (const interaction of http) findings.push(...checkInteraction(api, file, interaction))
    reports.push({ file, consumer, provider, interactions: http.length })
  }
  if (options.provider !== undefined && reports.every((r) => r.skipped)) {
    const providers = [...new Set(reports.map((r) => r.provider))].join(', ')
    throw new TwilioDoubleError(
      `no pact has the provider ${options.provider} named to check (their providers: ${providers}): name one of those with --provider (the provider option), or leave it out to check the pacts whose provider is named like Twilio`,
    )
  }
  return { ok: findings.length === 0, openapi: api.title, files: reports, findings }
}

/**
 * The report as text: one line per finding (file, interaction, where, what Twilio says), then one line per
 * skipped file and a summary.
 *
 * @example
 * console.log(formatPactCheck(checkPact('pacts/')).join('\n'))
 * // pacts/my-app-Twilio.json: a request to send an SMS (given an account exists): response $.tags: unknown field (not declared in the schema)
 */
export function formatPactCheck(report: PactCheckReport): string[] {
  const lines = report.findings.map(
    (f) => `${f.file}: ${f.interaction}: ${f.where}${f.path ? ` ${f.path}` : ''}: ${f.problem}`,
  )
  for (const f of report.files) if (f.skipped) lines.push(`${f.file}: skipped: ${f.skipped}`)
  const checked = report.files.filter((f) => !f.skipped)
  const interactions = checked.reduce((n, f) => n + f.interactions, 0)
  const n = report.findings.length
  lines.push(
    `${n === 0 ? 'ok' : 'failed'}: ${interactions} interaction${interactions === 1 ? '' : 's'} of ${checked.length} pact${checked.length === 1 ? '' : 's'} checked against ${report.openapi}: ${n} finding${n === 1 ? '' : 's'}`,
  )
  return lines
}
