/**
 * The standalone server: the double over real HTTP on loopback, for curl, other languages' Twilio clients,
 * Pact provider verification and the CLI (`twilio-double serve`).
 *
 * Pointing the `twilio` Node client at it: give the client a `RequestClient` that rewrites
 * `https://api.twilio.com` to the server's URL. {@link twilioClientForServer} does exactly that:
 *
 * ```ts
 * import twilio from 'twilio'
 *
 * class LocalRequestClient extends twilio.RequestClient {
 *   request(opts) {
 *     return super.request({ ...opts, uri: opts.uri.replace('https://api.twilio.com', 'http://127.0.0.1:4010') })
 *   }
 * }
 * const client = twilio(accountSid, authToken, { httpClient: new LocalRequestClient() })
 * ```
 */
import type { Twilio } from 'twilio'
import type { TwilioDoubleServer } from '../server/start.js'
import { type TwilioClientForUrlOptions, twilioClientForUrl } from '../server/twilio-client.js'

export type { ControlApi, ControlError } from '../server/control/index.js'
export { CONTROL_PREFIX, createControlApi } from '../server/control/index.js'
export type {
  ProviderStateContext,
  ProviderStateHandler,
  ProviderStateParams,
} from '../server/provider-states.js'
export { PROVIDER_STATES, providerStateHandlers } from '../server/provider-states.js'
export type { JsonPattern } from '../server/scenario-json.js'
export { scenarioFromJson, scenarioToJson } from '../server/scenario-json.js'
export type { SeedMessageSpec } from '../server/seed.js'
export { ensureAccount, seedMessage } from '../server/seed.js'
export type { StartServerOptions, TwilioDoubleServer } from '../server/start.js'
export { DEFAULT_HOST, DEFAULT_PORT, startServer } from '../server/start.js'
export type { TwilioClientForUrlOptions, TwilioModule } from '../server/twilio-client.js'
export { redirectingRequestClient, rewriteTwilioUrl, twilioClientForUrl } from '../server/twilio-client.js'

/**
 * A real `twilio` client whose requests go to a standalone server (or any base URL) instead of
 * `https://api.twilio.com`: it uses a `RequestClient` subclass that rewrites the host. Needs the `twilio`
 * package (an optional peer dependency), loaded on first use.
 *
 * @example
 * const server = await startServer({ port: 0 })
 * const client = await twilioClientForServer(server.url)
 * const msg = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })
 */
export function twilioClientForServer(
  server: string | Pick<TwilioDoubleServer, 'url'>,
  options: TwilioClientForUrlOptions = {},
): Promise<Twilio> {
  return twilioClientForUrl(typeof server === 'string' ? server : server.url, options)
}
