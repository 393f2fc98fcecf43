import { z } from 'zod'
import type { MessageRecord } from '../../messaging/types.js'
import { messageDirection, messageStatus } from '../../schemas/common.js'
import { summarizeCallbacks } from './callback-summary.js'
import { CONTROL_PREFIX, controlError, handler, ok, oneOf, strictQuery, wholeNumber } from './route.js'
import { controlMessage, renderControlMessage } from './wait.js'

const iso = (d: Date) => d.toISOString()

const CHANNELS = ['sms', 'mms', 'whatsapp', 'messenger', 'rcs'] as const

const listQuery = strictQuery({
  to: z.string().optional(),
  from: z.string().optional(),
  status: oneOf('status', 'message status', messageStatus.options),
  direction: oneOf('direction', 'message direction', messageDirection.options),
  accountSid: z.string().optional(),
  channel: oneOf('channel', 'channel', CHANNELS),
  q: z.string().optional(),
  offset: wholeNumber('offset'),
  limit: wholeNumber('limit'),
})

/** The `channel` and `q` filters of GET /messages: `q` searches SID, To, From, body and error code. */
function searchMessages(
  records: MessageRecord[],
  channel: string | undefined,
  search?: string,
): MessageRecord[] {
  const q = search?.trim().toLowerCase()
  if (!channel && !q) return records
  return records.filter((r) => {
    if (channel === 'sms' && (r.channel !== 'sms' || r.numMedia > 0)) return false
    if (channel === 'mms' && (r.channel !== 'sms' || r.numMedia === 0)) return false
    if (channel && channel !== 'sms' && channel !== 'mms' && r.channel !== channel) return false
    if (!q) return true
    return (
      r.sid.toLowerCase().includes(q) ||
      r.to.toLowerCase().includes(q) ||
      (r.from ?? '').toLowerCase().includes(q) ||
      r.body.toLowerCase().includes(q) ||
      (r.errorCode !== null && String(r.errorCode) === q)
    )
  })
}

/**
 * GET /messages: stored messages, newest first, with `total`; each with `callbackSummary`, how its status
 * callbacks (or, received, its webhook) went.
 */
export const listMessages = handler({
  query: listQuery,
  run: ({ query, scope }) => {
    const { channel, q, offset = 0, limit, ...filter } = query
    const matching = searchMessages(scope.records(filter), channel, q)
    const page = matching.slice(offset, limit === undefined ? undefined : offset + limit)
    const summaries = summarizeCallbacks(page, scope.view.callbacks.list(), scope.statusCallbackUrl)
    const messages = page.map((r) => ({
      ...renderControlMessage(r),
      callbackSummary: summaries.get(r.sid)!,
    }))
    return ok({ messages, count: messages.length, total: matching.length, offset, limit })
  },
})

/** GET /messages/:sid: one message with its status history, media and callbacks. */
export const oneMessage = handler({
  run: ({ params: { sid }, scope }) => {
    const double = scope.view
    const message = double.messages.get(sid!)
    if (!message)
      return controlError(
        404,
        'not_found',
        `no message with SID ${sid}; list them with GET ${CONTROL_PREFIX}/messages`,
      )
    return ok({
      message: controlMessage(message),
      history: double.messages.history(sid!).map((h) => ({ ...h, at: iso(h.at) })),
      mediaUrls: double.messages.mediaUrls(sid!),
      feedback: double.messages.feedback(sid!) ?? null,
      media: (scope.findMessage(sid!)?.media ?? []).map((m) => ({
        sid: m.sid,
        url: m.url,
        contentType: m.contentType,
      })),
      callbacks: double.callbacks.list({ messageSid: sid! }),
    })
  },
})

/** GET /callbacks: status callback and webhook deliveries. */
export const listCallbacks = handler({
  query: strictQuery({
    messageSid: z.string().optional(),
    status: z.string().optional(),
    kind: oneOf('kind', 'callback kind', ['status', 'inbound'], 'status or inbound'),
  }),
  run: ({ query, scope }) => {
    const callbacks = scope.view.callbacks.list(query)
    return ok({ callbacks, count: callbacks.length })
  },
})
