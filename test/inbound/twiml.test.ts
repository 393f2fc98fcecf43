import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { parseTwiml } from '../../src/messaging/twiml.js'

const XML = 'text/xml; charset=utf-8'

describe('parseTwiml', () => {
  it('reads what the twilio package generates: text, <Body>, <Media>, attributes and <Redirect>', () => {
    const r = new twilio.twiml.MessagingResponse()
    r.message('Thanks & see you <soon>')
    const m = r.message({ to: '+15550002222', from: '+15005550006', action: '/status', method: 'POST' }, '')
    m.body('Look')
    m.media('https://example.com/a.png')
    m.media('https://example.com/b.gif')
    r.redirect({ method: 'GET' }, '/next')
    r.message('unreachable after the redirect')
    const parsed = parseTwiml(r.toString(), XML)
    expect(parsed.issues).toEqual([])
    expect(parsed.fatal).toBe(false)
    expect(parsed.verbs).toEqual([
      { verb: 'Message', body: 'Thanks & see you <soon>', media: [] },
      {
        verb: 'Message',
        body: 'Look',
        media: ['https://example.com/a.png', 'https://example.com/b.gif'],
        to: '+15550002222',
        from: '+15005550006',
        action: '/status',
        method: 'POST',
      },
      { verb: 'Redirect', url: '/next', method: 'GET' },
    ])
  })

  it('sends nothing for an empty answer or an empty <Response/>', () => {
    expect(parseTwiml('', undefined)).toEqual({ verbs: [], issues: [], fatal: false })
    expect(parseTwiml('  \n', 'text/html')).toEqual({ verbs: [], issues: [], fatal: false })
    expect(parseTwiml('<?xml version="1.0" encoding="UTF-8"?><Response/>', XML)).toEqual({
      verbs: [],
      issues: [],
      fatal: false,
    })
    expect(parseTwiml('<Response></Response>', 'application/xml').verbs).toEqual([])
  })

  it('accepts text/html as TwiML and sends text/plain back as one message', () => {
    expect(parseTwiml('<Response><Message>hi</Message></Response>', 'text/html').verbs).toHaveLength(1)
    expect(parseTwiml('  Plain reply \n', 'text/plain; charset=utf-8').verbs).toEqual([
      { verb: 'Message', body: 'Plain reply', media: [] },
    ])
  })

  it('logs 12100 for malformed XML and text that is not XML', () => {
    for (const body of [
      'OK',
      '<Response><Message>hi</Response>',
      '<Response/><Response/>',
      '<Response/>tail',
    ]) {
      const parsed = parseTwiml(body, 'text/html')
      expect(parsed.fatal, body).toBe(true)
      expect(parsed.verbs).toEqual([])
      expect(parsed.issues.map((i) => [i.code, i.level])).toEqual([[12100, 'error']])
    }
  })

  it('names the tags left open at the end of a document', () => {
    expect(parseTwiml('<Response><Message>unclosed', XML).issues.map((i) => i.message)).toEqual([
      'Document parse failure: unclosed <Response>, <Message> at the end of the document',
    ])
    expect(parseTwiml('<Response><Message>x</Response>', XML).issues[0]?.message).toBe(
      "Document parse failure: Expected closing tag 'Message' (opened in line 1, col 11) instead of closing tag 'Response'. (line 1, column 21)",
    )
  })

  it('logs 12102 when the root is not <Response> (TwiML is case-sensitive)', () => {
    for (const body of ['<response><Message>hi</Message></response>', '<Reply/>']) {
      const parsed = parseTwiml(body, XML)
      expect(parsed.fatal).toBe(true)
      expect(parsed.issues[0]?.code).toBe(12102)
    }
  })

  it('logs 12300 for a content type Twilio does not read', () => {
    for (const type of ['application/json', undefined]) {
      const parsed = parseTwiml('{"message":"hi"}', type)
      expect(parsed.fatal).toBe(true)
      expect(parsed.issues[0]?.code).toBe(12300)
    }
  })

  it('warns 12200 for unknown verbs, nouns and attributes and still runs the valid verbs', () => {
    const parsed = parseTwiml(
      '<Response><Say>hello</Say><Message colour="red">ok<Sticker/></Message><message>lower</message></Response>',
      XML,
    )
    expect(parsed.fatal).toBe(false)
    expect(parsed.verbs).toEqual([{ verb: 'Message', body: 'ok', media: [] }])
    expect(parsed.issues.map((i) => [i.code, i.level])).toEqual([
      [12200, 'warning'],
      [12200, 'warning'],
      [12200, 'warning'],
      [12200, 'warning'],
    ])
    expect(parsed.issues[0]?.message).toContain('<Say>')
  })

  it('reads the legacy <Sms> verb and the statusCallback attribute as a Message with an action', () => {
    const parsed = parseTwiml('<Response><Sms statusCallback="https://app.test/cb">old</Sms></Response>', XML)
    expect(parsed.verbs).toEqual([{ verb: 'Message', body: 'old', media: [], action: 'https://app.test/cb' }])
  })
})
