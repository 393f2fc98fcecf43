/**
 * `twilio-double check-pact <pact files or directories…>`: the command line of {@link checkPact}. One line
 * per finding on stdout and exit code 1 when there is one; `--json` prints the report as JSON instead; 2 when
 * a file cannot be read. It needs no Pact library.
 */
import type { CAC } from 'cac'
import type { CommandOutput } from '../util/command-output.js'
import { checkPact, formatPactCheck } from './check-pact.js'

interface CheckPactFlags {
  json?: boolean
  openapi?: string
  provider?: string
}

/**
 * Adds the `check-pact` command to the CLI; `started` receives the promise of its exit code.
 *
 * @example
 * registerCheckPact(cli, io, (run) => { exitCode = run })
 */
export function registerCheckPact(
  cli: CAC,
  io: CommandOutput,
  started: (run: Promise<number>) => void,
): void {
  cli
    .command(
      'check-pact <...pacts>',
      "Check pacts whose provider is Twilio against Twilio's OpenAPI description (files or directories of *.json)",
    )
    .option('--json', 'Print the report as JSON (findings with file, interaction, where, path, problem)')
    .option('--openapi <file>', "Another OpenAPI description, e.g. Twilio's whole twilio_api_v2010.json")
    .option('--provider <name>', 'Provider name of your Twilio pacts, when it does not contain "twilio"')
    .example('twilio-double check-pact pacts/')
    .example('twilio-double check-pact pacts/my-app-Twilio.json --json')
    .action((pacts: string[], flags: CheckPactFlags) => {
      started(Promise.resolve().then(() => run(pacts, flags, io)))
    })
}

function run(pacts: string[], flags: CheckPactFlags, io: CommandOutput): number {
  let report: ReturnType<typeof checkPact>
  try {
    report = checkPact(pacts.map(String), {
      ...(flags.openapi !== undefined ? { openapi: String(flags.openapi) } : {}),
      ...(flags.provider !== undefined ? { provider: String(flags.provider) } : {}),
    })
  } catch (err) {
    io.stderr(`twilio-double: ${(err as Error).message.replace(/^\[twilio-double\] /, '')}\n`)
    return 2
  }
  if (flags.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`)
  else io.stdout(`${formatPactCheck(report).join('\n')}\n`)
  return report.ok ? 0 : 1
}
