import { DEFAULT_FROM, type PhoneNumberOptions } from '../config.js'
import type { TwilioDouble } from '../double.js'
import { TOOLKIT_ERROR_PREFIX, TwilioApiError, TwilioDoubleError } from '../errors/twilio-api-error.js'
import { renderMessage } from '../http/render.js'
import { json } from '../http/respond.js'
import { addressKey } from '../messaging/address.js'
import type { BackendEvent } from '../messaging/backend.js'
import type { MessageRecord } from '../messaging/types.js'
import { messageDirection, messageStatus } from '../schemas/common.js'
import { type ProviderStateContext, providerStateHandlers } from './provider-states.js'
import { scenarioFromJson, scenarioToJson } from './scenario-json.js'

/** The reserved path prefix of the control API. */
export const CONTROL_PREFIX = '/__double'

/** The shape of every control API error: `{ error, message }`. */
export interface ControlError {
  /** A stable machine-readable kind: `bad_request`, `invalid_json`, `not_found`, `method_not_allowed`, ... */
  error: string
  /** What went wrong and what to do. */
  message: string
}

/** The control API of one double: a Fetch handler for `/__double/*` plus its open event streams. */
export interface ControlApi {
  handle(request: Request): Promise<Response>
  /** Ends every open `/__double/events` stream (before the server closes). */
  closeStreams(): void
}

type Handler = (request: Request, url: URL, params: string[]) => Promise<Response> | Response

interface Route {
  pattern: RegExp
  methods: Partial<Record<'GET' | 'POST' | 'PUT' | 'DELETE', Handler>>
}

/** A control API error response. */
export function controlError(
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  // the answer is the control API's own: a refusal from elsewhere in the double loses its `[twilio-double]` mark
  const own = message.startsWith(TOOLKIT_ERROR_PREFIX) ? message.slice(TOOLKIT_ERROR_PREFIX.length) : message
  return json(status, { error, message: own } satisfies ControlError, headers)
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly kind = 'bad_request',
  ) {
    super(message)
  }
}

/**
 * True when a browser sends the request from another origin (a web page the user happens to open must not
 * reset the double or add scenarios). Tests, curl and other clients send no Origin and are not affected.
 */
function isCrossSite(request: Request, url: URL): boolean {
  if (request.headers.get('sec-fetch-site') === 'cross-site') return true
  const origin = request.headers.get('origin')
  if (!origin) return false
  try {
    return new URL(origin).host !== url.host
  } catch {
    return true
  }
}

async function readJson(request: Request, required: boolean): Promise<unknown> {
  const text = await request.text()
  if (text.trim() === '') {
    if (required) throw new BadRequest('this endpoint needs a JSON body')
    return {}
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new BadRequest(`the body is not valid JSON (${(err as Error).message})`, 'invalid_json')
  }
}

function object(value: unknown, example: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new BadRequest(`the body must be a JSON object such as ${example}`)
  return value as Record<string, unknown>
}

function stringParam(obj: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = obj[key]
  if (v === undefined || v === null) {
    if (required) throw new BadRequest(`"${key}" is required`)
    return undefined
  }
  if (typeof v !== 'string' || v === '') throw new BadRequest(`"${key}" must be a non-empty string`)
  return v
}

/** The optional string fields of an inbound message besides `from` and `to`, and its string-list fields. */
const INBOUND_TEXT_FIELDS = ['body', 'profileName', 'accountSid', 'messagingServiceSid', 'channel'] as const
const INBOUND_LIST_FIELDS = ['mediaUrls', 'mediaContentTypes'] as const

/** Refuses a body with fields other than `known` (a misspelt field would otherwise be dropped silently). */
function refuseUnknown(obj: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(obj).filter((k) => !known.includes(k))
  if (unknown.length > 0)
    throw new BadRequest(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}${where}; known fields: ${known.join(', ')}`,
    )
}

/** An http(s) URL field of a JSON body. */
function webhookUrl(obj: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = stringParam(obj, key, required)
  if (v === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(v)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new BadRequest(
      `"${key}" must be an http or https URL, such as http://127.0.0.1:3000/sms (got ${v})`,
    )
  return v
}

