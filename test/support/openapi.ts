/**
 * The checks of requests and responses against the Twilio OpenAPI slice (contracts/openapi/, see its README),
 * for tests: the package's own checker (src/pact/openapi/) bound to the slice it ships.
 */
import { OpenApiDescription, type Schema } from '../../src/pact/openapi/document.js'
import {
  checkRequest as checkRequestOf,
  checkResponse as checkResponseOf,
  type RequestParams,
} from '../../src/pact/openapi/operation-check.js'
import {
  type CheckSchemaOptions,
  checkSchema as checkSchemaOf,
  type OpenApiProblem,
} from '../../src/pact/openapi/schema-check.js'

export { checkTwilioError } from '../../src/pact/openapi/operation-check.js'
export type { OpenApiProblem } from '../../src/pact/openapi/schema-check.js'
export { isRfc2822 } from '../../src/pact/openapi/schema-check.js'
export type CheckResponseOptions = CheckSchemaOptions

const slice = new OpenApiDescription()

/** The slice as parsed JSON. */
export function loadSlice(): any {
  return slice.document
}

/** Finds the operation for a concrete method + URL path (query string ignored; a full URL is accepted too). */
export function findOperation(
  method: string,
  urlPath: string,
): { template: string; operationId: string; operation: any } | undefined {
  return slice.findOperation(method, urlPath)
}

/** Validates `value` against a schema of the slice (e.g. `{ $ref: '#/components/schemas/api.v2010.account.message' }`). */
export function checkSchema(
  schema: Schema,
  value: unknown,
  path = '$',
  opts: CheckSchemaOptions = {},
): OpenApiProblem[] {
  return checkSchemaOf(slice, schema, value, path, opts)
}

/** Checks a response: declared status, Twilio's error body for errors, the body against the declared schema. */
export function checkResponse(
  method: string,
  urlPath: string,
  status: number,
  body: unknown,
  opts: CheckSchemaOptions = {},
): OpenApiProblem[] {
  return checkResponseOf(slice, method, urlPath, status, body, opts)
}

/** Checks request parameters: names, required ones, values, repetitions, x-twilio.conditional groups. */
export function checkRequest(
  method: string,
  urlPath: string,
  params: { query?: Record<string, unknown>; form?: Record<string, unknown> },
): OpenApiProblem[] {
  const text = (p: Record<string, unknown> | undefined): RequestParams | undefined =>
    p &&
    Object.fromEntries(
      Object.entries(p).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.map(String) : v === undefined ? v : String(v),
      ]),
    )
  return checkRequestOf(slice, method, urlPath, {
    ...(params.query ? { query: text(params.query) } : {}),
    ...(params.form ? { form: text(params.form) } : {}),
  })
}
