/**
 * The `twilio-double serve` command as a user runs it: a separate process (run from the sources with tsx, so
 * that no build is needed), real HTTP on 127.0.0.1, signals to stop it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import { type CliIo, runCli } from '../../src/cli-main.js'
import { DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'
import { startApp, twiml } from '../inbound/app.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))

interface Running {
  child: ChildProcess
  url: string
  stdout: () => string
  stderr: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function run(args: string[]): {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Running['exit']
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d
  })
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return { child, stdout: () => out, stderr: () => err, exit }
}

/** Starts `serve` and resolves once it printed its URL. */
async function serve(args: string[] = []): Promise<Running> {
  const r = run(['serve', '--port', '0', ...args])
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(r.stdout())
      if (m) resolve(m[1]!)
    }
    r.child.stdout!.on('data', check)
    r.exit.then(({ code }) => reject(new Error(`serve exited (${code}) before listening: ${r.stderr()}`)))
  })
  return { ...r, url }
}

describe('twilio-double serve (a separate process)', () => {
  it('prints URL, credentials and a curl line; serves the twilio client; stops on SIGTERM', async () => {
    const cli = await serve()
    try {
      const out = cli.stdout()
      expect(out).toContain('AC00000000000000000000000000000001')
      expect(out).toContain('twilio-double-auth-token-0000001')
      expect(out).toMatch(/curl -u AC0{31}1:twilio-double-auth-token-0000001 .*Messages\.json/)
      const client = await twilioClientForServer(cli.url)
      const msg = await client.messages.create({
        to: '+15558675310',
        from: DEFAULT_FROM,
        body: 'from a test',
      })
      expect(msg.status).toBe('queued')
      const health = await (await fetch(`${cli.url}/__double/health`)).json()
      expect(health.messages).toBe(1)
    } finally {
      cli.child.kill('SIGTERM')
    }
    expect(await cli.exit).toEqual({ code: 0, signal: null })
    expect(cli.stdout()).toContain('SIGTERM received, stopping')
    expect(cli.stdout()).toContain('twilio-double stopped')
    await expect(fetch(`${cli.url}/__double/health`)).rejects.toThrow()
  })

  it('stops on SIGINT with an open event stream', async () => {
    const cli = await serve()
    let events: Response | undefined
    try {
      events = await fetch(`${cli.url}/__double/events`)
      expect(events.status).toBe(200)
    } finally {
      cli.child.kill('SIGINT')
    }
    expect(await cli.exit).toEqual({ code: 0, signal: null })
    expect(cli.stdout()).toContain('SIGINT received, stopping')
    await expect(events!.text()).resolves.toContain('event: hello')
  })
})

/** Runs the command line in-process with captured output and a fake stop signal. */
function inProcess(args: string[]) {
  let out = ''
  let err = ''
  let stop: ((signal: NodeJS.Signals) => void) | undefined
  let listening: (server: TwilioDoubleServer) => void = () => {}
  const server = new Promise<TwilioDoubleServer>((resolve) => {
    listening = resolve
  })
  const io: CliIo = {
    stdout: (t) => {
      out += t
    },
    stderr: (t) => {
      err += t
    },
    onStopSignal: (handler) => {
      stop = handler
      return () => {
        stop = undefined
      }
    },
    onListening: (s) => listening(s),
  }
  const code = runCli(['node', 'twilio-double', ...args], io)
  return { code, server, stdout: () => out, stderr: () => err, signal: (s: NodeJS.Signals) => stop?.(s) }
}

