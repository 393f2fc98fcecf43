import type { VerifierOptions } from '@pact-foundation/pact'
import { DEFAULT_START_TIME } from '../config.js'
import {
  type CreateTwilioDoubleOptions,
  createTwilioDouble,
  type TwilioDouble,
  tenantsOf,
} from '../double.js'
import { encodeForm } from '../http/form.js'
import { pact } from '../peers/pact.js'
import {
  type ProviderStateContext,
  type ProviderStateParams,
  providerStateHandlers,
} from '../server/provider-states.js'
import { ensureAccount } from '../server/seed.js'
import { type StartServerOptions, startServer } from '../server/start.js'
import { withPactTelemetryOff } from './pact-env.js'
import { verificationError } from './verification-error.js'

/** A provider state handler of your own; it gets the double being verified. */
export type TwilioStateHandler = (
  params: ProviderStateParams,
  double: TwilioDouble,
) => Record<string, unknown> | undefined | void | Promise<Record<string, unknown> | undefined | void>

/** Options of {@link verifyTwilioDouble}: Pact's verifier options (pact files or a broker) plus the double's. */
export interface VerifyTwilioDoubleOptions
  extends Omit<VerifierOptions, 'providerBaseUrl' | 'stateHandlers' | 'requestFilter' | 'beforeEach'> {
  /** The double to verify (default: a new one, with `doubleOptions`). It is reset before every interaction. */
  double?: TwilioDouble
  doubleOptions?: CreateTwilioDoubleOptions
  /** Options of the standalone server (it always listens on a free port of 127.0.0.1). */
  server?: Omit<StartServerOptions, 'double' | 'doubleOptions' | 'port' | 'host'>
  /** More provider states, or replacements of the built-in ones (same name). */
  stateHandlers?: Record<string, TwilioStateHandler>
  /** Runs after the double's own request filter (auth and form re-encoding). */
  requestFilter?: VerifierOptions['requestFilter']
  /** Runs before every interaction, after the double is reset. */
  beforeEach?: () => Promise<unknown>
}

type FilterRequest = {
  path: string
  headers: Record<string, string | string[] | undefined>
  body?: unknown
}

/**
 * Re-encodes a form body that Pact's verifier proxy parsed into an object (pact-js#884: it would otherwise be
 * forwarded as JSON under a form content type), as the `twilio` client encodes one ({@link encodeForm}): repeated
 * keys come back as repeated keys, an object's fields as `Key[field]`.
 *
 * @example
 * reencodeForm({ To: '+15558675310', MediaUrl: ['a', 'b'] }) // 'To=%2B15558675310&MediaUrl=a&MediaUrl=b'
 */
export function reencodeForm(body: Record<string, unknown>): string {
  return encodeForm(body)
}

const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})(?=[/.]|$)/

/**
 * Verifies the double as a Pact provider: starts the standalone server on a free port, registers the provider
 * states of the builders ("an account exists", "a message exists" with an exact SID and status, "a scheduled
 * message exists", "the To number is unsubscribed", "the credentials are invalid", ...), signs every request with
 * Basic auth of the account in its path, re-encodes form bodies the verifier turned into JSON, and runs Pact's
 * `Verifier` (Pact's telemetry off unless `PACT_DO_NOT_TRACK` is set). Resolves with the verifier's JSON output;
 * rejects with a {@link PactVerificationError} listing each mismatch as plain text when an interaction fails.
 *
 * @example
 * import { verifyTwilioDouble } from 'twilio-double/pact'
 *
 * it('the double honours our pact', async () => {
 *   await verifyTwilioDouble({ pactUrls: [path.resolve('pacts/my-app-Twilio.json')] })
 * })
 */
export async function verifyTwilioDouble(options: VerifyTwilioDoubleOptions = {}): Promise<string> {
  const {
    double: given,
    doubleOptions,
    server: serverOptions,
    stateHandlers: extraStates,
    requestFilter: userFilter,
    beforeEach: userBeforeEach,
    ...verifierOptions
  } = options
  // a pact's examples carry fixed dates (a SendAt, a DateSent filter): the provider's clock starts at the one
  // Twilio's examples and the builders use, unless the options say otherwise
  const fixedStart =
    doubleOptions?.clock === 'real' || doubleOptions?.startTime !== undefined
      ? {}
      : { startTime: DEFAULT_START_TIME }
  const double = given ?? createTwilioDouble({ ...fixedStart, ...doubleOptions })
  const server = await startServer({ ...serverOptions, double, port: 0, host: '127.0.0.1' })
  const context: ProviderStateContext = { invalidCredentials: false }
  const states: NonNullable<VerifierOptions['stateHandlers']> = {}
  for (const [name, handler] of Object.entries(providerStateHandlers(double, context)))
    states[name] = async (params?: unknown) =>
      ((await handler((params ?? {}) as ProviderStateParams)) ?? undefined) as never
  for (const [name, handler] of Object.entries(extraStates ?? {}))
    states[name] = async (params?: unknown) =>
      ((await handler((params ?? {}) as ProviderStateParams, double)) ?? undefined) as never

  const requestFilter: NonNullable<VerifierOptions['requestFilter']> = (req, res, next) => {
    const r = req as unknown as FilterRequest
    const m = ACCOUNT_PATH.exec(r.path)
    if (m) {
      const sid = m[1]!
      ensureAccount(double, sid)
      const account = tenantsOf(double)!.get(sid)!
      const token = context.invalidCredentials ? `${account.authToken}-not-valid` : account.authToken
      r.headers.authorization = `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`
    }
    const type = String(r.headers['content-type'] ?? '')
    if (
      /application\/x-www-form-urlencoded/i.test(type) &&
      r.body &&
      typeof r.body === 'object' &&
      !Buffer.isBuffer(r.body)
    ) {
      const bytes = Buffer.from(reencodeForm(r.body as Record<string, unknown>), 'utf8')
      r.body = bytes
      r.headers['content-length'] = String(bytes.byteLength)
    }
    if (userFilter) userFilter(req, res, next)
    else next()
  }

  const verifier = new pact.Verifier({
    provider: 'Twilio',
    logLevel: 'warn',
    ...verifierOptions,
    providerBaseUrl: server.url,
    stateHandlers: states,
    requestFilter,
    beforeEach: async () => {
      double.reset()
      context.invalidCredentials = false
      if (userBeforeEach) await userBeforeEach()
    },
  } as VerifierOptions)
  try {
    return await withPactTelemetryOff(() => verifier.verifyProvider())
  } catch (err) {
    throw verificationError(err, String(verifierOptions.provider ?? 'Twilio'))
  } finally {
    await server.close()
  }
}
