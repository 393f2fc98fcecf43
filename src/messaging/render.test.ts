import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../config.js'
import { createTwilioDouble } from '../double.js'
import { messageJson, renderMessage } from './render.js'
import type { MessageRecord } from './types.js'

const record = (): MessageRecord => {
  const double = createTwilioDouble()
  const created = double.backend.createMessage(DEFAULT_ACCOUNT_SID, {
    To: '+15558675310',
    From: DEFAULT_FROM,
    Body: 'Hello',
  })
  return created
}

/** A different value of the same kind, so that a rendered field changes. */
function another(value: unknown): unknown {
  if (typeof value === 'number') return value + 1
  if (typeof value === 'string') return `${value}x`
  if (value === null) return 'set'
  return value
}

describe('messageJson (the cached render)', () => {
  it('is JSON.stringify(renderMessage(r)) and is reused while the record is unchanged', () => {
    const r = record()
    const first = messageJson(r)
    expect(first).toBe(JSON.stringify(renderMessage(r)))
    expect(messageJson(r)).toBe(first)
  })

  it('is made again after a change of any field of the record, so it is never stale', () => {
    const r = record()
    const fields = Object.keys(r).filter(
      (k) =>
        ['number', 'string'].includes(typeof r[k as keyof MessageRecord]) ||
        r[k as keyof MessageRecord] === null,
    )
    expect(fields.length).toBeGreaterThan(15)
    for (const key of fields) {
      messageJson(r) // cache the current state
      const fresh = JSON.stringify(renderMessage(r))
      ;(r as unknown as Record<string, unknown>)[key] = another(r[key as keyof MessageRecord])
      expect(messageJson(r), `after a change of ${key}`).toBe(JSON.stringify(renderMessage(r)))
      if (JSON.stringify(renderMessage(r)) !== fresh) expect(messageJson(r)).not.toBe(fresh)
    }
  })

  it('follows a message through its lifecycle and a redaction, as fetches and lists see it', async () => {
    const double = createTwilioDouble()
    const r = double.backend.createMessage(DEFAULT_ACCOUNT_SID, {
      To: '+15558675310',
      From: DEFAULT_FROM,
      Body: 'Hi',
    })
    expect(JSON.parse(messageJson(r)).status).toBe('queued')
    await double.settle()
    expect(JSON.parse(messageJson(r))).toMatchObject({ status: 'delivered', price: expect.any(String) })
    double.backend.updateMessage(DEFAULT_ACCOUNT_SID, r.sid, { Body: '' }, '/')
    expect(JSON.parse(messageJson(r)).body).toBe('')
    expect(messageJson(r)).toBe(JSON.stringify(renderMessage(r)))
  })
})