function query(url: URL, key: string): string | undefined {
  const v = url.searchParams.get(key)
  return v === null || v === '' ? undefined : v
}

const iso = (d: Date) => d.toISOString()

/** A whole-number query parameter (`limit`, `offset`), or undefined when absent. */
function wholeNumber(url: URL, key: string): number | undefined {
  const v = query(url, key)
  if (v === undefined) return undefined
  if (!/^\d{1,9}$/.test(v)) throw new BadRequest(`"${key}" must be a whole number (got '${v}')`)
  return Number(v)
}

const CHANNELS = ['sms', 'mms', 'whatsapp', 'messenger', 'rcs']

/** The `channel` and `q` filters of GET /messages: `q` searches SID, To, From, body and error code. */
function searchMessages(records: MessageRecord[], url: URL): MessageRecord[] {
  const channel = query(url, 'channel')
  if (channel !== undefined && !CHANNELS.includes(channel))
    throw new BadRequest(`channel '${channel}' is not a channel; use one of ${CHANNELS.join(', ')}`)
  const q = query(url, 'q')?.trim().toLowerCase()
  if (!channel && !q) return records
  return records.filter((r) => {
    if (channel === 'sms' && (r.channel !== 'sms' || r.numMedia > 0)) return false
    if (channel === 'mms' && (r.channel !== 'sms' || r.numMedia === 0)) return false
    if (channel && channel !== 'sms' && channel !== 'mms' && r.channel !== channel) return false
    if (!q) return true
    return (
      r.sid.toLowerCase().includes(q) ||
      r.to.toLowerCase().includes(q) ||
      (r.from ?? '').toLowerCase().includes(q) ||
      r.body.toLowerCase().includes(q) ||
      (r.errorCode !== null && String(r.errorCode) === q)
    )
  })
}

/**
 * Builds the control API of the standalone server (see the README section "Standalone server"):
 *
 * | method + path | what |
 * |---|---|
 * | GET /__double/health | status, virtual time, counts |
 * | POST /__double/reset | back to the starting state |
 * | GET /__double/messages?to=&from=&status=&direction=&accountSid=&channel=&q=&limit=&offset= | stored messages, newest first, with `total` |
 * | GET /__double/messages/:sid | one message with its status history, media and callbacks |
 * | GET /__double/credentials | accounts with their auth tokens, API keys, numbers and messaging services |
 * | GET /__double/callbacks?messageSid=&status=&kind= | status callback and webhook deliveries |
 * | GET, POST, DELETE /__double/scenarios | list, add (JSON; RegExp as {"source","flags"} or "/re/"), clear |
 * | POST /__double/advance {"by":"90s"} | move virtual time |
 * | POST /__double/settle | run everything pending |
 * | POST /__double/inbound {"from","to","body"} | simulate an inbound message (when the double supports it) |
 * | GET /__double/numbers | numbers with inbound webhooks (from the options and set here) |
 * | PUT, DELETE /__double/numbers/:number {"smsUrl","smsMethod","smsFallbackUrl","smsFallbackMethod","accountSid"} | set or remove a number's inbound webhooks until reset |
 * | POST /__double/provider-states {"state","params","action"} | Pact provider state change endpoint |
 * | GET /__double/events | server-sent events of messages and callbacks |
 *
 * @example
 * const control = createControlApi(double)
 * const res = await control.handle(new Request('http://localhost/__double/health'))
 */
