// Type-checks the README's examples against the published declarations.
import twilio from 'twilio'
import { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, type TwilioDouble } from 'twilio-double'
import { twilioHandlers } from 'twilio-double/msw'
import { type MessageResource, messageSchema } from 'twilio-double/schemas'

const double: TwilioDouble = createTwilioDouble({ seed: 1 })
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
const handlers: ReturnType<typeof twilioHandlers> = twilioHandlers(double)
const parsed: MessageResource = messageSchema.parse({})

export { client, handlers, parsed }
