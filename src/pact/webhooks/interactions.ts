/**
 * Builders of webhook pacts, where Twilio is the consumer and your app the provider: status callbacks,
 * inbound message webhooks (SMS, MMS, WhatsApp) and fallback requests, each a signed form POST to a path of
 * your app. `executeTest()` with no argument sends the example request to the mock server as Twilio would.
 */
import { twilioSignature } from '../../callbacks/signature.js'
import { DEFAULT_AUTH_TOKEN } from '../../config.js'
import { TwilioDoubleError } from '../../errors/twilio-api-error.js'
import { pact } from '../../peers/pact.js'
import type { InboundWebhookParams, StatusCallbackParams } from '../../schemas/webhooks.js'
import { type FormField, pactFormBody, withFormBody } from '../form.js'
import { type InteractionState, type InteractionTarget, start } from '../interaction.js'
import { regexMatcher } from '../matchers.js'
import { awaitMockServerMatched } from '../mock-server.js'
import { withPactTelemetryOff } from '../pact-env.js'
import type { V4InteractionWithResponse } from '../pact-types.js'
import {
  type InboundExample,
  inboundParams,
  type StatusCallbackExample,
  statusCallbackParams,
  webhookFormFields,
} from './forms.js'

const { MatchersV3 } = pact

/** The request a webhook interaction describes, with its example values. */
export interface WebhookRequestExample {
  method: 'POST'
  /** The path of your app's route, with its query if any. */
  path: string
  /** The example form parameters (the values a consumer test sends). */
  params: Record<string, string | string[]>
}

type MockServer = Parameters<Parameters<V4InteractionWithResponse['executeTest']>[0]>[0]

/** A webhook interaction ready to run: `executeTest()` sends the example request, signed, to the mock server. */
export type WebhookInteraction = Omit<V4InteractionWithResponse, 'executeTest'> & {
  readonly example: WebhookRequestExample
  /** Runs the consumer test: your function, or by default one request sent as Twilio sends it. */
  executeTest<T = Response>(testFn?: (mockServer: MockServer) => Promise<T>): Promise<T | undefined>
}

/** Options every webhook builder takes. */
export interface WebhookBuilderOptions<Field extends string = string> {
  /** Path of your app's route (default `/twilio/status` for status callbacks, `/twilio/sms` for messages). */
  path?: string
  /** Default: a description naming the request. */
  description?: string
  /** Provider states your app sets up before the request (e.g. a message it sent). */
  states?: InteractionState[]
  /** Form fields matched by value instead of by format, e.g. `['MessageStatus', 'ErrorCode']`. */
  exact?: Field[]
  /** More form fields, or replacements (a plain value is matched exactly, a matcher by its rule). */
  params?: Record<string, FormField>
  /** Token that signs the example request of the consumer test (default {@link DEFAULT_AUTH_TOKEN}). */
  authToken?: string
  /** The status your app answers with (default: any 2xx, as Twilio accepts). */
  responseStatus?: number
}

const SIGNATURE = /^[A-Za-z0-9+/]{27}=$/
const FORM_TYPE = /^application\/x-www-form-urlencoded(;.*)?$/

function sendExample(
  mockServerUrl: string,
  example: WebhookRequestExample,
  authToken: string,
): Promise<Response> {
  const url = new URL(example.path, mockServerUrl).toString()
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(example.params))
    for (const value of Array.isArray(v) ? v : [v]) body.append(k, value)
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-twilio-signature': twilioSignature(authToken, url, example.params),
      'user-agent': 'TwilioProxy/1.1',
    },
    body,
  })
}

function webhookInteraction(
  target: InteractionTarget,
  spec: {
    description: string
    states: InteractionState[]
    path: string
    fields: Record<string, FormField>
    authToken: string
    responseStatus?: number
  },
): WebhookInteraction {
  if (!spec.path.startsWith('/'))
    throw new TwilioDoubleError(`webhook path ${spec.path}: give the path of your route, starting with /`)
  const [pathname, query] = spec.path.split('?', 2) as [string, string | undefined]
  let interaction = start(target)
  for (const state of spec.states) interaction = interaction.given(state.name, state.params as never)
  const complete = interaction
    .uponReceiving(spec.description)
    .withRequest('POST', pathname, (b) => {
      b.headers({
        'Content-Type': regexMatcher(FORM_TYPE, 'application/x-www-form-urlencoded; charset=utf-8'),
        'X-Twilio-Signature': regexMatcher(SIGNATURE, 'DcsRrtnIrAXCv0xBbx9987D4xZs='),
      })
      if (query) {
        const q: Record<string, string[]> = {}
        for (const [k, v] of new URLSearchParams(query)) q[k] = [...(q[k] ?? []), v]
        b.query(q)
      }
      withFormBody(b, spec.fields)
    })
    .willRespondWith(
      spec.responseStatus ?? MatchersV3.matchStatus(200, MatchersV3.HTTPResponseStatusClass.Success),
    )
  const example: WebhookRequestExample = {
    method: 'POST',
    path: spec.path,
    params: pactFormBody(spec.fields).example,
  }
  const execute = complete.executeTest.bind(complete)
  return Object.assign(complete, {
    example,
    executeTest: <T = Response>(testFn?: (mockServer: MockServer) => Promise<T>) =>
      withPactTelemetryOff(() =>
        execute(async (mockServer) => {
          const value = testFn
            ? await testFn(mockServer)
            : ((await sendExample(mockServer.url, example, spec.authToken)) as T)
          awaitMockServerMatched(mockServer.port)
          return value
        }),
      ),
  }) as WebhookInteraction
}

