/**
 * The control API client of `twilio-double/client`: typed calls of the standalone server's `/__double/…` over
 * `fetch`. It imports nothing of the double itself.
 */

import type { CallbackDelivery } from '../callbacks/outbox.js'
import type { InboundOptions, InboundResult } from '../messaging/inbound.js'
import type { Scenario } from '../scenarios/types.js'
import type { FeedbackResource } from '../schemas/message.js'
import type { CallbackSummary } from '../server/control/callback-summary.js'
import type { ConversationSummary } from '../server/control/conversations.js'
import type { ControlMessage } from '../server/control/wait.js'
import type { Duration } from '../util/duration.js'

export type { CallbackSummary } from '../server/control/callback-summary.js'
export type { ConversationSummary } from '../server/control/conversations.js'
export type { ControlMessage } from '../server/control/wait.js'

/** The header that names the account a control request acts on (as the server reads it). */
const ACCOUNT_HEADER = 'x-twilio-double-account'

/** A message of the control API with its first one-time code as `code` (undefined when it has none). */
export type ReceivedMessage = ControlMessage & { code: string | undefined }

/** A message of {@link ControlClient.messages}: with how its status callbacks (received: its webhook) went. */
export type ListedMessage = ReceivedMessage & { callbackSummary: CallbackSummary }

/** One conversation's messages, oldest first (`GET /__double/conversations/:ours/:theirs`). */
export interface Conversation {
  /** The account's side (the From of its messages sent). */
  ours: string
  /** The other side (the To of the messages sent). */
  theirs: string
  messages: ReceivedMessage[]
  /** Messages in the conversation (`messages` holds the newest `limit` of them). */
  total: number
}

/** Which message {@link ControlClient.waitForMessage} waits for; give at least one of `to`, `from`, `body`. */
export interface WaitForMessageOptions {
  /** The number (or `whatsapp:` address) the message was sent to. */
  to?: string
  /** The number it was sent from. */
  from?: string
  /** Text the body contains (any case), or a RegExp it matches. */
  body?: string | RegExp
  /**
   * Only a message created after this one: its SID (or the message itself), or a time on the double's clock (on
   * the account's own clock for a client made with `{ account }`).
   * Without it the newest stored match answers at once, else the next to arrive.
   */
  after?: string | Date | { sid: string }
  /** How long to wait (real time) before failing: ms or a duration such as `'30s'`; default 10 s, at most 60 s. */
  timeout?: Duration
  /** Ends the wait early. */
  signal?: AbortSignal
}

/** Filters of {@link ControlClient.messages}. */
export interface MessagesFilter {
  to?: string
  from?: string
  status?: string
  direction?: 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply'
  channel?: 'sms' | 'mms' | 'whatsapp' | 'messenger' | 'rcs'
  accountSid?: string
  /** Searches SID, To, From, body and error code. */
  q?: string
  limit?: number
  offset?: number
}

/** One message with its status history, media, feedback and callbacks (`GET /__double/messages/:sid`). */
export interface MessageDetails {
  message: ControlMessage
  history: Array<{ status: string; at: string; errorCode?: number | null }>
  mediaUrls: string[]
  /** The Feedback the app left on the message (Twilio's shape), null when none. */
  feedback: FeedbackResource | null
  media: Array<{ sid: string; url: string; contentType: string }>
  callbacks: CallbackDelivery[]
}

/** An account as `GET /__double/credentials` lists it. */
export interface ServerAccount {
  sid: string
  authToken: string | null
  apiKeys: { sid: string; secret: string }[]
  phoneNumbers: { number: string; smsUrl?: string }[] | null
  messagingServices: { sid: string; senders: string[] }[]
}

/** The answer of `GET /__double/health`. */
export interface ServerHealth {
  status: 'ok'
  /** The account the answer is about (when the client names one). */
  account?: string
  /** The double's clock, or the account's (ISO 8601). */
  now: string
  /** The open accounts (the account named, when the client names one). */
  accounts: string[]
  messages: number
  inFlight: number
  callbacks: number
  scenarios: number
  inbound: boolean
}

/**
 * An answer of the control API other than a success, or a server that cannot be reached.
 *
 * @example
 * await sms.waitForMessage({ to: '+15558675310', timeout: '1s' }).catch((err) => {
 *   if (err instanceof ControlApiError && err.status === 408) return undefined // none came
 *   throw err
 * })
 */
export class ControlApiError extends Error {
  /** The HTTP status (0 when the server could not be reached). */
  readonly status: number
  /** The control API's error kind: `timeout`, `bad_request`, `not_found`, … (`unreachable` for no answer). */
  readonly error: string

  constructor(status: number, error: string, message: string) {
    super(`[twilio-double] ${message}`)
    this.name = 'ControlApiError'
    this.status = status
    this.error = error
  }
}

