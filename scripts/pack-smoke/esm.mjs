// The README's msw example, as a user runs it from the installed package (ESM).
import assert from 'node:assert/strict'
import { setupServer } from 'msw/node'
import twilio from 'twilio'
import { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from 'twilio-double'
import { twilioHandlers } from 'twilio-double/msw'
import { messageSchema } from 'twilio-double/schemas'

const double = createTwilioDouble()
const server = setupServer(...twilioHandlers(double))
server.listen({ onUnhandledRequest: 'error' })
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
const message = await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi!' })
assert.equal(message.status, 'queued')
await double.settle()
assert.equal(messageSchema.parse(double.messages.get(message.sid)).status, 'delivered')
await assert.rejects(client.messages.create({ from: DEFAULT_FROM, to: '+15005550004', body: 'x' }), {
  code: 21610,
})
server.close()
console.log('esm ok')
