/**
 * Where a command of the `twilio-double` command line writes (the CLI's io gives it; tests give their own).
 *
 * @example
 * const out: CommandOutput = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }
 */
export interface CommandOutput {
  stdout(text: string): void
  stderr(text: string): void
}
