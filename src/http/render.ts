import type { MediaRecord, MessageRecord } from '../messaging/types.js'
import type { FeedbackResource, MediaResource, MessageResource } from '../schemas/message.js'
import { toRfc2822 } from '../util/dates.js'

/**
 * Renders a stored message in Twilio's wire shape.
 *
 * @example
 * renderMessage(record).status // 'queued'
 */
export function renderMessage(r: MessageRecord): MessageResource {
  const base = `/2010-04-01/Accounts/${r.accountSid}/Messages/${r.sid}`
  return {
    body: r.body,
    num_segments: String(r.numSegments),
    direction: r.direction,
    from: r.from,
    to: r.to,
    date_updated: toRfc2822(r.dateUpdated),
    price: r.price,
    error_message: r.errorMessage,
    uri: `${base}.json`,
    account_sid: r.accountSid,
    num_media: String(r.numMedia),
    status: r.status,
    messaging_service_sid: r.messagingServiceSid,
    sid: r.sid,
    date_sent: r.dateSent === null ? null : toRfc2822(r.dateSent),
    date_created: toRfc2822(r.dateCreated),
    error_code: r.errorCode,
    price_unit: r.priceUnit,
    api_version: '2010-04-01',
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
  }
}

/** Renders a media item of a message. */
export function renderMedia(r: MessageRecord, m: MediaRecord): MediaResource {
  return {
    account_sid: r.accountSid,
    content_type: m.contentType,
    date_created: toRfc2822(m.dateCreated),
    date_updated: toRfc2822(m.dateCreated),
    parent_sid: r.sid,
    sid: m.sid,
    uri: `/2010-04-01/Accounts/${r.accountSid}/Messages/${r.sid}/Media/${m.sid}.json`,
  }
}

/** Renders the feedback of a message. */
export function renderFeedback(r: MessageRecord): FeedbackResource {
  const f = r.feedback!
  return {
    account_sid: r.accountSid,
    message_sid: r.sid,
    outcome: f.outcome,
    date_created: toRfc2822(f.dateCreated),
    date_updated: toRfc2822(f.dateUpdated),
    uri: `/2010-04-01/Accounts/${r.accountSid}/Messages/${r.sid}/Feedback.json`,
  }
}
