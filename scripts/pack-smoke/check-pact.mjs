// `npx twilio-double check-pact` from the installed tarball: a pact expecting what Twilio never sends fails with
// one line per finding and exit code 1; --json gives the same findings to machines. No Pact library is installed.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

const pact = JSON.parse(readFileSync('notifications-app-Twilio.json', 'utf8'))
const create = pact.interactions.find((i) => i.request.method === 'POST' && i.response.status === 201)
create.response.body.content.tags = { campaign: 'spring' }
create.response.body.content.status = 'sent'
writeFileSync('wrong-Twilio.json', JSON.stringify(pact))

const run = (...args) => spawnSync('npx', ['twilio-double', 'check-pact', ...args], { encoding: 'utf8' })
const text = run('wrong-Twilio.json')
assert.equal(text.status, 1, text.stderr)
const lines = text.stdout.trimEnd().split('\n')
assert.match(lines[0], /^wrong-Twilio\.json: .+: response \$\.tags: unknown field/)
assert.match(
  lines[1],
  /^wrong-Twilio\.json: .+: response \$\.status: Twilio answers CreateMessage with status "queued", "accepted" or "scheduled", never "sent"/,
)
assert.match(lines.at(-1), /^failed: 13 interactions of 1 pact checked against .+: 2 findings$/)
assert.ok(!text.stdout.includes('\u001b'), 'no ANSI codes')

const json = run('wrong-Twilio.json', '--json')
assert.equal(json.status, 1)
assert.deepEqual(
  JSON.parse(json.stdout).findings.map((f) => f.path),
  ['$.tags', '$.status'],
)
console.log('check-pact ok')
