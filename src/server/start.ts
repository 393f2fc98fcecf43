/**
 * The standalone server: the double over real HTTP on loopback, for curl, other languages' Twilio clients,
 * Pact provider verification and the CLI (`twilio-double serve`). Twilio's paths go straight from `node:http`
 * into the double's pipeline (see wire.ts); the control API and the inbox page are Fetch handlers served
 * through `@hono/node-server`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { getRequestListener } from '@hono/node-server'
import {
  type CreateTwilioDoubleOptions,
  createTwilioDouble,
  type TwilioDouble,
  wireDoorOf,
} from '../double.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { MAX_BODY_BYTES } from '../http/pipeline.js'
import { wireJson } from '../http/respond.js'
import { loadInbox } from '../inbox/index.js'
import { CONTROL_PREFIX, controlError, createControlApi } from './control/index.js'
import { type AllowedHosts, hostGuard } from './hosts.js'
import { followWallClock, type ServerClock, type WallClockOptions } from './wall-clock.js'
import { AnswerWriter, serveWire, writeWire } from './wire.js'

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
  /** The double to serve (made by `createTwilioDouble()`); default: a new one (`doubleOptions` apply). */
  double?: TwilioDouble
  /** Options of the double created when `double` is not given. */
  doubleOptions?: CreateTwilioDoubleOptions
  /** Default 4010; 0 picks a free port. */
  port?: number
  /** Default `127.0.0.1`. Binding another interface exposes the control API to that network. */
  host?: string
  /**
   * Host names the server answers besides `localhost`, IP addresses and the name it is bound to (protection
   * against DNS rebinding): `'app.test'`, `'.dev.test'` for a name and its subdomains, or `true` for any name.
   * Others are answered 403 on the control API and the inbox, and on Twilio's paths too while the server is
   * bound to a loopback address.
   */
  allowedHosts?: AllowedHosts
  /**
   * Let the double's virtual time follow the wall clock (default false; the CLI's default): messages move on by
   * themselves while `advance` and `settle` still jump ahead. An object sets the follower's wall clock and pace
   * (tests inject one). Ignored for a double on the real clock.
   */
  followWallClock?: boolean | WallClockOptions
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
   * for the control API and the inbox page (Twilio's paths never build Fetch objects). Off by default because
   * it changes globals of the whole process (and of every library in it); the CLI turns it on, as it owns its
   * process.
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

/** Reads a body without a declared length, stopping at `max` bytes; undefined when it is too large. */
async function readCapped(
  body: ReadableStream<Uint8Array>,
  max: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.byteLength
    if (size > max) return undefined
    chunks.push(chunk)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/** An error of Node's HTTP parser or of its request timeouts (`clientError`). */
type ParserError = NodeJS.ErrnoException & { reason?: string }

/**
 * Answers a request Node's HTTP parser refused (no handler sees it) as Node would (400, 431 for headers over its
 * limit, 408 for a request that did not arrive in time; the connection closed), with a JSON body that says what was
 * wrong where Node sends none. Nothing is written when an answer to an earlier request on the connection is being
 * written, as Node does.
 */
function refuseMalformed(
  err: ParserError,
  socket: Duplex,
  timeouts: { headersTimeout: number; requestTimeout: number },
): void {
  const writing = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage
  if (socket.writable && !writing?.headersSent) {
    const [status, error, message] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'headers_too_large',
            "the request's headers are over the size Node.js reads (16 KiB); send fewer or shorter headers",
          ]
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [
              408,
              'request_timeout',
              `the request did not arrive in time (its headers within ${timeouts.headersTimeout} ms, the whole of it within ${timeouts.requestTimeout} ms); send it at once, or start the server with larger headersTimeoutMs and requestTimeoutMs`,
            ]
          : [
              400,
              'bad_request',
              `malformed request (${err.code ?? 'parse error'}: ${err.reason ?? err.message}): send an HTTP/1.1 request with a well-formed request line and headers, and a body framed by Content-Length or chunked (Node's own client sends a GET's or DELETE's body unframed)`,
            ]
    const body = JSON.stringify({ error, message })
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}

/** True for the paths of the control API and the inbox (the page is also at `/`); others are Twilio's. */
function isOwnPath(incoming: IncomingMessage): boolean {
  const url = incoming.url ?? '/'
  if (url === CONTROL_PREFIX || url.startsWith(`${CONTROL_PREFIX}/`) || url.startsWith(`${CONTROL_PREFIX}?`))
    return true
  // `/` is not a Twilio path: the inbox page answers GET and HEAD, the double the rest (20404 as Twilio does)
  const root = url === '/' || url.startsWith('/?') || url.startsWith('/#')
  return root && (incoming.method === 'GET' || incoming.method === 'HEAD')
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
  const door = wireDoorOf(double)
  if (!door)
    throw new TwilioDoubleError(
      'startServer: the double was not made by createTwilioDouble() (a copy such as {...double} loses its request pipeline); pass the double itself',
    )
  const port = options.port ?? DEFAULT_PORT
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new TwilioDoubleError(
      `startServer: port must be an integer from 0 to 65535 (got ${port}); 0 picks a free port`,
    )
  const host = options.host ?? DEFAULT_HOST
  const maxBody = positive(options.maxBodyBytes, MAX_BODY_BYTES, 'maxBodyBytes')
  // the API's limit, the same as in every other door
  const maxApiBody = Math.min(maxBody, MAX_BODY_BYTES)
  const headersTimeout = positive(options.headersTimeoutMs, 10_000, 'headersTimeoutMs')
  const requestTimeout = Math.max(
    positive(options.requestTimeoutMs, 30_000, 'requestTimeoutMs'),
    headersTimeout,
  )
  const keepAliveTimeout = positive(options.keepAliveTimeoutMs, 5_000, 'keepAliveTimeoutMs')
  const closeGrace = options.closeGraceMs ?? 1_000
  const real = double.backend.scheduler.mode === 'real'
  const follow = options.followWallClock && !real
  const clock: ServerClock = real ? 'real' : follow ? 'virtual' : 'manual'
  const control = createControlApi(double, { clock })
  const inbox = await loadInbox()
  const hosts = hostGuard(host, options.allowedHosts)
  // bound to another interface, Twilio's paths answer any name (clients of a container use its service name)
  const guardApi = hosts.guardsTwilioPaths

  const tooLarge = () =>
    controlError(413, 'payload_too_large', `Request body exceeds ${maxBody} bytes; send a smaller body`, {
      connection: 'close',
    })

  /** The control API and the inbox, as Fetch handlers. */
  const ownPaths = async (request: Request): Promise<Response> => {
    const page = inbox.respond(request, request.url)
    if (page) return page
    let req = request
    if (request.body) {
      const declared = request.headers.get('content-length')
      if (declared !== null) {
        if (Number(declared) > maxBody) return tooLarge()
      } else {
        const bytes = await readCapped(request.body, maxBody)
        if (!bytes) return tooLarge()
        req = new Request(request.url, { method: request.method, headers: request.headers, body: bytes })
      }
    }
    return control.handle(req)
  }

  const listener = getRequestListener(ownPaths, {
    overrideGlobalObjects: options.overrideGlobalObjects === true,
    errorHandler: (err) =>
      controlError(400, 'bad_request', `malformed request: ${(err as Error)?.message ?? String(err)}`, {
        connection: 'close',
      }),
  })
  const writer = new AnswerWriter()
  const failed = (outgoing: ServerResponse) => () => {
    if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-length': '0', connection: 'close' })
    outgoing.end()
  }
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout,
      connectionsCheckingInterval: Math.max(5, Math.min(1_000, Math.floor(headersTimeout / 2))),
    },
    (incoming: IncomingMessage, outgoing: ServerResponse) => {
      const own = isOwnPath(incoming)
      const hostHeader = incoming.headers.host
      if ((own || guardApi) && !hosts.allows(hostHeader)) {
        incoming.resume()
        const refusal = hosts.wellFormed(hostHeader!)
          ? wireJson(403, { error: 'host_not_allowed', message: hosts.refusal(hostHeader!) })
          : wireJson(
              400,
              {
                error: 'bad_request',
                message: `malformed request: '${hostHeader}' in Host is not a host name`,
              },
              { connection: 'close' },
            )
        writeWire(outgoing, refusal)
        return
      }
      const serving = own
        ? listener(incoming, outgoing)
        : serveWire(door, incoming, outgoing, maxApiBody, writer)
      serving.catch(failed(outgoing))
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
  server.on('clientError', (err: ParserError, socket: Duplex) =>
    refuseMalformed(err, socket, { headersTimeout, requestTimeout }),
  )
  const wallClock = follow ? followWallClock(double, follow === true ? {} : follow) : undefined

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
        wallClock?.stop()
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
