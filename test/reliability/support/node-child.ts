/**
 * A node script run as a child process with one JSON argument, answering with a JSON line on its standard output.
 */
import { spawn } from 'node:child_process'

export interface NodeChildOptions {
  /** Names the child in errors (`autocannon`, `worker 3`). */
  label: string
  /**
   * Whether an exit code other than 0 fails the run even when the child printed a result. Off by default: a
   * child may print its result (a fatal problem, say) and exit with 1.
   */
  exitCodeFails?: boolean
}

/**
 * Runs `script` with node, `argument` as its one JSON argument, and resolves with its last line of standard
 * output parsed as JSON.
 *
 * @example
 * const result = await runNodeChild<LoadResult>(RUNNER, { url, duration: 5 }, { label: 'autocannon', exitCodeFails: true })
 */
export function runNodeChild<T>(script: string, argument: unknown, options: NodeChildOptions): Promise<T> {
  const { label, exitCodeFails = false } = options
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(argument)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (c) => {
      out += c
    })
    child.stderr.on('data', (c) => {
      err += c
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (exitCodeFails && code !== 0) return reject(new Error(`${label} exited with ${code}: ${err}`))
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as T)
      } catch {
        reject(new Error(`${label} exited with ${code} and printed no result: ${out} ${err}`))
      }
    })
  })
}
