/**
 * Setup file: fails the test (and the file) in which a promise rejection goes unhandled or an exception
 * goes uncaught. Register it in vitest.config.ts `setupFiles` to hold the whole suite to it; the
 * reliability tests also import it themselves.
 *
 * @example
 * // vitest.config.ts
 * test: { setupFiles: ['test/reliability/no-unhandled.ts'] }
 */
import { afterAll, afterEach } from 'vitest'

/** One unhandled rejection or uncaught exception seen by a watch. */
export interface UnhandledEvent {
  kind: 'unhandledRejection' | 'uncaughtException'
  error: unknown
}

/** Listens for unhandled rejections and uncaught exceptions on an emitter (the process by default). */
export interface UnhandledWatch {
  /** Events seen and not yet taken. */
  readonly seen: readonly UnhandledEvent[]
  /** Total events seen since the watch started. */
  readonly total: number
  /** Returns the events not yet taken and forgets them. */
  take(): UnhandledEvent[]
  /** Stops listening. */
  dispose(): void
}

/**
 * Starts a watch on `target` (a `process`-like emitter).
 *
 * @example
 * const watch = watchUnhandled(process)
 * // ... later
 * expect(watch.take()).toEqual([])
 */
export function watchUnhandled(target: NodeJS.EventEmitter = process): UnhandledWatch {
  const seen: UnhandledEvent[] = []
  let total = 0
  const onRejection = (error: unknown) => {
    total++
    seen.push({ kind: 'unhandledRejection', error })
    console.error('[no-unhandled] unhandled rejection:', error)
  }
  const onException = (error: unknown) => {
    total++
    seen.push({ kind: 'uncaughtException', error })
    console.error('[no-unhandled] uncaught exception:', error)
  }
  target.on('unhandledRejection', onRejection)
  target.on('uncaughtException', onException)
  return {
    get seen() {
      return seen
    },
    get total() {
      return total
    },
    take: () => seen.splice(0),
    dispose: () => {
      target.off('unhandledRejection', onRejection)
      target.off('uncaughtException', onException)
    },
  }
}

/** Formats events for an assertion message. */
export function describeUnhandled(events: readonly UnhandledEvent[]): string {
  return events
    .map(
      (e) => `${e.kind}: ${e.error instanceof Error ? (e.error.stack ?? e.error.message) : String(e.error)}`,
    )
    .join('\n')
}

const KEY = Symbol.for('twilio-double.test.no-unhandled')
type Holder = { [KEY]?: UnhandledWatch }

/** The process-wide watch (one per worker, however many files import this module). */
export function processWatch(): UnhandledWatch {
  const holder = globalThis as Holder
  holder[KEY] ??= watchUnhandled(process)
  return holder[KEY]
}

const watch = processWatch()

function check(where: string): void {
  const events = watch.take()
  if (events.length > 0)
    throw new Error(
      `[no-unhandled] ${events.length} unhandled rejection(s)/uncaught exception(s) ${where}:\n${describeUnhandled(events)}`,
    )
}

afterEach(async () => {
  // let rejections of the test's last microtasks surface before looking
  await new Promise((resolve) => setImmediate(resolve))
  check('during this test')
})

afterAll(async () => {
  await new Promise((resolve) => setImmediate(resolve))
  check('in this file after its last test')
})
