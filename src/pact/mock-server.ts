import { createRequire } from 'node:module'
import { join } from 'node:path'

/** Options of {@link awaitMockServerMatched}. */
export interface AwaitMockServerOptions {
  /** Longest wait in milliseconds (default 1,000). */
  timeoutMs?: number
  /**
   * Whether the mock server on `port` matched every expected request (default: asked of pact-core's native
   * library, as `executeTest()` asks it).
   */
  matched?: (port: number) => boolean
}

type MatchedQuery = (port: number) => boolean

let nativeMatched: MatchedQuery | null | undefined

/**
 * pact-core's own answer to "did the mock server on this port match every request", from the native library
 * that pact-js loaded (the same module instance, found from the project's `@pact-foundation/pact`); null when it
 * cannot be found, and then nobody waits.
 */
function pactCoreMatched(): MatchedQuery | null {
  if (nativeMatched !== undefined) return nativeMatched
  try {
    const fromProject = createRequire(join(process.cwd(), 'package.json'))
    const fromPact = createRequire(fromProject.resolve('@pact-foundation/pact'))
    const ffi = (
      fromPact('@pact-foundation/pact-core/src/ffi') as {
        getFfiLib(): { pactffiMockServerMatched(port: number): boolean }
      }
    ).getFfiLib()
    nativeMatched = (port) => ffi.pactffiMockServerMatched(port)
  } catch {
    nativeMatched = null
  }
  return nativeMatched
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * Waits until the Pact mock server on `port` reports every expected request matched, at most `timeoutMs`.
 * Under CPU load the mock server of pact-core 19 (@pact-foundation/pact 16.x) answers a request before it
 * records it (pact-foundation/pact-reference#535, fixed in pact-core 20.1), so `executeTest()` can report a
 * request the client got its answer to as "expected but not received". The interactions of this package's
 * builders wait for it after the test function; call it yourself after the requests of an interaction you
 * build by hand. It blocks: the mock server records on its own threads, and fake timers cannot stall it.
 * Returns whether the mock server reported every request matched (false after the wait, or when pact-core's
 * library cannot be found).
 *
 * @example
 * await pact.addInteraction().uponReceiving('…').withRequest('GET', '/x').willRespondWith(200)
 *   .executeTest(async (mockServer) => {
 *     await fetch(`${mockServer.url}/x`)
 *     awaitMockServerMatched(mockServer.port)
 *   })
 */
export function awaitMockServerMatched(port: number, options: AwaitMockServerOptions = {}): boolean {
  const matched = options.matched ?? pactCoreMatched()
  if (!matched) return false
  // counted in pauses of at least 2 ms (Atomics.wait keeps real time: fake timers and clocks do not apply)
  let pauses = Math.ceil((options.timeoutMs ?? 1_000) / 2)
  for (;;) {
    if (matched(port)) return true
    if (pauses-- <= 0) return false
    Atomics.wait(pause, 0, 0, 2)
  }
}