export function createControlApi(double: TwilioDouble): ControlApi {
  const streams = new Set<() => void>()
  const stateContext: ProviderStateContext = { invalidCredentials: false }
  const states = providerStateHandlers(double, stateContext)

  const routes: Route[] = [
    {
      pattern: /^\/health$/,
      methods: {
        GET: () =>
          json(200, {
            status: 'ok',
            now: iso(double.now()),
            accounts: [...double.backend.accounts.keys()],
            messages: double.messages.count(),
            inFlight: double.backend.inFlight,
            callbacks: double.callbacks.list().length,
            scenarios: double.scenarios.list().length,
            inbound: typeof (double as { inbound?: unknown }).inbound === 'function',
          }),
      },
    },
    {
      pattern: /^\/credentials$/,
      methods: {
        GET: () =>
          json(200, {
            defaultFrom: DEFAULT_FROM,
            accounts: [...double.backend.accounts.values()].map((a) => ({
              sid: a.sid,
              authToken: a.authToken,
              apiKeys: [...a.apiKeys].map(([sid, secret]) => ({ sid, secret })),
              phoneNumbers: a.ownedNumbers ? [...a.ownedNumbers.values()] : null,
              // inbound webhooks set with PUT /numbers/:number (they win over phoneNumbers)
              webhooks: [...a.webhooks.values()],
              messagingServices: [...a.services.values()],
            })),
          }),
      },
    },
    {
      pattern: /^\/reset$/,
      methods: {
        POST: () => {
          double.reset()
          return json(200, { ok: true, now: iso(double.now()) })
        },
      },
    },
    {
      pattern: /^\/messages$/,
      methods: {
        GET: (_req, url) => {
          const status = query(url, 'status')
          if (status !== undefined && !messageStatus.safeParse(status).success)
            throw new BadRequest(
              `status '${status}' is not a message status; use one of ${messageStatus.options.join(', ')}`,
            )
          const direction = query(url, 'direction')
          if (direction !== undefined && !messageDirection.safeParse(direction).success)
            throw new BadRequest(
              `direction '${direction}' is not a message direction; use one of ${messageDirection.options.join(', ')}`,
            )
          const filter = {
            to: query(url, 'to'),
            from: query(url, 'from'),
            status: status as never,
            direction: direction as never,
            accountSid: query(url, 'accountSid'),
          }
          const matching = searchMessages(double.backend.allMessages(filter), url)
          const offset = wholeNumber(url, 'offset') ?? 0
          const limit = wholeNumber(url, 'limit')
          const page = matching.slice(offset, limit === undefined ? undefined : offset + limit)
          const messages = page.map(renderMessage)
          return json(200, { messages, count: messages.length, total: matching.length, offset, limit })
        },
      },
    },
    {
      pattern: /^\/messages\/([^/]+)$/,
      methods: {
        GET: (_req, _url, [sid]) => {
          const message = double.messages.get(sid!)
          if (!message)
            return controlError(
              404,
              'not_found',
              `no message with SID ${sid}; list them with GET ${CONTROL_PREFIX}/messages`,
            )
          return json(200, {
            message,
            history: double.messages.history(sid!).map((h) => ({ ...h, at: iso(h.at) })),
            mediaUrls: double.messages.mediaUrls(sid!),
            media: (double.backend.findMessage(sid!)?.media ?? []).map((m) => ({
              sid: m.sid,
              url: m.url,
              contentType: m.contentType,
            })),
            callbacks: double.callbacks.list({ messageSid: sid! }),
          })
        },
      },
    },
    {
      pattern: /^\/callbacks$/,
      methods: {
        GET: (_req, url) => {
          const kind = query(url, 'kind')
          if (kind !== undefined && kind !== 'status' && kind !== 'inbound')
            throw new BadRequest(`kind '${kind}' is not a callback kind; use status or inbound`)
          const callbacks = double.callbacks.list({
            messageSid: query(url, 'messageSid'),
            status: query(url, 'status'),
            kind: kind as 'status' | 'inbound' | undefined,
          })
          return json(200, { callbacks, count: callbacks.length })
        },
      },
    },
    {
      pattern: /^\/scenarios$/,
      methods: {
        GET: () => json(200, { scenarios: double.scenarios.list().map(scenarioToJson) }),
        POST: async (req) => {
          const body = await readJson(req, true)
          const list =
            body && typeof body === 'object' && !Array.isArray(body) && 'scenarios' in body
              ? (body as { scenarios: unknown }).scenarios
              : body
          const items = Array.isArray(list) ? list : [list]
          if (items.length === 0) throw new BadRequest('pass at least one scenario')
          double.scenarios.use(...items.map(scenarioFromJson))
          return json(201, { added: items.length, scenarios: double.scenarios.list().map(scenarioToJson) })
        },
        DELETE: () => {
          double.scenarios.clear()
          return json(200, { ok: true, scenarios: [] })
        },
      },
    },
    {
      pattern: /^\/advance$/,
      methods: {
        POST: async (req) => {
          const body = object(await readJson(req, true), '{"by":"90s"}')
          const by = body.by
          if (typeof by !== 'string' && typeof by !== 'number')
            throw new BadRequest('"by" must be a duration such as "90s", "5m" or a number of milliseconds')
          if (double.backend.scheduler.mode === 'real')
            return controlError(
              409,
              'real_clock',
              'this double runs on the real clock (twilio-double serve --clock real), where time moves by itself: POST /__double/settle runs everything pending now; to move time with /advance, start it with --clock virtual',
            )
          await double.advance(by)
          return json(200, { now: iso(double.now()) })
        },
      },
    },
    {
      pattern: /^\/settle$/,
      methods: {
        POST: async () => {
          await double.settle()
          return json(200, { now: iso(double.now()) })
        },
      },
    },
    {
      pattern: /^\/inbound$/,
      methods: {
        POST: async (req) => {
          const inbound = (double as { inbound?: (spec: unknown) => unknown }).inbound
          if (typeof inbound !== 'function')
            return controlError(
              501,
              'not_implemented',
              'this version of the double cannot simulate inbound messages yet (double.inbound is missing); upgrade twilio-double',
            )
          const body = object(
            await readJson(req, true),
            '{"from":"+15558675310","to":"+15005550006","body":"Hi"}',
          )
          refuseUnknown(
            body,
            ['from', 'to', ...INBOUND_TEXT_FIELDS, ...INBOUND_LIST_FIELDS],
            ' in an inbound message',
          )
          const spec: Record<string, unknown> = {
            from: stringParam(body, 'from', true),
            to: stringParam(body, 'to', true),
          }
          for (const key of INBOUND_TEXT_FIELDS) {
            if (body[key] === undefined) continue
            if (typeof body[key] !== 'string') throw new BadRequest(`"${key}" must be a string`)
            spec[key] = body[key]
          }
          for (const key of INBOUND_LIST_FIELDS) {
            const v = body[key]
            if (v === undefined) continue
            if (!Array.isArray(v) || !v.every((u) => typeof u === 'string'))
              throw new BadRequest(`"${key}" must be an array of strings`)
            spec[key] = v
          }
          const result = await inbound.call(double, spec)
          return json(201, result ?? {})
        },
      },
    },
    {
      pattern: /^\/numbers$/,
      methods: {
        GET: () =>
          json(200, {
            numbers: [...double.backend.accounts.values()].flatMap((a) => {
              const own = [...(a.ownedNumbers?.values() ?? [])]
                .filter((n) => !a.webhooks.has(addressKey(n.number)))
                .map((n) => ({ accountSid: a.sid, ...n, source: 'options' }))
              const set = [...a.webhooks.values()].map((n) => ({
                accountSid: a.sid,
                ...n,
                source: 'control',
              }))
              return [...set, ...own]
            }),
          }),
      },
    },
    {
      pattern: /^\/numbers\/([^/]+)$/,
      methods: {
        PUT: async (req, _url, [number]) => {
          const body = object(
            await readJson(req, true),
            '{"smsUrl":"http://127.0.0.1:3000/sms","smsMethod":"POST"}',
          )
          refuseUnknown(
            body,
            ['smsUrl', 'smsMethod', 'smsFallbackUrl', 'smsFallbackMethod', 'accountSid'],
            '',
          )
          const settings: PhoneNumberOptions = { number: number!, smsUrl: webhookUrl(body, 'smsUrl', true) }
          const fallback = webhookUrl(body, 'smsFallbackUrl', false)
          if (fallback) settings.smsFallbackUrl = fallback
          for (const key of ['smsMethod', 'smsFallbackMethod'] as const) {
            const m = body[key]
            if (m === undefined) continue
            if (m !== 'GET' && m !== 'POST') throw new BadRequest(`"${key}" must be GET or POST`)
            settings[key] = m
          }
          const accountSid = stringParam(body, 'accountSid', false)
          return json(200, double.backend.setNumberWebhooks(settings, accountSid))
        },
        DELETE: (_req, url, [number]) =>
          json(200, { removed: double.backend.clearNumberWebhooks(number!, query(url, 'accountSid')) }),
      },
    },
    {
      pattern: /^\/provider-states$/,
      methods: {
        POST: async (req) => {
          const body = object(
            await readJson(req, true),
            '{"state":"a message exists","params":{"sid":"SM…"}}',
          )
          const action = body.action ?? 'setup'
          if (action === 'teardown') {
            double.reset()
            stateContext.invalidCredentials = false
            return json(200, {})
          }
          if (action !== 'setup') throw new BadRequest('"action" must be setup or teardown')
          const state = stringParam(body, 'state', true)!
          const handler = states[state]
          if (!handler)
            return controlError(
              400,
              'unknown_state',
              `unknown provider state '${state}'; known states: ${Object.keys(states).join(', ')}`,
            )
          const params =
            body.params === undefined || body.params === null ? {} : object(body.params, '{"sid":"SM…"}')
          return json(200, (await handler(params)) ?? {})
        },
      },
    },
    {
      pattern: /^\/events$/,
      methods: { GET: (req) => eventStream(double, req, streams) },
    },
  ]

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const sub = url.pathname.slice(CONTROL_PREFIX.length) || '/'
    for (const route of routes) {
      const m = route.pattern.exec(sub)
      if (!m) continue
      const method = request.method.toUpperCase() as keyof Route['methods']
      const handler = route.methods[method]
      if (!handler) {
        const allow = Object.keys(route.methods).join(', ')
        return controlError(
          405,
          'method_not_allowed',
          `${request.method} is not allowed here; use ${allow}`,
          {
            allow,
          },
        )
      }
      if (method !== 'GET' && isCrossSite(request, url))
        return controlError(
          403,
          'cross_site',
          'control requests from another web origin are refused; call the control API from your tests, curl or the inbox page itself',
        )
      try {
        const params = m.slice(1).map((p) => {
          try {
            return decodeURIComponent(p)
          } catch {
            return p
          }
        })
        return await handler(request, url, params)
      } catch (err) {
        if (err instanceof BadRequest) return controlError(400, err.kind, err.message)
        if (err instanceof TwilioDoubleError) return controlError(400, 'bad_request', err.message)
        if (err instanceof TwilioApiError)
          return json(err.status, { error: 'twilio_error', message: err.message, code: err.code })
        return controlError(
          500,
          'internal_error',
          `the control API failed: ${(err as Error)?.message ?? String(err)}`,
        )
      }
    }
    return controlError(
      404,
      'not_found',
      `no control endpoint ${request.method} ${url.pathname}; see GET ${CONTROL_PREFIX}/health and the README`,
    )
  }

  return {
    handle,
    closeStreams: () => {
      for (const close of [...streams]) close()
    },
  }
}

