import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { demoApp } from './demo-data.js'

/** A request the app received. */
export interface ReceivedRequest {
  method: string
  path: string
  headers: Record<string, string>
  params: Record<string, string>
}

/** A small app on 127.0.0.1 that answers status callbacks and webhooks like `demoApp`, recording them. */
export interface AppServer {
  url: string
  received: ReceivedRequest[]
  close(): Promise<void>
}

export async function startAppServer(): Promise<AppServer> {
  const received: ReceivedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      received.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        headers,
        params: Object.fromEntries(new URLSearchParams(req.method === 'GET' ? url.search : body)),
      })
      const answer = demoApp(new Request(url, { method: req.method }))
      const text = await answer.text()
      res.writeHead(answer.status, {
        ...Object.fromEntries(answer.headers),
        'content-length': Buffer.byteLength(text),
      })
      res.end(text)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/app`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
