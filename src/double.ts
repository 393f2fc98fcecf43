import { createHttpClient, type HttpClientOptions, type TwilioRequestClient } from './adapters/http-client.js'
import type { CallbackDelivery, CallbackHandler } from './callbacks/outbox.js'
import type { InterceptorTest } from './callbacks/reach.js'
import { type CreateTwilioDoubleOptions, resolveSettings } from './double-options.js'
import { accountsOf, buildState, sharedDirectory } from './double-state.js'
import { TwilioDoubleError } from './errors/twilio-api-error.js'
import { answerFetch, fetchRequestOf } from './http/fetch.js'
import { dispatch, SimulatedNetworkError, type WireRequest } from './http/pipeline.js'
import { renderMessage } from './http/render.js'
import { toResponse, type WireResponse } from './http/respond.js'
import type { BackendEvent, MessagingBackend } from './messaging/backend.js'
import { statusHistory } from './messaging/history.js'
import type { InboundOptions, InboundResult } from './messaging/inbound.js'
import type { MessageFilter } from './messaging/types.js'
import type { Scenario } from './scenarios/types.js'
import type { MessageStatus } from './schemas/common.js'
import type { MessageResource } from './schemas/message.js'
import { type Duration, toMs } from './util/duration.js'
import { SeededRandom } from './util/random.js'

export type { CreateTwilioDoubleOptions } from './double-options.js'

/** A filter of `double.messages.list()`. */
export interface MessageListFilter extends Omit<MessageFilter, 'dateSentAfter' | 'dateSentBefore'> {
  accountSid?: string
}

/** Inspection of stored messages, in Twilio's wire shape. */
export interface MessageInspector {
  /** Every stored message matching the filter, newest first. */
  list(filter?: MessageListFilter): MessageResource[]
  /** One message by SID, or undefined. */
  get(sid: string): MessageResource | undefined
  /** Status history of a message with virtual timestamps. */
  history(sid: string): { status: MessageStatus; at: Date; errorCode?: number | null }[]
  /** Media URLs a message was created with. */
  mediaUrls(sid: string): string[]
  /** Number of stored messages. */
  count(filter?: MessageListFilter): number
}

/** Status callbacks and webhooks: the record and in-process receivers. */
export interface CallbackInspector {
  /** Every delivery made, oldest first. */
  list(filter?: { messageSid?: string; status?: string; kind?: 'status' | 'inbound' }): CallbackDelivery[]
  /** Receives callbacks for matching URLs in-process instead of over HTTP. Returns an unregister function. */
  handle(match: string | RegExp | ((url: string) => boolean), handler: CallbackHandler): () => void
  /**
   * Declares an interceptor of this process (msw, nock, …) that answers the callback requests for which
   * `test` is true, so that they are sent with fetch although their host is not this machine (other
   * hosts are reached only with `callbacks: { network: true }`). The setup entries declare their msw
   * server; declare your own with `mswHandles(server)` from `twilio-double/msw`. Kept across reset().
   * Returns a function that removes it.
   *
   * @example
   * const server = setupServer(...twilioHandlers(double), http.post('https://app.test/status', () => new Response()))
   * double.callbacks.interceptor(mswHandles(server))
   */
  interceptor(test: InterceptorTest): () => void
}

/** Scenarios of the double. */
export interface ScenarioControl {
  /** Adds scenarios (newest wins on overlap); returns a function removing them. */
  use(...scenarios: Scenario[]): () => void
  /** Active scenarios. */
  list(): Scenario[]
  /** Removes every scenario. */
  clear(): void
}

/**
 * An in-process double of Twilio's Messaging API. Create one with {@link createTwilioDouble}.
 */
