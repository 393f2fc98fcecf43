/**
 * Runs one autocannon load in its own process (so that the load generator does not share the event loop
 * of the server it measures) and prints the result as one line of JSON.
 *
 * Usage: node load-runner.mjs '{"url":"http://127.0.0.1:4010/…","connections":100,"duration":30,…}'
 */
import autocannon from 'autocannon'

const options = JSON.parse(process.argv[2] ?? '{}')
const result = await autocannon({ ...options, renderProgressBar: false, renderResultsTable: false })
const statusCodes = Object.fromEntries(
  Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
)
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    perSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMax: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    resets: result.resets,
    mismatches: result.mismatches,
    statusCodes,
    durationSeconds: result.duration,
  })}\n`,
)
