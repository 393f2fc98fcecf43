import type { Duration } from './util/duration.js'

/**
 * SID of the account every double has unless told otherwise.
 *
 * @example
 * const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
 */
export const DEFAULT_ACCOUNT_SID = 'AC00000000000000000000000000000001'
/**
 * Auth token of {@link DEFAULT_ACCOUNT_SID}.
 *
 * @example
 * const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() })
 */
export const DEFAULT_AUTH_TOKEN = 'twilio-double-auth-token-0000001'
/**
 * The default sender: Twilio's test number that always passes validation.
 *
 * @example
 * await client.messages.create({ from: DEFAULT_FROM, to: '+15558675310', body: 'Hi' })
 */
export const DEFAULT_FROM = '+15005550006'
/**
 * The seeded messaging service of the default account, with {@link DEFAULT_FROM} in its sender pool.
 *
 * @example
 * await client.messages.create({ messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID, to: '+15558675310', body: 'Hi' })
 */
export const DEFAULT_MESSAGING_SERVICE_SID = 'MG00000000000000000000000000000001'
/**
 * An API key of the default account (`SK…`); its secret is {@link DEFAULT_API_KEY_SECRET}.
 *
 * @example
 * const client = twilio(DEFAULT_API_KEY_SID, DEFAULT_API_KEY_SECRET, { accountSid: DEFAULT_ACCOUNT_SID })
 */
export const DEFAULT_API_KEY_SID = 'SK00000000000000000000000000000001'
/**
 * The secret of {@link DEFAULT_API_KEY_SID}.
 *
 * @example
 * const client = twilio(DEFAULT_API_KEY_SID, DEFAULT_API_KEY_SECRET, { accountSid: DEFAULT_ACCOUNT_SID })
 */
export const DEFAULT_API_KEY_SECRET = 'twilio-double-api-key-secret-001'
/**
 * A fixed instant, 2024-01-01T00:00:00Z: what fixture factories date their resources at unless told otherwise, and a
 * `startTime` for tests that snapshot dates (a double starts at the process clock's time by default).
 *
 * @example
 * const double = createTwilioDouble({ startTime: DEFAULT_START_TIME })
 */
export const DEFAULT_START_TIME = Date.UTC(2024, 0, 1, 0, 0, 0)

/** A phone number an account owns, with its inbound webhook configuration. */
export interface PhoneNumberOptions {
  /** E.164 number, short code, alphanumeric sender ID or `whatsapp:+…` address. */
  number: string
  /** Where inbound messages to this number are POSTed (Twilio's "A message comes in" URL). */
  smsUrl?: string
  /** HTTP method of `smsUrl` (default POST). */
  smsMethod?: 'GET' | 'POST'
  /** Called instead when `smsUrl` fails (unreachable, an error status, invalid TwiML). */
  smsFallbackUrl?: string
  /** HTTP method of `smsFallbackUrl` (default POST). */
  smsFallbackMethod?: 'GET' | 'POST'
}

/** A messaging service with its sender pool. */
export interface MessagingServiceOptions {
  sid: string
  /** Senders of the pool (E.164, short codes, alphanumeric IDs, `whatsapp:+…`). */
  senders?: string[]
  /** The service's status callback URL, used when a message names none. */
  statusCallback?: string
  /** Inbound request URL of the service (used instead of the sender number's `smsUrl`). */
  inboundRequestUrl?: string
  /** HTTP method of `inboundRequestUrl` (default POST). */
  inboundMethod?: 'GET' | 'POST'
  /** Called instead when `inboundRequestUrl` fails (unreachable, an error status, invalid TwiML). */
  fallbackUrl?: string
  /** HTTP method of `fallbackUrl` (default POST). */
  fallbackMethod?: 'GET' | 'POST'
  /**
   * Twilio's Link Shortening on this service: with `ShortenUrls=true`, each `http(s)://` link of a body becomes
   * `https://<domain>/` and ten letters or digits. Default: none (links are sent as written, without an error).
   */
  linkShortening?: { domain: string }
}

/** An application (`AP…`) whose message status callback overrides a message's StatusCallback. */
export interface ApplicationOptions {
  sid: string
  messageStatusCallback?: string
}

/** A content template (Twilio's Content API) a double starts with. */
export interface ContentTemplateOptions {
  /** `HX…`; default: one drawn from the double's seed. */
  sid?: string
  /** The account that owns it; default: the first account of `accounts` (the default account without them). */
  accountSid?: string
  friendlyName?: string
  /** Default `'en'`. */
  language?: string
  /** Default values of its placeholders, e.g. `{ '1': 'customer' }`. */
  variables?: Record<string, string>
  /** Its content types as the Content API takes them, e.g. `{ 'twilio/text': { body: 'Your code is {{1}}' } }`. */
  types: Record<string, Record<string, unknown>>
  /**
   * Its WhatsApp approval. Absent: never submitted (`unsubmitted`), so it goes out only inside the 24-hour window.
   * `status` defaults to `'approved'`.
   */
  whatsapp?: {
    name?: string
    category?: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION'
    status?: 'received' | 'pending' | 'approved' | 'rejected' | 'paused' | 'disabled'
    rejectionReason?: string
  }
}

