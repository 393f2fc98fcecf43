// The README's standalone server example, as a user runs it from the installed package: the real `twilio`
// client against the server over HTTP (answers of one turn written together, so several at once).
import assert from 'node:assert/strict'
import { DEFAULT_FROM } from 'twilio-double'
import { ensureAccount, seedMessage, startServer, twilioClientForServer } from 'twilio-double/server'

const server = await startServer({ port: 0 })
const client = await twilioClientForServer(server.url)
const tos = ['+15550001111', '+15550002222', '+15550003333', '+15550004444']
const created = await Promise.all(
  tos.map((to) => client.messages.create({ from: DEFAULT_FROM, to, body: 'Hi' })),
)
assert.deepEqual(
  created.map((m) => m.to),
  tos,
)
await assert.rejects(client.messages.create({ from: DEFAULT_FROM, to: '+15005550004', body: 'x' }), {
  code: 21610,
})
const settled = await fetch(`${server.url}/__double/settle`, { method: 'POST' })
assert.equal(settled.status, 200)
assert.equal((await client.messages(created[0].sid).fetch()).status, 'delivered')
assert.equal((await client.messages.list({ to: tos[1] })).length, 1)
// the README's seeds: a scheduled message to cancel, a message of another account
const seeded = seedMessage(server.double, { status: 'scheduled' })
assert.equal((await client.messages(seeded.sid).update({ status: 'canceled' })).status, 'canceled')
const other = `AC${'b'.repeat(32)}`
ensureAccount(server.double, other)
const earlier = seedMessage(server.double, { accountSid: other, body: 'Earlier' })
assert.deepEqual([earlier.account_sid, earlier.status], [other, 'delivered'])
await server.close()
console.log('server ok')
