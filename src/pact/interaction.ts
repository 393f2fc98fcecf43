/**
 * The low-level Twilio interaction of a Pact V4 consumer test (Basic auth, form bodies with one rule per field,
 * a JSON answer), the path matchers of the Messages endpoints, and what every builder shares.
 */
import type { TemplateQuery } from '@pact-foundation/pact'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../config.js'
import { countSegments } from '../messaging/segments.js'
import type { MessageResource } from '../schemas/message.js'
import { PROVIDER_STATES } from '../server/provider-states.js'
import { type FormField, withFormBody } from './form.js'
import {
  EXAMPLE_MESSAGE_SID,
  type MessageMatcherOptions,
  type PactMatcher,
  regexMatcher,
} from './matchers.js'
import { awaitMockServerMatched } from './mock-server.js'
import { withPactTelemetryOff } from './pact-env.js'
import type { V4InteractionWithResponse, V4UnconfiguredInteraction } from './pact-types.js'

/** Where an interaction is added: a `PactV4` (a new interaction) or an interaction already started. */
export type InteractionTarget = { addInteraction(): V4UnconfiguredInteraction } | V4UnconfiguredInteraction

/** A provider state of an interaction. */
export interface InteractionState {
  name: string
  params?: Record<string, string | number | boolean | null | string[]>
}

/** The low-level description of a Twilio interaction (see {@link twilioInteraction}). */
export interface TwilioInteractionSpec {
  description: string
  states?: InteractionState[]
  method: 'GET' | 'POST' | 'DELETE'
  /** A path, or a matcher of paths (e.g. a regex with an example path). */
  path: string | PactMatcher<string>
  query?: TemplateQuery
  /** Form fields of a POST body: plain values match exactly, matchers by rule. */
  form?: Record<string, FormField | undefined>
  /** Account and token of the example `Authorization` header (default: the double's default account). */
  accountSid?: string
  authToken?: string
  /** HTTP status of the answer. */
  status: number
  /** JSON body of the answer (matchers allowed); none for 204. */
  body?: unknown
}

const JSON_TYPE = () => regexMatcher(/^application\/json(;.*)?$/, 'application/json; charset=utf-8')
const FORM_TYPE = () =>
  regexMatcher(/^application\/x-www-form-urlencoded(;.*)?$/, 'application/x-www-form-urlencoded')
const BASIC = (sid: string, token: string) =>
  regexMatcher(/^Basic [A-Za-z0-9+/]+=*$/, `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`)

export function start(target: InteractionTarget): V4UnconfiguredInteraction {
  return 'addInteraction' in target ? target.addInteraction() : target
}

/**
 * The path matcher of the Messages list/create endpoint: any account SID, this one as the example.
 *
 * @example
 * twilioInteraction(pact, { description: 'a create', method: 'POST', path: messagesPath(), form, status: 201, body })
 */
export function messagesPath(accountSid: string = DEFAULT_ACCOUNT_SID): PactMatcher<string> {
  return regexMatcher(
    /^\/2010-04-01\/Accounts\/AC[0-9a-fA-F]{32}\/Messages\.json$/,
    `/2010-04-01/Accounts/${accountSid}/Messages.json`,
  )
}

/**
 * The path matcher of one message: any account and message SID, these as the example.
 *
 * @example
 * twilioInteraction(pact, { description: 'a fetch', method: 'GET', path: messagePath(sid), status: 200, body })
 */
export function messagePath(
  sid: string = EXAMPLE_MESSAGE_SID,
  accountSid: string = DEFAULT_ACCOUNT_SID,
): PactMatcher<string> {
  return regexMatcher(
    /^\/2010-04-01\/Accounts\/AC[0-9a-fA-F]{32}\/Messages\/(SM|MM)[0-9a-fA-F]{32}\.json$/,
    `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
  )
}

/**
 * Adds a Twilio interaction to a Pact V4 consumer test: Basic auth and form-encoded bodies with one matching
 * rule per field, a JSON answer. The result is ready for `.executeTest()`.
 *
 * @example
 * await twilioInteraction(pact, {
 *   description: 'a request for one message',
 *   states: [{ name: 'a message exists', params: { sid } }],
 *   method: 'GET',
 *   path: messagePath(sid),
 *   status: 200,
 *   body: messageMatcher({ sid, status: 'delivered' }),
 * }).executeTest(async (mockServer) => { ... })
 */
export function twilioInteraction(
  target: InteractionTarget,
  spec: TwilioInteractionSpec,
): V4InteractionWithResponse {
  let interaction = start(target)
  for (const state of spec.states ?? []) interaction = interaction.given(state.name, state.params as never)
  const accountSid = spec.accountSid ?? DEFAULT_ACCOUNT_SID
  const authToken = spec.authToken ?? DEFAULT_AUTH_TOKEN
  const complete = interaction
    .uponReceiving(spec.description)
    .withRequest(spec.method, spec.path, (b) => {
      b.headers({
        Authorization: BASIC(accountSid, authToken),
        ...(spec.form ? { 'Content-Type': FORM_TYPE() } : {}),
      })
      if (spec.query) b.query(spec.query)
      if (spec.form) withFormBody(b, spec.form)
    })
    .willRespondWith(spec.status, (b) => {
      if (spec.body === undefined) return
      b.headers({ 'Content-Type': JSON_TYPE() })
      b.jsonBody(spec.body)
    })
  // the test function's requests are recorded by the mock server before executeTest() checks them
  const execute = complete.executeTest.bind(complete)
  complete.executeTest = (testFn) =>
    withPactTelemetryOff(() =>
      execute(async (mockServer) => {
        const value = await testFn(mockServer)
        awaitMockServerMatched(mockServer.port)
        return value
      }),
    )
  return complete
}

/** Options every builder takes. */
export interface BuilderOptions extends MessageMatcherOptions {
  /** Default: a description naming the operation. */
  description?: string
  /** Default {@link DEFAULT_ACCOUNT_SID}. */
  accountSid?: string
  /** Token of the example `Authorization` header (default {@link DEFAULT_AUTH_TOKEN}). */
  authToken?: string
  /** More provider states, after the builder's own. */
  states?: InteractionState[]
  /** Example values of the answered message (the consumer test receives these). */
  response?: Partial<MessageResource>
  /** More form fields of the request (Twilio parameter names; known ones get their default matcher). */
  params?: Record<string, FormField>
}

export function accountState(accountSid: string): InteractionState {
  return { name: PROVIDER_STATES.accountExists, params: { accountSid } }
}

export function segmentsOf(body: string | undefined): string {
  return String(body ? countSegments(body).segments : 0)
}
