/**
 * The `twilio-double` command line as a function: `runCli(argv)` parses the arguments, runs the command and
 * resolves with the exit code (for `serve`: once a signal has stopped the server). `src/cli.ts` calls it.
 */
import { readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { cac } from 'cac'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from './config.js'
import { createTwilioDouble, tenantsOf } from './double.js'
import { registerCheckPact } from './pact/check-pact-command.js'
import { readServeConfig } from './server/config-file.js'
import { DEFAULT_HOST, DEFAULT_PORT, startServer, type TwilioDoubleServer } from './server/start.js'
import type { CommandOutput } from './util/command-output.js'

/** Where the command line writes and how it learns it should stop. */
export interface CliIo extends CommandOutput {
  /** Registers a handler of SIGINT and SIGTERM; returns a function that removes it. */
  onStopSignal(handler: (signal: NodeJS.Signals) => void): () => void
  /** Called with the server once `serve` listens (tests use it; the process needs nothing). */
  onListening?(server: TwilioDoubleServer): void
}

/** The real process: stdout, stderr and the process's signals. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  onStopSignal(handler) {
    process.on('SIGINT', handler)
    process.on('SIGTERM', handler)
    return () => {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    }
  },
}

interface ServeFlags {
  port?: number | string
  host?: string
  seed?: string | number
  accountSid?: string | number
  authToken?: string | number
  clock?: string
  allowedHosts?: string
  maxBodyBytes?: number | string
  config?: string
}

class UsageError extends Error {}

function version(): string {
  try {
    const script = process.argv[1] ? realpathSync(process.argv[1]) : ''
    const pkg = JSON.parse(readFileSync(join(dirname(script), '..', 'package.json'), 'utf8'))
    return pkg.name === 'twilio-double' && typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'unknown'
  }
}

function integer(value: number | string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(
      `--${name} must be a whole number (got ${typeof value === 'string' ? `'${value}'` : value})`,
    )
  return n
}

/** The options of serve that take a value, by the name cac gives them. */
const VALUE_OPTIONS: Record<keyof ServeFlags, string> = {
  port: '--port',
  host: '--host',
  seed: '--seed',
  accountSid: '--account-sid',
  authToken: '--auth-token',
  clock: '--clock',
  allowedHosts: '--allowed-hosts',
  maxBodyBytes: '--max-body-bytes',
  config: '--config',
}

/**
 * `flags` with each value as written in `argv`: cac reads a value that looks like a number as one (`--port ''` as
 * 0, `--seed 007` as 7, an auth token of digits as a float that loses them), so the text is taken again.
 */
function asWritten(argv: string[], flags: ServeFlags): ServeFlags {
  const out: Record<string, unknown> = { ...flags }
  const end = argv.indexOf('--')
  const args = end === -1 ? argv : argv.slice(0, end)
  for (const [key, option] of Object.entries(VALUE_OPTIONS))
    args.forEach((arg, i) => {
      if (arg === option && i + 1 < args.length) out[key] = args[i + 1]
      else if (arg.startsWith(`${option}=`)) out[key] = arg.slice(option.length + 1)
    })
  return out as ServeFlags
}

function banner(server: TwilioDoubleServer, wallClock: boolean): string {
  const accounts = tenantsOf(server.double)!.accounts()
  const [account] = accounts
  const accountSid = account!.sid
  const authToken = account!.authToken
  const api = `${server.url}/2010-04-01/Accounts/${accountSid}/Messages.json`
  // numbers whose inbound messages go to a webhook (from --config)
  const webhooks = accounts.flatMap((a) =>
    [...(a.ownedNumbers?.values() ?? [])]
      .filter((n) => n.smsUrl)
      .map((n) => `  Inbound to ${n.number.padEnd(16)}${n.smsMethod ?? 'POST'} ${n.smsUrl}`),
  )
  const clock = server.double.backend.scheduler.mode === 'real' ? 'real' : wallClock ? 'virtual' : 'manual'
  // a sender the account accepts, and its first messaging service (the defaults unless --config says otherwise)
  const [owned] = account!.ownedNumbers?.values() ?? []
  const from = owned?.number ?? DEFAULT_FROM
  const [service] = account!.services.values()
  const [apiKey] = account!.apiKeys
  return [
    `twilio-double listening on ${server.url}`,
    '',
    `  Account SID        ${accountSid}`,
    `  Auth token         ${authToken}`,
    ...(apiKey ? [`  API key            ${apiKey[0]}:${apiKey[1]}`] : []),
    `  From               ${from}`,
    ...(service ? [`  Messaging service  ${service.sid}`] : []),
    `  Messages API       ${api}`,
    `  Inbox              ${server.url}/`,
    `  Control API        ${server.url}/__double/health  (reset, messages, callbacks, scenarios, advance, settle, events)`,
    ...webhooks,
    clock === 'real'
      ? `  Time               ${server.double.now().toISOString()} (real clock)`
      : `  Virtual time       ${server.double.now().toISOString()} (${clock === 'virtual' ? 'follows the wall clock; advance and settle jump ahead' : 'manual: moves by advance and settle'})`,
    '',
    'Send a message:',
    `  curl -u ${accountSid}:${authToken} --data-urlencode To=+15558675310 --data-urlencode From=${from} --data-urlencode Body=Hello ${api}`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n')
}

async function serve(flags: ServeFlags, io: CliIo): Promise<number> {
  const port = integer(flags.port, 'port', DEFAULT_PORT)
  if (port > 65_535) throw new UsageError(`--port must be at most 65535 (got ${port})`)
  const host = flags.host === undefined ? DEFAULT_HOST : String(flags.host)
  const config = flags.config === undefined ? undefined : readServeConfig(String(flags.config))
  if (config?.accounts && (flags.accountSid !== undefined || flags.authToken !== undefined))
    throw new UsageError(
      `--account-sid and --auth-token cannot be combined with the accounts of --config ${flags.config}; put the credentials in the file`,
    )
  const accountSid = flags.accountSid === undefined ? DEFAULT_ACCOUNT_SID : String(flags.accountSid)
  const authToken = flags.authToken === undefined ? DEFAULT_AUTH_TOKEN : String(flags.authToken)
  const clock = flags.clock ?? config?.clock ?? 'virtual'
  if (clock !== 'virtual' && clock !== 'manual' && clock !== 'real')
    throw new UsageError(`--clock must be virtual, manual or real (got ${clock})`)
  const allowedHosts =
    flags.allowedHosts === undefined
      ? config?.allowedHosts
      : String(flags.allowedHosts) === 'all'
        ? true
        : String(flags.allowedHosts).split(',')
  const maxBodyBytes =
    flags.maxBodyBytes === undefined ? undefined : integer(flags.maxBodyBytes, 'max-body-bytes', 0)
  if (maxBodyBytes === 0) throw new UsageError('--max-body-bytes must be at least 1')

  const custom = accountSid !== DEFAULT_ACCOUNT_SID || authToken !== DEFAULT_AUTH_TOKEN
  const seed = flags.seed !== undefined ? String(flags.seed) : config?.seed
  const { clock: _clock, allowedHosts: _allowed, ...doubleOptions } = config ?? {}
  const double = createTwilioDouble({
    ...doubleOptions,
    ...(seed !== undefined ? { seed } : {}),
    clock: clock === 'real' ? 'real' : 'virtual',
    ...(custom
      ? {
          accounts: [
            {
              sid: accountSid,
              authToken,
              messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }],
            },
          ],
        }
      : {}),
  })
  // the command owns its process: the lighter global Request/Response of @hono/node-server are safe here
  const server = await startServer({
    double,
    port,
    host,
    overrideGlobalObjects: true,
    followWallClock: clock === 'virtual',
    ...(allowedHosts ? { allowedHosts } : {}),
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
  })
  io.stdout(banner(server, clock === 'virtual'))
  io.onListening?.(server)

  return new Promise<number>((resolve) => {
    let stopping = false
    const remove = io.onStopSignal((signal) => {
      if (stopping) {
        io.stderr(`twilio-double: ${signal} again, exiting now\n`)
        remove()
        resolve(1)
        return
      }
      stopping = true
      io.stdout(`\n${signal} received, stopping...\n`)
      server.close().then(
        () => {
          io.stdout('twilio-double stopped\n')
          remove()
          resolve(0)
        },
        (err: Error) => {
          io.stderr(`twilio-double: could not stop cleanly: ${err.message}\n`)
          remove()
          resolve(1)
        },
      )
    })
  })
}

