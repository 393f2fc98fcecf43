import type { Twilio } from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../config.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { loadTwilio, type TwilioModule } from '../peers/twilio.js'

export { loadTwilio, type TwilioModule }

/** Options of {@link twilioClientForUrl}. */
export interface TwilioClientForUrlOptions {
  /** Default {@link DEFAULT_ACCOUNT_SID}. */
  accountSid?: string
  /** Default {@link DEFAULT_AUTH_TOKEN}. */
  authToken?: string
  /** The `twilio` module to use (default: `import('twilio')`). */
  twilio?: TwilioModule
  /** Other options of the `twilio` client (region, edge, logLevel, ...); `httpClient` is set by this helper. */
  clientOptions?: Record<string, unknown>
  /**
   * Reuse connections (default true). Turn it off for servers that come and go on recycled ports, such as Pact
   * mock servers: a kept-alive connection could reach a server that has already stopped.
   */
  keepAlive?: boolean
}

type RequestOptions<TData> = RequestClient.RequestOptions<TData>

/** Every host of Twilio's REST APIs: `https://api.twilio.com`, edge/region forms and the other product hosts. */
const TWILIO_ORIGIN = /^https?:\/\/(?:[a-z0-9-]+\.)*twilio\.com(?::\d+)?(?=\/|$)/i

/**
 * Rewrites a Twilio API URL (`https://api.twilio.com/2010-04-01/…`, edge and region hosts included) to the
 * same path on `baseUrl`. Other URLs are returned unchanged.
 *
 * @example
 * rewriteTwilioUrl('https://api.twilio.com/2010-04-01/Accounts.json', 'http://127.0.0.1:4010')
 * // 'http://127.0.0.1:4010/2010-04-01/Accounts.json'
 */
export function rewriteTwilioUrl(uri: string, baseUrl: string): string {
  return uri.replace(TWILIO_ORIGIN, baseUrl.replace(/\/+$/, ''))
}

/**
 * Builds a `RequestClient` of the `twilio` package that sends every request to `baseUrl` instead of
 * Twilio's hosts. Pass it as `httpClient` to the `twilio` client.
 *
 * @example
 * import twilio from 'twilio'
 * const httpClient = redirectingRequestClient(twilio, 'http://127.0.0.1:4010')
 * const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient })
 */
export function redirectingRequestClient(
  twilio: TwilioModule,
  baseUrl: string,
  options: { keepAlive?: boolean } = {},
): InstanceType<TwilioModule['RequestClient']> {
  if (!/^https?:\/\//i.test(baseUrl))
    throw new TwilioDoubleError(
      `'${baseUrl}' is not an http(s) URL: pass the server's url, e.g. http://127.0.0.1:4010`,
    )
  const Base = twilio.RequestClient
  class RedirectingRequestClient extends Base {
    override request<TData>(opts: RequestOptions<TData>) {
      return super.request<TData>({ ...opts, uri: rewriteTwilioUrl(opts.uri, baseUrl) })
    }
  }
  const keepAlive = options.keepAlive ?? true
  const client = new RedirectingRequestClient({ keepAlive })
  // The twilio client gives its own agent to https URLs only; an http URL (a local server, a Pact mock server)
  // would go through Node's global agent, which keeps connections alive whatever `keepAlive` says. Like that
  // agent, this one has an idle timeout: only then does Node heed the server's `Keep-Alive: timeout=…` and drop
  // an idle connection a second before the server does (else a request can meet a closing socket: ECONNRESET).
  // (node:http is reached when a client is made, not when this module loads: the client entry loads it in browsers)
  const { Agent } = process.getBuiltinModule('node:http')
  client.axios.defaults.httpAgent = new Agent({ keepAlive, scheduling: 'lifo', timeout: 5_000 })
  return client
}

/**
 * A real `twilio` client whose requests all go to `baseUrl` (a standalone server of the double, a Pact mock
 * server, …) instead of `https://api.twilio.com`.
 *
 * @example
 * const client = await twilioClientForUrl('http://127.0.0.1:4010')
 * await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })
 */
export async function twilioClientForUrl(
  baseUrl: string,
  options: TwilioClientForUrlOptions = {},
): Promise<Twilio> {
  const twilio = options.twilio ?? (await loadTwilio())
  return twilio(options.accountSid ?? DEFAULT_ACCOUNT_SID, options.authToken ?? DEFAULT_AUTH_TOKEN, {
    ...options.clientOptions,
    httpClient: redirectingRequestClient(twilio, baseUrl, { keepAlive: options.keepAlive }),
  })
}
