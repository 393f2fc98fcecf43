/** Builders of the interactions about one existing message: fetch, list, redact, cancel, delete. */
import type { TemplateQuery } from '@pact-foundation/pact'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../config.js'
import type { MessageStatus } from '../schemas/common.js'
import type { MessageResource } from '../schemas/message.js'
import { PROVIDER_STATES } from '../server/provider-states.js'
import { twilioParams } from './form.js'
import {
  type BuilderOptions,
  type InteractionState,
  type InteractionTarget,
  messagePath,
  messagesPath,
  segmentsOf,
  twilioInteraction,
} from './interaction.js'
import { EXAMPLE_MESSAGE_SID, EXAMPLE_TO, messageMatcher, messagePageMatcher } from './matchers.js'
import type { V4InteractionWithResponse } from './pact-types.js'

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