const encoder = new TextEncoder()

function frame(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
}

function describeEvent(double: TwilioDouble, e: BackendEvent): unknown {
  if (e.type === 'message') return { ...e, message: double.messages.get(e.sid) ?? null }
  return e
}

/** Most events buffered for a slow reader before its stream is ended. */
const MAX_BUFFERED_EVENTS = 10_000

function eventStream(double: TwilioDouble, request: Request, streams: Set<() => void>): Response {
  let cleanup = () => {}
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true
      const close = () => {
        if (!open) return
        open = false
        unsubscribe()
        clearInterval(heartbeat)
        streams.delete(close)
        request.signal.removeEventListener('abort', close)
        try {
          controller.close()
        } catch {
          // already closed or errored
        }
      }
      const send = (chunk: Uint8Array) => {
        if (!open) return
        if ((controller.desiredSize ?? 0) < -MAX_BUFFERED_EVENTS) return close()
        controller.enqueue(chunk)
      }
      const unsubscribe = double.subscribe((e) => send(frame(e.type, describeEvent(double, e))))
      const heartbeat = setInterval(() => send(encoder.encode(': keep-alive\n\n')), 15_000)
      heartbeat.unref?.()
      streams.add(close)
      request.signal.addEventListener('abort', close)
      cleanup = close
      controller.enqueue(encoder.encode(`retry: 1000\n\n`))
      controller.enqueue(frame('hello', { now: iso(double.now()) }))
    },
    cancel() {
      cleanup()
    },
  })
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  })
}
