/**
 * One worker of the tenants load test, in a process of its own: it creates its tenant (a subaccount) on the shared
 * server and runs a scripted mix through Twilio's API and the control API scoped to its account (creates, refusals
 * and failures by scenario, advance, settle, list, fetch, reset), checking every read against what it scripted.
 * It prints one line of JSON: its counts, what it saw of other tenants (nothing, if isolation holds) and its
 * final state.
 *
 * Usage: node tenant-worker.mjs '{"url":"http://127.0.0.1:…","parent":{"sid":"AC…","token":"…"},"index":3,"rounds":4,"creates":12}'
 */
const { url, parent, index, rounds, creates } = JSON.parse(process.argv[2] ?? '{}')

const FROM = '+15005550006'
/** Numbers of this worker (distinct from every other worker's): normal, failed by scenario, refused by scenario. */
const number = (kind, n) => `+1555${String(index).padStart(3, '0')}${kind}${String(n).padStart(3, '0')}`
const FAIL_TO = number(8, 0)
const REJECT_TO = number(9, 0)

let requests = 0
const problems = []
const basic = (sid, token) => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`

async function call(method, path, { auth, form, json, account } = {}) {
  requests++
  const headers = {}
  if (auth) headers.authorization = auth
  if (account) headers['x-twilio-double-account'] = account
  let body
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    body = new URLSearchParams(form).toString()
  } else if (json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(json)
  }
  const res = await fetch(`${url}${path}`, { method, headers, body })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

function expect(condition, problem) {
  if (!condition) problems.push(problem)
}

// ---------------------------------------------------------------- the tenant
const startedAt = Date.now()
const created = await call('POST', '/2010-04-01/Accounts.json', {
  auth: basic(parent.sid, parent.token),
  form: { FriendlyName: `load worker ${index}` },
})
if (created.status !== 201) {
  process.stdout.write(
    `${JSON.stringify({ index, fatal: `create account: ${created.status} ${JSON.stringify(created.body)}` })}\n`,
  )
  process.exit(1)
}
const sid = created.body.sid
const auth = basic(sid, created.body.auth_token)
const api = `/2010-04-01/Accounts/${sid}`
const control = (method, path, json) => call(method, `/__double${path}`, { json, account: sid })

/** What this worker expects its tenant to hold: SID → the status it must end in once settled. */
let expected = new Map()
const foreign = new Set()
let seen = 0

/** Every message a read returns must be this tenant's and one it created (since its last reset). */
function checkOwn(messages, where) {
  for (const m of messages) {
    seen++
    if (m.account_sid !== sid) foreign.add(m.sid)
    else if (!expected.has(m.sid)) problems.push(`${where}: ${m.sid} was never created by this worker`)
  }
}

async function listAll() {
  const out = []
  let path = `${api}/Messages.json?PageSize=50`
  while (path) {
    const page = await call('GET', path, { auth })
    expect(page.status === 200, `list: ${page.status}`)
    out.push(...page.body.messages)
    path = page.body.next_page_uri
  }
  return out
}

async function checkHolds(where) {
  const listed = await listAll()
  checkOwn(listed, where)
  const got = new Set(listed.map((m) => m.sid))
  for (const s of expected.keys()) expect(got.has(s), `${where}: ${s} lost`)
  expect(listed.length === expected.size, `${where}: listed ${listed.length}, expected ${expected.size}`)
  const viaControl = await control('GET', '/messages')
  checkOwn(viaControl.body.messages, `${where} (control)`)
  expect(
    viaControl.body.total === expected.size,
    `${where} (control): ${viaControl.body.total} of ${expected.size}`,
  )
  return listed
}

const scenarios = await control('POST', '/scenarios', [
  { when: { to: FAIL_TO }, then: { deliver: 'failed', errorCode: 30003 } },
  { when: { to: REJECT_TO }, then: { reject: 21610 } },
])
expect(scenarios.status === 201, `scenarios: ${scenarios.status}`)

for (let round = 0; round < rounds; round++) {
  for (let n = 0; n < creates; n++) {
    const kind = n % 6 === 5 ? 'reject' : n % 6 === 4 ? 'fail' : 'ok'
    const to = kind === 'reject' ? REJECT_TO : kind === 'fail' ? FAIL_TO : number(1, round * creates + n)
    const res = await call('POST', `${api}/Messages.json`, {
      auth,
      form: { To: to, From: FROM, Body: `r${round} n${n}` },
    })
    if (kind === 'reject')
      expect(res.status === 400 && res.body.code === 21610, `reject: ${res.status} ${res.body?.code}`)
    else {
      expect(res.status === 201 && res.body.account_sid === sid, `create: ${res.status}`)
      if (res.status === 201) expected.set(res.body.sid, kind === 'fail' ? 'failed' : 'delivered')
    }
  }
  const by = (round + 1) * 1000
  const moved = await control('POST', '/advance', { by })
  expect(moved.status === 200, `advance: ${moved.status}`)
  await checkHolds(`round ${round}`)
  // one message fetched by SID
  const [first] = expected.keys()
  if (first) {
    const one = await call('GET', `${api}/Messages/${first}.json`, { auth })
    expect(one.status === 200 && one.body.sid === first, `fetch: ${one.status}`)
  }
  const settled = await control('POST', '/settle')
  expect(settled.status === 200, `settle: ${settled.status}`)
  for (const m of await checkHolds(`round ${round} settled`)) {
    const want = expected.get(m.sid)
    expect(m.status === want, `${m.sid}: ${m.status}, expected ${want}`)
    if (want === 'failed') expect(m.error_code === 30003, `${m.sid}: error ${m.error_code}`)
  }
  if (round % 2 === 1) {
    // reset: this tenant's messages, scenarios and clock go; the scenarios are added again
    const reset = await control('POST', '/reset')
    expect(reset.status === 200, `reset: ${reset.status}`)
    expected = new Map()
    await checkHolds(`round ${round} reset`)
    await control('POST', '/scenarios', [
      { when: { to: FAIL_TO }, then: { deliver: 'failed', errorCode: 30003 } },
      { when: { to: REJECT_TO }, then: { reject: 21610 } },
    ])
  }
}

// ---------------------------------------------------------------- the final state, as scripted
await control('POST', '/reset')
expected = new Map()
await control('POST', '/advance', { by: (index + 1) * 60_000 })
for (let n = 0; n < 3; n++) {
  const res = await call('POST', `${api}/Messages.json`, {
    auth,
    form: { To: number(2, n), From: FROM, Body: `final ${n}` },
  })
  if (res.status === 201) expected.set(res.body.sid, 'delivered')
}
await control('POST', '/settle')
const final = await checkHolds('final')
const health = await control('GET', '/health')

process.stdout.write(
  `${JSON.stringify({
    index,
    sid,
    requests,
    startedAt,
    endedAt: Date.now(),
    seen,
    foreign: [...foreign],
    problems: problems.slice(0, 20),
    problemCount: problems.length,
    final: final.map((m) => ({ sid: m.sid, status: m.status })).sort((a, b) => a.sid.localeCompare(b.sid)),
    expectedFinal: expected.size,
    now: health.body.now,
    health: {
      accounts: health.body.accounts,
      messages: health.body.messages,
      scenarios: health.body.scenarios,
    },
  })}\n`,
)
