// The README's httpClient example, from CommonJS.
const assert = require('node:assert/strict')
const twilio = require('twilio')
const { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } = require('twilio-double')
const { twilioHandlers } = require('twilio-double/msw')

const double = createTwilioDouble()
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
assert.equal(typeof twilioHandlers, 'function')
client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi!' }).then(async (m) => {
  assert.equal(m.status, 'queued')
  await double.settle()
  assert.equal((await client.messages(m.sid).fetch()).status, 'delivered')
  console.log('cjs ok')
})
