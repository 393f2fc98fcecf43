// Type-checks the README's examples against the published declarations.
import twilio from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'
import { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, type TwilioDouble } from 'twilio-double'
import { twilioHandlers } from 'twilio-double/msw'
import { type MessageResource, messageSchema } from 'twilio-double/schemas'
import { redirectingRequestClient } from 'twilio-double/server'

const double: TwilioDouble = createTwilioDouble({ seed: 1 })
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
const handlers: ReturnType<typeof twilioHandlers> = twilioHandlers(double)
const parsed: MessageResource = messageSchema.parse({})

// the standalone server, with a client of your own: the helper, then by hand
const httpClient = redirectingRequestClient(twilio, 'http://127.0.0.1:4010')
const redirected = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient })
class Local extends twilio.RequestClient {
  request<T>(o: RequestClient.RequestOptions<T>) {
    return super.request<T>({ ...o, uri: o.uri.replace('https://api.twilio.com', 'http://127.0.0.1:4010') })
  }
}
const byHand = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: new Local() })

export { byHand, client, handlers, parsed, redirected }
