import { connect, type Socket } from 'node:net'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../../src/config.js'

export const AUTH = `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`
export const MESSAGES_PATH = `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`

/** What a raw socket received before the server closed it. */
export interface RawExchange {
  text: string
  /** Status code of the first response line, if any. */
  status?: number
  closedByServer: boolean
}

/**
 * Opens a TCP connection, writes `chunks` (a `null` chunk ends the writing side but keeps the socket open; an
 * `'destroy'` chunk cuts the connection), and resolves with what came back when the server closes the socket
 * (or the client destroyed it).
 */
export function rawExchange(port: number, chunks: (string | Buffer | 'destroy')[]): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1')
    let text = ''
    let destroyedByUs = false
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => {
      text += d
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err)
    })
    socket.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text)
      resolve({ text, status: m ? Number(m[1]) : undefined, closedByServer: !destroyedByUs })
    })
    socket.on('connect', () => {
      for (const c of chunks) {
        if (c === 'destroy') {
          destroyedByUs = true
          socket.destroy()
          return
        }
        socket.write(c)
      }
    })
  })
}

/** Reads server-sent events from a response body until `predicate` accepts one; returns the events read. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  predicate: (e: { event: string; data: any }) => boolean,
): Promise<{ event: string; data: any }[]> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const events: { event: string; data: any }[] = []
  let buffer = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return events
      buffer += decoder.decode(value, { stream: true })
      let cut = buffer.indexOf('\n\n')
      while (cut >= 0) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        cut = buffer.indexOf('\n\n')
        const event = /^event: (.*)$/m.exec(block)?.[1]
        const data = /^data: (.*)$/m.exec(block)?.[1]
        if (!event || data === undefined) continue
        const e = { event, data: JSON.parse(data) }
        events.push(e)
        if (predicate(e)) return events
      }
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}
