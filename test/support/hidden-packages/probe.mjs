/**
 * Loads each module named on the command line (`import:PATH` or `require:PATH`) and prints, as JSON, whether
 * it loaded or the error it threw. Run with ./register.mjs to hide packages.
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const results = {}
for (const arg of process.argv.slice(2)) {
  const [how, path] = arg.split(/:(.*)/s)
  try {
    if (how === 'require') require(path)
    else await import(path)
    results[arg] = { loaded: true }
  } catch (error) {
    results[arg] = { message: error.message, code: error.code, cause: error.cause?.message }
  }
}
process.stdout.write(JSON.stringify(results))
