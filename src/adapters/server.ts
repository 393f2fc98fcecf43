/**
 * The standalone server: the double over real HTTP on loopback, for curl, other languages' Twilio clients,
 * Pact provider verification and the CLI (`twilio-double serve`).
 *
 * Pointing the `twilio` Node client at it: give the client a `RequestClient` that rewrites
 * `https://api.twilio.com` to the server's URL. {@link twilioClientForServer} does exactly that:
 *
 * ```ts
 * import twilio from 'twilio'
 *
 * class LocalRequestClient extends twilio.RequestClient {
 *   request(opts) {
 *     return super.request({ ...opts, uri: opts.uri.replace('https://api.twilio.com', 'http://127.0.0.1:4010') })
 *   }
 * }
 * const client = twilio(accountSid, authToken, { httpClient: new LocalRequestClient() })
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { getRequestListener, type HttpBindings } from '@hono/node-server'
import type { Twilio } from 'twilio'
import {
  type CreateTwilioDoubleOptions,
  createTwilioDouble,
  type TwilioDouble,
  type WireDoor,
  wireDoorOf,
} from '../double.js'
import { TwilioApiError, TwilioDoubleError } from '../errors/twilio-api-error.js'
import { bodyTooLarge, MAX_BODY_BYTES, SimulatedNetworkError, type WireRequest } from '../http/pipeline.js'
import { errorResponse, type WireResponse, wireError, wireHeaders } from '../http/respond.js'
import { loadInbox } from '../inbox/index.js'
import { CONTROL_PREFIX, controlError, createControlApi } from '../server/control/index.js'
import { type TwilioClientForUrlOptions, twilioClientForUrl } from '../server/twilio-client.js'

export type { ControlApi, ControlError } from '../server/control/index.js'
export { CONTROL_PREFIX, createControlApi } from '../server/control/index.js'
export type {
  ProviderStateContext,
  ProviderStateHandler,
  ProviderStateParams,
} from '../server/provider-states.js'
export { PROVIDER_STATES, providerStateHandlers } from '../server/provider-states.js'
export type { JsonPattern } from '../server/scenario-json.js'
export { scenarioFromJson, scenarioToJson } from '../server/scenario-json.js'
export type { SeedMessageSpec } from '../server/seed.js'
export { ensureAccount, seedMessage } from '../server/seed.js'
export type { TwilioClientForUrlOptions, TwilioModule } from '../server/twilio-client.js'
export { redirectingRequestClient, rewriteTwilioUrl, twilioClientForUrl } from '../server/twilio-client.js'

/**
 * The port the server listens on unless told otherwise.
 *
 * @example
 * await startServer() // http://127.0.0.1:4010
 */
export const DEFAULT_PORT = 4010
/**
 * The host the server binds unless told otherwise (loopback only).
 *
 * @example
 * await startServer({ host: DEFAULT_HOST, port: 0 })
 */
export const DEFAULT_HOST = '127.0.0.1'

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** The double to serve; default: a new one (`doubleOptions` apply). */
  double?: TwilioDouble
  /** Options of the double created when `double` is not given. */
  doubleOptions?: CreateTwilioDoubleOptions
  /** Default 4010; 0 picks a free port. */
  port?: number
  /** Default `127.0.0.1`. Binding another interface exposes the control API to that network. */
  host?: string
  /**
   * Largest request body accepted; bigger ones are answered 413 (default 1 MiB). Twilio's paths never take more
   * than 1 MiB whatever this says; a larger value lets the control API take bigger bodies.
   */
  maxBodyBytes?: number
  /** Time allowed to receive a request's headers (default 10 s); slower clients get 408. */
  headersTimeoutMs?: number
  /** Time allowed to receive a whole request (default 30 s). */
  requestTimeoutMs?: number
  /** Idle keep-alive connections are closed after this long (default 5 s). */
  keepAliveTimeoutMs?: number
  /** On `close()`, requests still running get this long before their connections are cut (default 1 s). */
  closeGraceMs?: number
  /**
   * Let `@hono/node-server` replace the process's global `Request` and `Response` with its lighter versions,
   * for the control API and the inbox page (Twilio's paths never build Fetch objects, unless an `onExchange`
   * listener wants them). Off by default because it changes globals of the whole process (and of every
   * library in it); the CLI turns it on, as it owns its process.
   */
  overrideGlobalObjects?: boolean
}

/** A running standalone server. */
export interface TwilioDoubleServer {
  /** Base URL, e.g. `http://127.0.0.1:4010` (no trailing slash). */
  readonly url: string
  readonly port: number
  readonly host: string
  /** The double answering the requests. */
  readonly double: TwilioDouble
  /** The `node:http` server. */
  readonly server: Server
  /** Stops listening, ends event streams and closes connections. Safe to call twice. */
  close(): Promise<void>
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0)
    throw new TwilioDoubleError(`startServer: ${name} must be a positive number (got ${value})`)
  return value
}

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE'])

/** Reads a body without a declared length, stopping at `max` bytes; undefined when it is too large. */
async function readCapped(
  body: ReadableStream<Uint8Array>,
  max: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}

