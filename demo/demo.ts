/**
 * The double at work end to end, through the real `twilio` client and msw: messages created, listed,
 * failed by error code, delivered with signed status callbacks, redacted, scheduled and canceled, and an
 * inbound message answered by an app's TwiML. Run: npm run demo
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setupServer } from 'msw/node'
import twilio from 'twilio'
import { twilioHandlers } from '../src/adapters/msw.js'
import {
  createTwilioDouble,
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../src/index.js'

const line = (s = '') => console.log(s)
const title = (s: string) => line(`\n== ${s} ${'='.repeat(Math.max(0, 66 - s.length))}`)

// A local app that receives status callbacks and inbound messages, and checks their signature with the twilio
// package; it answers an inbound message with TwiML (Twilio's opt-out keywords get no answer of its own).
const received: string[] = []
const inboundSeen: string[] = []
const app = createServer((req, res) => {
  let body = ''
  req.on('data', (c) => {
    body += c
  })
  req.on('end', () => {
    const params = Object.fromEntries(new URLSearchParams(body))
    const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}${req.url}`
    const valid = twilio.validateRequest(
      DEFAULT_AUTH_TOKEN,
      String(req.headers['x-twilio-signature']),
      url,
      params,
    )
    const signature = `signature ${valid ? 'valid' : 'INVALID'}`
    if (req.url === '/twilio/sms') {
      inboundSeen.push(`${params.From}: ${JSON.stringify(params.Body)} ${signature}`)
      const answer = params.Body === 'STOP' ? '' : '<Message>We open at 9am, see you tomorrow!</Message>'
      res.writeHead(200, { 'content-type': 'text/xml' }).end(`<Response>${answer}</Response>`)
      return
    }
    received.push(
      `${params.MessageSid} ${params.MessageStatus}${params.ErrorCode ? ` (${params.ErrorCode})` : ''} ${signature}`,
    )
    res.writeHead(204).end()
  })
})
await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
const callbackUrl = `${appUrl}/twilio/status`

// the default account, with its number's inbound webhook pointing at the app
const double = createTwilioDouble({
  accounts: [
    {
      sid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: `${appUrl}/twilio/sms` }],
      messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }],
    },
  ],
})
const server = setupServer(...twilioHandlers(double))
// only the local app may be reached for real: any other request the double does not answer is an error
server.listen({
  onUnhandledRequest(request, print) {
    if (new URL(request.url).hostname !== '127.0.0.1') print.error()
  },
})
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

title('Create (the real twilio client, answered by the double through msw)')
const hello = await client.messages.create({
  from: DEFAULT_FROM,
  to: '+15550001111',
  body: 'Your code is 123456',
  statusCallback: callbackUrl,
})
line(`${hello.sid}  status=${hello.status}  segments=${hello.numSegments}  price=${hello.price}`)
const emoji = await client.messages.create({
  from: DEFAULT_FROM,
  to: '+15550002222',
  body: 'Caf\u00e9 \u2615 '.repeat(12),
})
line(`${emoji.sid}  UCS-2 body of ${emoji.body.length} chars -> ${emoji.numSegments} segments`)
const mms = await client.messages.create({
  messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
  to: '+15550003333',
  mediaUrl: ['https://example.com/cat.jpg', 'https://example.com/menu.pdf'],
})
line(`${mms.sid}  MMS via messaging service: status=${mms.status} media=${mms.numMedia}`)

title('Failed by error code')
try {
  await client.messages.create({ from: DEFAULT_FROM, to: '+15005550009', body: 'magic number' })
} catch (err) {
  const e = err as { status: number; code: number; message: string }
  line(`magic To +15005550009 -> HTTP ${e.status}, code ${e.code}: ${e.message}`)
}
double.scenarios.use({ when: { to: '+15550004444' }, then: { deliver: 'undelivered', errorCode: 30003 } })
const doomed = await client.messages.create({
  from: DEFAULT_FROM,
  to: '+15550004444',
  body: 'This one will not arrive',
  statusCallback: callbackUrl,
})
line(`${doomed.sid}  accepted as ${doomed.status}; the scenario decides it will be undelivered`)

title('Virtual time: settle() runs every pending transition, no waiting')
await double.settle()
for (const sid of [hello.sid, doomed.sid]) {
  const m = await client.messages(sid).fetch()
  const steps = double.messages.history(sid).map((h) => h.status)
  line(`${sid}  ${steps.join(' -> ')}  price=${m.price} error=${m.errorCode ?? '-'}`)
}
line(`status callbacks received by the local app:`)
for (const r of received) line(`  ${r}`)

title('List with filters and paging')
const page = await client.messages.page({ pageSize: 2 })
line(`page 0: ${page.instances.map((m) => m.to).join(', ')}  next page: ${page.nextPageUrl ? 'yes' : 'no'}`)
const all = await client.messages.list({ limit: 20 })
line(`list(): ${all.length} messages, newest first`)
const toOne = await client.messages.list({ to: '+15550001111' })
line(`list({ to: '+15550001111' }): ${toOne.map((m) => m.sid).join(', ')}`)

title('Redact and delete')
const redacted = await client.messages(hello.sid).update({ body: '' })
line(`${redacted.sid}  body after redaction: ${JSON.stringify(redacted.body)}`)
await client.messages(hello.sid).remove()
try {
  await client.messages(hello.sid).fetch()
} catch (err) {
  const e = err as { status: number; code: number }
  line(`fetch after delete -> HTTP ${e.status}, code ${e.code}`)
}

title('Schedule and cancel')
const sendAt = new Date(double.now().getTime() + 2 * 60 * 60 * 1000)
const reminder = await client.messages.create({
  messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
  to: '+15550005555',
  body: 'Your appointment is in one hour',
  scheduleType: 'fixed',
  sendAt,
})
const dropped = await client.messages.create({
  messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
  to: '+15550006666',
  body: 'A reminder nobody needs',
  scheduleType: 'fixed',
  sendAt,
})
line(`${reminder.sid}  status=${reminder.status}, to be sent at ${sendAt.toISOString()}`)
const canceled = await client.messages(dropped.sid).update({ status: 'canceled' })
line(`${canceled.sid}  status=${canceled.status}`)
await double.advance('2h')
await double.settle()
const sentLater = await client.messages(reminder.sid).fetch()
line(
  `two virtual hours later: ${sentLater.sid}  status=${sentLater.status}  sent ${sentLater.dateSent?.toISOString()}`,
)

title('Inbound messages and replies')
const user = '+15550007777'
const asked = await double.inbound({ from: user, to: DEFAULT_FROM, body: 'What time do you open?' })
await double.settle()
for (const { sid } of asked.replies) {
  if (!sid) continue
  const reply = await client.messages(sid).fetch()
  line(
    `${reply.sid}  ${reply.direction} to ${reply.to}: ${JSON.stringify(reply.body)}  status=${reply.status}`,
  )
}
const stop = await double.inbound({ from: user, to: DEFAULT_FROM, body: 'STOP' })
line(`STOP from ${user}: Twilio's reply ${JSON.stringify(stop.replies[0]?.body)}`)
try {
  await client.messages.create({ from: DEFAULT_FROM, to: user, body: 'One more offer' })
} catch (err) {
  const e = err as { status: number; code: number; message: string }
  line(`send to ${user} after STOP -> HTTP ${e.status}, code ${e.code}: ${e.message}`)
}
line('webhooks received by the local app:')
for (const r of inboundSeen) line(`  ${r}`)

server.close()
app.close()
line('\nDone: no request left this process, and nothing waited on a real clock.')
