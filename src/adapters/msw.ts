import type { RequestHandler } from 'msw'
import type { TwilioDouble } from '../double.js'
import { TWILIO_API_URL } from '../http/hosts.js'
import { SimulatedNetworkError } from '../http/pipeline.js'
import { msw } from '../peers/msw.js'

/**
 * Every host the `twilio` client sends the requests the double answers to: api.twilio.com (Messaging) and
 * content.twilio.com (Content templates), with their edge/region forms. A RegExp of the full URL.
 *
 * @example
 * TWILIO_API_HOST.test('https://api.dublin.ie1.twilio.com/2010-04-01/Accounts.json') // true
 */
export const TWILIO_API_HOST = TWILIO_API_URL

/**
 * msw request handlers that answer every request to a Twilio API host (api.twilio.com, content.twilio.com) with the double (unknown paths get
 * Twilio's 20404; nothing passes through to the network).
 *
 * @example
 * import { setupServer } from 'msw/node'
 * import { twilioHandlers } from 'twilio-double/msw'
 * const server = setupServer(...twilioHandlers(double))
 * server.listen({ onUnhandledRequest: 'error' })
 */
export function twilioHandlers(double: TwilioDouble): RequestHandler[] {
  return [
    msw.http.all(TWILIO_API_HOST, async ({ request }) => {
      try {
        return await double.handle(request)
      } catch (err) {
        if (err instanceof SimulatedNetworkError) return msw.HttpResponse.error()
        throw err
      }
    }),
  ]
}

export { mswHandles } from '../callbacks/reach.js'
export { isTwilioHost, type TwilioListenOptions, twilioListenOptions } from './msw-unhandled.js'
