import { TwilioApiError } from '../errors/twilio-api-error.js'
import type { ListMessagesCommand } from '../messaging/commands.js'
import type { ListWindow } from '../messaging/message-store.js'
import type { MessageRecord } from '../messaging/types.js'
import type { MediaPage } from '../schemas/message.js'
import { dateFilterRange, parseDateFilter } from '../util/dates.js'
import { one, pageToken } from './commands.js'
import type { FormParams } from './form.js'
import { envelopeJson, LIST_FILTER_KEYS, pageEnvelope, queryPair } from './page-envelope.js'
import { type RenderedMessages, renderMedia } from './render.js'
import type { WireResponse } from './respond.js'

/** Page size and number of a Media list request (PageSize 1..1000, default 50). */
export function pageParams(params: FormParams): { pageSize: number; page: number } {
  const sizeRaw = one(params, 'PageSize')
  let pageSize = 50
  if (sizeRaw !== undefined && sizeRaw !== '') {
    if (!/^\d+$/.test(sizeRaw.trim()) || Number(sizeRaw) < 1)
      throw new TwilioApiError(20001, {
        message: `Invalid PageSize '${sizeRaw}': use an integer from 1 to 1000`,
      })
    pageSize = Number(sizeRaw)
    if (pageSize > 1000) throw new TwilioApiError(20007)
  }
  const pageRaw = one(params, 'Page')
  let page = 0
  if (pageRaw !== undefined && pageRaw !== '') {
    if (!/^\d+$/.test(pageRaw.trim()))
      throw new TwilioApiError(20001, { message: `Invalid Page '${pageRaw}': use an integer >= 0` })
    page = Number(pageRaw)
    // start/end are integers in the envelope: a page past any list Twilio could hold is refused.
    if (!Number.isSafeInteger(page * pageSize + pageSize))
      throw new TwilioApiError(20001, { message: `Invalid Page '${pageRaw}': the page is out of range` })
  }
  return { pageSize, page }
}

/**
 * The range of epoch ms the date filters `{name}`, `{name}<` and `{name}>` name (see `dateFilterRange`), refusing
 * a value that is no date (20001), in that order.
 */
function dateRange(
  params: FormParams,
  name: 'DateSent' | 'DateCreated',
): { after?: number; before?: number } {
  const read = (key: string) => {
    const v = one(params, key)
    if (v === undefined || v === '') return undefined
    if (!parseDateFilter(v))
      throw new TwilioApiError(20001, {
        message: `Invalid ${key} '${v}': use YYYY-MM-DD, YYYY-MM-DDTHH:mm:ssZ, MM/DD/YYYY HH:mm:ss MST or an RFC 2822 date`,
      })
    return v
  }
  return dateFilterRange({ on: read(name), before: read(`${name}<`), after: read(`${name}>`) })
}

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
    count: records.length,
    hasMore,
    cursors: { first: records[0]?.sid, last: records[records.length - 1]?.sid },
    uriExtra: cursor ? queryPair('PageToken', pageToken(cursor)) : undefined,
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
 * A page of a message's Media list, newest first: `DateCreated` filters (as `DateSent` of the Messages list),
 * `Page`/`PageSize`, and `PageToken` cursors (PA… after, PB… before a media SID of the message) in the paging
 * URIs.
 */
export function listMedia(r: MessageRecord, params: FormParams, path: string): MediaPage {
  const { pageSize, page } = pageParams(params)
  const { after, before } = dateRange(params, 'DateCreated')
  const all = [...(r.media ?? [])].reverse()
  // positions (in `all`) of the media the filters keep
  const kept: number[] = []
  all.forEach((m, i) => {
    if ((after === undefined || m.dateCreated >= after) && (before === undefined || m.dateCreated <= before))
      kept.push(i)
  })
  const token = one(params, 'PageToken')
  let from: number
  let to: number
  if (token) {
    const m = /^P([AB])(ME[0-9a-fA-F]{32})$/.exec(token)
    const at = m ? all.findIndex((x) => x.sid === m[2]) : -1
    if (!m || at < 0) throw new TwilioApiError(20001, { message: `Invalid PageToken '${token}'` })
    const firstAfter = kept.findIndex((i) => i > at)
    const split = firstAfter < 0 ? kept.length : firstAfter
    // PA: the page after the cursor; PB: the page before it (the cursor itself is on neither)
    const beforeEnd = kept[split - 1] === at ? split - 1 : split
    ;[from, to] = m[1] === 'A' ? [split, split + pageSize] : [Math.max(0, beforeEnd - pageSize), beforeEnd]
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
      count: items.length,
      hasMore: to < kept.length,
      cursors: { first: items[0]?.sid, last: items[items.length - 1]?.sid },
      uriExtra: token ? queryPair('PageToken', token) : undefined,
    },
  )
}
