import { createHttpClient, type HttpClientOptions, type TwilioRequestClient } from './adapters/http-client.js'
import type { CallbackDelivery, CallbackHandler } from './callbacks/outbox.js'
import type { InterceptorTest } from './callbacks/reach.js'
import { type CreateTwilioDoubleOptions, resolveSettings } from './double-options.js'
import { accountsOf } from './double-state.js'
import { TwilioDoubleError } from './errors/twilio-api-error.js'
import { answerFetch, fetchRequestOf } from './http/fetch.js'
import { dispatch, SimulatedNetworkError, type WireRequest } from './http/pipeline.js'
import { RenderedMessages, renderFeedback, renderMessage } from './http/render.js'
import { toResponse, type WireResponse } from './http/respond.js'
import type { BackendEvent, MessagingBackend } from './messaging/backend.js'
import { statusHistory } from './messaging/history.js'
import type { InboundOptions, InboundResult } from './messaging/inbound.js'
import type { MessageFilter, MessageRecord } from './messaging/types.js'
import type { Scenario } from './scenarios/types.js'
import type { MessageStatus } from './schemas/common.js'
import type { FeedbackResource, MessageResource } from './schemas/message.js'
import { TenantRegistry } from './tenants/registry.js'
import type { Tenant } from './tenants/tenant.js'
import { type Duration, toMs } from './util/duration.js'

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
  /**
   * The feedback the app left on a message (`POST …/Messages/{Sid}/Feedback.json`, e.g. once a one-time code sent in
   * it was used), in Twilio's Feedback shape; undefined when it left none. Throws for an unknown SID.
   *
   * @example
   * await client.messages(sid).feedback.create({ outcome: 'confirmed' })
   * double.messages.feedback(sid)?.outcome // 'confirmed'
   */
  feedback(sid: string): FeedbackResource | undefined
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

/** Scenarios of the double (or of one of its accounts). */
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
   * Calls `listener` with every request the core answered (a copy with every header it came with) and a clone of
   * its response (for logging or contract checks). Returns a function that removes the listener. A request whose
   * method a Fetch `Request` cannot carry (TRACE or TRACK, sent to the standalone server) is answered without it.
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
  /**
   * One account's own part of the double (its tenant): its messages, callbacks, scenarios, clock and reset, which
   * leave the other accounts untouched. Each account (declared, taken on first use, or created through the
   * Accounts API) has one. Throws for an unknown or closed account.
   *
   * @example
   * const sub = await client.api.v2010.accounts.create({ friendlyName: 'worker 1' })
   * const tenant = double.tenant(sub.sid)
   * tenant.scenarios.use({ when: { to: '+15550001111' }, then: { reject: 21610 } }) // only in this subaccount
   * await tenant.advance('1h') // the other accounts' clocks stay
   */
  tenant(accountSid: string): TwilioTenant
  /** The messaging domain of the first account (each account has its own); `reset()` replaces it with a new one. */
  readonly backend: MessagingBackend
  /** The options the double was created with. */
  readonly options: Readonly<CreateTwilioDoubleOptions>
}

/**
 * One account's tenant of a double (see {@link TwilioDouble.tenant}): the same inspection and control as the
 * double's, for this account alone. Its scenarios apply before the double's own; its clock moves by itself.
 */
export interface TwilioTenant {
  /** The account this tenant serves. */
  readonly accountSid: string
  readonly messages: MessageInspector
  /** The account's deliveries, and receivers of its callbacks alone (removed by its reset). */
  readonly callbacks: Pick<CallbackInspector, 'list' | 'handle'>
  /** The account's own scenarios (the double's apply when none of these match). */
  readonly scenarios: ScenarioControl
  /** The account's clock. */
  now(): Date
  /** Moves the account's clock forward (no other account's). */
  advance(duration: Duration): Promise<void>
  /** Runs everything pending in the account. */
  settle(): Promise<void>
  /** Restores the account's starting state: no messages, callbacks, scenarios; its clock back at its start. */
  reset(): void
  /** An inbound message to one of the account's numbers (see {@link TwilioDouble.inbound}). */
  inbound(options: Omit<InboundOptions, 'accountSid'>): Promise<InboundResult>
  /** Subscribes to the account's message and callback events (and its resets). */
  subscribe(listener: (e: BackendEvent) => void): () => void
  /** The account's messaging domain; its reset replaces it with a new one. */
  readonly backend: MessagingBackend
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
  const emit = (e: BackendEvent) => {
    for (const l of eventListeners) {
      try {
        l(e)
      } catch {
        // listeners never break the domain
      }
    }
  }
  const registry = new TenantRegistry(options, settings, emit)

