import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../config.js'
import { createTwilioDouble } from '../double.js'
import { messageSchema } from '../schemas/message.js'
import { renderMessage } from './render.js'

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