/**
 * Runs the command line and resolves with its exit code.
 *
 * @example
 * process.exitCode = await runCli(process.argv)
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr(`twilio-double: ${message.replace(/^\[twilio-double\] /, '')}\n`)
    return 1
  }
  const cli = cac('twilio-double')
  let run: Promise<number> | undefined
  cli
    .command('serve', 'Run the double as an HTTP server (Twilio API + control API under /__double/)')
    .option('--port <port>', `Port to listen on; 0 picks a free one (default: ${DEFAULT_PORT})`)
    .option('--host <host>', `Interface to bind (default: ${DEFAULT_HOST}, loopback only)`)
    .option('--seed <seed>', 'Seed of SIDs: the same seed gives the same SIDs (default: twilio-double)')
    .option('--account-sid <sid>', `Account SID to accept (default: ${DEFAULT_ACCOUNT_SID})`)
    .option('--auth-token <token>', `Auth token of that account (default: ${DEFAULT_AUTH_TOKEN})`)
    .option(
      '--clock <mode>',
      'virtual (default: follows the wall clock; /__double/advance and /settle jump ahead), manual (moves only by them) or real',
    )
    .option(
      '--allowed-hosts <names>',
      'Host names to answer besides localhost, IP addresses and --host, comma-separated (.example.test: and its subdomains; all: any); others get 403',
    )
    .option(
      '--config <file>',
      'JSON file of options: accounts (numbers with their smsUrl webhooks, messaging services), seed, delays, …',
    )
    .option(
      '--max-body-bytes <n>',
      'Largest request body accepted; larger ones get 413 (default and most for Twilio paths: 1048576)',
    )
    .example('twilio-double serve --port 4010')
    .example('twilio-double serve --config double.json')
    .action((flags: ServeFlags) => {
      run = serve(asWritten(argv, flags), io)
    })
  registerCheckPact(cli, io, (started) => {
    run = started
  })
  cli.help()
  cli.version(version())

  // cac prints help and version with console.info; send them to io.stdout
  const info = console.info
  console.info = (...args: unknown[]) => io.stdout(`${args.map(String).join(' ')}\n`)
  try {
    cli.parse(argv, { run: false })
    if (cli.options.help) return 0
    if (cli.options.version) {
      // cac prints the version by itself only when no command is named
      if (cli.matchedCommand) cli.outputVersion()
      return 0
    }
    if (!cli.matchedCommand) {
      const name = cli.args[0]
      const options = Object.keys(cli.options).filter((k) => k !== '--')
      if (name !== undefined) io.stderr(`twilio-double: unknown command '${name}'\n\n`)
      else if (options.length > 0)
        io.stderr(
          `twilio-double: unknown option --${options[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}; options follow a command, as in twilio-double serve --port 4010\n\n`,
        )
      cli.outputHelp()
      return name === undefined && options.length === 0 ? 0 : 1
    }
    cli.runMatchedCommand()
  } catch (err) {
    return fail(`${(err as Error).message} (see twilio-double --help)`)
  } finally {
    console.info = info
  }
  try {
    return await (run ?? Promise.resolve(0))
  } catch (err) {
    return fail((err as Error).message)
  }
}
