/**
 * Misbehaving callback endpoints on 127.0.0.1: down, silent, slow, failing, or answering garbage.
 */
import http from 'node:http'
import net from 'node:net'

export interface BadEndpoints {
  /** A port nothing listens on. */
  down: string
  /** Accepts the connection and never answers. */
  silent: string
  /** Sends headers and a first chunk, then stalls. */
  stalls: string
  /** Answers 500. */
  error500: string
  /** Answers 503 with Retry-After. */
  error503: string
  /** Writes bytes that are not HTTP. */
  garbage: string
  /** Promises 100 bytes, sends 5, closes. */
  truncated: string
  /** Resets the connection as soon as it opens. */
  reset: string
  /** Answers 200 with a 3 MB body. */
  huge: string
  /** Answers 200 with a JSON body claiming to be XML and an invalid status line reason. */
  mislabeled: string
  /** Redirects to itself forever. */
  redirectLoop: string
  /** Requests received by the HTTP endpoints, by path and query. */
  hits: Map<string, number>
  close(): Promise<void>
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as net.AddressInfo).port
}

/** Starts the endpoints. */
export async function startBadEndpoints(): Promise<BadEndpoints> {
  const sockets = new Set<net.Socket>()
  const track = (s: net.Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => {})
  }
  const hits = new Map<string, number>()
  const httpServer = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    hits.set(req.url ?? '/', (hits.get(req.url ?? '/') ?? 0) + 1)
    req.resume()
    if (path === '/silent') return
    if (path === '/stalls') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' })
      res.write('partial')
      return
    }
    if (path === '/500') return void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>')
    if (path === '/503') return void res.writeHead(503, { 'retry-after': '1' }).end()
    if (path === '/huge') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(3 * 1024 * 1024) })
      return void res.end(Buffer.alloc(3 * 1024 * 1024, 0x61))
    }
    if (path === '/mislabeled') {
      res.statusMessage = 'Totally Fine \u0000'.replace('\u0000', '')
      return void res.writeHead(200, { 'content-type': 'text/xml' }).end('{"not": "xml"')
    }
    if (path === '/loop') return void res.writeHead(302, { location: '/loop' }).end()
    res.writeHead(404).end()
  })
  httpServer.on('connection', track)
  const httpPort = await listen(httpServer)

  const raw = (onConnection: (s: net.Socket) => void) => {
    const server = net.createServer((s) => {
      track(s)
      onConnection(s)
    })
    return server
  }
  const garbageServer = raw((s) => s.end('garbage, not HTTP at all\r\n\r\n\u0000\u0001'))
  const truncatedServer = raw((s) => {
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nshort')
      s.destroy()
    })
  })
  const resetServer = raw((s) => s.resetAndDestroy())
  const garbagePort = await listen(garbageServer)
  const truncatedPort = await listen(truncatedServer)
  const resetPort = await listen(resetServer)

  const closed = net.createServer()
  const downPort = await listen(closed)
  await new Promise<void>((resolve) => closed.close(() => resolve()))

  const base = `http://127.0.0.1:${httpPort}`
  return {
    down: `http://127.0.0.1:${downPort}/down`,
    silent: `${base}/silent`,
    stalls: `${base}/stalls`,
    error500: `${base}/500`,
    error503: `${base}/503`,
    garbage: `http://127.0.0.1:${garbagePort}/garbage`,
    truncated: `http://127.0.0.1:${truncatedPort}/truncated`,
    reset: `http://127.0.0.1:${resetPort}/reset`,
    huge: `${base}/huge`,
    mislabeled: `${base}/mislabeled`,
    redirectLoop: `${base}/loop`,
    hits,
    close: async () => {
      for (const s of sockets) s.destroy()
      httpServer.closeAllConnections()
      await Promise.all(
        [httpServer, garbageServer, truncatedServer, resetServer].map(
          (s) => new Promise<void>((resolve) => s.close(() => resolve())),
        ),
      )
    },
  }
}
