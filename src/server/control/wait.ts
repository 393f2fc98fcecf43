import { parse as parseDuration } from '@lukeed/ms'
import { z } from 'zod'
import { renderMessage } from '../../http/render.js'
import { json } from '../../http/respond.js'
import { addressKey } from '../../messaging/address.js'
import type { BackendEvent } from '../../messaging/backend.js'
import { findCodesAndLinks } from '../../messaging/codes.js'
import type { MessageFilter, MessageRecord } from '../../messaging/types.js'
import type { MessageResource } from '../../schemas/message.js'
import { BadRequest, handler, ok } from './route.js'

/** How long `GET /__double/messages/wait` waits when no `timeout` is given (ms). */
export const WAIT_DEFAULT_TIMEOUT_MS = 10_000
/** The longest `timeout` of `GET /__double/messages/wait` (ms); wait again after a 408 to wait longer. */
export const WAIT_MAX_TIMEOUT_MS = 60_000

/** A message of the control API: its wire shape with the one-time codes and links found in its body. */
export type ControlMessage = MessageResource & { codes: string[]; links: string[] }

/**
 * A message as the control API answers it: Twilio's wire shape plus `codes` and `links` (see
 * {@link findCodesAndLinks}).
 *
 * @example
 * controlMessage(double.messages.get(sid)!) // { sid, body: 'Your code is 482913', …, codes: ['482913'], links: [] }
 */
export function controlMessage(message: MessageResource): ControlMessage {
  return { ...message, ...findCodesAndLinks(message.body ?? '') }
}

/** What `GET /__double/messages/wait` waits for, read from its query. */
export interface WaitFor {
  to?: string
  from?: string
  /** Text the body contains (any case), or a pattern written `/re/flags`. */
  body?: string | RegExp
  /**
   * Only messages created after the message with this SID, or after this time (epoch ms) on the clock of the
   * source (`WaitSource.createdAt`): the double's, or that of the account named.
   */
  after?: { sid: string } | { time: number }
  /** Real milliseconds to wait before answering 408. */
  timeout: number
}

const SID = /^(?:SM|MM)[0-9a-fA-F]{32}$/
const PATTERN = /^\/(.+)\/([dgimsuvy]*)$/s

const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v))

/**
 * The query of `GET /__double/messages/wait?to=&from=&body=&after=&timeout=`, each refusal saying what to fix.
 *
 * @example
 * waitQuery.parse({ to: '+15558675310', timeout: '30s' }) // { to: '+15558675310', timeout: 30000 }
 */
