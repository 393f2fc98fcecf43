import { describe, expect, it } from 'vitest'
import { Scheduler } from '../time/scheduler.js'
import { SeededRandom } from '../util/random.js'
import { ContentTemplates, renderTemplate } from './content.js'

const ACCOUNT = `AC${'1'.repeat(32)}`

function template(types: Record<string, Record<string, unknown>>, variables: Record<string, string> = {}) {
  const templates = new ContentTemplates(new SeededRandom('content'), new Scheduler('virtual', 0), [])
  return templates.create({ accountSid: ACCOUNT, language: 'en', types, variables })
}

describe('renderTemplate', () => {
  it('fills {{1}} and {{name}} placeholders from ContentVariables, else the defaults', () => {
    const t = template(
      { 'twilio/text': { body: 'Hi {{1}}, your {{ item }} ships {{when}}' } },
      { when: 'today' },
    )
    expect(renderTemplate(t, 'sms', '{"1":"Ann","item":"lamp"}').body).toBe('Hi Ann, your lamp ships today')
    expect(renderTemplate(t, 'sms', '{"1":2,"item":true}').body).toBe('Hi 2, your true ships today')
  })

  it.each(['nope', '[]', '"x"', 'null', '{"1":null,"item":"a"}', '{"1":{},"item":"a"}', '{"item":"a"}'])(
    'refuses ContentVariables %s with 21656',
    (cv) =>
      expect(() =>
        renderTemplate(template({ 'twilio/text': { body: '{{1}} {{item}}' } }), 'sms', cv),
      ).toThrow(expect.objectContaining({ code: 21656 })),
  )

  it('picks the type the channel shows: text on SMS, the rich type on WhatsApp; media with it', () => {
    const t = template({
      'twilio/quick-reply': { body: 'Pick one, {{1}}', actions: [{ title: 'Yes' }] },
      'twilio/media': { body: 'See {{1}}', media: ['https://example.com/{{1}}.png'] },
      'twilio/text': { body: 'Reply YES, {{1}}' },
    })
    expect(renderTemplate(t, 'sms', '{"1":"Ann"}')).toEqual({ body: 'Reply YES, Ann', mediaUrls: [] })
    expect(renderTemplate(t, 'whatsapp', '{"1":"Ann"}')).toEqual({ body: 'Pick one, Ann', mediaUrls: [] })
    const media = template({
      'twilio/media': { body: 'See {{1}}', media: ['https://example.com/{{1}}.png'] },
    })
    expect(renderTemplate(media, 'sms', '{"1":"cat"}')).toEqual({
      body: 'See cat',
      mediaUrls: ['https://example.com/cat.png'],
    })
    // a type SMS has no better one for: its text
    expect(renderTemplate(template({ 'twilio/quick-reply': { body: 'Hi' } }), 'sms', undefined).body).toBe(
      'Hi',
    )
    expect(
      renderTemplate(template({ 'twilio/card': { title: 'Order {{1}}' } }), 'whatsapp', '{"1":"7"}').body,
    ).toBe('Order 7')
  })
})

describe('ContentTemplates', () => {
  it('approves a WhatsApp approval request after an hour of virtual time', async () => {
    const scheduler = new Scheduler('virtual', 0)
    const templates = new ContentTemplates(new SeededRandom('c'), scheduler, [])
    const t = templates.create({
      accountSid: ACCOUNT,
      language: 'en',
      types: { 'twilio/text': { body: 'x' } },
    })
    templates.requestApproval({ accountSid: ACCOUNT, contentSid: t.sid, name: 'x_1', category: 'UTILITY' })
    expect(t.whatsapp?.status).toBe('received')
    await scheduler.advance(59 * 60 * 1000)
    expect(t.whatsapp?.status).toBe('received')
    await scheduler.advance(60 * 1000)
    expect(t.whatsapp?.status).toBe('approved')
  })
})
