const twilio = require('twilio')
const { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } = require('twilio-double')
const { twilioTenant, twilioDouble } = require('twilio-double/jest')

const TO = '+15550002222'

test("the app sends as this worker's tenant of the shared server; the matchers read it", async () => {
  expect(twilioTenant.accountSid).not.toBe(DEFAULT_ACCOUNT_SID)
  expect(process.env.TWILIO_ACCOUNT_SID).toBe(twilioTenant.accountSid)
  // the app's own client, built from the environment, calls api.twilio.com: the entry sends it to the server
  const message = await twilio().messages.create({ from: DEFAULT_FROM, to: TO, body: 'file 2' })
  expect(message.accountSid).toBe(twilioTenant.accountSid)
  await twilioTenant.settle()
  await expect(twilioTenant).toHaveSentMessage({ to: TO, body: 'file 2', status: 'delivered' })
  await expect(twilioTenant).toHaveSentMessages(1)
})

test('each test starts from a reset tenant; the double itself is not there', async () => {
  await expect(twilioTenant).toHaveSentMessages(0)
  expect(() => twilioDouble.messages).toThrow(/use twilioTenant/)
})
