/**
 * Starts one standalone server of the packed package (the fleet's shared server) and runs jest against it with
 * TWILIO_DOUBLE_URL set; then checks that every test file's tenant was closed after it (the server keeps none of
 * the run's state). Usage: node run.mjs <path of jest.js> [jest arguments]
 */
import { spawn } from 'node:child_process'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from 'twilio-double'
import { startServer } from 'twilio-double/server'

const server = await startServer({ port: 0 })
const [jest, ...args] = process.argv.slice(2)
const child = spawn(process.execPath, [jest, ...args], {
  stdio: 'inherit',
  env: { ...process.env, TWILIO_DOUBLE_URL: server.url },
})
let code = await new Promise((resolve) => child.on('close', resolve))
const answer = await fetch(`${server.url}/2010-04-01/Accounts.json?PageSize=100`, {
  headers: { authorization: `Basic ${btoa(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`)}` },
})
const tenants = (await answer.json()).accounts.filter((a) => a.friendly_name.startsWith('test worker '))
const open = tenants.filter((a) => a.status !== 'closed')
if (tenants.length !== 2 || open.length > 0) {
  console.error(
    `expected one closed tenant per test file (2), got ${tenants.length} of which ${open.length} open: ${JSON.stringify(tenants.map((a) => [a.sid, a.status]))}`,
  )
  code = 1
}
await server.close()
process.exit(code ?? 1)
