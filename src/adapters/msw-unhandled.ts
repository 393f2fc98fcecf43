/** What msw does with a request to a non-Twilio host that no handler answers. */
export type OtherHostsStrategy = 'bypass' | 'warn' | 'error'

/** Options of {@link twilioListenOptions}. */
export interface TwilioListenOptions {
  /**
   * Requests to hosts other than Twilio's that no handler answers: `'bypass'` (default: they go on as if
   * msw were not there), `'warn'` or `'error'`. Requests to Twilio hosts are never let through.
   */
  onUnhandledRequest?: OtherHostsStrategy
}

/** The `server.listen()` options of msw 2 (`onUnhandledRequest`) and msw 3 (`onUnhandledFrame`). */
export interface MswListenOptions {
  onUnhandledRequest: (request: Request, print: { warning(): void; error(): void }) => void
  onUnhandledFrame: (args: {
    frame: { data?: unknown }
    defaults: { warn(): unknown; error(): unknown }
  }) => Promise<void>
}

/**
 * True for twilio.com and its sub-domains (api.twilio.com, edges and regions, other Twilio products).
 *
 * @example
 * isTwilioHost('https://verify.twilio.com/v2/Services') // true
 */
export function isTwilioHost(url: string | URL): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return false
  }
  return host === 'twilio.com' || host.endsWith('.twilio.com')
}

function refusal(method: string, url: string): string {
  return `[twilio-double] refused ${method} ${url}: no handler answers this Twilio host, and a request to Twilio never goes to the network in tests. The double answers the Messaging API on api.twilio.com and the Content API on content.twilio.com (and their edge and region hosts); add an msw handler for any other Twilio product you call.`
}

function frameRequest(data: unknown): { method: string; url: string } | undefined {
  const d = data as { request?: Request; connection?: { client?: { url?: URL | string } } } | undefined
  if (d?.request && typeof d.request.url === 'string') return { method: d.request.method, url: d.request.url }
  const wsUrl = d?.connection?.client?.url
  if (wsUrl) return { method: 'WebSocket', url: String(wsUrl) }
  return undefined
}

/**
 * What a refusal throws: msw answers an HTTP request with the network error of `Response.error()` (the
 * client sees a failed connection); a WebSocket connection gets an error event.
 */
function refuse(message: string, websocket: boolean): never {
  if (websocket) throw new Error(message)
  throw Response.error()
}

/**
 * Listen options for an msw server that holds the double's handlers: a request to any Twilio host that no
 * handler answered fails as a network error (it never reaches the network) and the reason is printed;
 * other hosts follow `onUnhandledRequest`. Gives both `onUnhandledRequest` (msw 2) and
 * `onUnhandledFrame` (msw 3), so it works with either.
 *
 * @example
 * import { setupServer } from 'msw/node'
 * import { twilioHandlers, twilioListenOptions } from 'twilio-double/msw'
 *
 * const server = setupServer(...twilioHandlers(double), ...myHandlers)
 * beforeAll(() => server.listen(twilioListenOptions({ onUnhandledRequest: 'error' })))
 */
export function twilioListenOptions(options: TwilioListenOptions = {}): MswListenOptions {
  const others = options.onUnhandledRequest ?? 'bypass'
  if (others !== 'bypass' && others !== 'warn' && others !== 'error')
    throw new Error(
      `[twilio-double] onUnhandledRequest must be 'bypass', 'warn' or 'error' (got ${JSON.stringify(others)})`,
    )
  return {
    // msw 2: print.error() only prints; throwing fails the request.
    onUnhandledRequest(request, print) {
      const websocket = request.headers.get('upgrade')?.toLowerCase() === 'websocket'
      if (isTwilioHost(request.url)) {
        const message = refusal(websocket ? 'WebSocket' : request.method, request.url)
        console.error(message)
        refuse(message, websocket)
      }
      if (others === 'warn') print.warning()
      else if (others === 'error') {
        print.error()
        refuse(
          `[twilio-double] refused ${request.method} ${request.url}: no msw handler answers it`,
          websocket,
        )
      }
    },
    // msw 3: the same, with its frame API.
    async onUnhandledFrame({ frame, defaults }) {
      const request = frameRequest(frame.data)
      const websocket = request?.method === 'WebSocket'
      if (request && isTwilioHost(request.url)) {
        const message = refusal(request.method, request.url)
        console.error(message)
        refuse(message, websocket)
      }
      if (others === 'warn') await defaults.warn()
      else if (others === 'error') {
        await defaults.error()
        refuse(
          `[twilio-double] refused ${request ? `${request.method} ${request.url}` : 'a network frame'}: no msw handler answers it`,
          websocket,
        )
      }
    },
  }
}
