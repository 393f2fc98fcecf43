/**
 * A WhatsApp read receipt, and scheduled messages (one canceled, one sent at its time), through the real
 * `twilio` client and msw, with status callbacks received over HTTP.
 */
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import { TEMPLATE_SID, useHarness } from './support.js'

const WA_FROM = 'whatsapp:+14155238886'
const WA_TO = 'whatsapp:+15550001111'
/**
 * Business-initiated WhatsApp messages use a template WhatsApp approved (free-form ones need an open 24-hour
 * window): the harness double has one.
 */
const TEMPLATE = TEMPLATE_SID
const START = Date.UTC(2024, 0, 1)

const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
const h = useHarness()

const seen = () => h.receiver.received.map((r) => r.params.MessageStatus)

describe('a WhatsApp read receipt', () => {
  it('moves delivered → read after the scripted delay, with ChannelPrefix and EventType=READ', async () => {
    h.double.scenarios.use({ when: { channel: 'whatsapp' }, then: { deliver: 'read', readAfter: '2m' } })
    const m = await client.messages.create({
      from: WA_FROM,
      to: WA_TO,
      contentSid: TEMPLATE,
      statusCallback: `${h.receiver.base}/wa`,
    })
    expect(m.to).toBe(WA_TO)
    await h.double.advance('5s')
    expect((await client.messages(m.sid).fetch()).status).toBe('delivered')
    await h.double.advance('1m')
    expect((await client.messages(m.sid).fetch()).status).toBe('delivered')
    await h.double.advance('1m')
    const read = await client.messages(m.sid).fetch()
    expect(read.status).toBe('read')
    expect(read.price).toBe('-0.00500')
    expect(seen()).toEqual(['sent', 'delivered', 'read'])
    for (const r of h.receiver.received) {
      expect(r.params).toMatchObject({ ChannelPrefix: 'whatsapp', From: WA_FROM, To: WA_TO })
      expect(r.params.RawDlrDoneDate).toBeUndefined()
      expect(
        twilio.validateRequest(
          DEFAULT_AUTH_TOKEN,
          r.headers['x-twilio-signature'] as string,
          r.url,
          r.params,
        ),
      ).toBe(true)
    }
    expect(h.receiver.received[2]!.params.EventType).toBe('READ')
    expect(h.receiver.received[1]!.params.EventType).toBeUndefined()
    const readAt = h.double.messages.history(m.sid).at(-1)!.at.getTime()
    expect(readAt - START).toBe(5000 + 120_000)
  })

  it('uses the default read delay with deliver: read', async () => {
    h.double.scenarios.use({ then: { deliver: 'read' } })
    const m = await client.messages.create({ from: WA_FROM, to: WA_TO, contentSid: TEMPLATE })
    await h.double.settle()
    expect(h.double.messages.history(m.sid).map((h) => h.status)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
      'read',
    ])
  })

  it('fails with a channel error code and its message', async () => {
    h.double.scenarios.use({ when: { to: WA_TO }, then: { deliver: 'failed', errorCode: 63024 } })
    const m = await client.messages.create({
      from: WA_FROM,
      to: WA_TO,
      contentSid: TEMPLATE,
      statusCallback: `${h.receiver.base}/wa`,
    })
    await h.double.settle()
    expect(h.double.messages.get(m.sid)).toMatchObject({ status: 'failed', error_code: 63024 })
    expect(h.receiver.received[0]!.params).toMatchObject({
      MessageStatus: 'failed',
      ErrorCode: '63024',
      ChannelPrefix: 'whatsapp',
      ChannelStatusMessage: 'Invalid message recipient',
    })
  })

  it('names the channel install of its sender in every callback (ChannelInstallSid), an SMS none', async () => {
    h.double.scenarios.use({ when: { channel: 'whatsapp' }, then: { deliver: 'read' } })
    const send = (to: string) =>
      client.messages.create({
        from: WA_FROM,
        to,
        contentSid: TEMPLATE,
        statusCallback: `${h.receiver.base}/wa`,
      })
    const first = await send(WA_TO)
    const second = await send('whatsapp:+15550002222')
    await client.messages.create({
      from: '+15005550006',
      to: '+15550001111',
      body: 'Hi',
      statusCallback: `${h.receiver.base}/sms`,
    })
    await h.double.settle()
    const wa = h.receiver.received.filter((r) => r.path === '/wa')
    for (const m of [first, second])
      expect(wa.filter((r) => r.params.MessageSid === m.sid).map((r) => r.params.MessageStatus)).toEqual([
        'sent',
        'delivered',
        'read',
      ])
    const installs = new Set(wa.map((r) => r.params.ChannelInstallSid))
    // one sender, one channel install
    expect(installs.size).toBe(1)
    expect([...installs][0]).toMatch(/^XE[0-9a-f]{32}$/)
    const sms = h.receiver.received.filter((r) => r.path === '/sms')
    expect(sms.map((r) => r.params.MessageStatus)).toEqual(['sent', 'delivered'])
    for (const r of sms) expect(r.params.ChannelInstallSid).toBeUndefined()
  })
  it('has no read receipt on SMS', async () => {
    h.double.scenarios.use({ then: { deliver: 'read' } })
    const m = await client.messages.create({ from: '+15005550006', to: '+15550001111', body: 'Hi' })
    await h.double.settle()
    expect(h.double.messages.get(m.sid)?.status).toBe('delivered')
  })
})

describe('scheduled messages', () => {
  const inTwoHours = new Date(START + 2 * 3_600_000)

  const schedule = () =>
    client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: '+15550001111',
      body: 'Reminder',
      scheduleType: 'fixed',
      sendAt: inTwoHours,
      statusCallback: `${h.receiver.base}/scheduled`,
    })

  it('is sent at its time: scheduled → queued at SendAt, with a queued callback', async () => {
    const m = await schedule()
    expect(m.status).toBe('scheduled')
    expect(m.dateSent).toBeNull()
    await h.double.advance(2 * 3_600_000 - 1000)
    expect((await client.messages(m.sid).fetch()).status).toBe('scheduled')
    expect(h.receiver.received).toEqual([])
    await h.double.advance('1s')
    expect((await client.messages(m.sid).fetch()).status).toBe('queued')
    await h.double.settle()
    const sent = await client.messages(m.sid).fetch()
    expect(sent.status).toBe('delivered')
    expect(sent.dateSent!.getTime()).toBeGreaterThan(inTwoHours.getTime())
    expect(seen()).toEqual(['queued', 'sent', 'delivered'])
    expect(h.receiver.received[0]!.params.MessagingServiceSid).toBe(DEFAULT_MESSAGING_SERVICE_SID)
  })

  it('is canceled before its time, with a canceled callback and nothing after', async () => {
    const m = await schedule()
    await h.double.advance('1h')
    const canceled = await client.messages(m.sid).update({ status: 'canceled' })
    expect(canceled.status).toBe('canceled')
    expect(canceled.dateSent).toBeNull()
    await h.double.settle()
    expect((await client.messages(m.sid).fetch()).status).toBe('canceled')
    expect(seen()).toEqual(['canceled'])
    expect(h.double.messages.history(m.sid).map((h) => h.status)).toEqual(['scheduled', 'canceled'])
  })

  it('cannot be canceled once it left the schedule (30409)', async () => {
    const m = await schedule()
    await h.double.advance('2h')
    await expect(client.messages(m.sid).update({ status: 'canceled' })).rejects.toMatchObject({ code: 30409 })
  })
})
