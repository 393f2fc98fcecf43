import { TwilioApiError } from '../errors/twilio-api-error.js'
import type { MessagingBackend } from '../messaging/backend.js'
import type { MessageFilter, MessageRecord } from '../messaging/types.js'
import type { MediaPage } from '../schemas/message.js'
import { DAY_MS, parseDateFilter } from '../util/dates.js'
import { one } from './commands.js'
import type { FormParams } from './form.js'
import { LIST_FILTER_KEYS, pageEnvelope, queryPair } from './page-envelope.js'
import { renderMedia, renderMessage } from './render.js'
import { type WireResponse, wireJson } from './respond.js'

/** Page size and number of a list request (PageSize 1..1000, default 50). */
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
 * The inclusive range of epoch ms a date filter names: `{name}` a UTC day (a date-time, which the twilio
 * client always sends, stands for its day), `{name}<` and `{name}>` bounds on or before / on or after (a day
 * alone: on or before its end, on or after its start).
 */
function dateRange(
  params: FormParams,
  name: 'DateSent' | 'DateCreated',
): { after?: number; before?: number } {
  const out: { after?: number; before?: number } = {}
  const read = (key: string) => {
    const v = one(params, key)
    if (v === undefined || v === '') return undefined
    const d = parseDateFilter(v)
    if (!d)
      throw new TwilioApiError(20001, {
        message: `Invalid ${key} '${v}': use YYYY-MM-DD, YYYY-MM-DDTHH:mm:ssZ, MM/DD/YYYY HH:mm:ss MST or an RFC 2822 date`,
      })
    return d
  }
  const on = read(name)
  if (on) {
    const day = on.ms - (((on.ms % DAY_MS) + DAY_MS) % DAY_MS)
    out.after = day
    out.before = day + DAY_MS - 1
  }
  // a day alone as the upper bound includes that day: "on and before a specific date" (Twilio's OpenAPI)
  const before = read(`${name}<`)
  if (before)
    out.before = Math.min(
      out.before ?? Number.POSITIVE_INFINITY,
      before.dayOnly ? before.ms + DAY_MS - 1 : before.ms,
    )
  const after = read(`${name}>`)
  if (after) out.after = Math.max(out.after ?? Number.NEGATIVE_INFINITY, after.ms)
  return out
}

/** The filters of `keys` a request gave (non-empty), as the encoded pairs Twilio echoes in paging URIs. */
function echoedFilters(params: FormParams, keys: readonly string[]): string[] {
  return keys.flatMap((k) => {
    const v = one(params, k)
    return v === undefined || v === '' ? [] : [queryPair(k, v)]
  })
}

function dateFilter(params: FormParams): Pick<MessageFilter, 'dateSentAfter' | 'dateSentBefore'> {
  const { after, before } = dateRange(params, 'DateSent')
  const out: Pick<MessageFilter, 'dateSentAfter' | 'dateSentBefore'> = {}
  if (after !== undefined) out.dateSentAfter = after
  if (before !== undefined) out.dateSentBefore = before
  return out
}

/**
 * The answer to a read of the Messages list: a page with Twilio's envelope and paging URIs (PageToken cursors:
 * PA = after, PB = before).
 */
export function listMessagesResponse(
  backend: MessagingBackend,
  accountSid: string,
  params: FormParams,
  path: string,
): WireResponse {
  const store = backend.store(accountSid)
  const { pageSize, page } = pageParams(params)
  const filter: MessageFilter = { ...dateFilter(params) }
  const to = one(params, 'To')
  const from = one(params, 'From')
  if (to) filter.to = to
  if (from) filter.from = from
  const token = one(params, 'PageToken')
  let window: { records: MessageRecord[]; hasMore: boolean }
  if (token) {
    const m = /^P([AB])((SM|MM)[0-9a-fA-F]{32})$/.exec(token)
    const cursor = m ? store.position(m[2]!) : undefined
    if (!m || !cursor) throw new TwilioApiError(20001, { message: `Invalid PageToken '${token}'` })
    window =
      m[1] === 'A'
        ? store.list(filter, { after: cursor, limit: pageSize })
        : store.list(filter, { before: cursor, limit: pageSize })
  } else {
    window = store.list(filter, { offset: page * pageSize, limit: pageSize })
  }
  const records = window.records
  return wireJson(
    200,
    pageEnvelope('messages', records.map(renderMessage), {
      path,
      query: echoedFilters(params, LIST_FILTER_KEYS),
      pageSize,
      page,
      count: records.length,
      hasMore: window.hasMore,
      cursors: { first: records[0]?.sid, last: records[records.length - 1]?.sid },
      uriExtra: token ? queryPair('PageToken', token) : undefined,
    }),
  )
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
