/**
 * A network trap for tests: every TCP connection the process opens to a host other than the loopback
 * is recorded and redirected to a local listener that records what arrives and closes the connection.
 * The interceptor sits below every door (it patches `net.Socket.prototype.connect`, which `http`,
 * `https`, `tls`, undici's `fetch` and axios all end in), so a request that escapes the double fails and is
 * seen, whatever sent it.
 *
 * @example
 * const trap = await installNetworkTrap()
 * try {
 *   await client.messages.create(...)
 *   expect(trap.escapes()).toEqual([])
 * } finally {
 *   await trap.uninstall()
 * }
 */
import net from 'node:net'

/** A connection the process tried to open. */
export interface TrappedConnection {
  host: string
  port: number
  /** Whether it went to the loopback (left alone) or was redirected into the trap. */
  route: 'loopback' | 'trapped'
}

/** What reached the trap's listener. */
export interface TrapHit {
  /** The first bytes received (an HTTP request line, or a TLS ClientHello). */
  firstBytes: Buffer
  /** The host named in the request: the HTTP Host header or the TLS server name. */
  host: string | undefined
}

export interface NetworkTrap {
  /** Port of the trap's listener on 127.0.0.1. */
  readonly port: number
  /** Every connection attempt, in order. */
  readonly attempts: TrappedConnection[]
  /** Every connection that reached the listener, in order. */
  readonly hits: TrapHit[]
  /** Attempts that would have left the machine (not loopback). */
  escapes(): TrappedConnection[]
  /** Waits until `n` connections reached the listener (bounded by `timeoutMs`). */
  waitForHits(n: number, timeoutMs?: number): Promise<void>
  /** Forgets the record. */
  clear(): void
  /** Restores `net.Socket.prototype.connect` and closes the listener. */
  uninstall(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1'])

type ConnectArgs = unknown[]

function target(args: ConnectArgs): { options: net.NetConnectOpts | undefined; rest: unknown[] } {
  // connect(options[, cb]) | connect(port[, host][, cb]) | connect(path[, cb]); internal calls pass [options, cb]
  const list = Array.isArray(args[0]) ? (args[0] as unknown[]) : args
  const first = list[0]
  const callbacks = list.slice(1).filter((a) => typeof a === 'function')
  if (first !== null && typeof first === 'object')
    return { options: first as net.NetConnectOpts, rest: callbacks }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const host = typeof list[1] === 'string' ? list[1] : 'localhost'
    return { options: { port: Number(first), host }, rest: callbacks }
  }
  return { options: undefined, rest: [] }
}

/** Reads the SNI host name from a TLS ClientHello, if there is one. */
function serverName(buf: Buffer): string | undefined {
  try {
    if (buf[0] !== 0x16) return undefined
    let p = 5 + 4 + 2 + 32 // record header, handshake header, version, random
    p += 1 + buf[p]! // session id
    p += 2 + buf.readUInt16BE(p) // cipher suites
    p += 1 + buf[p]! // compression methods
    const end = p + 2 + buf.readUInt16BE(p)
    p += 2
    while (p + 4 <= end) {
      const type = buf.readUInt16BE(p)
      const len = buf.readUInt16BE(p + 2)
      if (type === 0) {
        const nameLen = buf.readUInt16BE(p + 7)
        return buf.subarray(p + 9, p + 9 + nameLen).toString('ascii')
      }
      p += 4 + len
    }
  } catch {
    // not a ClientHello we can read
  }
  return undefined
}

function hostOf(buf: Buffer): string | undefined {
  const sni = serverName(buf)
  if (sni) return sni
  const m = /\r\nhost:\s*([^\r\n]+)/i.exec(buf.toString('latin1'))
  return m?.[1]?.trim().replace(/:\d+$/, '')
}

/** Installs the trap. Always `uninstall()` it (in a `finally` or `afterAll`). */
export async function installNetworkTrap(): Promise<NetworkTrap> {
  const attempts: TrappedConnection[] = []
  const hits: TrapHit[] = []
  const waiters = new Set<() => void>()
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    socket.once('data', (chunk: Buffer) => {
      hits.push({ firstBytes: chunk, host: hostOf(chunk) })
      for (const w of waiters) w()
      socket.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port

  const original = net.Socket.prototype.connect
  const patched = function (this: net.Socket, ...args: ConnectArgs) {
    const { options, rest } = target(args)
    if (!options || typeof (options as net.IpcNetConnectOpts).path === 'string')
      return (original as any).apply(this, args)
    const tcp = options as net.TcpNetConnectOpts
    const host = String(tcp.host ?? 'localhost')
    if (LOOPBACK.has(host.replace(/^\[|\]$/g, ''))) {
      attempts.push({ host, port: Number(tcp.port), route: 'loopback' })
      return (original as any).apply(this, args)
    }
    attempts.push({ host, port: Number(tcp.port), route: 'trapped' })
    const redirected: net.TcpNetConnectOpts = { ...tcp, host: '127.0.0.1', port }
    delete (redirected as { lookup?: unknown }).lookup
    delete (redirected as { family?: unknown }).family
    return (original as any).call(this, redirected, ...rest)
  }
  net.Socket.prototype.connect = patched as typeof original

  return {
    port,
    attempts,
    hits,
    escapes: () => attempts.filter((a) => a.route === 'trapped'),
    waitForHits: (n, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        if (hits.length >= n) return resolve()
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`network trap: expected ${n} connection(s), saw ${hits.length}`))
        }, timeoutMs)
        const check = () => {
          if (hits.length < n) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
      }),
    clear: () => {
      attempts.length = 0
      hits.length = 0
    },
    uninstall: async () => {
      if (net.Socket.prototype.connect === patched) net.Socket.prototype.connect = original
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
