import type twilio from 'twilio'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import { type CheckedDouble, createCheckedDouble } from '../support/checked-double.js'
import { DOORS, useDoor } from '../support/doors.js'

const TO = '+15550001111'

describe.each(DOORS)('the twilio client through the %s door: messages', (kind) => {
  const door = useDoor(kind)
  let checked: CheckedDouble
  let client: twilio.Twilio
  beforeEach(() => {
    checked = createCheckedDouble()
    client = door.connect(checked.double)
  })
  afterEach(async () => {
    await checked.expectClean(1)
  })

  it('creates an SMS: queued, then delivered', async () => {
    const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hello from the double' })
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/)
    expect(m).toMatchObject({
      accountSid: DEFAULT_ACCOUNT_SID,
      to: TO,
      from: DEFAULT_FROM,
      body: 'Hello from the double',
      status: 'queued',
      direction: 'outbound-api',
      numSegments: '1',
      numMedia: '0',
      price: null,
      priceUnit: 'USD',
      apiVersion: '2010-04-01',
      errorCode: null,
      dateSent: null,
      messagingServiceSid: null,
    })
    // the client parsed the RFC 2822 dates
    expect(m.dateCreated).toBeInstanceOf(Date)
    expect(m.dateCreated.toISOString()).toBe('2024-01-01T00:00:00.000Z')
    // Create answers with its Media subresource alone (Twilio's OpenAPI examples of Create name no Feedback)
    const base = `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/${m.sid}`
    expect(m.subresourceUris).toEqual({ media: `${base}/Media.json` })
    await checked.double.settle()
    const fetched = await client.messages(m.sid).fetch()
    expect(fetched.status).toBe('delivered')
    // Fetch, List and Update answer with both, as in Twilio's OpenAPI examples of them
    expect(fetched.subresourceUris).toEqual({
      media: `${base}/Media.json`,
      feedback: `${base}/Feedback.json`,
    })
    expect(fetched.dateSent).toBeInstanceOf(Date)
    expect(fetched.price).toMatch(/^-\d+\.\d+$/)
  })

  it('answers To and From in E.164 (with the channel prefix in lower case), however they were written', async () => {
    const sms = await client.messages.create({ from: '+1 (500) 555-0006', to: '+1 555 000 1111', body: 'x' })
    expect([sms.from, sms.to]).toEqual([DEFAULT_FROM, TO])
    const wa = await client.messages.create({
      from: 'WhatsApp:+1 500 555 0006',
      to: 'WHATSAPP:+15550001111',
      body: 'x',
    })
    expect([wa.from, wa.to]).toEqual([`whatsapp:${DEFAULT_FROM}`, `whatsapp:${TO}`])
    expect((await client.messages(wa.sid).fetch()).to).toBe(`whatsapp:${TO}`)
    // the list filters find them by either spelling
    expect((await client.messages.list({ to: 'whatsapp:+1 555 000 1111' })).map((m) => m.sid)).toEqual([
      wa.sid,
    ])
  })

  it('creates an MMS with two media, then lists, fetches and removes its media', async () => {
    const m = await client.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      body: 'pics',
      mediaUrl: ['https://example.com/cat.jpg', 'https://example.com/menu.pdf'],
    })
    expect(m.sid).toMatch(/^MM[0-9a-f]{32}$/)
    expect(m.numMedia).toBe('2')
    const media = await client.messages(m.sid).media.list()
    expect(media.map((x) => x.contentType).sort()).toEqual(['application/pdf', 'image/jpeg'])
    for (const item of media) {
      expect(item.sid).toMatch(/^ME[0-9a-f]{32}$/)
      expect(item.parentSid).toBe(m.sid)
      expect(item.dateCreated).toBeInstanceOf(Date)
    }
    const one = await client.messages(m.sid).media(media[0]!.sid).fetch()
    expect(one.sid).toBe(media[0]!.sid)
    expect(one.contentType).toBe(media[0]!.contentType)
    expect(await client.messages(m.sid).media(media[0]!.sid).remove()).toBe(true)
    expect((await client.messages(m.sid).media.list()).map((x) => x.sid)).toEqual([media[1]!.sid])
    expect(await client.messages(m.sid).media.list({ limit: 1 })).toHaveLength(1)
  })

  it('pages an MMS media list by its cursors and filters it by date created', async () => {
    const urls = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'].map((f) => `https://example.com/${f}`)
    const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'five', mediaUrl: urls })
    const media = client.messages(m.sid).media
    const all = await media.list({ pageSize: 2 })
    expect(all).toHaveLength(5)
    expect(new Set(all.map((x) => x.sid)).size).toBe(5)
    const first = await media.page({ pageSize: 2 })
    expect(first.instances.map((x) => x.sid)).toEqual(all.slice(0, 2).map((x) => x.sid))
    const second = await first.nextPage()
    expect(second!.instances.map((x) => x.sid)).toEqual(all.slice(2, 4).map((x) => x.sid))
    const back = await second!.previousPage()
    expect(back!.instances.map((x) => x.sid)).toEqual(all.slice(0, 2).map((x) => x.sid))

    const created = m.dateCreated
    expect(await media.list({ dateCreated: created })).toHaveLength(5)
    expect(await media.list({ dateCreatedAfter: new Date(created.getTime() + 86_400_000) })).toHaveLength(0)
    expect(await media.list({ dateCreatedBefore: created, pageSize: 2 })).toHaveLength(5)
    const filtered = await media.page({ dateCreatedBefore: created, pageSize: 2 })
    expect(filtered.nextPageUrl).toContain(
      `DateCreated%3C=${encodeURIComponent(created.toISOString().replace('.000', ''))}`,
    )
    await expect(media.list({ dateCreatedAfter: new Date('nope') })).rejects.toMatchObject({
      status: 400,
      code: 20001,
    })
  })

  it('creates through a messaging service: accepted, the sender is picked later', async () => {
    const m = await client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: TO,
      body: 'via service',
    })
    expect(m).toMatchObject({
      status: 'accepted',
      from: null,
      numSegments: '0',
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
    })
    await checked.double.settle()
    expect(await client.messages(m.sid).fetch()).toMatchObject({ status: 'delivered', from: DEFAULT_FROM })
  })

  it('schedules a message (sendAt as a Date), then cancels it', async () => {
    const sendAt = new Date(Date.UTC(2024, 0, 1, 3, 30, 0))
    const m = await client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: TO,
      body: 'later',
      scheduleType: 'fixed',
      sendAt,
    })
    expect(m).toMatchObject({ status: 'scheduled', dateSent: null })
    const canceled = await client.messages(m.sid).update({ status: 'canceled' })
    expect(canceled.status).toBe('canceled')
    await checked.double.settle()
    expect((await client.messages(m.sid).fetch()).status).toBe('canceled')
  })

  it('a scheduled message is sent at its time', async () => {
    const sendAt = new Date(Date.UTC(2024, 0, 2, 0, 0, 0))
    const m = await client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: TO,
      body: 'tomorrow',
      scheduleType: 'fixed',
      sendAt,
    })
    await checked.double.advance('23h')
    expect((await client.messages(m.sid).fetch()).status).toBe('scheduled')
    await checked.double.settle()
    const sent = await client.messages(m.sid).fetch()
    expect(sent.status).toBe('delivered')
    expect(sent.dateSent.getTime()).toBeGreaterThanOrEqual(sendAt.getTime())
  })

  it('redacts a delivered message and removes it', async () => {
    const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'secret' })
    await checked.double.settle()
    const delivered = await client.messages(m.sid).fetch()
    await checked.double.advance('1m')
    const redacted = await client.messages(m.sid).update({ body: '' })
    expect(redacted.body).toBe('')
    expect(redacted.status).toBe('delivered')
    // every other property kept intact, date_updated too
    expect(redacted.dateUpdated).toEqual(delivered.dateUpdated)
    expect(await client.messages(m.sid).remove()).toBe(true)
    expect(checked.double.messages.get(m.sid)).toBeUndefined()
  })

  it('leaves feedback', async () => {
    const m = await client.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      body: 'code 1234',
      provideFeedback: true,
    })
    expect(checked.double.messages.feedback(m.sid)).toBeUndefined()
    const feedback = await client.messages(m.sid).feedback.create({ outcome: 'confirmed' })
    expect(feedback).toMatchObject({
      accountSid: DEFAULT_ACCOUNT_SID,
      messageSid: m.sid,
      outcome: 'confirmed',
    })
    expect(feedback.dateCreated).toBeInstanceOf(Date)
    // the test reads back what the app left, in Twilio's shape
    const left = checked.double.messages.feedback(m.sid)
    expect(left).toMatchObject({
      account_sid: DEFAULT_ACCOUNT_SID,
      message_sid: m.sid,
      outcome: 'confirmed',
      uri: `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/${m.sid}/Feedback.json`,
    })
    // dated on the double's clock, to the second as Twilio writes dates
    expect(Date.parse(left?.date_created ?? '')).toBe(
      Math.floor(checked.double.now().getTime() / 1000) * 1000,
    )
    await client.messages(m.sid).feedback.create({ outcome: 'unconfirmed' })
    expect(checked.double.messages.feedback(m.sid)?.outcome).toBe('unconfirmed')
    expect(() => checked.double.messages.feedback('SM00000000000000000000000000000000')).toThrow(
      /\[twilio-double\] no message with SID SM0{32}/,
    )
  })

  it('works with edge and region hosts', async () => {
    const regional = door.connect(checked.double, { clientOptions: { edge: 'sydney', region: 'au1' } })
    const m = await regional.messages.create({ from: DEFAULT_FROM, to: TO, body: 'g’day' })
    expect(m.status).toBe('queued')
    expect((await regional.messages(m.sid).fetch()).sid).toBe(m.sid)
    expect((await regional.messages.list({ limit: 5 })).map((x) => x.sid)).toEqual([m.sid])
    await checked.problems()
    const hosts = new Set(checked.exchanges.map((e) => new URL(e.url).host))
    expect([...hosts]).toEqual(['api.sydney.au1.twilio.com'])
  })
})
