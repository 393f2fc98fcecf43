/**
 * The commands the messaging domain takes: what an API call asks for, read and typed by the HTTP layer
 * (src/http/commands.ts) from Twilio's wire format. The domain sees no form, path nor header.
 */

/**
 * A parameter whose wire shape was wrong (e.g. `ProvideFeedback=yes`), found while reading the request. The
 * domain refuses it with `code` at its place among its own checks, so that a request with several problems is
 * answered for the one Twilio checks first.
 */
export interface MalformedParameter {
  /** The parameter as Twilio names it, e.g. `ProvideFeedback`. */
  param: string
  code: number
  /** What is wrong, as Twilio's error message says it. */
  message: string
}

/**
 * Create Message. Strings are as sent (the domain trims and checks them with Twilio's error codes); flags and
 * enumerations are typed, and a malformed one is named in `malformed`.
 */
export interface CreateMessageCommand {
  accountSid: string
  to?: string
  from?: string
  messagingServiceSid?: string
  body?: string
  /** Media URLs as sent, empty ones included. */
  mediaUrls?: readonly string[]
  contentSid?: string
  contentVariables?: string
  statusCallback?: string
  applicationSid?: string
  /** Seconds, as sent (checked against the double's largest validity period). */
  validityPeriod?: string
  /** As sent: a positive decimal, else refused with 21627 (unless MaxPrice is obsolete by the double's option). */
  maxPrice?: string
  attempt?: number
  /** Checked (21619 for no flag) and kept nowhere: the double takes Feedback on any message. */
  provideFeedback?: boolean
  forceDelivery?: boolean
  shortenUrls?: boolean
  sendAsMms?: boolean
  smartEncoded?: boolean
  contentRetention?: 'retain' | 'discard'
  addressRetention?: 'retain' | 'obfuscate'
  trafficType?: 'free'
  riskCheck?: 'enable' | 'disable'
  scheduleType?: 'fixed'
  /** As sent; an ISO-8601 date-time when `scheduleType` is `fixed` with a messaging service. */
  sendAt?: string
  /** The first malformed optional parameter (flags, enumerations, Attempt, ScheduleType). */
  malformed?: MalformedParameter
  /** The parameters as sent, for scenarios (`ScenarioContext.params`); the rules read the fields above. */
  params?: Readonly<Record<string, string | string[]>>
}

/** Fetch Message (and Delete Message, List Media). */
export interface MessageCommand {
  accountSid: string
  messageSid: string
}

/** Update Message: `body: ''` redacts; `status: 'canceled'` cancels a scheduled message. */
export interface UpdateMessageCommand extends MessageCommand {
  body?: string
  status?: string
}

/** Fetch or delete one media item of a message. */
export interface MediaCommand extends MessageCommand {
  mediaSid: string
}

/** Create Message Feedback (default outcome: confirmed). */
export interface FeedbackCommand extends MessageCommand {
  outcome?: 'confirmed' | 'unconfirmed'
  malformed?: MalformedParameter
}

/**
 * List Messages: a newest-first page of an account's messages, filtered by To, From and date sent, read by
 * position (`page` × `pageSize`) or from a cursor (the page just older, or just newer, than a message).
 */
export interface ListMessagesCommand {
  accountSid: string
  /** Messages to this address (as sent; compared by address key). */
  to?: string
  /** Messages from this address. */
  from?: string
  /** Messages sent at or after this time (epoch ms). */
  dateSentAfter?: number
  /** Messages sent at or before this time (epoch ms). */
  dateSentBefore?: number
  /** 1 to 1000. */
  pageSize: number
  /** Pages skipped when there is no cursor. */
  page: number
  /** Read from a message: the page just older (`after`) or just newer (`before`) than it; a deleted one counts. */
  cursor?: ListCursor
}

/** A position in a list: just older (`after`) or just newer (`before`) than a message. */
export interface ListCursor {
  direction: 'after' | 'before'
  messageSid: string
}

/**
 * List Media: a newest-first page of a message's media, filtered by date created, read by position (`page` ×
 * `pageSize`) or from a cursor (the page just after, or just before, a media item of the message).
 */
export interface ListMediaCommand {
  /** Media created at or after this time (epoch ms). */
  dateCreatedAfter?: number
  /** Media created at or before this time (epoch ms). */
  dateCreatedBefore?: number
  /** 1 to 1000. */
  pageSize: number
  /** Pages skipped when there is no cursor. */
  page: number
  /** Read from a media item of the message: the page just after or just before it. */
  cursor?: { direction: 'after' | 'before'; mediaSid: string }
}

/** Create a content template (the Content API's `POST /v1/Content`). */
export interface CreateContentCommand {
  accountSid: string
  friendlyName?: string
  language: string
  variables?: Record<string, string>
  types: Record<string, Record<string, unknown>>
}

/** Submit a template for WhatsApp approval (POST /v1/Content/{Sid}/ApprovalRequests/whatsapp). */
export interface ApprovalRequestCommand {
  accountSid: string
  contentSid: string
  name: string
  category: string
}
