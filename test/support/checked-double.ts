/**
 * A double whose every answer is checked: each request/response pair the core gives (through any door) is
 * held against the OpenAPI slice (checkResponse), the zod wire schemas, the error catalog and the transport
 * rules (content-type and a correct content-length on every response).
 *
 * @example
 * const checked = createCheckedDouble()
 * afterEach(() => checked.expectClean())
 * await checked.double.handle(new Request(...))
 */
import { expect } from 'vitest'
import { DEFAULT_START_TIME } from '../../src/config.js'
import { type CreateTwilioDoubleOptions, createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import { errorMessage, errorStatus, isKnownErrorCode, moreInfo } from '../../src/errors/catalog.js'
import { accountPageSchema, accountSchema } from '../../src/schemas/account.js'
import {
  errorSchema,
  feedbackSchema,
  mediaPageSchema,
  mediaSchema,
  messagePageSchema,
  messageSchema,
} from '../../src/schemas/message.js'
import { checkResponse, checkTwilioError, findOperation, type OpenApiProblem } from './openapi.js'

/** A problem found in one exchange. */
export interface ExchangeProblem extends OpenApiProblem {
  exchange: string
}

/** One exchange as seen by the checker. */
export interface CheckedExchange {
  method: string
  url: string
  status: number
  body: unknown
}

export interface CheckedDouble {
  double: TwilioDouble
  /** Every exchange checked so far (after `flush()`). */
  exchanges: CheckedExchange[]
  /** Waits for the checks of every exchange so far and returns the problems found. */
  problems(): Promise<ExchangeProblem[]>
  /** Asserts that no exchange had a problem and that at least `minExchanges` (default 0) were checked. */
  expectClean(minExchanges?: number): Promise<void>
}

/** The zod wire schema of each operation's success body. */
const SUCCESS_SCHEMAS: Record<string, { safeParse(v: unknown): { success: boolean; error?: unknown } }> = {
  CreateMessage: messageSchema,
  FetchMessage: messageSchema,
  UpdateMessage: messageSchema,
  ListMessage: messagePageSchema,
  ListMedia: mediaPageSchema,
  FetchMedia: mediaSchema,
  CreateMessageFeedback: feedbackSchema,
  CreateAccount: accountSchema,
  FetchAccount: accountSchema,
  UpdateAccount: accountSchema,
  ListAccount: accountPageSchema,
}

/**
 * Codes whose HTTP status differs from the catalog's on purpose (queue overflow answered as 429, body too large,
 * an action of the Accounts resource the credentials may not take), with the text of that answer when it is not
 * the catalog's.
 */
const STATUS_OVERRIDES = new Map<string, string | undefined>([
  ['30001:429', undefined],
  ['20001:413', undefined],
  ['20003:403', 'Permission Denied'],
])

const FILLED = { to: 'X', from: 'X', path: 'X', param: 'X', value: 'X', sid: 'X', message: 'X' }

function catalogProblems(status: number, body: any): OpenApiProblem[] {
  const out: OpenApiProblem[] = []
  const parsed = errorSchema.safeParse(body)
  if (!parsed.success)
    out.push({ path: '$', problem: `not a schema-valid Twilio error: ${parsed.error.message}` })
  if (typeof body?.code !== 'number') return out
  const code: number = body.code
  if (!isKnownErrorCode(code))
    out.push({ path: '$.code', problem: `code ${code} is not in the error catalog` })
  if (body.more_info !== moreInfo(code))
    out.push({ path: '$.more_info', problem: `expected ${moreInfo(code)}, got ${body.more_info}` })
  const override = `${code}:${status}`
  if (errorStatus(code) !== status && !STATUS_OVERRIDES.has(override))
    out.push({
      path: '$.status',
      problem: `catalog status of ${code} is ${errorStatus(code)}, got ${status}`,
    })
  // A catalog text that does not depend on details must be answered verbatim.
  const catalog = errorMessage(code, {})
  const fixed =
    STATUS_OVERRIDES.get(override) ?? (catalog === errorMessage(code, FILLED) ? catalog : undefined)
  if (fixed !== undefined && body.message !== fixed)
    out.push({ path: '$.message', problem: `expected catalog text ${JSON.stringify(fixed)}` })
  return out
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return text
  }
}

