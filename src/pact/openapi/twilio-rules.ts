/**
 * What Twilio answers that its OpenAPI description does not say (the Message resource page, Twilio's status
 * callback guide, the Account resource's field descriptions): a new message is `queued` (from a number),
 * `accepted` (through a messaging service) or `scheduled`, and has not been sent, priced or failed yet; a created
 * account is an `active` subaccount, whose owner is the account that created it (never itself, as a main
 * account's is).
 */
import type { OpenApiProblem } from './schema-check.js'

interface ResponseRule {
  operationId: string
  status: number
  /** Allowed values of a field. */
  oneOf?: Record<string, readonly unknown[]>
  /** Fields Twilio answers with null. */
  nulls?: readonly string[]
  /** Pairs of fields Twilio never answers with the same value. */
  distinct?: readonly (readonly [string, string])[]
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
  {
    operationId: 'CreateAccount',
    status: 201,
    oneOf: { status: ['active'] },
    distinct: [['owner_account_sid', 'sid']],
    because: 'a created account is a new, active subaccount of the account that creates it',
  },
]

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
function oneOfText(values: readonly unknown[]): string {
  const names = values.map((v) => JSON.stringify(v))
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
}

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
      out.push({
        path: `$.${field}`,
        problem: `Twilio answers ${operationId} with ${field} ${oneOfText(allowed)}, never ${JSON.stringify(fields[field])} (${rule.because})`,
      })
    }
    for (const field of rule.nulls ?? [])
      if (field in fields && fields[field] !== null)
        out.push({
          path: `$.${field}`,
          problem: `Twilio answers ${operationId} with ${field} null, not ${JSON.stringify(fields[field])} (${rule.because})`,
        })
    for (const [field, other] of rule.distinct ?? [])
      if (field in fields && other in fields && fields[field] !== null && fields[field] === fields[other])
        out.push({
          path: `$.${field}`,
          problem: `Twilio answers ${operationId} with ${field} other than its ${other}, never both ${JSON.stringify(fields[field])} (${rule.because})`,
        })
  }
  return out
}
