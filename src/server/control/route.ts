import { z } from 'zod'
import type { TwilioDouble } from '../../double.js'
import { TOOLKIT_ERROR_PREFIX } from '../../errors/twilio-api-error.js'
import { json } from '../../http/respond.js'
import { nestsDeeperThan } from '../../util/json-depth.js'
import type { ProviderStateContext, ProviderStateHandler } from '../provider-states.js'
import type { ServerClock } from '../wall-clock.js'
import type { ControlScope } from './scope.js'

/**
 * The reserved path prefix of the control API.
 *
 * @example
 * await fetch(`${server.url}${CONTROL_PREFIX}/settle`, { method: 'POST' })
 */
export const CONTROL_PREFIX = '/__double'

/** The shape of every control API error: `{ error, message }`. */
export interface ControlError {
  /** A stable machine-readable kind: `bad_request`, `invalid_json`, `not_found`, `method_not_allowed`, ... */
  error: string
  /** What went wrong and what to do. */
  message: string
}

/** A control API error response. */
export function controlError(
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  // the answer is the control API's own: a refusal from elsewhere in the double loses its `[twilio-double]` mark
  const own = message.startsWith(TOOLKIT_ERROR_PREFIX) ? message.slice(TOOLKIT_ERROR_PREFIX.length) : message
  return json(status, { error, message: own } satisfies ControlError, headers)
}

/** A refusal of the request's input: answered 400 `{ error: kind, message }`. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly kind = 'bad_request',
  ) {
    super(message)
  }
}

/** What the handlers of one control API share: the double and the state of its streams and provider states. */
export interface ControlContext {
  double: TwilioDouble
  /** How the server's time passes (reported by /health). */
  clock: ServerClock
  /** Closers of the open `/events` streams. */
  streams: Set<() => void>
  providerState: ProviderStateContext
  providerStates: Record<string, ProviderStateHandler>
}

/** A request as a handler sees it: its query and body already validated. */
export interface ControlInput<Q, B> {
  request: Request
  url: URL
  /** The whole double, or the account the request names (`?account=`, `X-Twilio-Double-Account`). */
  scope: ControlScope
  /** The path's `:name` segments, decoded. */
  params: Record<string, string>
  query: Q
  body: B
}

/**
 * One endpoint's handler. `query` validates the query parameters (empty values read as absent); `body`, when
 * given, makes a JSON body required and validates it. A validation failure answers 400 with the first issue's
 * message, so each schema words its own messages.
 */
export interface ControlHandler<Q = unknown, B = unknown> {
  query?: z.ZodType<Q>
  body?: z.ZodType<B>
  run(input: ControlInput<Q, B>, ctx: ControlContext): Response | Promise<Response>
}

/** Declares a handler (the query and body types are inferred from the schemas). */
export function handler<Q = undefined, B = undefined>(h: ControlHandler<Q, B>): ControlHandler<Q, B> {
  return h
}

/** A 200 (or `status`) JSON answer. */
export const ok = (body: unknown, status = 200): Response => json(status, body)

/** How deep a JSON body may nest arrays and objects (the control API's bodies are a few levels deep). */
const MAX_JSON_DEPTH = 32

/**
 * The JSON body of a request; a required one may not be empty, nor nest deeper than {@link MAX_JSON_DEPTH} (a value
 * nested thousands deep would overflow the stack of whatever reads it: its validation, its error message).
 */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text()
  if (text.trim() === '') throw new BadRequest('this endpoint needs a JSON body')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new BadRequest(`the body is not valid JSON (${(err as Error).message})`, 'invalid_json')
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH))
    throw new BadRequest(
      `the body nests arrays and objects more than ${MAX_JSON_DEPTH} deep; send a body of the shape the endpoint takes (a few levels at most)`,
    )
  return value
}

/** The query parameters as an object, without empty values (`?to=` filters nothing). */
export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of url.searchParams) if (value !== '' && !(key in out)) out[key] = value
  return out
}

/** Parses `value` with `schema`, or refuses it with the message of its first issue (unknown fields first). */
export function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!
  throw new BadRequest(issue.message)
}

/* Schemas of the fields that several bodies share, each with the message it answers. */

/** A required non-empty string field (`null` reads as absent). */
export const text = (key: string) =>
  z
    .string({
      error: (iss) => (iss.input == null ? `"${key}" is required` : `"${key}" must be a non-empty string`),
    })
    .min(1, `"${key}" must be a non-empty string`)

/** An optional non-empty string field (`null` reads as absent). */
export const optionalText = (key: string) =>
  text(key)
    .nullish()
    .transform((v) => v ?? undefined)

/** A JSON object body with `shape`, refused with an example when it is not an object. */
export const body = <S extends z.ZodRawShape>(shape: S, example: string) =>
  z.object(shape, { error: `the body must be a JSON object such as ${example}` })

/** A JSON object body with exactly the fields of `shape`: a misspelt field would otherwise be dropped silently. */
export const strictBody = <S extends z.ZodRawShape>(shape: S, example: string, where = '') =>
  z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return `the body must be a JSON object such as ${example}`
      const keys = iss.keys.map((k) => `"${k}"`).join(', ')
      return `unknown field${iss.keys.length > 1 ? 's' : ''} ${keys}${where}; known fields: ${Object.keys(shape).join(', ')}`
    },
  })

/**
 * A query of exactly the parameters of `shape` (each refused as its schema words it): a misspelt filter would
 * otherwise filter nothing, silently.
 */
export const strictQuery = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown query parameter${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `'${k}'`).join(', ')}; known: ${Object.keys(shape).join(', ')}`
        : undefined,
  })

/** A query parameter that is one of `values`, refused as "`key` 'x' is not a `what`; use one of …". */
export const oneOf = <const V extends readonly string[]>(
  key: string,
  what: string,
  values: V,
  list?: string,
) =>
  z
    .enum(values, {
      error: (iss) =>
        `${key} '${String(iss.input)}' is not a ${what}; use ${list ?? `one of ${values.join(', ')}`}`,
    })
    .optional()

/** A whole-number query parameter (`limit`, `offset`). */
export const wholeNumber = (key: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { error: (iss) => `"${key}" must be a whole number (got '${String(iss.input)}')` })
    .transform(Number)
    .optional()