export const waitQuery = z
  .strictObject(
    { to: optional, from: optional, body: optional, after: optional, timeout: optional },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown query parameter ${iss.keys.map((k) => `'${k}'`).join(', ')}; known: to, from, body, after, timeout`
          : undefined,
    },
  )
  .transform((q, ctx): WaitFor => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    }
    if (q.to === undefined && q.from === undefined && q.body === undefined)
      return fail(
        'wait for which message? give at least one of to, from or body, such as ' +
          '/__double/messages/wait?to=%2B15558675310 (write + as %2B)',
      )
    let timeout = WAIT_DEFAULT_TIMEOUT_MS
    if (q.timeout !== undefined) {
      const shape = /^(\d+(?:\.\d+)?)\s*[a-z]+$/i.exec(q.timeout.trim())
      // (@lukeed/ms reads no duration from '0s')
      const ms = !shape ? undefined : Number(shape[1]) === 0 ? 0 : parseDuration(q.timeout)
      if (ms === undefined || !Number.isFinite(ms) || ms < 0)
        return fail(`timeout must be a duration with its unit, such as 10s, 500ms or 1m (got '${q.timeout}')`)
      if (ms > WAIT_MAX_TIMEOUT_MS)
        return fail(
          `timeout must be at most 60s (got '${q.timeout}'); to wait longer, wait again after a 408 answer`,
        )
      timeout = ms
    }
    let body: string | RegExp | undefined = q.body
    const pattern = q.body === undefined ? null : PATTERN.exec(q.body)
    if (pattern) {
      try {
        body = new RegExp(pattern[1]!, pattern[2])
      } catch (err) {
        return fail(`body ${q.body} is not a valid pattern (${(err as Error).message})`)
      }
    }
    let after: WaitFor['after']
    if (q.after !== undefined) {
      if (SID.test(q.after)) after = { sid: q.after }
      else {
        // a time must name its day: 2024-01-01T00:00:05Z, or an RFC 2822 date as in date_created
        const time = /\d{4}/.test(q.after) ? Date.parse(q.after) : Number.NaN
        if (Number.isNaN(time))
          return fail(
            `after must be a message SID (SM or MM and 32 hexadecimal digits) or a time such as ` +
              `2024-01-01T00:00:05Z or 'Mon, 01 Jan 2024 00:00:05 +0000' (got '${q.after}')`,
          )
        after = { time }
      }
    }
    return { to: q.to, from: q.from, body, after, timeout }
  })

/** Where a wait looks for messages: the stored ones, and the events of new ones. */
export interface WaitSource {
  records(filter: MessageFilter): MessageRecord[]
  findMessage(sid: string): MessageRecord | undefined
  /** When a message was created on the clock a time of `after` is read on (see `ControlScope.createdAt`). */
  createdAt(record: MessageRecord): number
  subscribe(listener: (e: BackendEvent) => void): () => void
}

/** The message a wait answers with, as soon as it exists. */
export type WaitOutcome =
  | { kind: 'message'; record: MessageRecord }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  | { kind: 'unknown-after'; sid: string }

/**
 * Waits for a message matching `spec`: with `after`, the oldest one created after it; without, the newest one
 * stored, else the next one to arrive. Messages compare by their place in the double's order of creation
 * (`MessageRecord.seq`), which holds across its accounts: a source of every account answers the next message of
 * any account after the one named. A time of `after` is compared with `source.createdAt()`, on one clock for every
 * account of the source (the double's: a message counts by the double's time when it was made). Listens to the double's events (no polling); ends on the timeout (real
 * time), or when `signal` aborts.
 *
 * @example
 * const outcome = await waitForMessage(scope, { to: '+15558675310', timeout: 10_000 })
 * if (outcome.kind === 'message') console.log(outcome.record.body)
 */
export function waitForMessage(
  source: WaitSource,
  spec: WaitFor,
  signal?: AbortSignal,
): Promise<WaitOutcome> {
  let afterSeq = -1
  if (spec.after && 'sid' in spec.after) {
    const from = source.findMessage(spec.after.sid)
    if (!from) return Promise.resolve({ kind: 'unknown-after', sid: spec.after.sid })
    afterSeq = from.seq
  }
  const afterTime = spec.after && 'time' in spec.after ? spec.after.time : undefined
  const toKey = spec.to === undefined ? undefined : addressKey(spec.to)
  const fromKey = spec.from === undefined ? undefined : addressKey(spec.from)
  const bodyText = typeof spec.body === 'string' ? spec.body.toLowerCase() : undefined
  const matches = (r: MessageRecord): boolean => {
    if (r.seq <= afterSeq) return false
    if (afterTime !== undefined && source.createdAt(r) <= afterTime) return false
    if (toKey !== undefined && addressKey(r.to) !== toKey) return false
    if (fromKey !== undefined && (r.from === null || addressKey(r.from) !== fromKey)) return false
    if (bodyText !== undefined) return r.body.toLowerCase().includes(bodyText)
    if (spec.body instanceof RegExp) {
      spec.body.lastIndex = 0
      return spec.body.test(r.body)
    }
    return true
  }

  const stored = source.records({ to: spec.to, from: spec.from }).filter(matches)
  if (stored.length > 0) {
    // with `after`: the next message after it (none is skipped); without: the latest one
    const pick = stored.reduce((a, b) => ((spec.after ? b.seq < a.seq : b.seq > a.seq) ? b : a))
    return Promise.resolve({ kind: 'message', record: pick })
  }
  if (signal?.aborted) return Promise.resolve({ kind: 'aborted' })

  return new Promise((resolve) => {
    const finish = (outcome: WaitOutcome) => {
      unsubscribe()
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      resolve(outcome)
    }
    const onAbort = () => finish({ kind: 'aborted' })
    const unsubscribe = source.subscribe((e) => {
      if (e.type !== 'message') return
      const record = source.findMessage(e.sid)
      if (record && matches(record)) finish({ kind: 'message', record })
    })
    const timer = setTimeout(() => finish({ kind: 'timeout' }), spec.timeout)
    signal?.addEventListener('abort', onAbort)
  })
}

/** The wire shape of a record with its codes and links. */
export function renderControlMessage(record: MessageRecord): ControlMessage {
  return controlMessage(renderMessage(record))
}

/**
 * `GET /__double/messages/wait?to=&from=&body=&after=&timeout=`: 200 `{ message }` as soon as a matching message
 * exists, 408 after the timeout, 400 for a query to fix, 503 when the server stops meanwhile.
 */
export const waitForMessageHandler = handler({
  query: waitQuery,
  run: async ({ request, query: spec, scope }, { streams }) => {
    const stop = new AbortController()
    const close = () => stop.abort()
    streams.add(close)
    request.signal.addEventListener('abort', close)
    try {
      const source: WaitSource = {
        records: (filter) => scope.records(filter),
        findMessage: (sid) => scope.findMessage(sid),
        createdAt: (r) => scope.createdAt(r),
        subscribe: (listener) => scope.view.subscribe(listener),
      }
      const outcome = await waitForMessage(source, spec, stop.signal)
      switch (outcome.kind) {
        case 'message':
          return ok({ message: renderControlMessage(outcome.record) })
        case 'unknown-after':
          throw new BadRequest(
            `after: no stored message has the SID ${outcome.sid} (a reset removes them all); pass the SID of a stored message or a time`,
          )
        case 'timeout':
          return json(408, {
            error: 'timeout',
            message: `no message ${describe(spec)} within ${spec.timeout} ms; check the app sent it (GET /__double/messages lists them) or wait longer with timeout= (at most 60s)`,
          })
        case 'aborted':
          return json(503, {
            error: 'stopping',
            message: 'the server stopped, or the client left, before a matching message arrived',
          })
      }
    } finally {
      streams.delete(close)
      request.signal.removeEventListener('abort', close)
    }
  },
})

function describe(spec: WaitFor): string {
  const parts: string[] = []
  if (spec.to !== undefined) parts.push(`to ${spec.to}`)
  if (spec.from !== undefined) parts.push(`from ${spec.from}`)
  if (spec.body !== undefined)
    parts.push(typeof spec.body === 'string' ? `containing '${spec.body}'` : `matching ${spec.body}`)
  if (spec.after)
    parts.push(
      'sid' in spec.after ? `after ${spec.after.sid}` : `after ${new Date(spec.after.time).toISOString()}`,
    )
  return `${parts.join(' ')} arrived`
}
