/** The list filters Twilio echoes into paging URIs, in the order it writes them. */
export const LIST_FILTER_KEYS = ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const

/** `key=value`, both URL-encoded, as Twilio writes query parameters in its paging URIs. */
export function queryPair(key: string, value: string): string {
  return `${formEncode(key)}=${formEncode(value)}`
}

/** Percent-encoding with spaces as `+`, as Twilio's paging URIs write them (`Wed%2C+19+Jun+2019…`). */
function formEncode(text: string): string {
  const encoded = encodeURIComponent(text)
  return encoded.includes('%20') ? encoded.replace(/%20/g, '+') : encoded
}

/** What a page of a list is, to write its envelope. */
export interface PageLinks {
  /** Path of the list, e.g. `/2010-04-01/Accounts/AC…/Messages.json`. */
  path: string
  /** Encoded filter pairs echoed in every URI (see {@link queryPair}). */
  query?: string[]
  pageSize: number
  page: number
  /** Items on this page. */
  count: number
  /** Whether a next page exists. */
  hasMore: boolean
  /**
   * SIDs of the first and last item for `PageToken` cursors (PB… back, PA… forward); without it, the links
   * page by `Page` alone. With cursors and no item on the page, there is no link to follow.
   */
  cursors?: { first?: string; last?: string }
  /** Extra pair for this page's own `uri` (the token it was read with). */
  uriExtra?: string
}

/**
 * The links of a page that pages by `PageToken`: how many items it holds, the cursors of its first and last item,
 * and the token it was read with (kept in its own `uri`).
 *
 * @example
 * pageEnvelope('accounts', items, { path, pageSize: 50, page: 0, hasMore: false, ...cursorLinks(accounts, undefined) })
 */
export function cursorLinks(
  items: readonly { sid: string }[],
  token: string | undefined,
): Pick<PageLinks, 'count' | 'cursors' | 'uriExtra'> {
  return {
    count: items.length,
    cursors: { first: items[0]?.sid, last: items[items.length - 1]?.sid },
    uriExtra: token ? queryPair('PageToken', token) : undefined,
  }
}

/**
 * Twilio's list envelope: `start`/`end` (inclusive), `page`, `page_size` and the relative paging URIs, with the
 * items under `key` (`messages`, `media_list`), keys in Twilio's order.
 *
 * @example
 * pageEnvelope('media_list', items, { path, pageSize: 50, page: 0, count: items.length, hasMore: false })
 */
export function pageEnvelope<K extends string, T>(key: K, items: T[], links: PageLinks) {
  const { path, query = [], pageSize, page, count, hasMore, cursors, uriExtra } = links
  const uri = (p: number, extra?: string) =>
    `${path}?${[...query, `PageSize=${pageSize}`, `Page=${p}`, ...(extra ? [extra] : [])].join('&')}`
  const link = (p: number, token: 'PA' | 'PB', sid: string | undefined) =>
    !cursors ? uri(p) : sid ? uri(p, `PageToken=${token}${sid}`) : null
  const start = page * pageSize
  return {
    end: count > 0 ? start + count - 1 : start,
    first_page_uri: uri(0),
    [key]: items,
    next_page_uri: hasMore ? link(page + 1, 'PA', cursors?.last) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? link(page - 1, 'PB', cursors?.first) : null,
    start,
    uri: uri(page, uriExtra),
  } as {
    end: number
    first_page_uri: string
    next_page_uri: string | null
    page: number
    page_size: number
    previous_page_uri: string | null
    start: number
    uri: string
  } & Record<K, T[]>
}

/**
 * The JSON text of a list envelope whose items under `key` are JSON texts already: the same text as
 * `JSON.stringify` of the envelope holding the items themselves.
 *
 * @example
 * envelopeJson(pageEnvelope('messages', [], links), 'messages', records.map((r) => rendered.json(r)))
 */
export function envelopeJson(envelope: object, key: string, itemsJson: readonly string[]): string {
  // one join of every piece: the page's text is copied once
  const pieces: string[] = []
  for (const [k, v] of Object.entries(envelope)) {
    pieces.push(pieces.length === 0 ? '{' : ',', JSON.stringify(k), ':')
    if (k !== key) pieces.push(JSON.stringify(v))
    else {
      pieces.push('[')
      for (const [i, item] of itemsJson.entries()) {
        if (i > 0) pieces.push(',')
        pieces.push(item)
      }
      pieces.push(']')
    }
  }
  pieces.push('}')
  return pieces.join('')
}
