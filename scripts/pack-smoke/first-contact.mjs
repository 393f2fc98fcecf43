// A new user's first hour, through the installed package (issue: first contact):
// 1. time starts now: a message scheduled the usual way, two hours ahead of Date.now(), is accepted;
// 2. the standalone server's time passes: `twilio-double serve` delivers a message in seconds with no settle;
// 3. the app's own credentials work: an account SID the double never saw is taken with its token on first use,
//    a wrong token for it afterwards is 20003, and its credentials do not reach another account's path.
// (4. the jest preset alone is the whole setup: ./jest-preset/, run by run.sh.)
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { setupServer } from 'msw/node'
import twilio from 'twilio'
import {
  createTwilioDouble,
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_MESSAGING_SERVICE_SID,
} from 'twilio-double'
import { twilioHandlers } from 'twilio-double/msw'

const double = createTwilioDouble()
const server = setupServer(...twilioHandlers(double))
server.listen({ onUnhandledRequest: 'error' })

// 1. time starts now
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
const sendAt = new Date(Date.now() + 2 * 60 * 60 * 1000)
const scheduled = await client.messages.create({
  messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
  to: '+15550001111',
  body: 'Your appointment is in two hours',
  sendAt,
  scheduleType: 'fixed',
})
assert.equal(scheduled.status, 'scheduled')
assert.ok(
  Math.abs(scheduled.dateCreated.getTime() - Date.now()) < 60_000,
  'virtual time starts at the process clock',
)
console.log('time starts now ok')

// 3. the app's own credentials
const own = { sid: `AC${'3f8e4c2a9b7d6e5f'.repeat(2)}`, token: 'the-apps-own-token' }
const app = twilio(own.sid, own.token)
const sent = await app.messages.create({ from: '+15005550006', to: '+15550002222', body: 'Welcome!' })
assert.equal(sent.accountSid, own.sid)
await assert.rejects(
  twilio(own.sid, 'another-token').messages.create({ from: '+15005550006', to: '+15550002222', body: 'x' }),
  { status: 401, code: 20003 },
)
await assert.rejects(app.api.v2010.accounts(DEFAULT_ACCOUNT_SID).messages.list(), {
  status: 401,
  code: 20003,
})
server.close()
console.log('own credentials ok')

// 2. the standalone server's time follows the wall clock
const serve = spawn('node_modules/.bin/twilio-double', ['serve', '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
const url = await new Promise((resolve, reject) => {
  let out = ''
  serve.stdout.on('data', (chunk) => {
    out += chunk
    const m = /listening on (http:\/\/\S+)/.exec(out)
    if (m) resolve(m[1])
  })
  serve.once('exit', (code) => reject(new Error(`twilio-double serve exited with ${code}:\n${out}`)))
})
serve.stdout.resume()
try {
  const { twilioClientForServer } = await import('twilio-double/server')
  const viaServer = await twilioClientForServer(url)
  const m = await viaServer.messages.create({ from: '+15005550006', to: '+15550003333', body: 'Hi' })
  const deadline = Date.now() + 20_000
  let status = m.status
  while (status !== 'delivered' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250))
    status = (await viaServer.messages(m.sid).fetch()).status
  }
  assert.equal(status, 'delivered', 'the server delivers in seconds without advance or settle')
} finally {
  serve.kill('SIGTERM')
  await once(serve, 'exit')
}
console.log('server time passes ok')