export interface TwilioDouble {
  /** The core: answers a Fetch API `Request` as Twilio would. */
  handle(request: Request): Promise<Response>
  /** A fetch-compatible function backed by the double (any URL is answered by the double). */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  /** An `httpClient` for the `twilio` client: `twilio(sid, token, { httpClient: double.httpClient() })`. */
  httpClient(options?: HttpClientOptions): TwilioRequestClient
  readonly messages: MessageInspector
  readonly callbacks: CallbackInspector
  readonly scenarios: ScenarioControl
  /** Current virtual (or real) time. */
  now(): Date
  /** Moves virtual time forward; due transitions run in time order and their callbacks are awaited. */
  advance(duration: Duration): Promise<void>
  /** Runs everything pending (advancing virtual time as needed) and waits for callback deliveries. */
  settle(): Promise<void>
  /** Restores the starting state: no messages, callbacks, scenarios; time back at its start. */
  reset(): void
  /** Subscribes to message and callback events. */
  subscribe(listener: (e: BackendEvent) => void): () => void
  /**
   * Calls `listener` with every request the core answered and a clone of its response (for logging or
   * contract checks). Returns a function that removes the listener.
   */
  onExchange(listener: (request: Request, response: Response) => void): () => void
  /**
   * A user texts one of your numbers: creates the inbound message (`direction: 'inbound'`, status
   * `received`), applies Twilio's keyword handling (STOP/START/HELP) and WhatsApp's 24-hour window, sends
   * the signed webhook to the number's `smsUrl` (or its messaging service's `inboundRequestUrl`; the
   * `smsFallbackUrl` or the service's `fallbackUrl` when the app fails, each with its method) and runs the
   * app's TwiML answer: each `<Message>` becomes an `outbound-reply` message that then lives its lifecycle.
   * App failures are reported in `errors` (11200, 12100, 12200, 12300, …) and never throw.
   *
   * @example
   * const double = createTwilioDouble({
   *   accounts: [{ sid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN,
   *     phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: 'http://127.0.0.1:3000/sms' }] }],
   * })
   * const { message, replies, errors } = await double.inbound({ from: '+15550001111', to: DEFAULT_FROM, body: 'Hi' })
   * await double.settle()
   * double.messages.get(replies[0]!.sid)?.status // 'delivered'
   */
  inbound(options: InboundOptions): Promise<InboundResult>
  /** The messaging domain (for doors and extensions); `reset()` replaces it with a new one. */
  readonly backend: MessagingBackend
  /** The options the double was created with. */
  readonly options: Readonly<CreateTwilioDoubleOptions>
}

/**
 * Creates a double of Twilio's Messaging API with its own state.
 *
 * @example
 * import twilio from 'twilio'
 * import { createTwilioDouble, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from 'twilio-double'
 *
 * const double = createTwilioDouble()
 * const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
 * const msg = await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi' })
 * await double.settle()
 * double.messages.get(msg.sid)?.status // 'delivered'
 */
