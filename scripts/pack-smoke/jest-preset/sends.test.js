// With preset: 'twilio-double' alone, the real twilio client reaches the double and the matchers work (without
// the double, the request would go to api.twilio.com and fail: no network here, and a made-up account there).
const twilio = require('twilio')
const { twilioDouble } = require('twilio-double/jest')

test('sends a welcome text through the double', async () => {
  const client = twilio(`AC${'3f8e4c2a9b7d6e5f'.repeat(2)}`, 'the-apps-own-token')
  const message = await client.messages.create({ from: '+15005550006', to: '+15550001111', body: 'Welcome!' })
  expect(message.status).toBe('queued')
  expect(twilioDouble).toHaveSentMessage({ to: '+15550001111', body: 'Welcome!' })
  await twilioDouble.settle()
  expect(twilioDouble.messages.get(message.sid).status).toBe('delivered')
})

test('each test starts from an empty double', () => {
  expect(twilioDouble).toHaveSentMessages(0)
})
