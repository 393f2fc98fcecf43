import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { LIST_FILTER_KEYS, pageEnvelope, queryPair } from '../http/page-envelope.js'
import { API, type FactoryContext } from './context.js'
import type { MessageFactory } from './message.js'
import type { Factories, PageFactoryInput } from './types.js'

/** The page a list request would get: its size, number, first index, item count and whether more follow. */
function pageShape(input: PageFactoryInput) {
  const total = input.total ?? 3
  const pageSize = input.pageSize ?? 50
  const page = input.page ?? 0
  if (!Number.isInteger(total) || total < 0)
    throw new TwilioDoubleError(`page factories: total must be an integer >= 0, got ${String(total)}`)
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
    throw new TwilioDoubleError(
      `page factories: pageSize must be an integer from 1 to 1000, got ${String(pageSize)}`,
    )
  if (!Number.isInteger(page) || page < 0)
    throw new TwilioDoubleError(`page factories: page must be an integer >= 0, got ${String(page)}`)
  const start = page * pageSize
  const count = Math.max(0, Math.min(pageSize, total - start))
  return { total, pageSize, page, start, count, hasMore: start + count < total }
}

/** Pages of the Messages list, newest first, with Twilio's envelope and paging URIs. */
export function messagePageFactory(ctx: FactoryContext, message: MessageFactory): Factories['messagePage'] {
  const { accountSid, sid } = ctx
  return (input = {}) => {
    const { pageSize, page, count, hasMore } = pageShape(input)
    const filters = input.filters ?? {}
    const messages = Array.from({ length: count }, () =>
      message({
        ...input.message,
        ...(filters.To ? { to: filters.To } : {}),
        ...(filters.From ? { from: filters.From } : {}),
      }),
    )
    // newest first, as Twilio lists them
    messages.sort(
      (a, b) =>
        Date.parse(b.date_sent ?? b.date_created ?? '') - Date.parse(a.date_sent ?? a.date_created ?? ''),
    )
    const query = LIST_FILTER_KEYS.flatMap((k) => {
      const v = filters[k]
      return v === undefined || v === '' ? [] : [queryPair(k, v)]
    })
    return pageEnvelope('messages', messages, {
      path: `${API}/Accounts/${accountSid}/Messages.json`,
      query,
      pageSize,
      page,
      count,
      hasMore,
      cursors: {
        first: messages[0]?.sid ?? undefined,
        last: messages[messages.length - 1]?.sid ?? undefined,
      },
      uriExtra: page > 0 ? `PageToken=PA${sid('SM')}` : undefined,
    })
  }
}

/** Pages of a message's Media list. */
export function mediaPageFactory(
  ctx: FactoryContext,
  message: MessageFactory,
  media: Factories['media'],
): Factories['mediaPage'] {
  return (input = {}) => {
    // a given message's media count is the list's length, unless `total` says otherwise
    const given = input.message ? Number(input.message.num_media ?? 0) : undefined
    const { pageSize, page, count, hasMore } = pageShape({ ...input, total: input.total ?? given })
    const parent = input.message ?? message({ channel: 'mms', numMedia: Math.max(1, input.total ?? 3) })
    const items = Array.from({ length: count }, () => media({ message: parent }))
    return pageEnvelope('media_list', items, {
      path: `${API}/Accounts/${parent.account_sid ?? ctx.accountSid}/Messages/${parent.sid}/Media.json`,
      pageSize,
      page,
      count,
      hasMore,
    })
  }
}