export function createTwilioDouble(options: CreateTwilioDoubleOptions = {}): TwilioDouble {
  const settings = resolveSettings(options)
  // what outlives reset(): the listeners of the double itself
  const eventListeners = new Set<(e: BackendEvent) => void>()
  const exchangeListeners = new Set<(request: Request, response: Response) => void>()
  const pendingInbound = new Set<Promise<unknown>>()
  const emit = (e: BackendEvent) => {
    for (const l of eventListeners) {
      try {
        l(e)
      } catch {
        // listeners never break the domain
      }
    }
  }
  let state = buildState(options, settings, emit)

  const accountPolicy = accountsOf(options, () => state.backend)
  const directory = sharedDirectory(() => state, new SeededRandom(`${settings.seed}/accounts`))
  const wireDispatch = async (request: WireRequest): Promise<WireResponse> => {
    const answer = await dispatch(directory, request, accountPolicy)
    if (exchangeListeners.size > 0) {
      const copy = fetchRequestOf(request, EXCHANGE_HEADERS)
      for (const l of exchangeListeners) {
        try {
          l(copy.clone(), toResponse(answer))
        } catch {
          // an observer never breaks the answer
        }
      }
    }
    return answer
  }
  const handle = (request: Request): Promise<Response> => answerFetch(wireDispatch, request)
  const doubleFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init)
    try {
      return await handle(request)
    } catch (err) {
      if (err instanceof SimulatedNetworkError) throw new TypeError('fetch failed', { cause: err })
      throw err
    }
  }

  const toWire = (filter: MessageListFilter = {}) => state.backend.allMessages(filter)

  const double: TwilioDouble = {
    handle,
    fetch: doubleFetch,
    httpClient: (opts) => createHttpClient(handle, opts) as unknown as TwilioRequestClient,
    messages: {
      list: (filter) => toWire(filter).map(renderMessage),
      get: (sid) => {
        const r = state.backend.findMessage(sid)
        return r ? renderMessage(r) : undefined
      },
      history: (sid) =>
        statusHistory(state.backend.requireMessage(sid)).map((h) => ({
          status: h.status,
          at: new Date(h.at),
          ...(h.errorCode !== undefined ? { errorCode: h.errorCode } : {}),
        })),
      mediaUrls: (sid) => (state.backend.requireMessage(sid).media ?? []).map((m) => m.url),
      count: (filter) => state.backend.countMessages(filter),
    },
    callbacks: {
      list: (filter) => state.outbox.list(filter),
      handle: (match, handler) => state.outbox.handle(match, handler),
      interceptor: (test) => state.outbox.interceptor(test),
    },
    scenarios: {
      use: (...s) => state.scenarios.use(...s),
      list: () => state.scenarios.list(),
      clear: () => state.scenarios.reset(),
    },
    now: () => new Date(state.scheduler.now()),
    advance: async (duration) => {
      await state.scheduler.advance(toMs(duration))
      await state.outbox.idle()
    },
    settle: async () => {
      // a callback handler may start new work (an inbound reply, a create): repeat until both are empty
      for (let round = 0; round < 1000; round++) {
        await state.scheduler.settle()
        await state.outbox.idle()
        if (pendingInbound.size > 0) await Promise.allSettled([...pendingInbound])
        if (state.scheduler.pending === 0 && pendingInbound.size === 0) return
      }
      throw new TwilioDoubleError(
        'settle() found new work after 1000 rounds: a callback handler keeps creating messages?',
      )
    },
    reset: () => {
      const old = state
      // timers of a real clock and deliveries still in flight stop with the state they belong to
      old.scheduler.reset()
      old.outbox.reset()
      state = buildState(options, settings, emit, old.outbox)
      emit({ type: 'reset' })
    },
    subscribe: (listener) => {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onExchange: (listener) => {
      exchangeListeners.add(listener)
      return () => exchangeListeners.delete(listener)
    },
    inbound: (opts) => {
      const p = state.inbound.receive(opts)
      pendingInbound.add(p)
      const done = () => pendingInbound.delete(p)
      p.then(done, done)
      return p
    },
    get backend() {
      return state.backend
    },
    options,
  }
  Object.defineProperty(double, WIRE_DOOR, { value: { dispatch: wireDispatch } satisfies WireDoor })
  return double
}

/** The headers an `onExchange` listener sees on the request (what Twilio's clients send). */
const EXCHANGE_HEADERS = [
  'authorization',
  'content-type',
  'accept',
  'user-agent',
  'origin',
  'x-twilio-client',
]

/**
 * The pipeline below Fetch objects, for doors that speak another transport (the standalone server reads
 * `node:http` requests straight into it): the same function `handle()` answers Fetch requests with.
 */
export interface WireDoor {
  /** The answer; a scenario's network error rejects as {@link SimulatedNetworkError}. */
  dispatch(request: WireRequest): Promise<WireResponse>
}

// Symbol.for: found also when the double and the door come from different copies of the package (ESM and CJS)
const WIRE_DOOR = Symbol.for('twilio-double.wire-door')

/** The {@link WireDoor} of a double made by {@link createTwilioDouble}; undefined for any other object. */
export function wireDoorOf(double: TwilioDouble): WireDoor | undefined {
  return (double as unknown as Record<symbol, WireDoor | undefined>)[WIRE_DOOR]
}
