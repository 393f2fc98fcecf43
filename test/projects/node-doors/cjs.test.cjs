// The CommonJS builds: require() of the nock door and the factories (faker is ESM only: Node loads it).
const assert = require('node:assert/strict')
const { test } = require('node:test')
const nock = require('nock')
const twilio = require('twilio')
const { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } = require('twilio-double')
const { nockTwilio } = require('twilio-double/nock')
const { createFactories } = require('twilio-double/factories')
const { messageSchema } = require('twilio-double/schemas')

test('factories from require()', () => {
  const f = createFactories({ seed: 4 })
  const m = f.message({ status: 'sent', channel: 'mms' })
  assert.equal(messageSchema.parse(m).status, 'sent')
  const hook = f.inboundWebhook({ url: 'https://app.example.com/sms' })
  assert.equal(twilio.validateRequest(DEFAULT_AUTH_TOKEN, hook.signature, hook.url, hook.params), true)
})

test('the nock door from require()', async () => {
  const double = createTwilioDouble()
  const door = nockTwilio(nock, double)
  try {
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
    await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'cjs' })
    assert.equal(double.messages.count(), 1)
  } finally {
    door.remove()
  }
})
