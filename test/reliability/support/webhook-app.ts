/**
 * An express application on 127.0.0.1 that receives status callbacks and inbound webhooks the way a user's
 * app does: `express.urlencoded()`, then the `twilio` package's `webhook()` middleware. Before the
 * middleware, each request is also checked with `twilio.validateRequest()`, and every answer is recorded.
 * Requests to a path containing `reply` are answered with a TwiML `<Message>` whose status callbacks go to
 * `<prefix>/reply-status`; others with an empty `<Response/>`.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import twilio from 'twilio'

/** One request the app received. */
export interface ReceivedWebhook {
  method: string
  /** The URL as the app sees it (protocol, Host header, original URL). */
  url: string
  params: Record<string, string>
  signature: string | undefined
  /** Result of `twilio.validateRequest()` with the token of the mount. */
  validateRequest: boolean
  /** HTTP status the app answered (403 when `webhook()` refused the request). */
  status: number
}

export interface WebhookApp {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  readonly received: ReceivedWebhook[]
  /** Resolves once `received` holds at least `n` requests (each is recorded when its answer is finished). */
  receivedAtLeast(n: number): Promise<void>
  close(): Promise<void>
}

/**
 * Starts the app. `mounts` maps a path prefix to the auth token that signs requests sent there.
 *
 * @example
 * const app = await startWebhookApp({ '/a': tokenA, '/b': tokenB })
 * // status callbacks to `${app.url}/a/status` are validated with tokenA
 */
export async function startWebhookApp(mounts: Record<string, string>): Promise<WebhookApp> {
  const received: ReceivedWebhook[] = []
  const waiters = new Set<{ n: number; resolve: () => void }>()
  const app = express()
  app.set('trust proxy', false)
  app.use(express.urlencoded({ extended: false }))
  for (const [prefix, token] of Object.entries(mounts)) {
    app.use(
      prefix,
      (req, res, next) => {
        const url = `${req.protocol}://${req.get('host')}${req.originalUrl}`
        const params = (req.method === 'POST' ? (req.body ?? {}) : {}) as Record<string, string>
        const signature = req.header('x-twilio-signature')
        const entry: ReceivedWebhook = {
          method: req.method,
          url,
          params: { ...params },
          signature,
          validateRequest: twilio.validateRequest(token, signature ?? '', url, params),
          status: 0,
        }
        res.on('finish', () => {
          entry.status = res.statusCode
          received.push(entry)
          for (const w of waiters)
            if (received.length >= w.n) {
              waiters.delete(w)
              w.resolve()
            }
        })
        next()
      },
      twilio.webhook(token),
      (req, res) => {
        // an inbound webhook under a path with "reply" answers with a reply whose status goes to /reply-status
        const twiml = req.originalUrl.includes('reply')
          ? `<Response><Message action="${prefix}/reply-status">Thanks ✓</Message></Response>`
          : '<Response/>'
        res.type('text/xml').status(200).send(twiml)
      },
    )
  }
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    receivedAtLeast: (n) =>
      received.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.add({ n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
