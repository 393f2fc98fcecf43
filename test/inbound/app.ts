/**
 * A small express app on 127.0.0.1 standing in for the application under test: every route validates
 * Twilio's signature with the `twilio` package's own `webhook()` middleware, records what it received,
 * and answers with whatever the test scripted.
 */
import type { AddressInfo } from 'node:net'
import express, { type Request, type Response } from 'express'
import twilio from 'twilio'
import { DEFAULT_AUTH_TOKEN } from '../../src/config.js'

/** One request the app received (after the signature was found valid). */
export interface Received {
  path: string
  method: string
  params: Record<string, string>
  signature: string
}

export type Answer = (req: Request, res: Response) => void

export interface TestApp {
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  url: string
  /** Requests that passed signature validation, in order. */
  received: Received[]
  /** Requests the middleware refused (bad or missing signature). */
  refused: number
  /** Scripts the answer of a path (default: 204, no body). */
  on(path: string, answer: Answer): void
  close(): Promise<void>
}

/** Starts the app; close it in `afterAll`. */
export async function startApp(authToken = DEFAULT_AUTH_TOKEN): Promise<TestApp> {
  const app = express()
  const answers = new Map<string, Answer>()
  const state: Pick<TestApp, 'received' | 'refused'> = { received: [], refused: 0 }
  app.use(express.urlencoded({ extended: false }))
  const validate = twilio.webhook(authToken)
  app.use((req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode === 403 || res.statusCode === 400) state.refused++
    })
    validate(req, res, next)
  })
  app.use((req, res) => {
    const params = (req.method === 'GET' ? req.query : req.body) as Record<string, string>
    state.received.push({
      path: req.path,
      method: req.method,
      params: { ...params },
      signature: req.header('x-twilio-signature') ?? '',
    })
    const answer = answers.get(req.path)
    if (answer) answer(req, res)
    else res.status(204).end()
  })
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return state.received
    },
    get refused() {
      return state.refused
    },
    on: (path, answer) => {
      answers.set(path, answer)
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** Answers with TwiML built by the `twilio` package's MessagingResponse. */
export function twiml(build: (r: twilio.twiml.MessagingResponse) => void): Answer {
  return (_req, res) => {
    const response = new twilio.twiml.MessagingResponse()
    build(response)
    res.type('text/xml').send(response.toString())
  }
}

/** Answers with a raw body and content type. */
export function raw(body: string, contentType: string, status = 200): Answer {
  return (_req, res) => {
    res.status(status).type(contentType).send(body)
  }
}

/** A port on 127.0.0.1 nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = express().listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
