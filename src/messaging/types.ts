import type { MessageDirection, MessageStatus } from '../schemas/common.js'
import type { Channel } from './address.js'

/** A media item of a stored message. */
export interface MediaRecord {
  sid: string
  url: string
  contentType: string
  dateCreated: number
}

/** Feedback left on a message. */
export interface FeedbackRecord {
  outcome: 'confirmed' | 'unconfirmed'
  dateCreated: number
  dateUpdated: number
}

/** One step of a message's status history (virtual timestamps). */
export interface StatusStep {
  status: MessageStatus
  at: number
  errorCode?: number | null
}

/**
 * A stored message: the compact internal form. The wire shape is rendered from it on demand
 * (see `render.ts`), so that a store of 100,000 messages stays small.
 */
export interface MessageRecord {
  /** Its place in the double's order of creation: increasing within an account and across the double's accounts. */
  seq: number
  sid: string
  accountSid: string
  to: string
  from: string | null
  body: string
  numSegments: number
  numMedia: number
  direction: MessageDirection
  status: MessageStatus
  messagingServiceSid: string | null
  channel: Channel
  dateCreated: number
  dateUpdated: number
  dateSent: number | null
  price: string | null
  priceUnit: string
  errorCode: number | null
  errorMessage: string | null
  /** Sort key of the list: date sent, else date created (ms). */
  sortKey: number
  /**
   * How far the double's clock (its first account's, `double.now()`) was ahead of the clock of this message's
   * account when the message was stored, in ms (negative: behind); absent when the two read the same. On the
   * double's clock the message was created at `dateCreated + doubleClockLead` (see `createdOnDoubleClock()`).
   * When the double's clock goes back by `ms` (a reset of its first account alone), the lead of every record of
   * the other accounts goes down by `ms`, so that it stays measured against the double's clock as it now reads.
   */
  doubleClockLead?: number
  media?: MediaRecord[]
  feedback?: FeedbackRecord
  /** Lifecycle inputs; absent when not given. */
  extra?: MessageExtra
  /**
   * Every status it went through; read it with `statusHistory()`. One step is kept without an array, and the
   * step a message was created in (at its date created) as that status alone.
   */
  history: StatusStep[] | StatusStep | MessageStatus
  /**
   * The backend's delivery plan while the message moves through its lifecycle (owned by the backend; kept on
   * the message rather than in a map beside the store).
   */
  lifecycle?: object
}

/** Create parameters that matter after the create call (callbacks, validity, price limits). */
export interface MessageExtra {
  statusCallback?: string
  /** `GET` when the status callbacks to `statusCallback` go as GET requests (TwiML `<Message method="GET">`). */
  statusCallbackMethod?: 'GET'
  applicationSid?: string
  validityPeriod?: number
  maxPrice?: number
  sendAt?: number
  contentSid?: string
  /** `ContentRetention=discard`: the body is discarded once the message is sent (see `redaction.ts`). */
  contentRetention?: 'discard'
  /** `AddressRetention=obfuscate`: the recipient's number is obfuscated once the message is sent. */
  addressRetention?: 'obfuscate'
  /** How a message with media or `SendAsMms` goes out (see `sentAsMms()`): `sms` through the MMS converter. */
  sentAs?: 'mms' | 'sms'
}

/** A filter of `double.messages.list()` and of the List Messages call. */
export interface MessageFilter {
  to?: string
  from?: string
  status?: MessageStatus
  direction?: MessageDirection
  /** Only messages sent on this UTC day (ms of midnight) or in [dateSentAfter, dateSentBefore]. */
  dateSentAfter?: number
  dateSentBefore?: number
}
