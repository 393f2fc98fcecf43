/**
 * Verification of your app's webhook handlers against a webhook pact (Twilio the consumer, your app the
 * provider) with Pact's verifier: each request is re-encoded as the form Twilio sends and signed with
 * `X-Twilio-Signature` for the URL it is sent to.
 */
import type { VerifierOptions } from '@pact-foundation/pact'
import { twilioSignature } from '../../callbacks/signature.js'
import { TwilioDoubleError } from '../../errors/twilio-api-error.js'
import { pact } from '../../peers/pact.js'
import { withPactTelemetryOff } from '../pact-env.js'
import { verificationError } from '../verification-error.js'
import { reencodeForm } from '../verify.js'

/** Options of {@link verifyWebhookHandlers}: Pact's verifier options (pact files or a broker) plus the app's. */
export interface VerifyWebhookHandlersOptions
  extends Omit<VerifierOptions, 'providerBaseUrl' | 'requestFilter'> {
  /** Where your app listens, e.g. `http://127.0.0.1:3000`. */
  providerBaseUrl: string
  /** The auth token your app validates `X-Twilio-Signature` with. */
  authToken: string
  /**
   * The base URL your app checks signatures against, when it is not `providerBaseUrl` (an app behind a proxy
   * that validates `https://app.example.com/twilio/status`). Default `providerBaseUrl`.
   */
  publicBaseUrl?: string
  /** Runs after the request is re-encoded and signed. */
  requestFilter?: VerifierOptions['requestFilter']
}

type FilterRequest = {
  method: string
  url: string
  originalUrl?: string
  headers: Record<string, string | string[] | undefined>
  body?: unknown
}

function formText(r: FilterRequest): string | undefined {
  const type = String(r.headers['content-type'] ?? '')
  if (!/application\/x-www-form-urlencoded/i.test(type)) return undefined
  if (Buffer.isBuffer(r.body)) return r.body.toString('utf8')
  if (r.body && typeof r.body === 'object') return reencodeForm(r.body as Record<string, unknown>)
  return typeof r.body === 'string' ? r.body : ''
}

function paramsOf(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k]
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  return out
}

/**
 * Verifies your running app against webhook pacts (written with `statusCallbackInteraction`,
 * `inboundMessageInteraction`, `fallbackInteraction`) with Pact's verifier: every request reaches your app as
 * Twilio sends it (a form body, re-encoded after Pact's proxy turned it into JSON) and signed with
 * `X-Twilio-Signature` for the URL it is sent to, so an app that validates signatures with `authToken` passes.
 * Resolves with the verifier's JSON output; rejects with a `PactVerificationError` listing each mismatch as
 * plain text. Pact's telemetry is off unless `PACT_DO_NOT_TRACK` is set.
 *
 * @example
 * await verifyWebhookHandlers({
 *   provider: 'my-app',
 *   providerBaseUrl: 'http://127.0.0.1:3000',
 *   pactUrls: [path.resolve('pacts/Twilio-my-app.json')],
 *   authToken: process.env.TWILIO_AUTH_TOKEN!,
 * })
 */
export async function verifyWebhookHandlers(options: VerifyWebhookHandlersOptions): Promise<string> {
  const { authToken, publicBaseUrl, requestFilter: userFilter, ...verifierOptions } = options
  if (!authToken)
    throw new TwilioDoubleError(
      'verifyWebhookHandlers: pass authToken, the token your app validates X-Twilio-Signature with',
    )
  let base: string
  try {
    base = new URL(publicBaseUrl ?? options.providerBaseUrl).toString().replace(/\/$/, '')
  } catch {
    throw new TwilioDoubleError(
      `verifyWebhookHandlers: ${publicBaseUrl ?? options.providerBaseUrl} is not a URL; pass your app's base URL, e.g. http://127.0.0.1:3000`,
    )
  }

  const requestFilter: NonNullable<VerifierOptions['requestFilter']> = (req, res, next) => {
    const r = req as unknown as FilterRequest
    const text = formText(r)
    if (text !== undefined) {
      const bytes = Buffer.from(text, 'utf8')
      r.body = bytes
      r.headers['content-length'] = String(bytes.byteLength)
    }
    // Twilio signs the full URL it requests; a POST's form parameters too, a GET's are in the URL already.
    // The request carries that URL's host, as Twilio's would (Pact's proxy would pass on its own).
    const url = base + (r.originalUrl ?? r.url)
    r.headers.host = new URL(base).host
    const params = r.method === 'POST' && text !== undefined ? paramsOf(text) : {}
    r.headers['x-twilio-signature'] = twilioSignature(authToken, url, params)
    if (userFilter) userFilter(req, res, next)
    else next()
  }

  const provider = verifierOptions.provider ?? 'your app'
  const verifier = new pact.Verifier({
    logLevel: 'warn',
    ...verifierOptions,
    requestFilter,
  } as VerifierOptions)
  try {
    return await withPactTelemetryOff(() => verifier.verifyProvider())
  } catch (err) {
    throw verificationError(err, provider)
  }
}
