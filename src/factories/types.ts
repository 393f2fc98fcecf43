import type { Faker } from '@faker-js/faker'
import type { ErrorDetails } from '../errors/catalog.js'
import type { MessageDirection, MessageStatus } from '../schemas/common.js'
import type {
  ErrorResource,
  FeedbackResource,
  MediaPage,
  MediaResource,
  MessagePage,
  MessageResource,
} from '../schemas/message.js'
import type { CreateMessageParams } from '../schemas/params.js'
import type { InboundWebhookParams, StatusCallbackParams } from '../schemas/webhooks.js'

/** Channels a factory message can use. */
export type FactoryChannel = 'sms' | 'mms' | 'whatsapp'

/** Options of `createFactories()`. */
export interface FactoryOptions {
  /** Seed of the set's faker instance (default 1). The same seed gives the same outputs, in order. */
  seed?: number
  /** Account of every resource (default {@link DEFAULT_ACCOUNT_SID}). */
  accountSid?: string
  /** Auth token that signs callbacks and webhooks (default {@link DEFAULT_AUTH_TOKEN}). */
  authToken?: string
  /** Reference time: resources are dated in the 30 days before it (default 2024-01-01T00:00:00Z). */
  now?: Date | number | string
}

/** What a factory message looks like; everything not given is generated. */
export interface MessageFactoryInput {
  /** Status (default: drawn from the statuses of the direction). */
  status?: MessageStatus
  /** `sms` (default), `mms` (media, `MM…` SID) or `whatsapp` (`whatsapp:` addresses). */
  channel?: FactoryChannel
  /** `outbound-api` (default) or `inbound`, `outbound-reply`, `outbound-call`. */
  direction?: MessageDirection
  to?: string
  from?: string
  body?: string
  sid?: string
  /** A messaging service SID, or `null` for none (default: one when the status needs it). */
  messagingServiceSid?: string | null
  /** Media count (MMS default 1–3). */
  numMedia?: number
  /** Error code of a failed or undelivered message (default drawn from 30003–30008). */
  errorCode?: number
  /** Creation time (default: within the 30 days before `now`). */
  dateCreated?: Date
}

/** Options of the list-page factories. */
export interface PageFactoryInput {
  /** Items in the whole list (default 3). */
  total?: number
  /** PageSize (default 50). */
  pageSize?: number
  /** Page number (default 0). */
  page?: number
}

/** Filters a Messages page was requested with (they reappear in its paging URIs). */
export interface MessagePageFilters {
  To?: string
  From?: string
  DateSent?: string
  'DateSent<'?: string
  'DateSent>'?: string
}

/** A signed form POST as Twilio sends it: to an app's status callback or inbound webhook URL. */
export interface SignedForm<P> {
  url: string
  params: P
  /** `X-Twilio-Signature` for `url` and `params` under the set's auth token. */
  signature: string
  /** The headers the double sends with it, `x-twilio-signature` and `i-twilio-idempotency-token` included. */
  headers: Record<string, string>
  /** The form body (`application/x-www-form-urlencoded`). */
  body: string
  /** A new Fetch `Request` of this POST, ready for an app's handler. */
  request(): Request
}

/** Options of {@link Factories.statusCallback}. */
export interface StatusCallbackFactoryInput {
  /** The app's callback URL (default `https://example.com/twilio/status`). */
  url?: string
  /** The message the callback is about (default: a new outbound message of `channel`). */
  message?: MessageResource
  /** `MessageStatus` (default: the message's status when it has callbacks, else `delivered`). */
  status?: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read' | 'canceled'
  channel?: FactoryChannel
  /** Token that signs it (default: the set's). */
  authToken?: string
}

/** Options of {@link Factories.inboundWebhook}. */
export interface InboundWebhookFactoryInput {
  /** The app's inbound URL (default `https://example.com/twilio/inbound`). */
  url?: string
  channel?: FactoryChannel
  from?: string
  to?: string
  body?: string
  /** Media attached (MMS default 1–2, else 0). */
  numMedia?: number
  messagingServiceSid?: string
  authToken?: string
}

/** Options of {@link Factories.createParams}. */
export interface CreateParamsFactoryInput {
  channel?: FactoryChannel
  /** Send through a messaging service instead of a From number. */
  messagingService?: boolean
  statusCallback?: string
}

/** A set of seeded factories (see `createFactories()`). */
export interface Factories {
  /** The set's faker instance (seeded), for values of your own. */
  readonly faker: Faker
  /** Reseeds the set: what follows is the same as from a new set with this seed. */
  seed(seed: number): void
  /** A Message resource. */
  message(input?: MessageFactoryInput, overrides?: Partial<MessageResource>): MessageResource
  /** An inbound Message resource (`direction: inbound`, status `received`). */
  inboundMessage(input?: Omit<MessageFactoryInput, 'direction'>): MessageResource
  /** A Media resource of `message` (default: a new MMS). */
  media(input?: { message?: MessageResource; contentType?: string }): MediaResource
  /** A MessageFeedback resource. */
  feedback(input?: { message?: MessageResource; outcome?: 'confirmed' | 'unconfirmed' }): FeedbackResource
  /** A page of the Messages list with Twilio's envelope and consistent paging URIs. */
  messagePage(
    input?: PageFactoryInput & { filters?: MessagePageFilters; message?: MessageFactoryInput },
  ): MessagePage
  /** A page of a message's Media list (`total` defaults to the given message's `num_media`, else 3). */
  mediaPage(input?: PageFactoryInput & { message?: MessageResource }): MediaPage
  /** Twilio's error body for `code` (HTTP status and text from the error catalog). */
  error(code: number, details?: ErrorDetails): ErrorResource
  /** A status callback POST with a valid `X-Twilio-Signature`. */
  statusCallback(input?: StatusCallbackFactoryInput): SignedForm<StatusCallbackParams>
  /** An inbound message webhook POST with a valid `X-Twilio-Signature`. */
  inboundWebhook(input?: InboundWebhookFactoryInput): SignedForm<InboundWebhookParams>
  /** Create Message parameters as the client sends them (form names). */
  createParams(input?: CreateParamsFactoryInput): CreateMessageParams
}