describe('twilio-double command line (in-process)', () => {
  it('honours --account-sid, --auth-token and --seed (the same seed gives the same SIDs)', async () => {
    const sid = `AC${'ab'.repeat(16)}`
    const serve = (seed: string) =>
      inProcess(['serve', '--port', '0', '--account-sid', sid, '--auth-token', '12345', '--seed', seed])
    const runs = [serve('cli-seed'), serve('cli-seed'), serve('other-seed')]
    const sids: string[] = []
    for (const run of runs) {
      const server = await run.server
      expect(run.stdout()).toContain(`Account SID        ${sid}`)
      expect(run.stdout()).toContain('Auth token         12345')
      const client = await twilioClientForServer(server, { accountSid: sid, authToken: '12345' })
      sids.push(
        (await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'seeded' })).sid,
      )
      const wrong = await twilioClientForServer(server)
      await expect(wrong.messages.list({ limit: 1 })).rejects.toMatchObject({ status: 401 })
      run.signal('SIGTERM')
      expect(await run.code).toBe(0)
      expect(run.stdout()).toContain('twilio-double stopped')
    }
    expect(sids[0]).toBe(sids[1])
    expect(sids[2]).not.toBe(sids[0])
  })

  it('reads a seed and an auth token of digits as written (leading zeros and all)', async () => {
    const sid = `AC${'ab'.repeat(16)}`
    const token = '00123456789012345678901234567890'
    const run = inProcess([
      'serve',
      '--port',
      '0',
      '--account-sid',
      sid,
      '--auth-token',
      token,
      '--seed',
      '007',
    ])
    const server = await run.server
    try {
      expect(run.stdout()).toContain(`Auth token         ${token}`)
      const client = await twilioClientForServer(server, { accountSid: sid, authToken: token })
      const sent = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'seeded' })
      // the same SIDs as a double seeded '007' in code
      const seeded = createTwilioDouble({ seed: '007', accounts: [{ sid, authToken: token }] })
      const direct = twilio(sid, token, { httpClient: seeded.httpClient() as never })
      expect(sent.sid).toBe(
        (await direct.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'x' })).sid,
      )
    } finally {
      run.signal('SIGTERM')
      await run.code
    }
  })

  it('a second signal while stopping exits at once with 1', async () => {
    const run = inProcess(['serve', '--port', '0'])
    const server = await run.server
    const events = await fetch(`${server.url}/__double/events`)
    run.signal('SIGINT')
    run.signal('SIGINT')
    expect(await run.code).toBe(1)
    expect(run.stderr()).toContain('SIGINT again')
    await server.close()
    await events.text()
  })

  it('explains bad arguments and a busy port, exiting 1', async () => {
    const busy = await startServer({ port: 0 })
    try {
      const cases: [string[], RegExp][] = [
        [['serve', '--port', 'abc'], /--port must be a whole number/],
        // a value that looks like a number is read as written: an empty --port "$PORT" picks no port by itself
        [['serve', '--port', ''], /--port must be a whole number \(got ''\)/],
        [['serve', '--port', '0x10'], /--port must be a whole number \(got '0x10'\)/],
        [['serve', '--port=  '], /--port must be a whole number \(got ' {2}'\)/],
        [['serve', '--port', '70000'], /--port must be at most 65535/],
        [['serve', '--account-sid', 'nope'], /'nope' is not an account SID/],
        [['serve', '--clock', 'sundial'], /--clock must be virtual, manual or real/],
        [['serve', '--max-body-bytes', '0'], /--max-body-bytes must be at least 1/],
        [['serve', '--bogus'], /Unknown option `--bogus`/],
        [['--prot', '4010'], /unknown option --prot; options follow a command/],
        [
          ['serve', '--config', '/nonexistent/double.json'],
          /--config: cannot read \/nonexistent\/double\.json \(ENOENT\)/,
        ],
        [['fly'], /unknown command 'fly'/],
        [['serve', '--port', String(busy.port)], /port \d+ on 127\.0\.0\.1 is already in use/],
      ]
      for (const [args, message] of cases) {
        const run = inProcess(args)
        expect(await run.code, args.join(' ')).toBe(1)
        expect(run.stderr(), args.join(' ')).toMatch(message)
        expect(run.stderr()).toMatch(/^twilio-double: /)
        expect(run.stderr()).not.toContain('[twilio-double]')
      }
    } finally {
      await busy.close()
    }
  })

  it('prints help and the version', async () => {
    const help = inProcess(['--help'])
    expect(await help.code).toBe(0)
    expect(help.stdout()).toContain('serve')
    const serveHelp = inProcess(['serve', '--help'])
    expect(await serveHelp.code).toBe(0)
    for (const flag of ['--port', '--host', '--seed', '--account-sid', '--auth-token'])
      expect(serveHelp.stdout()).toContain(flag)
    const version = inProcess(['--version'])
    expect(await version.code).toBe(0)
    expect(version.stdout()).toMatch(/^twilio-double\/\S+ /)
    const serveVersion = inProcess(['serve', '--version'])
    expect(await serveVersion.code).toBe(0)
    expect(serveVersion.stdout()).toBe(version.stdout())
    const none = inProcess([])
    expect(await none.code).toBe(0)
    expect(none.stdout()).toContain('Usage:')
  })
})

