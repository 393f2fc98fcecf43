/** Builders of the Create Message interactions: SMS, MMS, through a messaging service, scheduled. */
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../config.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { MessageResource } from '../schemas/message.js'
import { twilioParams } from './form.js'
import {
  accountState,
  type BuilderOptions,
  type InteractionTarget,
  messagesPath,
  segmentsOf,
  twilioInteraction,
} from './interaction.js'
import { EXAMPLE_MMS_SID, EXAMPLE_TO, exampleMessage, messageMatcher } from './matchers.js'
import type { V4InteractionWithResponse } from './pact-types.js'

/**
 * The example message a create answers with: its `subresource_uris` name the Media subresource alone, as Twilio's
 * (and the double's) answers to Create do; a `subresource_uris` the example gives is kept.
 */
function createdExample(example: Partial<MessageResource>): Partial<MessageResource> {
  if (example.subresource_uris !== undefined) return example
  const uri = exampleMessage(example).uri!
  return { ...example, subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') } }
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
      createdExample({
        account_sid: accountSid,
        to,
        from,
        body,
        num_segments: segmentsOf(body),
        status: 'queued',
        ...options.response,
      }),
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
      createdExample({
        account_sid: accountSid,
        to,
        from: null,
        body,
        status: 'accepted',
        messaging_service_sid: service,
        num_segments: '0',
        ...options.response,
      }),
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
