// The nock door from the ES module build, with the real twilio client.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import nock from 'nock'
import twilio from 'twilio'
import { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from 'twilio-double'
import { nockTwilio } from 'twilio-double/nock'

const double = createTwilioDouble()
let door

before(() => {
  nock.disableNetConnect()
  door = nockTwilio(nock, double)
})
after(() => {
  door.remove()
  nock.enableNetConnect()
})

test('creates, settles and fetches a message through nock', async () => {
  const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
  const created = await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'over nock' })
  assert.equal(created.status, 'queued')
  await double.settle()
  const fetched = await client.messages(created.sid).fetch()
  assert.equal(fetched.status, 'delivered')
  const err = await client.messages
    .create({ from: DEFAULT_FROM, to: '+15005550009', body: 'x' })
    .catch((e) => e)
  assert.equal(err.code, 21614)
})