/** An account of the double. */
export interface AccountOptions {
  sid: string
  authToken: string
  /** The account's `friendly_name` in the Accounts API (default 'My first Twilio account'). */
  friendlyName?: string
  apiKeys?: { sid: string; secret: string }[]
  /**
   * The senders this account owns. Absent: any sender is accepted. Present: other senders get 21606.
   */
  phoneNumbers?: (string | PhoneNumberOptions)[]
  messagingServices?: MessagingServiceOptions[]
  applications?: ApplicationOptions[]
}

/** Options of `createTwilioDouble()`. */
export interface TwilioDoubleOptions {
  /** Accounts; default: one account {@link DEFAULT_ACCOUNT_SID} with {@link DEFAULT_MESSAGING_SERVICE_SID}. */
  accounts?: AccountOptions[]
  /**
   * Only the declared accounts authenticate (default: true when `accounts` is given). Without `accounts` and with
   * `strictAccounts` left out, any well-formed account SID is taken on first use as an account with the auth token
   * it came with (that token fixed from then on), so an app's own `TWILIO_ACCOUNT_SID`/`TWILIO_AUTH_TOKEN` work.
   */
  strictAccounts?: boolean
  /** Seed of SIDs and probabilities; the same seed gives the same SIDs. Default `'twilio-double'`. */
  seed?: string | number
  /**
   * Where virtual time starts (Date, epoch ms or ISO string). Default: the process clock's time when the double is
   * created, so that `sendAt: new Date(Date.now() + 2 * 60 * 60 * 1000)` is two hours ahead as the app means it.
   * Give a fixed time (e.g. `DEFAULT_START_TIME`) for dates that snapshots can hold.
   */
  startTime?: Date | number | string
  /** `'virtual'` (default): time moves with advance()/settle(). `'real'`: process timers (fake timers apply). */
  clock?: 'virtual' | 'real'
  /** Apply full phone-number validity to To (default false: fictional ranges such as +1555… pass). */
  strictNumbers?: boolean
  /** Twilio's test-credential magic numbers as built-in scenarios (default true). */
  magicNumbers?: boolean
  /**
   * Scheduling: the window of SendAt relative to now (default 60 minutes to 7 days, the Message resource document),
   * and how many messages an account may have waiting in `scheduled`.
   *
   * @example
   * createTwilioDouble({ scheduling: { maxScheduled: 2 } }) // the third scheduled message is refused with 35125
   */
  scheduling?: {
    minAhead?: Duration
    maxAhead?: Duration
    /** ScheduleType with From and no messaging service: `'drop'` (default) sends now, `'reject'` answers 35118. */
    fromOnly?: 'drop' | 'reject'
    /**
     * Most messages an account may have waiting in `scheduled`; one more is refused with 35125 ("Maximum limit
     * reached in the account for scheduling messages"). Default 500,000, Twilio's limit. Canceled and sent
     * messages no longer count.
     */
    maxScheduled?: number
  }
  /** Largest ValidityPeriod accepted, in seconds. Default 14400 (the Message resource document); Twilio's OpenAPI says 36000. */
  maxValidityPeriod?: number
  /**
   * What MaxPrice does. `'checked'` (default, the Message resource document): 0, a negative value or no number is
   * refused with 21627, and a message whose price is above it fails with 30010. `'obsolete'` (Twilio's OpenAPI
   * description): the parameter has no effect since 2024-06-03, any value is accepted.
   */
  maxPrice?: 'checked' | 'obsolete'
  /**
   * Where the status callbacks of a message created with both `ApplicationSid` and `StatusCallback` go.
   * `'replaces'` (default, the Message resource document): to the application's message status callback (`sent`
   * or `failed` only), StatusCallback ignored. `'fallback'` (Twilio's OpenAPI description): to StatusCallback, the
   * application ignored; the application's callback is used only for a message without StatusCallback.
   *
   * @example
   * createTwilioDouble({ applicationCallback: 'fallback' }) // StatusCallback first, as Twilio's OpenAPI has it
   */
  applicationCallback?: 'replaces' | 'fallback'
  /**
   * Countries (ISO 3166 codes) where an MMS is delivered as MMS. Default `['US', 'CA']` (the Message resource
   * document); Twilio's support pages add Australia (`['US', 'CA', 'AU']`). An MMS to any other country goes
   * through Twilio's MMS converter: SMS with a link to its media, its SID still `MM…`, billed as SMS.
   */
  mmsCountries?: string[]
  /**
   * Content templates the double starts with (and has again after every `reset()`), besides those the app creates
   * through the Content API (`client.content.v1.contents.create(…)`). A message sent with `ContentSid` renders its
   * template; only a template WhatsApp approved goes out outside the 24-hour window.
   */
  contentTemplates?: ContentTemplateOptions[]
}
