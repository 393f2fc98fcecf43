import type { MessageRecord } from '../../messaging/types.js'
import { handler, ok, strictQuery, wholeNumber } from './route.js'
import type { ControlScope } from './scope.js'
import { type ControlMessage, renderControlMessage } from './wait.js'

/** The two sides of a conversation: one of the account's senders, and the person it talks with. */
export interface ConversationSides {
  /** The account's side: the From of a message sent (its messaging service SID until a sender is chosen), the To of one received. */
  ours: string
  /** The other side: the To of a message sent, the From of one received. */
  theirs: string
}

/** A conversation of `GET /__double/conversations`: the messages between two addresses, both ways. */
export interface ConversationSummary extends ConversationSides {
  /** Messages in it, sent and received. */
  count: number
  /** The newest one. */
  last: ControlMessage
}

/**
 * The sides of the conversation a message belongs to: sent messages go from ours to theirs, received ones
 * from theirs to ours.
 *
 * @example
 * sidesOf(inbound) // { ours: '+15005550006', theirs: '+15558675310' } for a message from +15558675310
 */
export function sidesOf(r: MessageRecord): ConversationSides {
  if (r.direction === 'inbound') return { ours: r.to, theirs: r.from ?? '' }
  return { ours: r.from ?? r.messagingServiceSid ?? '', theirs: r.to }
}

/**
 * Creation order: by when each message was created on the scope's clock (`createdAt`: the double's for every account,
 * whichever account's clock leads or lags; the account's own for one), then by the double's order of creation (one
 * instant).
 */
const olderBy =
  (createdAt: (r: MessageRecord) => number) =>
  (a: MessageRecord, b: MessageRecord): number =>
    createdAt(a) - createdAt(b) || a.seq - b.seq

/**
 * Groups messages into conversations (addresses compared by `key`), the one with the newest message first (by
 * `createdAt`, see {@link ControlScope.createdAt}).
 *
 * @example
 * groupConversations(scope.records(), scope.addressKey, scope.createdAt)[0] // { ours, theirs, count: 3, last: record }
 */
export function groupConversations(
  records: Iterable<MessageRecord>,
  key: (address: string) => string,
  createdAt: (r: MessageRecord) => number,
): Array<ConversationSides & { count: number; last: MessageRecord }> {
  const older = olderBy(createdAt)
  const groups = new Map<string, ConversationSides & { count: number; last: MessageRecord }>()
  for (const r of records) {
    const sides = sidesOf(r)
    const id = `${key(sides.ours)}\n${key(sides.theirs)}`
    const group = groups.get(id)
    if (!group) groups.set(id, { ...sides, count: 1, last: r })
    else {
      group.count++
      if (older(group.last, r) < 0) group.last = r
    }
  }
  return [...groups.values()].sort((a, b) => older(b.last, a.last))
}

/**
 * The messages between `ours` and `theirs`, both ways, oldest first.
 *
 * @example
 * conversationMessages(scope, DEFAULT_FROM, '+15558675310').map((r) => r.body)
 */
export function conversationMessages(scope: ControlScope, ours: string, theirs: string): MessageRecord[] {
  const key = scope.addressKey
  const wanted = `${key(ours)}\n${key(theirs)}`
  const seen = new Set<string>()
  const out: MessageRecord[] = []
  for (const r of [...scope.records({ to: theirs }), ...scope.records({ from: theirs })]) {
    if (seen.has(r.sid)) continue
    seen.add(r.sid)
    const sides = sidesOf(r)
    if (`${key(sides.ours)}\n${key(sides.theirs)}` === wanted) out.push(r)
  }
  return out.sort(olderBy(scope.createdAt))
}

/** GET /conversations?limit=: the conversations of the scope, the most recently active first. */
export const listConversations = handler({
  query: strictQuery({ limit: wholeNumber('limit') }),
  run: ({ query, scope }) => {
    const all = groupConversations(scope.records(), scope.addressKey, scope.createdAt)
    const shown = query.limit === undefined ? all : all.slice(0, query.limit)
    const conversations: ConversationSummary[] = shown.map((c) => ({
      ...c,
      last: renderControlMessage(c.last),
    }))
    return ok({ conversations, total: all.length })
  },
})

/** GET /conversations/:ours/:theirs?limit=: the messages between two addresses, oldest first (the newest `limit`). */
export const oneConversation = handler({
  query: strictQuery({ limit: wholeNumber('limit') }),
  run: ({ params, query, scope }) => {
    const ours = params.ours!
    const theirs = params.theirs!
    const all = conversationMessages(scope, ours, theirs)
    const shown = query.limit === undefined ? all : all.slice(Math.max(0, all.length - query.limit))
    return ok({ ours, theirs, messages: shown.map(renderControlMessage), total: all.length })
  },
})
