// The README's first test, as a user writes it (test/readme.test.ts keeps the two the same).
import twilio from 'twilio'
import { twilioDouble } from 'twilio-double/vitest'
import { expect, test } from 'vitest'

test('sends a welcome text', async () => {
  // your app's code: the real client, with your app's own credentials (any well-formed account SID)
  const client = twilio('AC3f8e4c2a9b7d6e5f1a0b9c8d7e6f5a4b', 'your-auth-token')
  const message = await client.messages.create({ from: '+15005550006', to: '+15550001111', body: 'Welcome!' })

  expect(message.status).toBe('queued') // Twilio's answer, given by the double: nothing left the machine
  expect(twilioDouble).toHaveSentMessage({ to: '+15550001111', body: 'Welcome!' })
  await twilioDouble.settle() // run the lifecycle to its end, without waiting
  expect(twilioDouble.messages.get(message.sid)?.status).toBe('delivered')
})
