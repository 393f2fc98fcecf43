import type { FeedbackResource, MediaResource, MessageResource } from '../schemas/message.js'
import { toRfc2822 } from '../util/dates.js'
import type { MediaRecord, MessageRecord } from './types.js'

/** The URI of a message, relative to the API host. */
export function messageUri(accountSid: string, sid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`
}

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
 * Whether a JSON string must escape some character of `s` (a quote, a backslash, a control character), or
 * `JSON.stringify` would (a lone surrogate; a pair is sent through it too). A loop over the code units: in a
 * server, where each request finds the caches cold, it costs a fraction of a regular expression test.
 */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true
  }
  return false
}

/** A JSON string, or `null`; most values need no escaping and are only quoted. */
const str = (s: string | null): string =>
  s === null ? 'null' : needsEscape(s) ? JSON.stringify(s) : `"${s}"`

/**
 * `JSON.stringify(renderMessage(r))`, written out field by field without building the object first: the same
 * text, in the same order (render.test.ts compares both over messages of every kind).
 *
 * @example
 * JSON.parse(renderMessageJson(record)).sid === record.sid // true
 */
export function renderMessageJson(r: MessageRecord): string {
  // the base URI, escaped once for its three uses
  const base = str(`/2010-04-01/Accounts/${r.accountSid}/Messages/${r.sid}`).slice(0, -1)
  return `{"body":${str(r.body)},"num_segments":"${r.numSegments}","direction":${str(r.direction)},"from":${str(
    r.from,
  )},"to":${str(r.to)},"date_updated":"${toRfc2822(r.dateUpdated)}","price":${str(r.price)},"error_message":${str(
    r.errorMessage,
  )},"uri":${base}.json","account_sid":${str(r.accountSid)},"num_media":"${r.numMedia}","status":${str(
    r.status,
  )},"messaging_service_sid":${str(r.messagingServiceSid)},"sid":${str(r.sid)},"date_sent":${
    r.dateSent === null ? 'null' : `"${toRfc2822(r.dateSent)}"`
  },"date_created":"${toRfc2822(r.dateCreated)}","error_code":${r.errorCode ?? null},"price_unit":${str(
    r.priceUnit,
  )},"api_version":"2010-04-01","subresource_uris":{"media":${base}/Media.json","feedback":${base}/Feedback.json"}}`
}

/** The fields of a record that {@link renderMessage} reads, as they were when its JSON was made, and the JSON. */
export type Rendered = Pick<
  MessageRecord,
  | 'sid'
  | 'accountSid'
  | 'body'
  | 'numSegments'
  | 'numMedia'
  | 'direction'
  | 'from'
  | 'to'
  | 'status'
  | 'messagingServiceSid'
  | 'dateCreated'
  | 'dateUpdated'
  | 'dateSent'
  | 'price'
  | 'priceUnit'
  | 'errorCode'
  | 'errorMessage'
> & { json: string }

/** Most records whose JSON is kept; when full, the cache starts over (lists and fetches reread a few hot pages). */
const RENDERED_JSON_LIMIT = 2048
const renderedJson = new Map<MessageRecord, Rendered>()

/** Whether `r` still renders as `c` (every rendered field compared). */
export function unchanged(c: Rendered, r: MessageRecord): boolean {
  return (
    c.status === r.status &&
    c.dateUpdated === r.dateUpdated &&
    c.body === r.body &&
    c.price === r.price &&
    c.errorCode === r.errorCode &&
    c.errorMessage === r.errorMessage &&
    c.dateSent === r.dateSent &&
    c.numMedia === r.numMedia &&
    c.numSegments === r.numSegments &&
    c.priceUnit === r.priceUnit &&
    c.to === r.to &&
    c.from === r.from &&
    c.messagingServiceSid === r.messagingServiceSid &&
    c.direction === r.direction &&
    c.dateCreated === r.dateCreated &&
    c.sid === r.sid &&
    c.accountSid === r.accountSid
  )
}

/**
 * `JSON.stringify(renderMessage(r))`, kept for the last {@link RENDERED_JSON_LIMIT} records read and made again
 * only when a rendered field has changed (every field is compared, so no mutation can leave it stale). Lists and
 * fetches of unchanged messages then cost a string copy instead of a render.
 *
 * @example
 * res.end(messageJson(record))
 */
export function messageJson(r: MessageRecord): string {
  return rendered(r).json
}

/**
 * The JSON of a message with the fields it was made from (see {@link messageJson}): whoever keeps the JSON can
 * tell with {@link unchanged} whether the message still renders so, without looking it up again.
 */
export function rendered(r: MessageRecord): Rendered {
  const cached = renderedJson.get(r)
  if (cached && unchanged(cached, r)) return cached
  const json = renderMessageJson(r)
  if (!cached && renderedJson.size >= RENDERED_JSON_LIMIT) renderedJson.clear()
  const made: Rendered = {
    sid: r.sid,
    accountSid: r.accountSid,
    body: r.body,
    numSegments: r.numSegments,
    numMedia: r.numMedia,
    direction: r.direction,
    from: r.from,
    to: r.to,
    status: r.status,
    messagingServiceSid: r.messagingServiceSid,
    dateCreated: r.dateCreated,
    dateUpdated: r.dateUpdated,
    dateSent: r.dateSent,
    price: r.price,
    priceUnit: r.priceUnit,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    json,
  }
  renderedJson.set(r, made)
  return made
}

/**
 * Drops the kept JSON of a message (deleted or dropped), so that the cache never keeps it alive; without a
 * message, drops all of it (a store cleared by `reset()`; other doubles' messages are rendered again).
 */
export function forgetRendered(r?: MessageRecord): void {
  if (r) renderedJson.delete(r)
  else renderedJson.clear()
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

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  amr: 'audio/amr',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mpeg: 'video/mpeg',
  '3gp': 'video/3gpp',
  pdf: 'application/pdf',
  vcf: 'text/vcard',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
}

/** The content type of a media URL, from its extension (default `application/octet-stream`). */
export function contentTypeOf(url: string): string {
  let path = url
  try {
    path = new URL(url).pathname
  } catch {
    // keep the raw string
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase()
  return (ext && CONTENT_TYPES[ext]) || 'application/octet-stream'
}