describe('twilio-double serve --config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twilio-double-config-'))
  const configFile = (name: string, content: unknown) => {
    const file = join(dir, name)
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
    return file
  }
  const ACCOUNT = `AC${'cd'.repeat(16)}`
  const NUMBER = '+15005550006'

  it("takes accounts, numbers with their webhooks and the seed from a JSON file; inbound messages reach the number's smsUrl, signed", async () => {
    const app = await startApp('config-token')
    app.on(
      '/sms',
      twiml((r) => {
        r.message('Got it')
      }),
    )
    const smsUrl = `${app.url}/sms`
    const file = configFile('double.json', {
      seed: 'from-config',
      strictAccounts: true,
      accounts: [
        {
          sid: ACCOUNT,
          authToken: 'config-token',
          friendlyName: 'Configured account',
          phoneNumbers: [{ number: NUMBER, smsUrl }],
          messagingServices: [{ sid: `MG${'cd'.repeat(16)}`, senders: [NUMBER] }],
        },
      ],
    })
    const run = inProcess(['serve', '--port', '0', '--config', file])
    const server = await run.server
    try {
      const out = run.stdout()
      expect(out).toContain(`Account SID        ${ACCOUNT}`)
      expect(out).toContain('Auth token         config-token')
      expect(out).toContain(`Messaging service  MG${'cd'.repeat(16)}`)
      expect(out).toContain(`Inbound to ${NUMBER}    POST ${smsUrl}`)
      expect(out).not.toContain('API key')
      // every option of createTwilioDouble() that JSON can say is read from the file, the account's name too
      const account = await fetch(`${server.url}/2010-04-01/Accounts/${ACCOUNT}.json`, {
        headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT}:config-token`).toString('base64')}` },
      })
      expect(((await account.json()) as { friendly_name: string }).friendly_name).toBe('Configured account')

      const res = await fetch(`${server.url}/__double/inbound`, {
        method: 'POST',
        body: JSON.stringify({ from: '+15558675310', to: NUMBER, body: 'Hello' }),
      })
      expect(res.status).toBe(201)
      expect(app.received).toHaveLength(1)
      expect(app.refused).toBe(0)
      const { params, signature } = app.received[0]!
      expect(params).toMatchObject({ From: '+15558675310', To: NUMBER, Body: 'Hello', AccountSid: ACCOUNT })
      expect(twilio.validateRequest('config-token', signature, smsUrl, params)).toBe(true)
      // the TwiML answer became a reply from the number
      const replies = server.double.messages.list({ direction: 'outbound-reply' })
      expect(replies.map((m) => [m.from, m.to, m.body])).toEqual([[NUMBER, '+15558675310', 'Got it']])

      // the account's own credentials work
      const client = await twilioClientForServer(server, { accountSid: ACCOUNT, authToken: 'config-token' })
      const sent = await client.messages.create({ to: '+15558675310', from: NUMBER, body: 'Hi' })
      expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/)
      // the account owns its numbers: another sender is refused as Twilio does
      await expect(
        client.messages.create({ to: '+15558675310', from: '+15005550007', body: 'Hi' }),
      ).rejects.toMatchObject({ code: 21606 })
    } finally {
      run.signal('SIGTERM')
      await run.code
      await app.close()
    }
  })

  it('explains a file that is not JSON, an unknown or misspelt key, a wrong value, and a clash with --account-sid', async () => {
    const cases: [string[], RegExp][] = [
      [['--config', configFile('broken.json', '{ "seed": ')], /--config: \S+broken\.json is not valid JSON/],
      [
        ['--config', configFile('typo.json', { acounts: [] })],
        /typo\.json: \(top level\): unknown key 'acounts' \(known: accounts, seed, /,
      ],
      [
        [
          '--config',
          configFile('method.json', {
            accounts: [{ sid: ACCOUNT, authToken: 't', phoneNumbers: [{ number: NUMBER, smsMethd: 'GET' }] }],
          }),
        ],
        /accounts\[0\]\.phoneNumbers\[0\]: unknown key 'smsMethd' \(known: number, smsUrl, smsMethod, smsFallbackUrl, smsFallbackMethod\)/,
      ],
      [
        ['--config', configFile('value.json', { delays: { queued: -1 }, clock: 'sundial' })],
        /clock: .*"virtual"\|"manual"\|"real".*; delays\.queued: /,
      ],
      [
        ['--config', configFile('scheduled.json', { scheduling: { maxScheduled: -1 } })],
        /scheduling\.maxScheduled: /,
      ],
      [
        ['--config', configFile('sid.json', { accounts: [{ sid: 'nope', authToken: 't' }] })],
        /'nope' is not an account SID/,
      ],
      [
        [
          '--config',
          configFile('webhook.json', {
            accounts: [
              {
                sid: ACCOUNT,
                authToken: 't',
                phoneNumbers: [{ number: NUMBER, smsUrl: 'localhost:3000/sms' }],
              },
            ],
          }),
        ],
        /smsUrl of \S+ \(AC\w+\) must be an http or https URL, such as http:\/\/127\.0\.0\.1:3000\/sms \(got "localhost:3000\/sms"\)/,
      ],
      [
        [
          '--config',
          configFile('clash.json', { accounts: [{ sid: ACCOUNT, authToken: 't' }] }),
          '--auth-token',
          'x',
        ],
        /--account-sid and --auth-token cannot be combined with the accounts of --config/,
      ],
    ]
    for (const [args, message] of cases) {
      const run = inProcess(['serve', '--port', '0', ...args])
      expect(await run.code, args.join(' ')).toBe(1)
      expect(run.stderr(), args.join(' ')).toMatch(message)
      expect(run.stderr()).toMatch(/^twilio-double: /)
    }
  })

  it('by default lets virtual time follow the wall clock; --clock manual keeps it still; /health says which', async () => {
    for (const [args, clock, label] of [
      [[], 'virtual', 'follows the wall clock'],
      [['--clock', 'manual'], 'manual', 'manual: moves by advance and settle'],
    ] as const) {
      const run = inProcess(['serve', '--port', '0', ...args])
      const server = await run.server
      try {
        expect(await (await fetch(`${server.url}/__double/health`)).json()).toMatchObject({ clock })
        expect(run.stdout()).toMatch(new RegExp(`Virtual time {7}\\S+ \\(${label}`))
        expect(server.double.backend.scheduler.mode).toBe('virtual')
      } finally {
        run.signal('SIGTERM')
        await run.code
      }
    }
  })

  it('answers the names of --allowed-hosts (all: any name), and refuses others', async () => {
    const file = configFile('hosts.json', { allowedHosts: ['from-file.test'] })
    for (const [args, allowed, refused] of [
      [
        ['--allowed-hosts', 'app.test,.dev.test'],
        ['app.test', 'web.dev.test'],
        ['evil.example', 'from-file.test'],
      ],
      [['--allowed-hosts', 'all'], ['evil.example'], []],
      [['--config', file], ['from-file.test'], ['app.test']],
    ] as const) {
      const run = inProcess(['serve', '--port', '0', '--clock', 'manual', ...args])
      const server = await run.server
      try {
        const status = (host: string) =>
          new Promise<number>((resolve, reject) =>
            request(
              { port: server.port, host: '127.0.0.1', path: '/__double/health', headers: { host } },
              (res) => {
                res.resume()
                resolve(res.statusCode!)
              },
            )
              .on('error', reject)
              .end(),
          )
        for (const host of allowed) expect(await status(host), host).toBe(200)
        for (const host of refused) expect(await status(host), host).toBe(403)
      } finally {
        run.signal('SIGTERM')
        await run.code
      }
    }
  })

  it('flags win over the file; a real clock is labelled as such', async () => {
    const file = configFile('clock.json', { clock: 'virtual', seed: 'file-seed' })
    const run = inProcess(['serve', '--port', '0', '--config', file, '--clock', 'real'])
    const server = await run.server
    try {
      expect(server.double.backend.scheduler.mode).toBe('real')
      expect(run.stdout()).toMatch(/ {2}Time {15}\S+ \(real clock\)/)
      expect(run.stdout()).not.toContain('Virtual time')
      // the default account is kept when the file names none
      expect(run.stdout()).toContain('Account SID        AC00000000000000000000000000000001')
      expect(run.stdout()).toContain(`From               ${DEFAULT_FROM}`)
    } finally {
      run.signal('SIGTERM')
      await run.code
    }
  })
})