/** Options of {@link statusCallbackInteraction}. */
export interface StatusCallbackInteractionOptions
  extends WebhookBuilderOptions<keyof StatusCallbackParams & string>,
    StatusCallbackExample {}

/**
 * A status callback Twilio sends to your app: `POST` of the message's new status (`MessageStatus`), with
 * `ErrorCode` when it failed or was undelivered, `RawDlrDoneDate` on SMS delivery reports, and on WhatsApp
 * `ChannelPrefix` (and `EventType=READ` for a read receipt). Fields match by format; `exact` pins chosen ones.
 *
 * @example
 * const pact = new PactV4({ consumer: 'Twilio', provider: 'my-app', dir: 'pacts' })
 * await statusCallbackInteraction(pact, { path: '/twilio/status', status: 'undelivered', errorCode: 30003, exact: ['MessageStatus', 'ErrorCode'] })
 *   .executeTest()
 */
export function statusCallbackInteraction(
  target: InteractionTarget,
  options: StatusCallbackInteractionOptions = {},
): WebhookInteraction {
  const params = statusCallbackParams(options)
  const status = params.MessageStatus
  return webhookInteraction(target, {
    description:
      options.description ??
      `a status callback: ${status}${params.ErrorCode ? ` (error ${params.ErrorCode})` : ''}${params.ChannelPrefix ? ` on ${params.ChannelPrefix}` : ''}`,
    states: options.states ?? [],
    path: options.path ?? '/twilio/status',
    fields: { ...webhookFormFields('status-callback', params, options.exact), ...options.params },
    authToken: options.authToken ?? DEFAULT_AUTH_TOKEN,
    ...(options.responseStatus !== undefined ? { responseStatus: options.responseStatus } : {}),
  })
}

/** Options of {@link inboundMessageInteraction}. */
export interface InboundMessageInteractionOptions
  extends WebhookBuilderOptions<keyof InboundWebhookParams & string>,
    InboundExample {}

function inboundDescription(params: Record<string, string>, what: string): string {
  const media = Number(params.NumMedia)
  const kind = params.ProfileName !== undefined ? 'WhatsApp message' : media > 0 ? 'MMS' : 'SMS'
  return `${what} ${kind}${media > 0 ? ` with ${media} media` : ''}`
}

/**
 * An inbound message webhook Twilio sends to your app when someone texts your number: SMS, MMS (`media`:
 * content types, each with `MediaUrl{N}` and `MediaContentType{N}`) or WhatsApp (`channel: 'whatsapp'`, with
 * `ProfileName` and `WaId`). Your app answers 2xx (TwiML or empty).
 *
 * @example
 * await inboundMessageInteraction(pact, { path: '/twilio/sms', body: 'STOP' }).executeTest()
 * await inboundMessageInteraction(pact, { channel: 'whatsapp', media: ['image/jpeg'] }).executeTest()
 */
export function inboundMessageInteraction(
  target: InteractionTarget,
  options: InboundMessageInteractionOptions = {},
): WebhookInteraction {
  const params = inboundParams(options)
  return webhookInteraction(target, {
    description: options.description ?? inboundDescription(params, 'an inbound'),
    states: options.states ?? [],
    path: options.path ?? '/twilio/sms',
    fields: { ...webhookFormFields('inbound', params, options.exact), ...options.params },
    authToken: options.authToken ?? DEFAULT_AUTH_TOKEN,
    ...(options.responseStatus !== undefined ? { responseStatus: options.responseStatus } : {}),
  })
}

/** Options of {@link fallbackInteraction}. */
export interface FallbackInteractionOptions extends InboundMessageInteractionOptions {
  /** Why the primary URL failed (default 11200, HTTP retrieval failure). */
  errorCode?: number
  /** The primary URL that failed (default `https://app.example.com/twilio/sms`). */
  errorUrl?: string
}

/**
 * The request Twilio sends to your fallback URL when the primary webhook of an inbound message failed: the
 * inbound parameters plus `ErrorCode` and `ErrorUrl`.
 *
 * @example
 * await fallbackInteraction(pact, { path: '/twilio/sms-fallback', errorCode: 11200 }).executeTest()
 */
export function fallbackInteraction(
  target: InteractionTarget,
  options: FallbackInteractionOptions = {},
): WebhookInteraction {
  const params = {
    ...inboundParams(options),
    ErrorCode: String(options.errorCode ?? 11200),
    ErrorUrl: options.errorUrl ?? 'https://app.example.com/twilio/sms',
  }
  return webhookInteraction(target, {
    description: options.description ?? inboundDescription(params, 'a fallback request for an inbound'),
    states: options.states ?? [],
    path: options.path ?? '/twilio/sms-fallback',
    fields: { ...webhookFormFields('inbound', params, options.exact), ...options.params },
    authToken: options.authToken ?? DEFAULT_AUTH_TOKEN,
    ...(options.responseStatus !== undefined ? { responseStatus: options.responseStatus } : {}),
  })
}
