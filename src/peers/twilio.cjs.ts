/**
 * The `twilio` package, loaded when a helper builds a `twilio` client (CommonJS build, in place of ./twilio.ts: see
 * tsup.config.ts; `require()` works where `import()` does not, as in jest's CommonJS mode).
 */
import { loadPeer, TWILIO_PEER } from './missing-peer.js'
import type { TwilioModule } from './twilio.js'

export type { TwilioModule } from './twilio.js'

/** Loads the optional `twilio` peer. */
export async function loadTwilio(): Promise<TwilioModule> {
  return loadPeer(TWILIO_PEER, () => require('twilio') as TwilioModule)
}