/** Options of {@link createControlClient}. */
export interface ControlClientOptions {
  /** The `fetch` to call; default: the global one. */
  fetch?: typeof fetch
  /**
   * The account (`AC…`) every call acts on: its messages, scenarios, clock and reset alone, as the
   * `X-Twilio-Double-Account` header says to the server. Default: the whole double.
   */
  account?: string
}

/** The control API of one standalone server; see {@link createControlClient}. */
export interface ControlClient {
  /** The server's base URL, without a trailing slash. */
  readonly url: string
  /** The account the client acts on; undefined for the whole double. */
  readonly account: string | undefined
  /**
   * The first message matching `options` as soon as it exists, with its one-time `code`, `codes` and `links`;
   * rejects with a {@link ControlApiError} (`error: 'timeout'`, status 408) when none comes in time.
   */
  waitForMessage(options: WaitForMessageOptions): Promise<ReceivedMessage>
  /** Stored messages, newest first, each with how its callbacks went (`callbackSummary`). */
  messages(filter?: MessagesFilter): Promise<ListedMessage[]>
  /** One message with its status history, media and callbacks. */
  message(sid: string): Promise<MessageDetails>
  /**
   * The feedback the app left on a message (`POST …/Messages/{Sid}/Feedback.json`, e.g. once a one-time code sent in
   * it was used), in Twilio's Feedback shape; undefined when it left none: what `double.messages.feedback(sid)`
   * answers in-process. Rejects with a {@link ControlApiError} (status 404, `error: 'not_found'`) for an unknown SID
   * (or one of another account, for a client made with `{ account }`).
   *
   * @example
   * await client.messages(sid).feedback.create({ outcome: 'confirmed' }) // the app, through Twilio's client
   * const feedback = await sms.feedback(sid)
   * feedback?.outcome // 'confirmed'
   */
  feedback(sid: string): Promise<FeedbackResource | undefined>
  /** Conversations (the messages between two addresses, both ways), the most recently active first. */
  conversations(options?: { limit?: number }): Promise<ConversationSummary[]>
  /** The messages between one of the account's senders (`ours`) and another address, oldest first. */
  conversation(ours: string, theirs: string, options?: { limit?: number }): Promise<Conversation>
  /** Runs everything pending (the lifecycle to its end, callbacks delivered); resolves with the double's time. */
  settle(): Promise<{ now: string }>
  /** Moves the double's virtual clock: ms or a duration such as `'90s'`. */
  advance(by: Duration): Promise<{ now: string }>
  /** Back to the starting state. */
  reset(): Promise<void>
  /** Scenarios as data (RegExps are sent as `{ source, flags }`). */
  readonly scenarios: {
    list(): Promise<unknown[]>
    add(...scenarios: Scenario[]): Promise<void>
    clear(): Promise<void>
  }
  /** Simulates an inbound message, delivered to the receiving number's webhook. */
  inbound(message: InboundOptions): Promise<InboundResult>
  /** Status, virtual time and counts. */
  health(): Promise<ServerHealth>
  /** The open accounts with their auth tokens, API keys, numbers and messaging services (the client's account alone, when it names one). */
  credentials(): Promise<{ defaultFrom: string; accounts: ServerAccount[] }>
  /** Deliveries of status callbacks and webhooks, oldest first. */
  callbacks(filter?: {
    messageSid?: string
    status?: string
    kind?: 'status' | 'inbound'
  }): Promise<CallbackDelivery[]>
}

function received<M extends ControlMessage>(message: M): M & { code: string | undefined } {
  return { ...message, code: message.codes[0] }
}

const limitQuery = (options: { limit?: number }) =>
  options.limit === undefined ? '' : `?${new URLSearchParams({ limit: String(options.limit) })}`

function durationParam(value: Duration): string {
  return typeof value === 'number' ? `${Math.max(0, Math.round(value))}ms` : value
}

function afterParam(after: NonNullable<WaitForMessageOptions['after']>): string {
  if (after instanceof Date) return after.toISOString()
  return typeof after === 'string' ? after : after.sid
}

/**
 * A client of the control API of the standalone server at `url` (`twilio-double serve`, `startServer()`).
 *
 * @example
 * import { createControlClient } from 'twilio-double/client'
 *
 * const sms = createControlClient('http://127.0.0.1:4010')
 * await page.getByRole('button', { name: 'Send code' }).click() // the app sends an SMS through Twilio's client
 * const { code } = await sms.waitForMessage({ to: '+15558675310' })
 * await page.getByLabel('Code').fill(code!)
 */
