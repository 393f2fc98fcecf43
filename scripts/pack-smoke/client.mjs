// twilio-double/client from the installed package: a test in another process than the double waits for the
// message an app sends through the real `twilio` client and reads its one-time code.
import assert from 'node:assert/strict'
import { DEFAULT_FROM } from 'twilio-double'
import { ControlApiError, createControlClient } from 'twilio-double/client'
import { startServer, twilioClientForServer } from 'twilio-double/server'

const server = await startServer({ port: 0 })
const twilio = await twilioClientForServer(server.url)
const sms = createControlClient(server.url)
const waiting = sms.waitForMessage({ to: '+15558675310', timeout: '10s' })
await twilio.messages.create({ from: DEFAULT_FROM, to: '+15558675310', body: 'Your Acme code is 482913' })
const { code, sid } = await waiting
assert.equal(code, '482913')
await assert.rejects(sms.waitForMessage({ to: '+15558675310', after: sid, timeout: 0 }), (err) => {
  assert.ok(err instanceof ControlApiError)
  assert.equal(err.status, 408)
  return true
})
await sms.settle()
assert.equal((await sms.message(sid)).message.status, 'delivered')
await server.close()
console.log('client ok')
