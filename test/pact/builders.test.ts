import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import {
  cancelMessageInteraction,
  createMessageInteraction,
  createMmsInteraction,
  createScheduledMessageInteraction,
  createServiceMessageInteraction,
  deleteMessageInteraction,
  errorInteraction,
  fetchMessageInteraction,
  listMessagesInteraction,
  redactMessageInteraction,
  twilioClientFor,
  verifyTwilioDouble,
} from '../../src/pact/index.js'

const dir = mkdtempSync(join(tmpdir(), 'twilio-double-pact-builders-'))
const pactFile = join(dir, 'pact-builders-Twilio.json')
const pact = new PactV4({ consumer: 'pact-builders', provider: 'Twilio', dir, logLevel: 'error' })
const SID = 'SM0123456789abcdef0123456789abcdef'

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('Pact builders, consumer side with the real twilio client', () => {
  it('create SMS: 201 queued, any E.164 recipient matches', async () => {
    await createMessageInteraction(pact, { body: 'Your code is 1234' }).executeTest(async (mockServer) => {
      const client = await twilioClientFor(mockServer.url)
      const msg = await client.messages.create({
        to: '+15550001111',
        from: DEFAULT_FROM,
        body: 'Another text',
      })
      expect(msg.sid).toMatch(/^SM[0-9a-f]{32}$/)
      expect(msg.status).toBe('queued')
      expect(msg.dateCreated).toBeInstanceOf(Date)
    })
  })

  it('create MMS: repeated MediaUrl keys', async () => {
    await createMmsInteraction(pact, {
      mediaUrls: ['https://example.com/a.png', 'https://example.com/b.jpg'],
    }).executeTest(async (mockServer) => {
      const client = await twilioClientFor(mockServer.url)
      const msg = await client.messages.create({
        to: '+15558675310',
        from: DEFAULT_FROM,
        body: 'Look',
        mediaUrl: ['https://cdn.example.org/x.png', 'https://cdn.example.org/y.gif'],
      })
      expect(msg.sid).toMatch(/^MM/)
      expect(msg.numMedia).toBe('2')
    })
  })

  it('create through a messaging service: accepted, from null', async () => {
    await createServiceMessageInteraction(pact).executeTest(async (mockServer) => {
      const client = await twilioClientFor(mockServer.url)
      const msg = await client.messages.create({
        to: '+15558675310',
        messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
        body: 'Hi',
      })
      expect(msg.status).toBe('accepted')
      expect(msg.from).toBeNull()
    })
  })

  it('create scheduled: scheduled', async () => {
    await createScheduledMessageInteraction(pact).executeTest(async (mockServer) => {
      const client = await twilioClientFor(mockServer.url)
      const msg = await client.messages.create({
        to: '+15558675310',
        messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
        body: 'Later',
        scheduleType: 'fixed',
        sendAt: new Date('2030-05-01T10:00:00Z'),
      })
      expect(msg.status).toBe('scheduled')
    })
  })

  it('fetch a delivered message', async () => {
    await fetchMessageInteraction(pact, { sid: SID, status: 'delivered' }).executeTest(async (mockServer) => {
      const client = await twilioClientFor(mockServer.url)
      const msg = await client.messages(SID).fetch()
      expect(msg.sid).toBe(SID)
      expect(msg.status).toBe('delivered')
      expect(msg.price).toBe('-0.00790')
    })
  })

  it('list a page of messages sent to a number', async () => {
    await listMessagesInteraction(pact, { sid: SID, toFilter: '+15558675310', pageSize: 20 }).executeTest(
      async (mockServer) => {
        const client = await twilioClientFor(mockServer.url)
        const list = await client.messages.list({ to: '+15558675310', limit: 20 })
        expect(list.length).toBeGreaterThanOrEqual(1)
        expect(list[0]!.to).toBe('+15558675310')
      },
    )
  })

  it('redact a message', async () => {
    await redactMessageInteraction(pact, { sid: SID }).executeTest(async (mockServer) => {
      const client = await twilioClientFor(mockServer.url)
      const msg = await client.messages(SID).update({ body: '' })
      expect(msg.body).toBe('')
    })
  })

  it('cancel a scheduled message', async () => {
    await cancelMessageInteraction(pact, { sid: SID }).executeTest(async (mockServer) => {
      const client = await twilioClientFor(mockServer.url)
      const msg = await client.messages(SID).update({ status: 'canceled' })
      expect(msg.status).toBe('canceled')
    })
  })

  it('delete a message', async () => {
    await deleteMessageInteraction(pact, { sid: SID }).executeTest(async (mockServer) => {
      const client = await twilioClientFor(mockServer.url)
      await expect(client.messages(SID).remove()).resolves.toBe(true)
    })
  })

  for (const [code, status, call] of [
    [21211, 400, (c: any) => c.messages.create({ to: '+15005550001', from: DEFAULT_FROM, body: 'x' })],
    [21610, 400, (c: any) => c.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'x' })],
    [20003, 401, (c: any) => c.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'x' })],
    [20404, 404, (c: any) => c.messages(SID).fetch()],
    [30409, 400, (c: any) => c.messages(SID).update({ status: 'canceled' })],
    [21602, 400, (c: any) => c.messages.create({ to: '+15558675310', from: DEFAULT_FROM })],
    [21617, 400, (c: any) => c.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'x' })],
    [20009, 400, (c: any) => c.messages(SID).remove()],
    [21606, 400, (c: any) => c.messages.create({ to: '+15558675310', from: '+15005550007', body: 'x' })],
  ] as const) {
    it(`error ${code}: the twilio client throws RestException with that code`, async () => {
      await errorInteraction(pact, { code, sid: SID }).executeTest(async (mockServer) => {
        const client = await twilioClientFor(mockServer.url)
        await expect(call(client)).rejects.toMatchObject({ status, code })
      })
    })
  }
})

describe('Pact builders, provider side', () => {
  it('the double verifies every interaction the builders wrote', async () => {
    const pactJson = JSON.parse(readFileSync(pactFile, 'utf8'))
    expect(pactJson.interactions.length).toBe(18)
    await expect(verifyTwilioDouble({ pactUrls: [pactFile] })).resolves.toBeDefined()
  })
})
