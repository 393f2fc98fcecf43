import { MAX_BODY_BYTES, SimulatedNetworkError, type WireRequest } from './pipeline.js'
import { toResponse, type WireResponse } from './respond.js'

/**
 * A Fetch `Request` as the pipeline reads it: its body read here, within {@link MAX_BODY_BYTES} (a larger one
 * is not kept: the request is marked `oversized`).
 *
 * @example
 * const wire = await wireRequestOf(request)
 */
export async function wireRequestOf(request: Request): Promise<WireRequest> {
  const wire: WireRequest = {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name),
    headerEntries: () => request.headers,
    body: '',
  }
  const declared = Number(request.headers.get('content-length') ?? '0')
  const bytes = declared > MAX_BODY_BYTES ? undefined : await request.arrayBuffer()
  if (bytes === undefined || bytes.byteLength > MAX_BODY_BYTES) wire.oversized = MAX_BODY_BYTES
  else wire.body = new TextDecoder('utf-8').decode(bytes)
  return wire
}

/**
 * Answers a Fetch `Request` with a pipeline over {@link WireRequest}s: the Fetch door every other door of the
 * Fetch API (msw, nock, `fetch`, `httpClient`) stands on.
 */
export async function answerFetch(
  dispatch: (request: WireRequest) => Promise<WireResponse>,
  request: Request,
): Promise<Response> {
  return toResponse(await dispatch(await wireRequestOf(request)))
}

/**
 * Answers `request` with `handle`; a scenario's network error becomes what Node's HTTP clients see when a
 * socket is cut: an `Error('socket hang up')` with code `ECONNRESET` (the nock door and `httpClient()`).
 */
export async function handleOrHangUp(
  handle: (request: Request) => Promise<Response>,
  request: Request,
): Promise<Response> {
  try {
    return await handle(request)
  } catch (err) {
    if (err instanceof SimulatedNetworkError) {
      const e = new Error('socket hang up') as Error & { code: string }
      e.code = 'ECONNRESET'
      throw e
    }
    throw err
  }
}

/**
 * A {@link WireRequest} as a Fetch `Request` again, with every header it came with (for `onExchange` listeners).
 *
 * @example
 * const copy = fetchRequestOf(wire)
 * copy.headers.get('user-agent') // what the client sent
 */
export function fetchRequestOf(wire: WireRequest): Request {
  const headers = new Headers()
  for (const [name, value] of wire.headerEntries()) headers.append(name, value)
  const method = wire.method.toUpperCase()
  const body = method === 'GET' || method === 'HEAD' ? undefined : wire.body
  return new Request(wire.url, { method, headers, body })
}
