/**
 * Seeded fixture factories for every wire shape of the Message resource: messages in any status and
 * channel, media, list pages, error bodies, status callbacks (signed) and inbound webhooks.
 *
 * Each factory set owns one faker instance, seeded at creation: the same seed gives the same sequence
 * of outputs, and no global faker is touched.
 */

import type { Faker } from '@faker-js/faker'
import { faker as englishFaker } from '@faker-js/faker/locale/en'
import { twilioSignature } from '../callbacks/signature.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_START_TIME } from '../config.js'
import type { ErrorDetails } from '../errors/catalog.js'
import { deliveryErrorMessage } from '../errors/catalog.js'
import { TwilioApiError, TwilioDoubleError } from '../errors/twilio-api-error.js'
import { LIST_FILTER_KEYS, pageEnvelope, queryPair } from '../http/page-envelope.js'
import { CALLBACK_STATUSES } from '../messaging/lifecycle.js'
import { countSegments } from '../messaging/segments.js'
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
import { DAY_MS, toDlrDoneDate, toEpochMs, toRfc2822 } from '../util/dates.js'

/** Channels a factory message can use. */
export type FactoryChannel = 'sms' | 'mms' | 'whatsapp'

/** Options of {@link createFactories}. */
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

/** A set of seeded factories (see {@link createFactories}). */
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
  /** A page of a message's Media list. */
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

const OUTBOUND_STATUSES: MessageStatus[] = [
  'queued',
  'accepted',
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'read',
  'canceled',
]
const INBOUND_STATUSES: MessageStatus[] = ['received', 'receiving']
const SENT: ReadonlySet<MessageStatus> = new Set([
  'sent',
  'delivered',
  'undelivered',
  'read',
  'partially_delivered',
  'received',
  'receiving',
])
const NEEDS_SERVICE: ReadonlySet<MessageStatus> = new Set(['accepted', 'scheduled', 'canceled'])
const DELIVERY_ERRORS = [30003, 30004, 30005, 30006, 30007, 30008]
const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'video/mp4', 'audio/mpeg', 'application/pdf']
const API = '/2010-04-01'

/** The Faker class, taken from the English instance so that the other locales are never loaded. */
const FakerClass = englishFaker.constructor as new (options: { locale: unknown }) => Faker

function referenceTime(now: FactoryOptions['now']): number {
  return now === undefined ? DEFAULT_START_TIME : toEpochMs(now, 'createFactories({ now }):')
}

/**
 * Creates a set of seeded factories. Every output parses with the schemas of `twilio-double/schemas`.
 *
 * @example
 * import { createFactories } from 'twilio-double/factories'
 *
 * const f = createFactories({ seed: 42 })
 * const delivered = f.message({ status: 'delivered', channel: 'whatsapp' })
 * const page = f.messagePage({ total: 120, pageSize: 50, page: 1 })
 * const callback = f.statusCallback({ url: 'https://app.test/status', message: delivered })
 * await app.fetch(callback.request()) // a request your signature check accepts
 */
