/**
 * What Twilio answers that its OpenAPI description does not say (the Message resource page and Twilio's status
 * callback guide): a new message is `queued` (from a number), `accepted` (through a messaging service) or
 * `scheduled`, and has not been sent, priced or failed yet.
 */
import type { OpenApiProblem } from './schema-check.js'

interface ResponseRule {
  operationId: string
  status: number
  /** Allowed values of a field. */
  oneOf?: Record<string, readonly unknown[]>
  /** Fields Twilio answers with null. */
  nulls?: readonly string[]
  /** Why, in Twilio's words. */
  because: string
}

const RULES: readonly ResponseRule[] = [
  {
    operationId: 'CreateMessage',
    status: 201,
    oneOf: { status: ['queued', 'accepted', 'scheduled'] },
    nulls: ['date_sent', 'price', 'error_code', 'error_message'],
    because: 'a message is not sent when Twilio answers its create',
  },
]

/**
 * The problems of a response body against Twilio's rules for the operation (none for other operations).
 *
 * @example
 * responseRuleProblems('CreateMessage', 201, { status: 'sent' })
 * // [{ path: '$.status', problem: 'Twilio answers CreateMessage with status "queued", "accepted" or "scheduled", never "sent" …' }]
 */
export function responseRuleProblems(operationId: string, status: number, body: unknown): OpenApiProblem[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return []
  const fields = body as Record<string, unknown>
  const out: OpenApiProblem[] = []
  for (const rule of RULES) {
    if (rule.operationId !== operationId || rule.status !== status) continue
    for (const [field, allowed] of Object.entries(rule.oneOf ?? {})) {
      if (!(field in fields) || allowed.includes(fields[field])) continue
      const names = allowed.map((v) => JSON.stringify(v))
      out.push({
        path: `$.${field}`,
        problem: `Twilio answers ${operationId} with ${field} ${names.slice(0, -1).join(', ')} or ${names.at(-1)}, never ${JSON.stringify(fields[field])} (${rule.because})`,
      })
    }
    for (const field of rule.nulls ?? [])
      if (field in fields && fields[field] !== null)
        out.push({
          path: `$.${field}`,
          problem: `Twilio answers ${operationId} with ${field} null, not ${JSON.stringify(fields[field])} (${rule.because})`,
        })
  }
  return out
}