  const accountPolicy = accountsOf(options, () => registry.accounts())
  const rendered = new RenderedMessages()
  const wireDispatch = async (request: WireRequest): Promise<WireResponse> => {
    const answer = await dispatch(registry, request, accountPolicy, rendered)
    if (exchangeListeners.size > 0) {
      // a method the Fetch API forbids (TRACE, TRACK; only the standalone server receives them) has no Request to
      // show: the request is answered all the same, unseen by the listeners
      let copy: Request
      try {
        copy = fetchRequestOf(request)
      } catch {
        return answer
      }
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

  const double: TwilioDouble = {
    handle,
    fetch: doubleFetch,
    httpClient: (opts) => createHttpClient(handle, opts) as unknown as TwilioRequestClient,
    messages: inspector({
      records: (filter) => registry.records(filter),
      count: (filter) => registry.count(filter),
      find: (sid) => registry.findMessage(sid),
    }),
    callbacks: {
      list: (filter) => registry.deliveries(filter),
      handle: (match, handler) => registry.handle(match, handler),
      // one set of interceptors, shared by the outboxes of every account
      interceptor: (test) => registry.first.outbox.interceptor(test),
    },
    scenarios: {
      use: (...s) => registry.scenarios.use(...s),
      list: () => registry.scenarios.list(),
      clear: () => {
        registry.scenarios.reset()
        for (const t of registry.tenants()) t.scenarios.reset()
      },
    },
    now: () => new Date(registry.first.now()),
    advance: (duration) => registry.advanceAll(toMs(duration)),
    settle: () => registry.settleAll(),
    reset: () => {
      registry.resetAll()
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
    inbound: (opts) => registry.inboundTenant(opts).receive(opts),
    tenant: (accountSid) => tenantView(registry, accountSid, eventListeners),
    get backend() {
      return registry.first.backend
    },
    options,
  }
  Object.defineProperty(double, WIRE_DOOR, { value: { dispatch: wireDispatch } satisfies WireDoor })
  Object.defineProperty(double, TENANTS, { value: registry })
  return double
}

/** Where an inspector reads records. */
interface RecordSource {
  records(filter?: MessageListFilter): MessageRecord[]
  count(filter?: MessageListFilter): number
  find(sid: string): MessageRecord | undefined
}

function requireMessage(source: RecordSource, sid: string): MessageRecord {
  const r = source.find(sid)
  if (!r)
    throw new TwilioDoubleError(
      `no message with SID ${sid}: check the SID returned by messages.create(), or list the messages with double.messages.list()`,
    )
  return r
}

/** Inspection of the records of `source`, in wire shape. */
function inspector(source: RecordSource): MessageInspector {
  return {
    list: (filter) => source.records(filter).map(renderMessage),
    get: (sid) => {
      const r = source.find(sid)
      return r ? renderMessage(r) : undefined
    },
    history: (sid) =>
      statusHistory(requireMessage(source, sid)).map((h) => ({
        status: h.status,
        at: new Date(h.at),
        ...(h.errorCode !== undefined ? { errorCode: h.errorCode } : {}),
      })),
    mediaUrls: (sid) => (requireMessage(source, sid).media ?? []).map((m) => m.url),
    feedback: (sid) => {
      const r = requireMessage(source, sid)
      return r.feedback ? renderFeedback(r) : undefined
    },
    count: (filter) => source.count(filter),
  }
}

/** The view of one account's tenant; every call finds the tenant again (a reset or a close replaces it). */
function tenantView(
  registry: TenantRegistry,
  accountSid: string,
  doubleListeners: Set<(e: BackendEvent) => void>,
): TwilioTenant {
  registry.requireTenant(accountSid)
  const tenant = (): Tenant => registry.requireTenant(accountSid)
  return {
    accountSid,
    messages: inspector({
      records: (filter) => tenant().backend.allMessages({ ...filter, accountSid }),
      count: (filter) => tenant().backend.countMessages({ ...filter, accountSid }),
      find: (sid) => tenant().backend.findMessage(sid),
    }),
    callbacks: {
      list: (filter) => tenant().outbox.list(filter),
      handle: (match, handler) => tenant().outbox.handle(match, handler),
    },
    scenarios: {
      use: (...s) => tenant().scenarios.use(...s),
      list: () => tenant().scenarios.list(),
      clear: () => tenant().scenarios.reset(),
    },
    now: () => new Date(tenant().now()),
    advance: (duration) => tenant().advance(toMs(duration)),
    settle: () => tenant().settle(),
    reset: () => registry.reset(accountSid),
    inbound: (opts) => tenant().receive({ ...opts, accountSid }),
    subscribe: (listener) => {
      // the double's events, those of this account (message and callback events name it; so does its reset)
      const own = (e: BackendEvent) => {
        const sid = e.type === 'callback' ? e.delivery.accountSid : e.accountSid
        if (sid === accountSid) listener(e)
      }
      doubleListeners.add(own)
      return () => doubleListeners.delete(own)
    },
    get backend() {
      return tenant().backend
    },
  }
}

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

const TENANTS = Symbol.for('twilio-double.tenants')

/**
 * The accounts of a double made by {@link createTwilioDouble} and the tenant serving each (for the standalone
 * server's control API); undefined for any other object.
 *
 * @example
 * tenantsOf(double)?.tenants().length // 1
 */
export function tenantsOf(double: TwilioDouble): TenantRegistry | undefined {
  return (double as unknown as Record<symbol, TenantRegistry | undefined>)[TENANTS]
}