export function createFactories(options: FactoryOptions = {}): Factories {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  const authToken = options.authToken ?? DEFAULT_AUTH_TOKEN
  const now = referenceTime(options.now)
  const initialSeed = options.seed ?? 1
  const faker = new FakerClass({ locale: englishFaker.rawDefinitions })
  faker.seed(initialSeed)
  faker.setDefaultRefDate(new Date(now))

  const hex = () => faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' })
  const sid = (prefix: string) => prefix + hex()
  /** A fictional US number (555-01XX range). */
  const phone = () =>
    `+1${faker.number.int({ min: 2, max: 9 })}${faker.string.numeric(2)}55501${faker.string.numeric(2)}`
  const address = (channel: FactoryChannel, number = phone()) =>
    channel === 'whatsapp' && !number.startsWith('whatsapp:') ? `whatsapp:${number}` : number
  const body = () =>
    faker.helpers.arrayElement([
      () => `Your verification code is ${faker.string.numeric(6)}`,
      () => `Hi ${faker.person.firstName()}, your order #${faker.string.numeric(5)} has shipped.`,
      () => `Reminder: your appointment is on ${faker.date.soon({ days: 14 }).toISOString().slice(0, 10)}.`,
      () => faker.lorem.sentence({ min: 4, max: 14 }),
      () => `${faker.lorem.sentence()} 👍`,
      () => faker.lorem.paragraph({ min: 4, max: 8 }),
    ])()
  const mediaUrl = (messageSid: string, mediaSid: string, acc: string) =>
    `https://api.twilio.com${API}/Accounts/${acc}/Messages/${messageSid}/Media/${mediaSid}`
  const price = (channel: FactoryChannel, segments: number) =>
    (-(channel === 'whatsapp' ? 0.005 : channel === 'mms' ? 0.02 : 0.0079 * Math.max(1, segments))).toFixed(5)

  const message = (
    input: MessageFactoryInput = {},
    overrides: Partial<MessageResource> = {},
  ): MessageResource => {
    const channel = input.channel ?? 'sms'
    const direction = input.direction ?? 'outbound-api'
    const inbound = direction === 'inbound'
    const status = input.status ?? faker.helpers.arrayElement(inbound ? INBOUND_STATUSES : OUTBOUND_STATUSES)
    const numMedia = input.numMedia ?? (channel === 'mms' ? faker.number.int({ min: 1, max: 3 }) : 0)
    const messageSid = input.sid ?? sid(numMedia > 0 ? 'MM' : 'SM')
    const text = input.body ?? (numMedia > 0 && faker.datatype.boolean() ? '' : body())
    // whole seconds: Twilio's dates have no milliseconds
    const created =
      Math.floor(
        (input.dateCreated?.getTime() ?? now - faker.number.int({ min: 60_000, max: 30 * DAY_MS })) / 1000,
      ) * 1000
    const sentAt = SENT.has(status) ? created + faker.number.int({ min: 1, max: 5 }) * 1000 : null
    const updated =
      (sentAt ?? created) +
      (SENT.has(status) || status === 'failed' ? faker.number.int({ min: 0, max: 8 }) * 1000 : 0)
    const service =
      input.messagingServiceSid !== undefined
        ? input.messagingServiceSid
        : NEEDS_SERVICE.has(status) || faker.datatype.boolean({ probability: 0.3 })
          ? sid('MG')
          : null
    const failed = status === 'failed' || status === 'undelivered'
    const errorCode = failed ? (input.errorCode ?? faker.helpers.arrayElement(DELIVERY_ERRORS)) : null
    const ours = address(channel)
    const theirs = address(channel)
    const segments = status === 'accepted' || status === 'scheduled' ? 0 : countSegments(text).segments
    const base = `${API}/Accounts/${accountSid}/Messages/${messageSid}`
    const m: MessageResource = {
      body: text,
      num_segments: String(numMedia > 0 || channel === 'whatsapp' ? (segments === 0 ? 0 : 1) : segments),
      direction,
      from:
        input.from !== undefined
          ? address(channel, input.from)
          : inbound
            ? theirs
            : status === 'accepted' || status === 'scheduled' || status === 'canceled'
              ? null
              : ours,
      to: input.to !== undefined ? address(channel, input.to) : inbound ? ours : theirs,
      date_updated: toRfc2822(updated),
      price: sentAt !== null ? price(channel, segments) : null,
      error_message: errorCode !== null ? deliveryErrorMessage(errorCode) : null,
      uri: `${base}.json`,
      account_sid: accountSid,
      num_media: String(numMedia),
      status,
      messaging_service_sid: service,
      sid: messageSid,
      date_sent: sentAt !== null ? toRfc2822(sentAt) : null,
      date_created: toRfc2822(created),
      error_code: errorCode,
      price_unit: 'USD',
      api_version: '2010-04-01',
      subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    }
    return { ...m, ...overrides }
  }

  const media = (input: { message?: MessageResource; contentType?: string } = {}): MediaResource => {
    const parent = input.message ?? message({ channel: 'mms', numMedia: 1 })
    const parentSid = parent.sid ?? sid('MM')
    const acc = parent.account_sid ?? accountSid
    const mediaSid = sid('ME')
    const created = parent.date_created ?? toRfc2822(now)
    return {
      account_sid: acc,
      content_type: input.contentType ?? faker.helpers.arrayElement(MEDIA_TYPES),
      date_created: created,
      date_updated: created,
      parent_sid: parentSid,
      sid: mediaSid,
      uri: `${API}/Accounts/${acc}/Messages/${parentSid}/Media/${mediaSid}.json`,
    }
  }

  function pageShape(input: PageFactoryInput) {
    const total = input.total ?? 3
    const pageSize = input.pageSize ?? 50
    const page = input.page ?? 0
    if (!Number.isInteger(total) || total < 0)
      throw new TwilioDoubleError(`page factories: total must be an integer >= 0, got ${String(total)}`)
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
      throw new TwilioDoubleError(
        `page factories: pageSize must be an integer from 1 to 1000, got ${String(pageSize)}`,
      )
    if (!Number.isInteger(page) || page < 0)
      throw new TwilioDoubleError(`page factories: page must be an integer >= 0, got ${String(page)}`)
    const start = page * pageSize
    const count = Math.max(0, Math.min(pageSize, total - start))
    return { total, pageSize, page, start, count, hasMore: start + count < total }
  }

  const messagePage: Factories['messagePage'] = (input = {}) => {
    const { pageSize, page, count, hasMore } = pageShape(input)
    const filters = input.filters ?? {}
    const messages = Array.from({ length: count }, () =>
      message({
        ...input.message,
        ...(filters.To ? { to: filters.To } : {}),
        ...(filters.From ? { from: filters.From } : {}),
      }),
    )
    // newest first, as Twilio lists them
    messages.sort(
      (a, b) =>
        Date.parse(b.date_sent ?? b.date_created ?? '') - Date.parse(a.date_sent ?? a.date_created ?? ''),
    )
    const query = LIST_FILTER_KEYS.flatMap((k) => {
      const v = filters[k]
      return v === undefined || v === '' ? [] : [queryPair(k, v)]
    })
    return pageEnvelope('messages', messages, {
      path: `${API}/Accounts/${accountSid}/Messages.json`,
      query,
      pageSize,
      page,
      count,
      hasMore,
      cursors: {
        first: messages[0]?.sid ?? undefined,
        last: messages[messages.length - 1]?.sid ?? undefined,
      },
      uriExtra: page > 0 ? `PageToken=PA${sid('SM')}` : undefined,
    })
  }

  const mediaPage: Factories['mediaPage'] = (input = {}) => {
    const { pageSize, page, count, hasMore } = pageShape(input)
    const parent = input.message ?? message({ channel: 'mms', numMedia: Math.max(1, input.total ?? 3) })
    const items = Array.from({ length: count }, () => media({ message: parent }))
    return pageEnvelope('media_list', items, {
      path: `${API}/Accounts/${parent.account_sid ?? accountSid}/Messages/${parent.sid}/Media.json`,
      pageSize,
      page,
      count,
      hasMore,
    })
  }

  const feedback: Factories['feedback'] = (input = {}) => {
    const parent = input.message ?? message({ status: 'delivered' })
    const created = Date.parse(parent.date_sent ?? parent.date_created ?? toRfc2822(now)) + 60_000
    return {
      account_sid: parent.account_sid ?? accountSid,
      message_sid: parent.sid,
      outcome: input.outcome ?? faker.helpers.arrayElement(['confirmed', 'unconfirmed'] as const),
      date_created: toRfc2822(created),
      date_updated: toRfc2822(created),
      uri: `${API}/Accounts/${parent.account_sid ?? accountSid}/Messages/${parent.sid}/Feedback.json`,
    }
  }

  const error = (code: number, details: ErrorDetails = {}): ErrorResource => {
    if (!Number.isInteger(code) || code < 1)
      throw new TwilioDoubleError(
        `error(code): code must be a Twilio error code such as 21211, got ${String(code)}`,
      )
    return new TwilioApiError(code, {
      to: phone(),
      from: phone(),
      path: `${API}/Accounts/${accountSid}/Messages/${sid('SM')}.json`,
      ...details,
    }).toBody()
  }

  function signed<P extends Record<string, string | undefined>>(
    url: string,
    params: P,
    token: string,
  ): SignedForm<P> {
    const clean: Record<string, string> = {}
    for (const [k, v] of Object.entries(params)) if (v !== undefined) clean[k] = v
    const signature = twilioSignature(token, url, clean)
    const form = new URLSearchParams(clean).toString()
    const headers = {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-twilio-signature': signature,
      'user-agent': 'TwilioProxy/1.1',
      accept: '*/*',
    }
    return {
      url,
      params: clean as P,
      signature,
      headers,
      body: form,
      request: () => new Request(url, { method: 'POST', headers, body: form }),
    }
  }

  const statusCallback: Factories['statusCallback'] = (input = {}) => {
    const url = input.url ?? 'https://example.com/twilio/status'
    const requested = input.status
    const m =
      input.message ??
      message({
        channel: input.channel ?? 'sms',
        status: requested && requested !== 'queued' && requested !== 'canceled' ? requested : 'delivered',
        messagingServiceSid: requested === 'canceled' ? sid('MG') : undefined,
      })
    const status = requested ?? (m.status && CALLBACK_STATUSES.has(m.status) ? m.status : 'delivered')
    const to = m.to ?? phone()
    const channel = input.channel ?? (to.startsWith('whatsapp:') ? 'whatsapp' : 'sms')
    const errorCode = status === 'failed' || status === 'undelivered' ? (m.error_code ?? 30003) : undefined
    const params: StatusCallbackParams = {
      AccountSid: m.account_sid ?? accountSid,
      ApiVersion: '2010-04-01',
      From: m.from ?? phone(),
      MessageSid: m.sid ?? sid('SM'),
      MessageStatus: status,
      SmsSid: m.sid ?? sid('SM'),
      SmsStatus: status,
      To: to,
    }
    params.SmsSid = params.MessageSid
    if (errorCode !== undefined) params.ErrorCode = String(errorCode)
    if (m.messaging_service_sid) params.MessagingServiceSid = m.messaging_service_sid
    if (channel !== 'whatsapp' && (status === 'delivered' || status === 'undelivered'))
      params.RawDlrDoneDate = toDlrDoneDate(Date.parse(m.date_updated ?? '') || now)
    if (channel === 'whatsapp') params.ChannelPrefix = 'whatsapp'
    if (status === 'read') params.EventType = 'READ'
    return signed(url, params, input.authToken ?? authToken)
  }

  const inboundWebhook: Factories['inboundWebhook'] = (input = {}) => {
    const url = input.url ?? 'https://example.com/twilio/inbound'
    const channel = input.channel ?? 'sms'
    const numMedia = input.numMedia ?? (channel === 'mms' ? faker.number.int({ min: 1, max: 2 }) : 0)
    const messageSid = sid(numMedia > 0 ? 'MM' : 'SM')
    const text = input.body ?? (numMedia > 0 ? '' : body())
    const from = address(channel, input.from ?? phone())
    const to = address(channel, input.to ?? phone())
    const geo = channel !== 'whatsapp'
    // Twilio's order of parameters; geography only for phone numbers
    const params = {
      ...(geo ? { ToCountry: 'US', ToState: faker.location.state({ abbreviated: true }) } : {}),
      SmsMessageSid: messageSid,
      NumMedia: String(numMedia),
      ...(geo
        ? { ToCity: faker.location.city().toUpperCase(), FromZip: faker.location.zipCode('#####') }
        : {}),
      SmsSid: messageSid,
      ...(geo ? { FromState: faker.location.state({ abbreviated: true }) } : {}),
      SmsStatus: 'received',
      ...(geo ? { FromCity: faker.location.city().toUpperCase() } : {}),
      Body: text,
      ...(geo ? { FromCountry: 'US' } : {}),
      To: to,
      ...(geo ? { ToZip: faker.location.zipCode('#####') } : {}),
      NumSegments: String(Math.max(1, countSegments(text).segments)),
      ReferralNumMedia: '0',
      MessageSid: messageSid,
      AccountSid: accountSid,
      From: from,
      ApiVersion: '2010-04-01',
    } as InboundWebhookParams
    if (input.messagingServiceSid) params.MessagingServiceSid = input.messagingServiceSid
    if (channel === 'whatsapp') {
      params.ProfileName = faker.person.firstName()
      params.WaId = from.replace(/^whatsapp:\+?/, '')
    }
    for (let i = 0; i < numMedia; i++) {
      params[`MediaContentType${i}`] = faker.helpers.arrayElement(MEDIA_TYPES)
      params[`MediaUrl${i}`] = mediaUrl(messageSid, sid('ME'), accountSid)
    }
    return signed(url, params, input.authToken ?? authToken)
  }

  const createParams: Factories['createParams'] = (input = {}) => {
    const channel = input.channel ?? 'sms'
    const params: CreateMessageParams = { To: address(channel) }
    if (input.messagingService) params.MessagingServiceSid = sid('MG')
    else params.From = address(channel)
    if (channel === 'mms')
      params.MediaUrl = Array.from(
        { length: faker.number.int({ min: 1, max: 3 }) },
        () => `https://${faker.internet.domainName()}/${faker.string.alphanumeric(8)}.jpg`,
      )
    else params.Body = body()
    if (input.statusCallback) params.StatusCallback = input.statusCallback
    return params
  }

  return {
    faker,
    seed(seed: number) {
      faker.seed(seed)
    },
    message,
    inboundMessage: (input = {}) =>
      message({ ...input, direction: 'inbound', status: input.status ?? 'received' }),
    media,
    feedback,
    messagePage,
    mediaPage,
    error,
    statusCallback,
    inboundWebhook,
    createParams,
  }
}