export function createControlClient(url: string | URL, options: ControlClientOptions = {}): ControlClient {
  const base = String(url).replace(/\/+$/, '')
  const call = async <T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> => {
    const doFetch = options.fetch ?? globalThis.fetch
    let res: Response
    try {
      res = await doFetch(`${base}/__double${path}`, {
        method,
        signal,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.account ? { [ACCOUNT_HEADER]: options.account } : {}),
        },
        body:
          body === undefined
            ? undefined
            : JSON.stringify(body, (_key, v) =>
                v instanceof RegExp ? { source: v.source, flags: v.flags } : v,
              ),
      })
    } catch (err) {
      if (signal?.aborted) throw err
      throw new ControlApiError(
        0,
        'unreachable',
        `cannot reach the double's server at ${base} (${(err as Error).message}${(err as { cause?: Error }).cause ? `: ${(err as { cause: Error }).cause.message}` : ''}): start it with \`npx twilio-double serve\` or startServer(), or check the URL`,
      )
    }
    const text = await res.text()
    let json: unknown
    try {
      json = text === '' ? {} : JSON.parse(text)
    } catch {
      throw new ControlApiError(
        res.status,
        'not_json',
        `${method} ${base}/__double${path} answered ${res.status} with no JSON: is ${base} a twilio-double server?`,
      )
    }
    if (!res.ok) {
      const { error, message } = json as { error?: string; message?: string }
      throw new ControlApiError(
        res.status,
        error ?? 'error',
        message ?? `${method} ${path} answered ${res.status}`,
      )
    }
    return json as T
  }

  return {
    url: base,
    account: options.account,
    async waitForMessage(o) {
      const query = new URLSearchParams()
      if (o.to !== undefined) query.set('to', o.to)
      if (o.from !== undefined) query.set('from', o.from)
      if (o.body !== undefined)
        query.set('body', o.body instanceof RegExp ? `/${o.body.source}/${o.body.flags}` : o.body)
      if (o.after !== undefined) query.set('after', afterParam(o.after))
      if (o.timeout !== undefined) query.set('timeout', durationParam(o.timeout))
      const { message } = await call<{ message: ControlMessage }>(
        'GET',
        `/messages/wait?${query}`,
        undefined,
        o.signal,
      )
      return received(message)
    },
    async messages(filter = {}) {
      const query = new URLSearchParams()
      for (const [key, value] of Object.entries(filter))
        if (value !== undefined) query.set(key, String(value))
      const { messages } = await call<{
        messages: (ControlMessage & { callbackSummary: CallbackSummary })[]
      }>('GET', `/messages?${query}`)
      return messages.map(received)
    },
    message: (sid) => call('GET', `/messages/${encodeURIComponent(sid)}`),
    async feedback(sid) {
      const unknown = () =>
        new ControlApiError(
          404,
          'not_found',
          `no message with SID ${sid}${options.account ? ` in account ${options.account}` : ''}: check the SID returned by messages.create(), or list the messages with messages()`,
        )
      // a SID is letters and digits; anything else (or `wait`, the path of waitForMessage) names no message
      if (!/^[A-Za-z0-9]+$/.test(sid) || sid === 'wait') throw unknown()
      try {
        const { feedback } = await call<MessageDetails>('GET', `/messages/${sid}`)
        return feedback ?? undefined
      } catch (err) {
        throw err instanceof ControlApiError && err.error === 'not_found' ? unknown() : err
      }
    },
    async conversations(options = {}) {
      const answer = await call<{ conversations: ConversationSummary[] }>(
        'GET',
        `/conversations${limitQuery(options)}`,
      )
      return answer.conversations
    },
    async conversation(ours, theirs, options = {}) {
      const answer = await call<Omit<Conversation, 'messages'> & { messages: ControlMessage[] }>(
        'GET',
        `/conversations/${encodeURIComponent(ours)}/${encodeURIComponent(theirs)}${limitQuery(options)}`,
      )
      return { ...answer, messages: answer.messages.map(received) }
    },
    settle: () => call('POST', '/settle'),
    advance: (by) => call('POST', '/advance', { by }),
    async reset() {
      await call('POST', '/reset')
    },
    scenarios: {
      list: async () => (await call<{ scenarios: unknown[] }>('GET', '/scenarios')).scenarios,
      async add(...scenarios) {
        await call('POST', '/scenarios', { scenarios })
      },
      async clear() {
        await call('DELETE', '/scenarios')
      },
    },
    inbound: (message) => call('POST', '/inbound', message),
    health: () => call('GET', '/health'),
    credentials: () => call('GET', '/credentials'),
    async callbacks(filter = {}) {
      const query = new URLSearchParams()
      for (const [key, value] of Object.entries(filter))
        if (value !== undefined) query.set(key, String(value))
      const { callbacks } = await call<{ callbacks: CallbackDelivery[] }>('GET', `/callbacks?${query}`)
      return callbacks
    },
  }
}