const API_PREFIX = '/2010-04-01/'

/** A `node:http` request (its body already read) as the pipeline reads requests. */
class NodeWireRequest implements WireRequest {
  readonly method: string
  readonly url: string
  constructor(
    private readonly incoming: IncomingMessage,
    readonly body: string,
  ) {
    this.method = incoming.method ?? 'GET'
    this.url = `http://localhost${incoming.url}`
  }
  header(name: string): string | undefined {
    const value = this.incoming.headers[name]
    return Array.isArray(value) ? value.join(', ') : value
  }
}

/**
 * Answers of Twilio's paths waiting to be written. They are written together, in the order they were made, once
 * the event loop has read every request that arrived in the same turn (`setImmediate` runs after the poll
 * phase): a client waiting on several connections is then woken once for all of them rather than once per
 * answer, a wake-up that on loopback costs more than making the answer. An answer waits microseconds at most.
 */
const waiting: ({ outgoing: ServerResponse; wire: WireResponse } | { cut: Socket })[] = []

function writeWaiting(): void {
  // answers made while writing (none today) wait for the next turn
  for (const entry of waiting.splice(0, waiting.length)) {
    if ('cut' in entry) entry.cut.destroy()
    else write(entry.outgoing, entry.wire)
  }
}

function enqueue(entry: (typeof waiting)[number]): void {
  if (waiting.length === 0) setImmediate(writeWaiting)
  waiting.push(entry)
}

/** Writes `wire` as the answer of `outgoing`, with the other answers of this turn. */
function send(outgoing: ServerResponse, wire: WireResponse): void {
  enqueue({ outgoing, wire })
}

function write(outgoing: ServerResponse, wire: WireResponse): void {
  if (outgoing.headersSent || outgoing.destroyed) return
  const body = wire.body ?? undefined
  const length = body === undefined ? 0 : Buffer.byteLength(body)
  outgoing.writeHead(wire.status, wireHeaders(wire, length))
  outgoing.end(body)
}

function answer(door: WireDoor, incoming: IncomingMessage, outgoing: ServerResponse, body: string): void {
  const fail = (err: unknown) => {
    // a scenario's network failure cuts the connection without an answer (after the answers made before it)
    if (err instanceof SimulatedNetworkError) enqueue({ cut: incoming.socket })
    else send(outgoing, wireError(new TwilioApiError(20500, {}, { status: 500 })))
  }
  door.dispatch(new NodeWireRequest(incoming, body)).then((w) => send(outgoing, w), fail)
}

function tooLarge(outgoing: ServerResponse, maxBody: number): void {
  send(outgoing, wireError(bodyTooLarge(maxBody, { connection: 'close' })))
}

const ignore = () => {}

/**
 * Answers a request to Twilio's API paths straight from `node:http` into the double's pipeline, without
 * building Fetch objects (the control API and the inbox go through `@hono/node-server`). The body is read
 * within `maxBody` bytes first; a larger one is answered 413 and the connection closed.
 */
function serveApi(
  door: WireDoor,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  maxBody: number,
): void {
  incoming.on('error', ignore)
  if (BODYLESS.has(incoming.method ?? 'GET')) {
    answer(door, incoming, outgoing, '')
    return
  }
  const declared = incoming.headers['content-length']
  if (declared !== undefined && Number(declared) > maxBody) {
    tooLarge(outgoing, maxBody)
    return
  }
  const chunks: Buffer[] = []
  let size = 0
  incoming.on('data', (chunk: Buffer) => {
    if (size > maxBody) return
    size += chunk.byteLength
    if (size > maxBody) tooLarge(outgoing, maxBody)
    else chunks.push(chunk)
  })
  incoming.on('end', () => {
    if (size > maxBody) return
    answer(
      door,
      incoming,
      outgoing,
      chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
    )
  })
}

/**
 * Starts the double on real HTTP (default `http://127.0.0.1:4010`): every Twilio API path is answered by the
 * double, and a control API under `/__double/` resets it, lists messages and callbacks, adds scenarios, moves
 * virtual time and streams events.
 *
 * @example
 * import { startServer, twilioClientForServer } from 'twilio-double/server'
 *
 * const server = await startServer({ port: 0 })
 * const client = await twilioClientForServer(server.url)
 * await client.messages.create({ to: '+15558675310', from: '+15005550006', body: 'Hi' })
 * await fetch(`${server.url}/__double/settle`, { method: 'POST' })
 * await server.close()
 */
