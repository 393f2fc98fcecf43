/**
 * The `twilio` package, loaded when a helper builds a `twilio` client (ES module build; the CommonJS build uses
 * ./twilio.cjs.ts, see tsup.config.ts): a missing one fails with a `[twilio-double]` error naming the package to
 * install. Nothing loads it before a helper is called: it is an optional peer.
 */
import type { Twilio } from 'twilio'
import type { ClientOpts } from 'twilio/lib/base/BaseTwilio.js'
import type RequestClient from 'twilio/lib/base/RequestClient.js'
import { importPeer, TWILIO_PEER } from './missing-peer.js'

/**
 * The `twilio` package as `import twilio from 'twilio'` (or `require('twilio')`) gives it: the client factory
 * with `RequestClient` attached (what the helpers use of it).
 */
export type TwilioModule = ((accountSid?: string, authToken?: string, opts?: ClientOpts) => Twilio) & {
  RequestClient: typeof RequestClient
}

/**
 * Loads the optional `twilio` peer.
 *
 * @example
 * const twilio = await loadTwilio()
 * const client = twilio(accountSid, authToken)
 */
export function loadTwilio(): Promise<TwilioModule> {
  return importPeer(TWILIO_PEER, async () => {
    const mod = (await import('twilio')) as unknown as { default?: TwilioModule } & TwilioModule
    return mod.default ?? mod
  })
}
