/**
 * How the package's own Pact runs treat Pact's telemetry: off (`PACT_DO_NOT_TRACK=true`, which also keeps
 * the native library from reaching its analytics host) unless the user set `PACT_DO_NOT_TRACK` themselves.
 */

/**
 * Runs `run` with `PACT_DO_NOT_TRACK=true` when the user has not set the variable, and removes it afterwards;
 * a value the user set (`false` turns telemetry on) is left as it is.
 *
 * @example
 * const output = await withPactTelemetryOff(() => verifier.verifyProvider())
 */
export async function withPactTelemetryOff<T>(run: () => Promise<T>): Promise<T> {
  const ours = process.env.PACT_DO_NOT_TRACK === undefined
  if (ours) process.env.PACT_DO_NOT_TRACK = 'true'
  try {
    return await run()
  } finally {
    if (ours && process.env.PACT_DO_NOT_TRACK === 'true') delete process.env.PACT_DO_NOT_TRACK
  }
}
