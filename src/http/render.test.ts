import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../config.js'
import { createTwilioDouble } from '../double.js'
import type { MessageRecord } from '../messaging/types.js'
import { messageSchema } from '../schemas/message.js'
import { RenderedMessages, renderMessage } from './render.js'

describe('renderMessage', () => {
  it("renders a message in Twilio's wire shape, fields in Twilio's order, through its lifecycle and a redaction", async () => {
    const double = createTwilioDouble({ startTime: '2024-01-01T00:00:00Z' })
    const r = await double.backend.createMessage({
      accountSid: DEFAULT_ACCOUNT_SID,
      to: '+15558675310',
      from: DEFAULT_FROM,
      body: 'Hi',
    })
    const queued = renderMessage(r)
    expect(messageSchema.parse(queued)).toEqual(queued)
    expect(Object.keys(queued).slice(0, 4)).toEqual(['body', 'num_segments', 'direction', 'from'])
    expect(queued).toMatchObject({
      status: 'queued',
      date_created: 'Mon, 01 Jan 2024 00:00:00 +0000',
      date_sent: null,
      uri: `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/${r.sid}.json`,
      subresource_uris: {
        media: `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/${r.sid}/Media.json`,
        feedback: `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/${r.sid}/Feedback.json`,
      },
    })
    await double.settle()
    expect(renderMessage(r)).toMatchObject({ status: 'delivered', price: expect.any(String) })
    expect(renderMessage(r).date_sent).toMatch(/^\w{3}, \d{2} \w{3} 2024 \d{2}:\d{2}:\d{2} \+0000$/)
    double.backend.updateMessage({ accountSid: DEFAULT_ACCOUNT_SID, messageSid: r.sid, body: '' })
    expect(renderMessage(r).body).toBe('')
  })
})

/** A different value of the same kind, so that a rendered field changes (a field that may be null gets a value). */
function another(key: string, value: unknown): unknown {
  if (typeof value === 'number') return value + 1
  if (typeof value === 'string') return `${value}x`
  if (value === null) return key === 'errorCode' ? 30003 : key === 'dateSent' ? Date.UTC(2024, 0, 2) : 'set'
  return value
}

/** A double holding one queued message, and its record. */
async function storedMessage() {
  const double = createTwilioDouble()
  const r = await double.backend.createMessage({
    accountSid: DEFAULT_ACCOUNT_SID,
    to: '+15558675310',
    from: DEFAULT_FROM,
    body: 'Hi',
  })
  return { double, r }
}

describe('RenderedMessages (the JSON of the messages read last)', () => {
  it('is JSON.stringify(renderMessage(r)), made again after a change of any field, so it is never stale', async () => {
    const { r } = await storedMessage()
    const rendered = new RenderedMessages()
    const fields = Object.keys(r).filter(
      (k) =>
        ['number', 'string'].includes(typeof r[k as keyof MessageRecord]) ||
        r[k as keyof MessageRecord] === null,
    )
    expect(fields.length).toBeGreaterThan(15)
    for (const key of fields) {
      expect(rendered.json(r)).toBe(JSON.stringify(renderMessage(r)))
      ;(r as unknown as Record<string, unknown>)[key] = another(key, r[key as keyof MessageRecord])
      expect(rendered.json(r), `after a change of ${key}`).toBe(JSON.stringify(renderMessage(r)))
    }
  })

  it('follows a message through its lifecycle and a redaction, as fetches and lists read it', async () => {
    const { double, r } = await storedMessage()
    const rendered = new RenderedMessages()
    expect(JSON.parse(rendered.json(r)).status).toBe('queued')
    await double.settle()
    expect(JSON.parse(rendered.json(r))).toMatchObject({ status: 'delivered', price: expect.any(String) })
    double.backend.updateMessage({ accountSid: DEFAULT_ACCOUNT_SID, messageSid: r.sid, body: '' })
    expect(JSON.parse(rendered.json(r)).body).toBe('')
    expect(rendered.json(r)).toBe(JSON.stringify(renderMessage(r)))
  })

  it('tells apart two messages of the same SID (another double, a reset) by their fields', async () => {
    const rendered = new RenderedMessages()
    const make = async (body: string) =>
      createTwilioDouble().backend.createMessage({
        accountSid: DEFAULT_ACCOUNT_SID,
        to: '+15558675310',
        from: DEFAULT_FROM,
        body,
      })
    const first = await make('first')
    const second = await make('second')
    expect(second.sid).toBe(first.sid)
    expect(JSON.parse(rendered.json(first)).body).toBe('first')
    expect(JSON.parse(rendered.json(second)).body).toBe('second')
  })
})