export async function startServer(options: StartServerOptions = {}): Promise<TwilioDoubleServer> {
  const double = options.double ?? createTwilioDouble(options.doubleOptions)
  const port = options.port ?? DEFAULT_PORT
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new TwilioDoubleError(
      `startServer: port must be an integer from 0 to 65535 (got ${port}); 0 picks a free port`,
    )
  const host = options.host ?? DEFAULT_HOST
  const maxBody = positive(options.maxBodyBytes, MAX_BODY_BYTES, 'maxBodyBytes')
  // the API's limit, the same on the direct path and through double.handle() (which stops at 1 MiB)
  const maxApiBody = Math.min(maxBody, MAX_BODY_BYTES)
  const headersTimeout = positive(options.headersTimeoutMs, 10_000, 'headersTimeoutMs')
  const requestTimeout = Math.max(
    positive(options.requestTimeoutMs, 30_000, 'requestTimeoutMs'),
    headersTimeout,
  )
  const keepAliveTimeout = positive(options.keepAliveTimeoutMs, 5_000, 'keepAliveTimeoutMs')
  const closeGrace = options.closeGraceMs ?? 1_000
  const control = createControlApi(double)
  const door = wireDoorOf(double)
  const inbox = await loadInbox()

  const tooLarge = (isControl: boolean): Response =>
    isControl
      ? controlError(413, 'payload_too_large', `Request body exceeds ${maxBody} bytes; send a smaller body`, {
          connection: 'close',
        })
      : errorResponse(bodyTooLarge(maxApiBody, { connection: 'close' }))

  const fetchHandler = async (request: Request, env: HttpBindings): Promise<Response> => {
    const url = request.url
    const pathStart = url.indexOf('/', url.indexOf('//') + 2)
    const path = pathStart < 0 ? '/' : url.slice(pathStart)
    const page = inbox.respond(request, path)
    if (page) return page
    const isControl =
      path === CONTROL_PREFIX ||
      path.startsWith(`${CONTROL_PREFIX}/`) ||
      path.startsWith(`${CONTROL_PREFIX}?`)
    let req = request
    if (!BODYLESS.has(request.method)) {
      const max = isControl ? maxBody : maxApiBody
      const declared = request.headers.get('content-length')
      if (declared !== null) {
        if (Number(declared) > max) return tooLarge(isControl)
      } else if (request.body) {
        const bytes = await readCapped(request.body, max)
        if (!bytes) return tooLarge(isControl)
        req = new Request(url, { method: request.method, headers: request.headers, body: bytes })
      }
    }
    if (isControl) return control.handle(req)
    try {
      return await double.handle(req)
    } catch (err) {
      if (err instanceof SimulatedNetworkError) {
        // the scenario asks for a network failure: cut the connection without an answer
        env.incoming.socket.destroy()
        return new Response(null, { status: 500, headers: { connection: 'close' } })
      }
      return errorResponse(new TwilioApiError(20500, {}, { status: 500 }))
    }
  }

  const listener = getRequestListener(fetchHandler as (request: Request, env: unknown) => Promise<Response>, {
    overrideGlobalObjects: options.overrideGlobalObjects === true,
    errorHandler: (err) =>
      controlError(400, 'bad_request', `malformed request: ${(err as Error)?.message ?? String(err)}`, {
        connection: 'close',
      }),
  })
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout,
      connectionsCheckingInterval: Math.max(5, Math.min(1_000, Math.floor(headersTimeout / 2))),
    },
    (incoming: IncomingMessage, outgoing: ServerResponse) => {
      if (door && incoming.url?.startsWith(API_PREFIX)) {
        serveApi(door, incoming, outgoing, maxApiBody)
        return
      }
      listener(incoming, outgoing).catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-length': '0', connection: 'close' })
        outgoing.end()
      })
    },
  )

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(
        err.code === 'EADDRINUSE'
          ? new TwilioDoubleError(
              `port ${port} on ${host} is already in use: stop the other process or pass port 0 to pick a free port`,
            )
          : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND'
            ? new TwilioDoubleError(
                `cannot listen on host '${host}' (${err.code}): use 127.0.0.1 or another local address`,
              )
            : err,
      )
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
  // A server that is running must never die of a late socket or server error.
  server.on('error', () => {})

  const address = server.address() as AddressInfo
  let closing: Promise<void> | undefined
  return {
    url: `http://${urlHost(host)}:${address.port}`,
    port: address.port,
    host,
    double,
    server,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        control.closeStreams()
        // connections still answering become idle one by one: close them as they do, cut the rest after the grace
        const sweep = setInterval(() => server.closeIdleConnections(), 20)
        const force = setTimeout(() => server.closeAllConnections(), closeGrace)
        sweep.unref()
        force.unref()
        server.close(() => {
          clearInterval(sweep)
          clearTimeout(force)
          resolve()
        })
        server.closeIdleConnections()
      })
      return closing
    },
  }
}

/**
 * A real `twilio` client whose requests go to a standalone server (or any base URL) instead of
 * `https://api.twilio.com`: it uses a `RequestClient` subclass that rewrites the host. Needs the `twilio`
 * package (an optional peer dependency), loaded on first use.
 *
 * @example
 * const server = await startServer({ port: 0 })
 * const client = await twilioClientForServer(server.url)
 * const msg = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })
 */
export function twilioClientForServer(
  server: string | Pick<TwilioDoubleServer, 'url'>,
  options: TwilioClientForUrlOptions = {},
): Promise<Twilio> {
  return twilioClientForUrl(typeof server === 'string' ? server : server.url, options)
}