/** Checks one exchange; returns its problems. */
export async function checkExchange(request: Request, response: Response): Promise<OpenApiProblem[]> {
  const out: OpenApiProblem[] = []
  const bytes = new Uint8Array(await response.arrayBuffer())
  const contentType = response.headers.get('content-type')
  const contentLength = response.headers.get('content-length')
  if (!contentType) out.push({ path: 'headers', problem: 'no content-type' })
  if (contentLength === null) out.push({ path: 'headers', problem: 'no content-length' })
  else if (Number(contentLength) !== bytes.byteLength)
    out.push({ path: 'headers', problem: `content-length ${contentLength} but ${bytes.byteLength} bytes` })
  const text = new TextDecoder().decode(bytes)
  let body: unknown
  if (text !== '') {
    if (!/application\/json/.test(contentType ?? ''))
      out.push({ path: 'headers', problem: `body with content-type ${contentType}` })
    try {
      body = JSON.parse(text)
    } catch {
      out.push({ path: '$', problem: 'body is not JSON' })
      return out
    }
  }
  const status = response.status
  const url = new URL(request.url)
  // a browser's CORS preflight is HTTP's, not an operation of the API: it answers for a path that has some
  if (request.method === 'OPTIONS' && status === 200) {
    if (!['GET', 'POST', 'DELETE'].some((m) => findOperation(m, url.pathname)))
      out.push({ path: '', problem: 'preflight answered for a path with no operation' })
    if (text !== '') out.push({ path: '$', problem: 'preflight with a body' })
    if (!response.headers.get('access-control-allow-methods'))
      out.push({ path: 'headers', problem: 'preflight without access-control-allow-methods' })
    return out
  }
  const op = findOperation(request.method, url.pathname)
  if (status >= 500) out.push({ path: '', problem: `server error ${status}` })
  if (status >= 400) {
    out.push(
      ...(op ? checkResponse(request.method, url.pathname, status, body) : checkTwilioError(status, body)),
    )
    out.push(...catalogProblems(status, body))
    return out
  }
  if (!op) {
    out.push({ path: '', problem: `success ${status} for an undeclared operation` })
    return out
  }
  out.push(...checkResponse(request.method, url.pathname, status, body, { allProperties: true }))
  const schema = SUCCESS_SCHEMAS[op.operationId]
  if (schema) {
    const r = schema.safeParse(body)
    if (!r.success) out.push({ path: '$', problem: `zod ${op.operationId}: ${String(r.error)}` })
  } else if (text !== '') out.push({ path: '$', problem: `${op.operationId} answered a body` })
  return out
}

/**
 * Creates a double (same options as `createTwilioDouble`) that checks every exchange it answers. Its virtual clock
 * starts at a fixed time (`DEFAULT_START_TIME`) unless told otherwise, so that tests can name dates.
 */
export function createCheckedDouble(options: CreateTwilioDoubleOptions = {}): CheckedDouble {
  const fixed =
    options.clock === 'real' || options.startTime !== undefined ? {} : { startTime: DEFAULT_START_TIME }
  const double = createTwilioDouble({ ...fixed, ...options })
  const found: ExchangeProblem[] = []
  const exchanges: CheckedExchange[] = []
  const pending: Promise<void>[] = []
  double.onExchange((request, response) => {
    const label = `${request.method} ${request.url} → ${response.status}`
    pending.push(
      checkExchange(request, response.clone()).then(
        async (problems) => {
          const text = await response.text()
          exchanges.push({
            method: request.method,
            url: request.url,
            status: response.status,
            body: parseJson(text),
          })
          for (const p of problems) found.push({ ...p, exchange: label })
        },
        (err: unknown) => {
          found.push({ exchange: label, path: '', problem: `check failed: ${String(err)}` })
        },
      ),
    )
  })
  const flush = async () => {
    while (pending.length > 0) await Promise.all(pending.splice(0))
  }
  return {
    double,
    exchanges,
    problems: async () => {
      await flush()
      return [...found]
    },
    expectClean: async (minExchanges = 0) => {
      await flush()
      expect(found).toEqual([])
      expect(exchanges.length).toBeGreaterThanOrEqual(minExchanges)
    },
  }
}
