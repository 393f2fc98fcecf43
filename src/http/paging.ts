import { TwilioApiError } from '../errors/twilio-api-error.js'
import type { ListMediaCommand, ListMessagesCommand } from '../messaging/commands.js'
import type { ListWindow } from '../messaging/message-store.js'
import type { MessageRecord } from '../messaging/types.js'
import type { MediaPage } from '../schemas/message.js'
import { one, pageToken } from './commands.js'
import type { FormParams } from './form.js'
import { cursorLinks, envelopeJson, LIST_FILTER_KEYS, pageEnvelope, queryPair } from './page-envelope.js'
import { type RenderedMessages, renderMedia } from './render.js'
import type { WireResponse } from './respond.js'

/** The filters of `keys` a request gave (non-empty), as the encoded pairs Twilio echoes in paging URIs. */
function echoedFilters(params: FormParams, keys: readonly string[]): string[] {
  return keys.flatMap((k) => {
    const v = one(params, k)
    return v === undefined || v === '' ? [] : [queryPair(k, v)]
  })
}

/**
 * The answer to a read of the Messages list (`command` read from the request's query `params` by `readList`):
 * the page the domain found, in Twilio's envelope, whose paging URIs echo the request's filters and carry
 * PageToken cursors (PA… after its last, PB… before its first message). Each message's JSON comes from
 * `rendered`.
 */
export function messagesPage(
  window: ListWindow,
  command: ListMessagesCommand,
  params: FormParams,
  path: string,
  rendered: RenderedMessages,
): WireResponse {
  const { records, hasMore } = window
  const { pageSize, page, cursor } = command
  const envelope = pageEnvelope('messages', [], {
    path,
    query: echoedFilters(params, LIST_FILTER_KEYS),
    pageSize,
    page,
    hasMore,
    ...cursorLinks(records, cursor && pageToken(cursor.direction, cursor.messageSid)),
  })
  return {
    status: 200,
    body: envelopeJson(
      envelope,
      'messages',
      records.map((r) => rendered.json(r)),
    ),
  }
}

/** The Media list filters Twilio echoes into paging URIs, in the order it writes them. */
const MEDIA_FILTER_KEYS = ['DateCreated', 'DateCreated<', 'DateCreated>'] as const

/**
 * A page of a message's Media list, newest first (`command` read from the request's query `params` by
 * `readListMedia`): `DateCreated` filters (as `DateSent` of the Messages list), `Page`/`PageSize`, and `PageToken`
 * cursors (PA… after, PB… before a media SID of the message; 20001 for one the message does not have) in the
 * paging URIs.
 */
export function listMedia(
  r: MessageRecord,
  command: ListMediaCommand,
  params: FormParams,
  path: string,
): MediaPage {
  const { pageSize, page, cursor, dateCreatedAfter: after, dateCreatedBefore: before } = command
  const all = [...(r.media ?? [])].reverse()
  // positions (in `all`) of the media the filters keep
  const kept: number[] = []
  all.forEach((m, i) => {
    if ((after === undefined || m.dateCreated >= after) && (before === undefined || m.dateCreated <= before))
      kept.push(i)
  })
  const token = cursor && pageToken(cursor.direction, cursor.mediaSid)
  let from: number
  let to: number
  if (cursor) {
    const at = all.findIndex((x) => x.sid === cursor.mediaSid)
    if (at < 0) throw new TwilioApiError(20001, { message: `Invalid PageToken '${token}'` })
    const firstAfter = kept.findIndex((i) => i > at)
    const split = firstAfter < 0 ? kept.length : firstAfter
    // after: the page after the cursor; before: the page before it (the cursor itself is on neither)
    const beforeEnd = kept[split - 1] === at ? split - 1 : split
    ;[from, to] =
      cursor.direction === 'after'
        ? [split, split + pageSize]
        : [Math.max(0, beforeEnd - pageSize), beforeEnd]
  } else {
    from = page * pageSize
    to = from + pageSize
  }
  const items = kept.slice(from, to).map((i) => all[i]!)
  const query = echoedFilters(params, MEDIA_FILTER_KEYS)
  return pageEnvelope(
    'media_list',
    items.map((m) => renderMedia(r, m)),
    {
      path,
      query,
      pageSize,
      page,
      hasMore: to < kept.length,
      ...cursorLinks(items, token),
    },
  )
}
