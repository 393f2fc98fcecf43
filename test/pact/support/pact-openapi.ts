/**
 * Checks the interactions of a pact against the OpenAPI slice of Twilio's API (contracts/openapi/): path and
 * method, query and form parameter names, status code, response fields and their types. A consumer learns here
 * when its pact expects something Twilio never sends.
 */
import { readFileSync } from 'node:fs'
import { MatchersV3 } from '@pact-foundation/pact'
import { parseForm } from '../../../src/http/form.js'
import { checkRequest, checkResponse, type OpenApiProblem } from '../../support/openapi.js'

/** The problems of one interaction. */
export interface InteractionReport {
  description: string
  problems: OpenApiProblem[]
}

interface PactBody {
  content?: unknown
  contentType?: string
  encoded?: boolean | string
}

interface PactInteraction {
  description: string
  type?: string
  request: { method: string; path: string; query?: Record<string, string[] | string>; body?: PactBody }
  response: { status: number; body?: PactBody }
}

/** The example value of a (possibly matcher-wrapped) body: matchers are replaced by their examples. */
export function reifyBody(body: unknown): unknown {
  return body === undefined ? undefined : MatchersV3.reify(body)
}

function bodyText(body: PactBody | undefined): string | undefined {
  if (!body || body.content === undefined) return undefined
  if (typeof body.content !== 'string') return JSON.stringify(body.content)
  return body.encoded === 'base64' ? Buffer.from(body.content, 'base64').toString('utf8') : body.content
}

function responseBody(body: PactBody | undefined): unknown {
  if (!body || body.content === undefined) return undefined
  if (typeof body.content !== 'string') return reifyBody(body.content)
  const text = bodyText(body)!
  if (/json/i.test(body.contentType ?? '')) return JSON.parse(text)
  return text
}

/** Checks one interaction as a pact file stores it (V3 or V4 HTTP). */
export function checkInteraction(interaction: PactInteraction): InteractionReport {
  const { request, response } = interaction
  const query: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(request.query ?? {})) query[k] = Array.isArray(v) ? v[0] : v
  const text = bodyText(request.body)
  const form =
    text !== undefined && /x-www-form-urlencoded/i.test(request.body?.contentType ?? '')
      ? parseForm(text)
      : undefined
  const problems = [
    ...checkRequest(request.method, request.path, { query, ...(form ? { form } : {}) }).map((p) => ({
      ...p,
      path: `request ${p.path}`,
    })),
    ...checkResponse(request.method, request.path, response.status, responseBody(response.body)).map((p) => ({
      ...p,
      path: `response ${p.path}`,
    })),
  ]
  return { description: interaction.description, problems }
}

/** Checks every HTTP interaction of a pact (a parsed object or a file path). */
export function checkPact(pact: string | { interactions: PactInteraction[] }): InteractionReport[] {
  const parsed = typeof pact === 'string' ? JSON.parse(readFileSync(pact, 'utf8')) : pact
  return (parsed.interactions as PactInteraction[])
    .filter((i) => i.type === undefined || i.type === 'Synchronous/HTTP')
    .map(checkInteraction)
}

/** Human-readable lines of the problems of a report. */
export function describeProblems(reports: InteractionReport[]): string[] {
  return reports.flatMap((r) => r.problems.map((p) => `${r.description}: ${p.path} ${p.problem}`))
}
