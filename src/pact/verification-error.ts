/**
 * Pact's verifier rejects with its whole JSON report on one line (ANSI colour codes inside). The package's
 * helpers throw a {@link PactVerificationError} instead: one plain-text line per mismatch.
 */
import { TwilioDoubleError } from '../errors/twilio-api-error.js'

/** One mismatch of a failed verification, as plain text. */
export interface PactMismatch {
  /** The interaction's description. */
  interaction: string
  /** Its provider states, as Pact names them (`Given …`), if any. */
  given?: string
  /** What differs: `status`, `header`, `body`, `query`, `path`, `method`, or `error` (the request failed). */
  kind: string
  /** Where (a JSON path such as `$.status`, a header or parameter name), when Pact names one. */
  path?: string
  /** What the pact expects and what the provider answered, when Pact gives them. */
  expected?: string
  actual?: string
  /** Pact's own words. */
  message: string
}

/**
 * A failed Pact verification run by one of the package's helpers: its message lists each mismatch on a line of
 * its own (interaction, where, expected, actual), with no ANSI codes; `mismatches` holds the same as data and
 * `report` the verifier's parsed JSON report.
 *
 * @example
 * try {
 *   await verifyWebhookHandlers({ providerBaseUrl, pactUrls, authToken })
 * } catch (err) {
 *   if (err instanceof PactVerificationError) console.log(err.mismatches.map((m) => m.path))
 * }
 */
export class PactVerificationError extends TwilioDoubleError {
  readonly mismatches: PactMismatch[]
  readonly report: unknown

  constructor(message: string, mismatches: PactMismatch[], report: unknown) {
    super(message)
    this.name = 'PactVerificationError'
    this.mismatches = mismatches
    this.report = report
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g

/**
 * Removes ANSI escape sequences (colours, bold) from text.
 *
 * @example
 * stripAnsi('\u001b[1m$.status\u001b[0m') // '$.status'
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}

interface RawMismatch {
  type?: string
  path?: string
  key?: string
  parameter?: string
  expected?: unknown
  actual?: unknown
  mismatch?: string
}

interface RawError {
  interaction?: string
  mismatch?: { type?: string; message?: string; mismatches?: RawMismatch[] }
}

interface RawReport {
  result?: boolean
  errors?: RawError[]
  interactionResults?: { description?: string; result?: string }[]
}

const KINDS: Record<string, string> = {
  StatusMismatch: 'status',
  HeaderMismatch: 'header',
  BodyMismatch: 'body',
  BodyTypeMismatch: 'body',
  QueryMismatch: 'query',
  PathMismatch: 'path',
  MethodMismatch: 'method',
  MetadataMismatch: 'metadata',
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : stripAnsi(String(value))

/** Splits `Verifying a pact between A and B Given S - description` using the known descriptions. */
function splitInteraction(raw: string, descriptions: string[]): { interaction: string; given?: string } {
  const plain = stripAnsi(raw)
  const description = descriptions
    .filter((d) => plain.endsWith(` - ${d}`))
    .sort((a, b) => b.length - a.length)[0]
  if (description === undefined) return { interaction: plain }
  const head = plain.slice(0, plain.length - description.length - 3)
  const given = / Given (.+)$/.exec(head)?.[1]
  return { interaction: description, ...(given ? { given } : {}) }
}

function mismatchesOf(report: RawReport): PactMismatch[] {
  const descriptions = (report.interactionResults ?? []).flatMap((r) =>
    typeof r.description === 'string' ? [r.description] : [],
  )
  const out: PactMismatch[] = []
  for (const error of report.errors ?? []) {
    const where = splitInteraction(error.interaction ?? '(unnamed interaction)', descriptions)
    const list = error.mismatch?.mismatches
    if (!Array.isArray(list) || list.length === 0) {
      out.push({ ...where, kind: 'error', message: text(error.mismatch?.message) ?? 'the request failed' })
      continue
    }
    for (const m of list) {
      const path = text(m.path ?? m.key ?? m.parameter)
      const expected = text(m.expected)
      const actual = text(m.actual)
      out.push({
        ...where,
        kind: KINDS[m.type ?? ''] ?? (m.type ? m.type.replace(/Mismatch$/, '').toLowerCase() : 'mismatch'),
        ...(path ? { path } : {}),
        ...(expected !== undefined ? { expected } : {}),
        ...(actual !== undefined ? { actual } : {}),
        message: text(m.mismatch) ?? 'mismatch',
      })
    }
  }
  return out
}

/** Short values are shown beside Pact's words; long ones (key lists, whole bodies) are left to them. */
const SHORT = 60

function line(m: PactMismatch): string {
  const where = m.path ? `${m.kind} ${m.path}` : m.kind
  const values =
    m.expected !== undefined &&
    m.actual !== undefined &&
    m.expected.length <= SHORT &&
    m.actual.length <= SHORT &&
    !(m.message.includes(m.expected) && m.message.includes(m.actual))
      ? ` (expected ${m.expected}, actual ${m.actual})`
      : ''
  return `    ${where}: ${m.message}${values}`
}

/**
 * Turns what Pact's verifier rejected with into a {@link PactVerificationError} listing the mismatches, or, when
 * it rejected for another reason (unreadable pact, provider not reachable), into an error with its message.
 *
 * @example
 * await verifier.verifyProvider().catch((err) => { throw verificationError(err, 'Twilio') })
 */
export function verificationError(err: unknown, provider: string): Error {
  const message = err instanceof Error ? err.message : String(err)
  let report: RawReport | undefined
  try {
    const parsed: unknown = JSON.parse(message)
    if (parsed && typeof parsed === 'object' && 'errors' in parsed) report = parsed as RawReport
  } catch {
    report = undefined
  }
  if (!report)
    return new TwilioDoubleError(`Pact verification of ${provider} could not run: ${stripAnsi(message)}`)
  const mismatches = mismatchesOf(report)
  const failed = new Set(mismatches.map((m) => `${m.given ?? ''}\u0000${m.interaction}`)).size
  const total = report.interactionResults?.length ?? failed
  const lines = [
    `Pact verification of ${provider} failed: ${failed} of ${total} interaction${total === 1 ? '' : 's'}`,
  ]
  let current = ''
  for (const m of mismatches) {
    const key = `${m.given ?? ''}\u0000${m.interaction}`
    if (key !== current) {
      current = key
      lines.push(`  ${m.interaction}${m.given ? ` (given ${m.given})` : ''}`)
    }
    lines.push(line(m))
  }
  return new PactVerificationError(lines.join('\n'), mismatches, report)
}
