import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../config.js'
import { createTwilioDouble } from '../double.js'
import { messageJson, renderMessage, renderMessageJson } from './render.js'
import type { MessageRecord } from './types.js'

const record = (): MessageRecord => {
  const double = createTwilioDouble()
  const created = double.backend.createMessage({
    accountSid: DEFAULT_ACCOUNT_SID,
    to: '+15558675310',
    from: DEFAULT_FROM,
    body: 'Hello',
  })
  return created
}

/** A different value of the same kind, so that a rendered field changes (numeric fields that may be null stay numbers). */
function another(key: string, value: unknown): unknown {
  if (typeof value === 'number') return value + 1
  if (typeof value === 'string') return `${value}x`
  if (value === null) return key === 'errorCode' ? 30003 : key === 'dateSent' ? Date.UTC(2024, 0, 2) : 'set'
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
      ;(r as unknown as Record<string, unknown>)[key] = another(key, r[key as keyof MessageRecord])
      expect(messageJson(r), `after a change of ${key}`).toBe(JSON.stringify(renderMessage(r)))
      if (JSON.stringify(renderMessage(r)) !== fresh) expect(messageJson(r)).not.toBe(fresh)
    }
  })

  it('follows a message through its lifecycle and a redaction, as fetches and lists see it', async () => {
    const double = createTwilioDouble()
    const r = double.backend.createMessage({
      accountSid: DEFAULT_ACCOUNT_SID,
      to: '+15558675310',
      from: DEFAULT_FROM,
      body: 'Hi',
    })
    expect(JSON.parse(messageJson(r)).status).toBe('queued')
    await double.settle()
    expect(JSON.parse(messageJson(r))).toMatchObject({ status: 'delivered', price: expect.any(String) })
    double.backend.updateMessage({ accountSid: DEFAULT_ACCOUNT_SID, messageSid: r.sid, body: '' })
    expect(JSON.parse(messageJson(r)).body).toBe('')
    expect(messageJson(r)).toBe(JSON.stringify(renderMessage(r)))
  })
})

describe('renderMessageJson (the create answer, written out directly)', () => {
  it('writes exactly JSON.stringify(renderMessage(r)) for messages of every kind, escapes included', () => {
    const r = record()
    const choices: { [K in keyof MessageRecord]?: MessageRecord[K][] } = {
      body: [
        '',
        'Hello',
        'quote " backslash \\ slash /',
        'line\nbreak\ttab\r\u0000\u001f',
        'emoji 😀 ünïcödé 你好',
        '\u2028\u2029',
        'lone \ud800 surrogate',
        'lone low \udc00 and del \u007f',
        '</script>',
      ],
      from: [null, DEFAULT_FROM, 'whatsapp:+14155238886', 'Brand "x"'],
      to: ['+15558675310', 'whatsapp:+15558675310', 'messenger:1234567890'],
      price: [null, '-0.00790'],
      priceUnit: ['USD', 'EUR'],
      errorCode: [null, 30003, 21610],
      errorMessage: [null, 'Unreachable destination handset', 'a "quoted" reason'],
      dateSent: [null, Date.UTC(2024, 1, 29, 23, 59, 59), Date.UTC(1999, 11, 31)],
      dateUpdated: [Date.UTC(2024, 0, 1), Date.UTC(2030, 6, 4, 12)],
      status: ['queued', 'delivered', 'undelivered', 'read', 'receiving'],
      direction: ['outbound-api', 'inbound', 'outbound-reply'],
      numMedia: [0, 1, 10],
      numSegments: [0, 1, 7],
      messagingServiceSid: [null, 'MG00000000000000000000000000000001'],
      accountSid: [r.accountSid, 'AC"odd\\sid'],
      sid: [r.sid, 'MM0123456789abcdef0123456789abcdef'],
    }
    let seed = 7
    const pick = <T>(xs: T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return xs[seed % xs.length]!
    }
    for (let i = 0; i < 500; i++) {
      for (const [key, values] of Object.entries(choices))
        (r as unknown as Record<string, unknown>)[key] = pick(values as unknown[])
      expect(renderMessageJson(r)).toBe(JSON.stringify(renderMessage(r)))
    }
  })
})
