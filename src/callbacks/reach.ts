/**
 * Where a callback may go. A test must never reach an outside host it did not name: a delivery goes
 * over the network only to this machine (loopback addresses), or when the user said so (the
 * `network` option, or an interceptor of this process such as msw that answers it).
 */
import { isIP } from 'node:net'

/** Tells whether an interceptor of this process (msw, nock, …) answers a request. */
export type InterceptorTest = (request: Request) => boolean | Promise<boolean>

/**
 * True when `url` names this machine: `localhost`, an address of 127.0.0.0/8, `::1` (or an IPv4-mapped
 * loopback address), or the unspecified addresses `0.0.0.0` and `::`, which connect to this machine too.
 * Other names are not resolved: a DNS lookup would itself leave the machine.
 *
 * @example
 * isLocalUrl('http://127.0.0.1:3000/sms') // true
 * isLocalUrl('http://[::1]:3000/sms') // true
 * isLocalUrl('https://app.test/status') // false
 */
export function isLocalUrl(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return false
  }
  if (host === 'localhost') return true
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  const version = isIP(host)
  if (version === 4) return host.startsWith('127.') || host === '0.0.0.0'
  if (version !== 6) return false
  if (host === '::1' || host === '::') return true
  // IPv4-mapped: the WHATWG URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(host)
  return mapped !== null && Number.parseInt(mapped[1]!, 16) >> 8 === 127
}

/** The origin of a URL (`https://app.test`), or the URL itself when it has none. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

/** Why a delivery was not made, and the ways to receive it. */
export function notSentReason(url: string): string {
  const origin = originOf(url)
  return `not sent: no receiver registered for it, and ${origin} is not on this machine (the double sends nothing to another host unasked). Receive it in-process with double.callbacks.handle('${origin}/', handler) or an msw handler for it (the setup entries' server is consulted; for your own msw server call double.callbacks.interceptor(mswHandles(server)) from twilio-double/msw), point the URL at a local server (http://127.0.0.1:PORT/…), or let deliveries reach the network with createTwilioDouble({ callbacks: { network: true } })`
}

/**
 * A test that is true for requests one of an msw server's handlers answers (the server of `setupServer()`
 * or `setupWorker()`; any object with msw's `listHandlers()`). The handlers are read at each delivery, so
 * handlers added later with `server.use()` count.
 *
 * @example
 * const server = setupServer(...twilioHandlers(double), http.post('https://app.test/status', () => new Response()))
 * double.callbacks.interceptor(mswHandles(server))
 */
export function mswHandles(server: { listHandlers(): ReadonlyArray<unknown> }): InterceptorTest {
  return async (request) => {
    for (const handler of server.listHandlers()) {
      const test = (handler as { test?: unknown }).test
      if (typeof test !== 'function') continue
      try {
        if (await test.call(handler, { request: request.clone() })) return true
      } catch {
        // a handler that cannot read this request does not answer it
      }
    }
    return false
  }
}
