/**
 * Starts one standalone server of the packed package (the fleet's shared server) and runs jest against it with
 * TWILIO_DOUBLE_URL set. Usage: node run.mjs <path of jest.js> [jest arguments]
 */
import { spawn } from 'node:child_process'
import { startServer } from 'twilio-double/server'

const server = await startServer({ port: 0 })
const [jest, ...args] = process.argv.slice(2)
const child = spawn(process.execPath, [jest, ...args], {
  stdio: 'inherit',
  env: { ...process.env, TWILIO_DOUBLE_URL: server.url },
})
const code = await new Promise((resolve) => child.on('close', resolve))
await server.close()
process.exit(code ?? 1)
