// Twilio's Python client (examples/python/example.py) against the installed package's server, started as a
// user starts it: `twilio-double serve` from node_modules/.bin (not npx, which passes no SIGTERM on).
// Debian's python3-twilio provides the client; PYTHON names another interpreter that has `twilio`.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'

const example = process.argv[2]
const python = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
if (spawnSync(python, ['-c', 'import twilio'], { stdio: 'ignore' }).status !== 0)
  throw new Error(
    `${python} cannot import Twilio's Python client: install it with \`sudo apt-get install -y python3-twilio\` ` +
      '(Debian/Ubuntu) or `pip install twilio`, or set PYTHON to an interpreter that has it',
  )

const server = spawn('node_modules/.bin/twilio-double', ['serve', '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
const url = await new Promise((resolve, reject) => {
  let out = ''
  server.stdout.on('data', (chunk) => {
    out += chunk
    const m = /listening on (http:\/\/\S+)/.exec(out)
    if (m) resolve(m[1])
  })
  server.once('exit', (code) =>
    reject(new Error(`twilio-double serve exited with ${code} before listening:\n${out}`)),
  )
})
server.stdout.resume()
try {
  const run = spawn(python, [example, url], { stdio: 'inherit' })
  const [code] = await once(run, 'exit')
  if (code !== 0) throw new Error(`examples/python/example.py failed (exit status ${code})`)
} finally {
  server.kill('SIGTERM')
  await once(server, 'exit')
}
console.log('python ok')
