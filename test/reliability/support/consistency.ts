/**
 * State checks of a double after a storm of requests: every stored message is schema-valid, the store's
 * indexes (by SID, by To, by From, the sorted list) agree with a scan, and list pages followed with
 * their PageToken links concatenate to the full list.
 */
import type { TwilioDouble } from '../../../src/double.js'
import { addressKey } from '../../../src/messaging/address.js'
import { type MessageResource, messagePageSchema, messageSchema } from '../../../src/schemas/message.js'
import { basic, type TestAccount } from './doubles.js'

const API = 'https://api.twilio.com'

function sameSids(a: MessageResource[], b: MessageResource[]): boolean {
  return a.length === b.length && a.every((m, i) => m.sid === b[i]!.sid)
}

/** Reads a whole list through the API, following `next_page_uri`; returns the messages or a problem. */
export async function readAllPages(
  double: TwilioDouble,
  account: TestAccount,
  query: Record<string, string>,
  pageSize: number,
): Promise<{ messages: MessageResource[]; pages: number; problems: string[] }> {
  const problems: string[] = []
  const messages: MessageResource[] = []
  const qs = new URLSearchParams({ ...query, PageSize: String(pageSize) })
  let uri: string | null = `/2010-04-01/Accounts/${account.sid}/Messages.json?${qs}`
  let pages = 0
  const seenUris = new Set<string>()
  while (uri) {
    if (seenUris.has(uri)) {
      problems.push(`paging loops back to ${uri}`)
      break
    }
    seenUris.add(uri)
    const res = await double.handle(
      new Request(`${API}${uri}`, { headers: { authorization: basic(account.sid, account.authToken) } }),
    )
    const body = await res.json()
    pages++
    if (res.status !== 200) {
      // worded as the fuzzer words a 5xx of any other request
      const what = res.status >= 500 ? `server error ${res.status} on page` : 'page'
      problems.push(`${what} ${uri} answered ${res.status}: ${JSON.stringify(body)}`)
      break
    }
    const parsed = messagePageSchema.safeParse(body)
    if (!parsed.success) problems.push(`page ${uri} is not schema-valid: ${parsed.error.message}`)
    messages.push(...body.messages)
    uri = body.next_page_uri
  }
  return { messages, pages, problems }
}

/**
 * Checks the state of `double` for the given accounts. Returns problems (empty when consistent).
 * `expected` (optional): the SIDs each account must hold, e.g. those created minus those deleted.
 */
export async function checkConsistency(
  double: TwilioDouble,
  accounts: TestAccount[],
  options: {
    expected?: Map<string, Set<string>>
    pageSize?: number
    /** Page-read To/From filters checked per account (default 5). */
    maxFilters?: number
    /** To/From index lookups checked per account (default: all). */
    maxIndexChecks?: number
  } = {},
): Promise<string[]> {
  const problems: string[] = []
  const all = double.messages.list()
  for (const m of all) {
    const r = messageSchema.safeParse(m)
    if (!r.success) problems.push(`stored message ${m.sid} is not schema-valid: ${r.error.message}`)
  }
  const bySid = new Set(all.map((m) => m.sid))
  if (bySid.size !== all.length)
    problems.push(`the full list holds ${all.length - bySid.size} duplicate SID(s)`)
  if (double.messages.count() !== all.length)
    problems.push(`messages.count() is ${double.messages.count()} but the list holds ${all.length}`)

  let total = 0
  for (const account of accounts) {
    const list = double.messages.list({ accountSid: account.sid })
    total += list.length
    if (list.some((m) => m.account_sid !== account.sid))
      problems.push(`list of ${account.sid} holds another account's message`)
    const store = double.tenant(account.sid).backend.store(account.sid)
    if (store.size !== list.length)
      problems.push(
        `${account.sid}: the SID index holds ${store.size} messages, the sorted list ${list.length}`,
      )
    for (const m of list) {
      const again = double.messages.get(m.sid!)
      if (!again || JSON.stringify(again) !== JSON.stringify(m))
        problems.push(`get(${m.sid}) disagrees with the list`)
      if (!store.get(m.sid!)) problems.push(`${m.sid} is listed but not in the SID index`)
    }
    const expected = options.expected?.get(account.sid)
    if (expected) {
      const actual = new Set(list.map((m) => m.sid!))
      const lost = [...expected].filter((s) => !actual.has(s))
      const extra = [...actual].filter((s) => !expected.has(s))
      if (lost.length > 0)
        problems.push(`${account.sid}: ${lost.length} message(s) lost, e.g. ${lost.slice(0, 3).join(', ')}`)
      if (extra.length > 0)
        problems.push(
          `${account.sid}: ${extra.length} unexpected message(s), e.g. ${extra.slice(0, 3).join(', ')}`,
        )
    }

    // the To and From indexes against a scan of the full list (address keys computed once per message)
    const toKey = new Map(list.map((m) => [m.sid!, addressKey(m.to!)]))
    const fromKey = new Map(list.map((m) => [m.sid!, m.from === null ? undefined : addressKey(m.from)]))
    const scanTo = (to: string) => {
      const key = addressKey(to)
      return list.filter((m) => toKey.get(m.sid!) === key)
    }
    const scanFrom = (from: string) => {
      const key = addressKey(from)
      return list.filter((m) => fromKey.get(m.sid!) === key)
    }
    const tos = [...new Set(list.map((m) => m.to!))]
    const froms = [...new Set(list.filter((m) => m.from !== null).map((m) => m.from!))]
    const maxIndex = options.maxIndexChecks ?? Number.POSITIVE_INFINITY
    for (const to of tos.slice(0, maxIndex)) {
      const viaIndex = double.messages.list({ accountSid: account.sid, to })
      const scan = scanTo(to)
      if (!sameSids(viaIndex, scan))
        problems.push(
          `${account.sid}: To index of ${to} disagrees with a scan (${viaIndex.length} vs ${scan.length})`,
        )
    }
    for (const from of froms.slice(0, maxIndex)) {
      const viaIndex = double.messages.list({ accountSid: account.sid, from })
      const scan = scanFrom(from)
      if (!sameSids(viaIndex, scan))
        problems.push(
          `${account.sid}: From index of ${from} disagrees with a scan (${viaIndex.length} vs ${scan.length})`,
        )
    }

    // pages concatenated equal the full list, unfiltered and for a few To / From filters
    const pageSize = options.pageSize ?? 7
    const pages = await readAllPages(double, account, {}, pageSize)
    problems.push(...pages.problems)
    if (!sameSids(pages.messages, list))
      problems.push(
        `${account.sid}: ${pages.pages} pages hold ${pages.messages.length} messages, the list ${list.length} (or another order)`,
      )
    const maxFilters = options.maxFilters ?? 5
    for (const to of tos.slice(0, maxFilters)) {
      const p = await readAllPages(double, account, { To: to }, pageSize)
      problems.push(...p.problems)
      const scan = list.filter((m) => addressKey(m.to!) === addressKey(to))
      if (!sameSids(p.messages, scan))
        problems.push(`${account.sid}: pages filtered by To=${to} disagree with a scan`)
    }
    for (const from of froms.slice(0, maxFilters)) {
      const p = await readAllPages(double, account, { From: from }, pageSize)
      problems.push(...p.problems)
      const scan = list.filter((m) => m.from !== null && addressKey(m.from) === addressKey(from))
      if (!sameSids(p.messages, scan))
        problems.push(`${account.sid}: pages filtered by From=${from} disagree with a scan`)
    }
  }
  if (total !== all.length) problems.push(`accounts hold ${total} messages, the full list ${all.length}`)
  return problems
}
