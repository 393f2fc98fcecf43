import type { MediaRecord, MessageRecord } from '../messaging/types.js'
import type { FeedbackResource, MediaResource, MessageResource } from '../schemas/message.js'
import { toRfc2822 } from '../util/dates.js'
import { RecentMap } from '../util/memo.js'

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

/**
 * Renders a message as Create Message answers it: as {@link renderMessage}, with the Media subresource alone in
 * `subresource_uris` (every example of Create in Twilio's OpenAPI description names `media` only; those of Fetch,
 * List and Update name `feedback` too).
 *
 * @example
 * renderCreatedMessage(record).subresource_uris // { media: '/2010-04-01/Accounts/AC…/Messages/SM…/Media.json' }
 */
export function renderCreatedMessage(r: MessageRecord): MessageResource {
  return {
    ...renderMessage(r),
    subresource_uris: { media: `/2010-04-01/Accounts/${r.accountSid}/Messages/${r.sid}/Media.json` },
  }
}

/** Every field of a stored message that {@link renderMessage} reads. */
const RENDERED_FIELDS = [
  'sid',
  'accountSid',
  'body',
  'numSegments',
  'numMedia',
  'direction',
  'from',
  'to',
  'status',
  'messagingServiceSid',
  'dateCreated',
  'dateUpdated',
  'dateSent',
  'price',
  'priceUnit',
  'errorCode',
  'errorMessage',
] as const satisfies readonly (keyof MessageRecord)[]

/** What a message's JSON was made from (every field {@link renderMessage} reads, as it was), and the JSON. */
export type Rendered = Pick<MessageRecord, (typeof RENDERED_FIELDS)[number]> & { json: string }

/**
 * `JSON.stringify(renderMessage(r))`, taken from `kept` while `r` still renders so (see {@link RenderedMessages}),
 * else made and kept.
 */
export function keptMessageJson(kept: RecentMap<string, Rendered>, r: MessageRecord): string {
  const found = kept.get(r.sid)
  if (found && RENDERED_FIELDS.every((field) => found[field] === r[field])) return found.json
  const json = JSON.stringify(renderMessage(r))
  const made: Record<string, unknown> = { json }
  for (const field of RENDERED_FIELDS) made[field] = r[field]
  kept.set(r.sid, made as Rendered)
  return json
}

/** How many messages' JSON a double keeps at least (at most twice as many): the last ones its API read. */
const KEPT_MESSAGES = 1024

/**
 * The JSON of the messages one double's API read last (fetches and list pages): a message read again is not
 * serialized again while every field it renders is unchanged (all are compared, so no change of a message can
 * leave its JSON stale). Kept by SID, never the records themselves, for the last 1,024 to 2,048 messages read.
 * A list spends most of its time in `JSON.stringify` otherwise: bench/README.md ("render-cache") gives what it
 * gains.
 *
 * @example
 * const rendered = new RenderedMessages()
 * rendered.json(record) === JSON.stringify(renderMessage(record)) // true
 */
export class RenderedMessages {
  private readonly kept = new RecentMap<string, Rendered>(KEPT_MESSAGES)

  /** `JSON.stringify(renderMessage(r))`, made again only when `r` has changed since it was made. */
  json(r: MessageRecord): string {
    return keptMessageJson(this.kept, r)
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
