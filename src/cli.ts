#!/usr/bin/env node
/**
 * The `twilio-double` command line: `twilio-double serve` runs the standalone server.
 *
 * @example
 * npx twilio-double serve --port 4010
 * curl -u AC00000000000000000000000000000001:twilio-double-auth-token-0000001 \
 *   --data-urlencode To=+15558675310 --data-urlencode From=+15005550006 --data-urlencode Body=Hi \
 *   http://127.0.0.1:4010/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json
 */
import { runCli } from './cli-main.js'

runCli(process.argv).then(
  (code) => {
    // exit once output is flushed; a real-clock double may still hold timers, so do not wait for them
    process.exitCode = code
    setTimeout(() => process.exit(code), 200).unref()
  },
  (err: Error) => {
    process.stderr.write(`twilio-double: ${err.message}\n`)
    process.exit(1)
  },
)
