import { MatchersV3, type TemplateQuery } from '@pact-foundation/pact'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../config.js'
import { errorStatus, isKnownErrorCode } from '../errors/catalog.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { countSegments } from '../messaging/segments.js'
import { MAGIC_NUMBERS } from '../scenarios/magic-numbers.js'
import type { MessageStatus } from '../schemas/common.js'
import type { MessageResource } from '../schemas/message.js'
import { PROVIDER_STATES } from '../server/provider-states.js'
import { type FormField, twilioParams, withFormBody } from './form.js'
import {
  EXAMPLE_MESSAGE_SID,
  EXAMPLE_MMS_SID,
  EXAMPLE_TO,
  errorMatcher,
  type MessageMatcherOptions,
  messageMatcher,
  messagePageMatcher,
  type PactMatcher,
  regexMatcher,
} from './matchers.js'
import { awaitMockServerMatched } from './mock-server.js'
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

function start(target: InteractionTarget): V4UnconfiguredInteraction {
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
    execute(async (mockServer) => {
      const value = await testFn(mockServer)
      awaitMockServerMatched(mockServer.port)
      return value
    })
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

function accountState(accountSid: string): InteractionState {
  return { name: PROVIDER_STATES.accountExists, params: { accountSid } }
}

function segmentsOf(body: string | undefined): string {
  return String(body ? countSegments(body).segments : 0)
}

/** Options of {@link createMessageInteraction}. */
export interface CreateMessageOptions extends BuilderOptions {
  /** Default `+15558675310`. */
  to?: string
  /** Default {@link DEFAULT_FROM}. */
  from?: string
  /** Default `Hello from twilio-double`. */
  body?: string
  statusCallback?: string
}

/**
 * Create Message (SMS from a number): `POST …/Messages.json` with To, From and Body, answered 201 `queued`.
 *
 * @example
 * await createMessageInteraction(pact, { to: '+15558675310', body: 'Your code is 1234' })
 *   .executeTest(async (mockServer) => {
 *     const client = await twilioClientFor(mockServer.url)
 *     await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Your code is 1234' })
 *   })
 */
export function createMessageInteraction(
  target: InteractionTarget,
  options: CreateMessageOptions = {},
): V4InteractionWithResponse {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  const to = options.to ?? EXAMPLE_TO
  const from = options.from ?? DEFAULT_FROM
  const body = options.body ?? 'Hello from twilio-double'
  return twilioInteraction(target, {
    description: options.description ?? 'a request to send an SMS',
    states: [accountState(accountSid), ...(options.states ?? [])],
    method: 'POST',
    path: messagesPath(accountSid),
    accountSid,
    authToken: options.authToken,
    form: twilioParams({
      To: to,
      From: from,
      Body: body,
      StatusCallback: options.statusCallback,
      ...options.params,
    }),
    status: 201,
    body: messageMatcher(
      {
        account_sid: accountSid,
        to,
        from,
        body,
        num_segments: segmentsOf(body),
        status: 'queued',
        ...options.response,
      },
      options,
    ),
  })
}

/** Options of {@link createMmsInteraction}. */
export interface CreateMmsOptions extends CreateMessageOptions {
  /** Default one PNG URL. */
  mediaUrls?: string[]
}

/**
 * Create Message with media (MMS): repeated `MediaUrl` keys, each matched as a URL; answered 201 with an `MM…` SID.
 *
 * @example
 * await createMmsInteraction(pact, { mediaUrls: ['https://example.com/a.png', 'https://example.com/b.png'] })
 *   .executeTest(async (mockServer) => { ... })
 */
export function createMmsInteraction(
  target: InteractionTarget,
  options: CreateMmsOptions = {},
): V4InteractionWithResponse {
  const mediaUrls = options.mediaUrls ?? ['https://demo.twilio.com/owl.png']
  if (mediaUrls.length === 0) throw new TwilioDoubleError('createMmsInteraction: pass at least one media URL')
  const body = options.body ?? 'Hello from twilio-double'
  return createMessageInteraction(target, {
    description: 'a request to send an MMS',
    ...options,
    body,
    params: { MediaUrl: mediaUrls, ...options.params },
    response: {
      sid: EXAMPLE_MMS_SID,
      num_media: String(mediaUrls.length),
      num_segments: segmentsOf(body),
      ...options.response,
    },
  })
}

/** Options of {@link createServiceMessageInteraction}. */
export interface CreateServiceMessageOptions extends BuilderOptions {
  to?: string
  body?: string
  /** Default {@link DEFAULT_MESSAGING_SERVICE_SID}. */
  messagingServiceSid?: string
}

/**
 * Create Message through a messaging service (no From): answered 201 `accepted`, `from` still null.
 *
 * @example
 * await createServiceMessageInteraction(pact, { messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID })
 *   .executeTest(async (mockServer) => { ... })
 */
export function createServiceMessageInteraction(
  target: InteractionTarget,
  options: CreateServiceMessageOptions = {},
): V4InteractionWithResponse {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  const to = options.to ?? EXAMPLE_TO
  const body = options.body ?? 'Hello from twilio-double'
  const service = options.messagingServiceSid ?? DEFAULT_MESSAGING_SERVICE_SID
  return twilioInteraction(target, {
    description: options.description ?? 'a request to send a message through a messaging service',
    states: [accountState(accountSid), ...(options.states ?? [])],
    method: 'POST',
    path: messagesPath(accountSid),
    accountSid,
    authToken: options.authToken,
    form: twilioParams({ To: to, MessagingServiceSid: service, Body: body, ...options.params }),
    status: 201,
    body: messageMatcher(
      {
        account_sid: accountSid,
        to,
        from: null,
        body,
        status: 'accepted',
        messaging_service_sid: service,
        num_segments: '0',
        ...options.response,
      },
      options,
    ),
  })
}

/** Options of {@link createScheduledMessageInteraction}. */
export interface CreateScheduledMessageOptions extends CreateServiceMessageOptions {
  /**
   * When to send, ISO 8601 (default `2024-01-01T02:00:00Z`: two hours after the double's default start time,
   * inside its scheduling window). The pact matches any ISO date-time; the provider receives this example.
   */
  sendAt?: string
}

/**
 * Create a scheduled message (messaging service, `ScheduleType=fixed`, `SendAt`): answered 201 `scheduled`.
 *
 * @example
 * await createScheduledMessageInteraction(pact, { sendAt: '2024-01-01T02:00:00Z' }).executeTest(async (mockServer) => { ... })
 */
export function createScheduledMessageInteraction(
  target: InteractionTarget,
  options: CreateScheduledMessageOptions = {},
): V4InteractionWithResponse {
  return createServiceMessageInteraction(target, {
    description: 'a request to schedule a message',
    ...options,
    params: { ScheduleType: 'fixed', SendAt: options.sendAt ?? '2024-01-01T02:00:00Z', ...options.params },
    response: { status: 'scheduled', ...options.response },
    exact: options.exact ?? ['status'],
  })
}

/** Options of the builders about one existing message. */
export interface ExistingMessageOptions extends BuilderOptions {
  /** SID of the message (the provider state creates it with this SID). Default `SM0…1`. */
  sid?: string
  /** Status it is in (default `delivered`). */
  status?: MessageStatus
  to?: string
  from?: string
  body?: string
}

function messageState(
  options: ExistingMessageOptions,
  accountSid: string,
  status: MessageStatus,
): InteractionState {
  return {
    name: PROVIDER_STATES.messageExists,
    params: {
      accountSid,
      sid: options.sid ?? EXAMPLE_MESSAGE_SID,
      status,
      to: options.to ?? EXAMPLE_TO,
      from: options.from ?? DEFAULT_FROM,
      body: options.body ?? 'Hello from twilio-double',
    },
  }
}

function existingExample(
  options: ExistingMessageOptions,
  accountSid: string,
  status: MessageStatus,
): Partial<MessageResource> {
  const body = options.body ?? 'Hello from twilio-double'
  return {
    account_sid: accountSid,
    sid: options.sid ?? EXAMPLE_MESSAGE_SID,
    status,
    to: options.to ?? EXAMPLE_TO,
    from: options.from ?? DEFAULT_FROM,
    body,
    num_segments: segmentsOf(body),
  }
}

/**
 * Fetch Message: `GET …/Messages/{Sid}.json` for a message the provider state creates, answered 200.
 *
 * @example
 * await fetchMessageInteraction(pact, { sid, status: 'delivered' }).executeTest(async (mockServer) => {
 *   const client = await twilioClientFor(mockServer.url)
 *   expect((await client.messages(sid).fetch()).status).toBe('delivered')
 * })
 */
export function fetchMessageInteraction(
  target: InteractionTarget,
  options: ExistingMessageOptions = {},
): V4InteractionWithResponse {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  const status = options.status ?? 'delivered'
  return twilioInteraction(target, {
    description: options.description ?? `a request for a ${status} message`,
    states: [messageState(options, accountSid, status), ...(options.states ?? [])],
    method: 'GET',
    path: messagePath(options.sid ?? EXAMPLE_MESSAGE_SID, accountSid),
    accountSid,
    authToken: options.authToken,
    status: 200,
    body: messageMatcher({ ...existingExample(options, accountSid, status), ...options.response }, options),
  })
}

/** Options of {@link listMessagesInteraction}. */
export interface ListMessagesOptions extends ExistingMessageOptions {
  /** The `PageSize` the client sends (default 20; `client.messages.list({ limit: 20 })` sends 20). */
  pageSize?: number
  /** Filter on To (default the example recipient); `null` for no filter. */
  toFilter?: string | null
}

/**
 * One page of List Messages filtered by To: at least one message, no further page.
 *
 * @example
 * await listMessagesInteraction(pact, { toFilter: '+15558675310', pageSize: 20 }).executeTest(async (mockServer) => {
 *   const client = await twilioClientFor(mockServer.url)
 *   await client.messages.list({ to: '+15558675310', limit: 20 })
 * })
 */
export function listMessagesInteraction(
  target: InteractionTarget,
  options: ListMessagesOptions = {},
): V4InteractionWithResponse {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  const status = options.status ?? 'delivered'
  const pageSize = options.pageSize ?? 20
  const toFilter = options.toFilter === undefined ? (options.to ?? EXAMPLE_TO) : options.toFilter
  const to = toFilter ?? options.to
  const query = twilioParams({
    ...(toFilter ? { To: toFilter } : {}),
    PageSize: String(pageSize),
  }) as TemplateQuery
  return twilioInteraction(target, {
    description:
      options.description ??
      (toFilter ? 'a request for the messages sent to a number' : 'a request for the messages'),
    states: [messageState({ ...options, to }, accountSid, status), ...(options.states ?? [])],
    method: 'GET',
    path: messagesPath(accountSid),
    query,
    accountSid,
    authToken: options.authToken,
    status: 200,
    body: messagePageMatcher(
      { ...existingExample({ ...options, to }, accountSid, status), ...options.response },
      {
        ...options,
        pageSize,
        accountSid,
      },
    ),
  })
}

/**
 * Redact a message: `POST …/Messages/{Sid}.json` with `Body=` (empty), answered 200 with an empty body.
 *
 * @example
 * await redactMessageInteraction(pact, { sid }).executeTest(async (mockServer) => {
 *   await (await twilioClientFor(mockServer.url)).messages(sid).update({ body: '' })
 * })
 */
export function redactMessageInteraction(
  target: InteractionTarget,
  options: ExistingMessageOptions = {},
): V4InteractionWithResponse {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  const status = options.status ?? 'delivered'
  return twilioInteraction(target, {
    description: options.description ?? 'a request to redact a message',
    states: [messageState(options, accountSid, status), ...(options.states ?? [])],
    method: 'POST',
    path: messagePath(options.sid ?? EXAMPLE_MESSAGE_SID, accountSid),
    accountSid,
    authToken: options.authToken,
    form: { Body: '' },
    status: 200,
    body: messageMatcher(
      { ...existingExample(options, accountSid, status), body: '', ...options.response },
      {
        ...options,
        exact: [...(options.exact ?? []), 'body'],
      },
    ),
  })
}

/**
 * Cancel a scheduled message: `POST …/Messages/{Sid}.json` with `Status=canceled`, answered 200 `canceled`.
 *
 * @example
 * await cancelMessageInteraction(pact, { sid }).executeTest(async (mockServer) => {
 *   await (await twilioClientFor(mockServer.url)).messages(sid).update({ status: 'canceled' })
 * })
 */
export function cancelMessageInteraction(
  target: InteractionTarget,
  options: ExistingMessageOptions & { messagingServiceSid?: string } = {},
): V4InteractionWithResponse {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  const sid = options.sid ?? EXAMPLE_MESSAGE_SID
  const service = options.messagingServiceSid ?? DEFAULT_MESSAGING_SERVICE_SID
  const to = options.to ?? EXAMPLE_TO
  const body = options.body ?? 'Hello from twilio-double'
  return twilioInteraction(target, {
    description: options.description ?? 'a request to cancel a scheduled message',
    states: [
      {
        name: PROVIDER_STATES.scheduledMessageExists,
        params: { accountSid, sid, to, body, messagingServiceSid: service },
      },
      ...(options.states ?? []),
    ],
    method: 'POST',
    path: messagePath(sid, accountSid),
    accountSid,
    authToken: options.authToken,
    form: { Status: 'canceled' },
    status: 200,
    body: messageMatcher(
      {
        account_sid: accountSid,
        sid,
        to,
        body,
        from: null,
        status: 'canceled',
        messaging_service_sid: service,
        num_segments: '0',
        ...options.response,
      },
      { ...options, exact: [...(options.exact ?? []), 'status'] },
    ),
  })
}

/**
 * Delete a message: `DELETE …/Messages/{Sid}.json` for a delivered message, answered 204 with no body.
 *
 * @example
 * await deleteMessageInteraction(pact, { sid }).executeTest(async (mockServer) => {
 *   await (await twilioClientFor(mockServer.url)).messages(sid).remove()
 * })
 */
export function deleteMessageInteraction(
  target: InteractionTarget,
  options: ExistingMessageOptions = {},
): V4InteractionWithResponse {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  return twilioInteraction(target, {
    description: options.description ?? 'a request to delete a message',
    states: [messageState(options, accountSid, options.status ?? 'delivered'), ...(options.states ?? [])],
    method: 'DELETE',
    path: messagePath(options.sid ?? EXAMPLE_MESSAGE_SID, accountSid),
    accountSid,
    authToken: options.authToken,
    status: 204,
  })
}

/** The operation an error interaction uses. */
export type ErrorOperation = 'create' | 'fetch' | 'cancel' | 'delete'

/** Options of {@link errorInteraction}. */
export interface ErrorInteractionOptions extends Omit<BuilderOptions, 'response' | 'fields' | 'exact'> {
  /** The Twilio error code the consumer expects, e.g. 21211, 21610, 20003. */
  code: number
  /** Default: the operation that naturally produces the code (create for most). */
  operation?: ErrorOperation
  /** For create: To, From, Body (defaults chosen to produce the code, e.g. Twilio's magic test numbers). */
  to?: string
  from?: string
  body?: string
  /** For fetch/cancel/delete: the message SID. */
  sid?: string
}

interface NaturalError {
  operation: ErrorOperation
  to?: string
  from?: string
  noBody?: boolean
  state?: (o: ErrorInteractionOptions, accountSid: string) => InteractionState
}

/** How the provider is brought to answer each code without the generic state. */
const NATURAL: Readonly<Record<number, NaturalError>> = {
  20003: { operation: 'create', state: () => ({ name: PROVIDER_STATES.invalidCredentials }) },
  20404: { operation: 'fetch' },
  21602: { operation: 'create', noBody: true },
  21610: {
    operation: 'create',
    state: (o) => ({ name: PROVIDER_STATES.toUnsubscribed, params: { to: o.to ?? EXAMPLE_TO } }),
  },
  30409: {
    operation: 'cancel',
    state: (o, accountSid) => ({
      name: PROVIDER_STATES.messageExists,
      params: { accountSid, sid: o.sid ?? EXAMPLE_MESSAGE_SID, status: 'delivered' },
    }),
  },
  20009: {
    operation: 'delete',
    state: (o, accountSid) => ({
      name: PROVIDER_STATES.messageExists,
      params: { accountSid, sid: o.sid ?? EXAMPLE_MESSAGE_SID, status: 'queued' },
    }),
  },
}

function naturalError(code: number): NaturalError | undefined {
  if (NATURAL[code]) return NATURAL[code]
  // Twilio's magic test numbers (From is checked before To, as the double does)
  const magic = MAGIC_NUMBERS.find((m) => m.code === code)
  if (!magic) return undefined
  return magic.param === 'To'
    ? { operation: 'create', to: magic.value }
    : { operation: 'create', from: magic.value }
}

/**
 * An error answer by Twilio error code, e.g. 21211 (invalid To), 21610 (unsubscribed recipient), 20003 (bad
 * credentials), 20404 (unknown message), 30409 (cancel of a message not scheduled). The request and provider
 * state that produce the code are chosen for you (Twilio's magic test numbers where they exist; any other
 * code uses the state "the API rejects the next request").
 *
 * @example
 * await errorInteraction(pact, { code: 21211 }).executeTest(async (mockServer) => {
 *   const client = await twilioClientFor(mockServer.url)
 *   await expect(client.messages.create({ to: '+15005550001', from: DEFAULT_FROM, body: 'x' })).rejects.toMatchObject({ code: 21211 })
 * })
 */
export function errorInteraction(
  target: InteractionTarget,
  options: ErrorInteractionOptions,
): V4InteractionWithResponse {
  const { code } = options
  if (!isKnownErrorCode(code))
    throw new TwilioDoubleError(
      `errorInteraction: ${code} is not in the error catalog; use a Twilio code such as 21211, 21610 or 20003`,
    )
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  const natural = naturalError(code)
  const operation = options.operation ?? natural?.operation ?? 'create'
  const states: InteractionState[] = [accountState(accountSid)]
  if (natural?.state && natural.operation === operation) states.push(natural.state(options, accountSid))
  else if (!natural || natural.operation !== operation)
    states.push({
      name: PROVIDER_STATES.rejectNextRequest,
      params: { code, operation: operation === 'cancel' ? 'update' : operation },
    })
  states.push(...(options.states ?? []))
  const sid = options.sid ?? EXAMPLE_MESSAGE_SID
  const to = options.to ?? natural?.to ?? EXAMPLE_TO
  const from = options.from ?? natural?.from ?? DEFAULT_FROM
  const common = {
    description: options.description ?? `a request answered with Twilio error ${code}`,
    states,
    accountSid,
    authToken: options.authToken,
    status: errorStatus(code),
    body: errorMatcher(code, { to, from, path: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json` }),
  }
  switch (operation) {
    case 'create': {
      // For codes tied to a number, the number is matched exactly: it is what makes the provider answer the code.
      const exactTo = natural?.to !== undefined && options.to === undefined
      const exactFrom = natural?.from !== undefined && options.from === undefined
      const form = twilioParams({
        To: exactTo ? MatchersV3.equal(to) : to,
        From: exactFrom ? MatchersV3.equal(from) : from,
        Body: natural?.noBody ? undefined : (options.body ?? 'Hello from twilio-double'),
        ...options.params,
      })
      return twilioInteraction(target, { ...common, method: 'POST', path: messagesPath(accountSid), form })
    }
    case 'fetch':
      return twilioInteraction(target, { ...common, method: 'GET', path: messagePath(sid, accountSid) })
    case 'cancel':
      return twilioInteraction(target, {
        ...common,
        method: 'POST',
        path: messagePath(sid, accountSid),
        form: { Status: 'canceled' },
      })
    case 'delete':
      return twilioInteraction(target, { ...common, method: 'DELETE', path: messagePath(sid, accountSid) })
  }
}
