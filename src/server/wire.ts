/**
 * Twilio's paths on the standalone server: a `node:http` request is read (its body within the limit) and handed
 * to the double's one pipeline as a {@link WireRequest}; the answers are written by the server's
 * {@link AnswerWriter}. No Fetch objects are built.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { WireDoor } from '../double.js'
import { TwilioApiError } from '../errors/twilio-api-error.js'
import { bodyTooLarge, SimulatedNetworkError, type WireRequest } from '../http/pipeline.js'
import { type WireResponse, wireError, wireHeaders } from '../http/respond.js'

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE'])

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
  *headerEntries(): Iterable<readonly [string, string]> {
    for (const [name, value] of Object.entries(this.incoming.headers))
      if (value !== undefined) yield [name, Array.isArray(value) ? value.join(', ') : value]
  }
}

/** Writes `wire` as the answer of `outgoing`, with its length. */
export function writeWire(outgoing: ServerResponse, wire: WireResponse): void {
  if (outgoing.headersSent || outgoing.destroyed) return
  const body = wire.body ?? undefined
  const length = body === undefined ? 0 : Buffer.byteLength(body)
  outgoing.writeHead(wire.status, wireHeaders(wire, length))
  outgoing.end(body)
}

/**
 * Writes a server's answers to Twilio's paths together, once per turn of the event loop: the answers made while
 * the server handled the requests that arrived together are written one after the other once that turn is over
 * (`setImmediate`), instead of each as soon as it is made. A loaded server's client then wakes once for many
 * answers rather than once for each, which made creates per second 1.17x–1.56x (bench/README.md, write-batching;
 * `npm run bench -- server` measures the server with and without it). Each server has its own.
 *
 * @example
 * const writer = new AnswerWriter()
 * writer.write(outgoing, { status: 200, body: '{}' }) // written after this turn of the event loop
 * writer.cut(incoming.socket) // cut after that answer
 */
export class AnswerWriter {
  private waiting: (() => void)[] = []

  /** Does what waits, in the order it was asked. */
  private readonly flush = (): void => {
    const steps = this.waiting
    this.waiting = []
    for (const step of steps) step()
  }

  private later(step: () => void): void {
    if (this.waiting.push(step) === 1) setImmediate(this.flush)
  }

  /**
   * Writes `wire` as the answer of `outgoing` once this turn of the event loop is over. An answer Node refuses to
   * write closes its connection: it neither stops the answers after it nor reaches the event loop as an error.
   */
  write(outgoing: ServerResponse, wire: WireResponse): void {
    this.later(() => {
      try {
        writeWire(outgoing, wire)
      } catch {
        outgoing.destroy()
      }
    })
  }

  /**
   * Cuts `socket` without an answer (a scenario's network failure) once this turn is over, after the answers made
   * before it: those of the requests pipelined before it on the same connection are still written.
   */
  cut(socket: Socket): void {
    this.later(() => socket.destroy())
  }
}

/**
 * Reads the body of `incoming` as UTF-8 text, within `maxBody` bytes; undefined when it is larger (declared or
 * sent). Requests whose method carries no body resolve at once with ''.
 */
export function readBody(incoming: IncomingMessage, maxBody: number): Promise<string | undefined> {
  if (BODYLESS.has(incoming.method ?? 'GET')) return Promise.resolve('')
  const declared = incoming.headers['content-length']
  if (declared !== undefined && Number(declared) > maxBody) return Promise.resolve(undefined)
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    incoming.on('data', (chunk: Buffer) => {
      if (size > maxBody) return
      size += chunk.byteLength
      if (size > maxBody) resolve(undefined)
      else chunks.push(chunk)
    })
    incoming.on('end', () => {
      if (size <= maxBody) resolve(Buffer.concat(chunks).toString('utf8'))
    })
    incoming.on('error', () => resolve(undefined))
  })
}

/**
 * Answers a request to Twilio's API through the double's pipeline, the answer written by `writer`: the body is
 * read within `maxBody` bytes first (a larger one is answered 413 and the connection closed); a scenario's network
 * failure cuts the connection without an answer.
 */
export async function serveWire(
  door: WireDoor,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  maxBody: number,
  writer: AnswerWriter,
): Promise<void> {
  const body = await readBody(incoming, maxBody)
  if (body === undefined) {
    writer.write(outgoing, wireError(bodyTooLarge(maxBody, { connection: 'close' })))
    return
  }
  try {
    writer.write(outgoing, await door.dispatch(new NodeWireRequest(incoming, body)))
  } catch (err) {
    if (err instanceof SimulatedNetworkError) writer.cut(incoming.socket)
    else writer.write(outgoing, wireError(new TwilioApiError(20500, {}, { status: 500 })))
  }
}
