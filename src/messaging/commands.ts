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
  /** A decimal with up to 4 places. */
  maxPrice?: number
  attempt?: number
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
  /** The first malformed optional parameter (flags, enumerations, MaxPrice, Attempt, ScheduleType). */
  malformed?: MalformedParameter
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
