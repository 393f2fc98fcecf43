/**
 * One attempt at a callback: the signed request Twilio would send, handed to an in-process handler or sent with
 * fetch (when it may be), within a real-time timeout, and what came back, as the record of the attempt.
 */
import { performance } from 'node:perf_hooks'
import { clearTimeout as clearRealTimeout, setTimeout as setRealTimeout } from 'node:timers'
import type { CallbackDelivery, CallbackOptions, OutgoingCallback } from './delivery.js'
import { notSentReason } from './reach.js'
import type { Receivers } from './receivers.js'
import { twilioSignature } from './signature.js'

/** Longest response body kept in a delivery's record (longer ones are cut, with `…`). */
const MAX_RECORDED_BODY = 65_536

/**
 * Makes one attempt at delivering `cb` and describes it (never throws: a failure is the record's `error`).
 *
 * @example
 * const d = await attemptDelivery(cb, { id: 1, attempt: 1 }, { options, receivers })
 * d.responseStatus // 204
 */
export async function attemptDelivery(
  cb: OutgoingCallback,
  { id, attempt }: { id: number; attempt: number },
  { options, receivers }: { options: CallbackOptions; receivers: Receivers },
): Promise<CallbackDelivery> {
  const method = cb.method ?? 'POST'
  const form = new URLSearchParams(cb.params).toString()
  let target = cb.url
  if (method === 'GET') target += (cb.url.includes('?') ? '&' : '?') + form
  const signed = method === 'GET' ? {} : cb.params
  const signature = twilioSignature(cb.tamper ? `${cb.authToken}-tampered` : cb.authToken, target, signed)
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'x-twilio-signature': signature,
    'user-agent': 'TwilioProxy/1.1',
    accept: '*/*',
    'i-twilio-idempotency-token': `${cb.messageSid}-${cb.status}`,
    ...cb.headers,
  }
  if (method === 'GET') delete headers['content-type']
  const d: CallbackDelivery = {
    id,
    kind: cb.kind,
    messageSid: cb.messageSid,
    accountSid: cb.accountSid,
    status: cb.status,
    url: cb.url,
    method,
    params: { ...cb.params },
    headers,
    signature,
    at: cb.at,
    attempt,
  }
  const started = performance.now()
  const timeoutMs = options.timeoutMs ?? 5000
  let controller: AbortController | undefined
  let timer: ReturnType<typeof setRealTimeout> | undefined
  let timedOut = false
  let deadline: Promise<never> | undefined
  // Waits for a pending answer no longer than the timeout, on a real-time timer (node:timers is left
  // alone by fake timers): a slow endpoint never hangs a test. A value already there costs no timer.
  const within = <T>(value: T | PromiseLike<T>): T | Promise<T> => {
    if (!isThenable(value)) return value
    deadline ??= new Promise<never>((_, reject) => {
      timer = setRealTimeout(() => {
        timedOut = true
        controller?.abort()
        reject(new Error(`timed out after ${timeoutMs} ms`))
      }, timeoutMs)
    })
    deadline.catch(() => {})
    return Promise.race([value, deadline])
  }
  try {
    const body = method === 'GET' ? undefined : form
    const request = () => new Request(target, { method, headers, body })
    const handler = receivers.handlerOf(cb.url)
    let response: Response | undefined | void
    if (handler) {
      response = await within(handler(request()))
    } else if (!(await receivers.mayReach(target, request, Boolean(options.network || options.fetch)))) {
      d.error = notSentReason(cb.url)
      d.notSent = true
      receivers.warnOnce(cb.url)
    } else {
      controller = new AbortController()
      const f = options.fetch ?? globalThis.fetch
      response = await within(f(new Request(target, { method, headers, body, signal: controller.signal })))
    }
    if (d.notSent) {
      // nothing was sent, so nothing was answered
    } else if (response) {
      d.responseStatus = response.status
      d.responseContentType = response.headers.get('content-type') ?? undefined
      const setCookies = response.headers.getSetCookie()
      if (setCookies.length > 0) d.responseSetCookies = setCookies
      const text = response.body === null ? '' : await within(response.text())
      d.responseBody = text.length > MAX_RECORDED_BODY ? `${text.slice(0, MAX_RECORDED_BODY)}…` : text
    } else {
      // An in-process handler that returns nothing answers 200 with no body.
      d.responseStatus = 200
      d.responseBody = ''
    }
  } catch (err) {
    d.error = timedOut ? `timed out after ${timeoutMs} ms` : describeError(err)
  } finally {
    if (timer !== undefined) clearRealTimeout(timer)
    d.durationMs = Math.round((performance.now() - started) * 100) / 100
  }
  if (d.error !== undefined) d.error += receivers.resetHint(cb.url)
  return d
}

function isThenable<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof (v as { then?: unknown } | null | undefined)?.then === 'function'
}

/** An error as one line: its message, and its cause's code or message. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = (err as { cause?: { code?: string; message?: string } }).cause
  if (cause?.code) return `${err.message} (${cause.code})`
  if (cause?.message && cause.message !== err.message) return `${err.message}: ${cause.message}`
  return err.message
}
