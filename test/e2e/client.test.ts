import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import { ControlApiError, type ControlClient, createControlClient } from '../../src/client/index.js'
import { DEFAULT_FROM, DEFAULT_START_TIME } from '../../src/config.js'

let server: TwilioDoubleServer
let sms: ControlClient
let twilio: Awaited<ReturnType<typeof twilioClientForServer>>

beforeAll(async () => {
  server = await startServer({ port: 0, doubleOptions: { startTime: DEFAULT_START_TIME } })
  sms = createControlClient(`${server.url}/`)
  twilio = await twilioClientForServer(server.url)
})
afterAll(async () => {
  await server.close()
})
beforeEach(async () => {
  await sms.reset()
})

const send = (to: string, body: string) => twilio.messages.create({ to, from: DEFAULT_FROM, body })

describe('twilio-double/client', () => {
  it('waits for the message an app sends and reads its code', async () => {
    const waiting = sms.waitForMessage({ to: '+15558675310', timeout: '30s' })
    const sent = await send('+15558675310', 'Your Acme code is 482913 https://acme.test/v')
    const message = await waiting
    expect(message).toMatchObject({
      sid: sent.sid,
      code: '482913',
      codes: ['482913'],
      links: ['https://acme.test/v'],
    })
  })

  it('waits for the next message after one, by SID or message, with a RegExp body', async () => {
    const first = await send('+15558675310', 'code 1111')
    const waiting = sms.waitForMessage({ to: '+15558675310', after: first, body: /code \d{4}$/ })
    const second = await send('+15558675310', 'code 2222')
    expect((await waiting).sid).toBe(second.sid)
    expect((await sms.waitForMessage({ to: '+15558675310', after: first.sid })).code).toBe('2222')
  })

  it('rejects with a ControlApiError naming the problem on a timeout and on bad input', async () => {
    const timeout = await sms.waitForMessage({ to: '+15558675310', timeout: 0 }).catch((e) => e)
    expect(timeout).toBeInstanceOf(ControlApiError)
    expect(timeout).toMatchObject({ status: 408, error: 'timeout' })
    expect(timeout.message).toMatch(/^\[twilio-double\] no message to \+15558675310 arrived within 0 ms/)
    await expect(sms.waitForMessage({})).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('give at least one of to, from or body'),
    })
    await expect(sms.waitForMessage({ to: '+15558675310', timeout: '2m' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('timeout must be at most 60s'),
    })
  })

  it('lists and shows messages, settles and advances the clock, resets', async () => {
    const sent = await send('+15558675310', 'Your code: AB12CD')
    expect((await sms.messages({ to: '+15558675310' })).map((m) => [m.sid, m.code])).toEqual([
      [sent.sid, 'AB12CD'],
    ])
    expect((await sms.advance('1s')).now).toBe('2024-01-01T00:00:01.000Z')
    await sms.settle()
    const details = await sms.message(sent.sid)
    expect(details.message.status).toBe('delivered')
    expect(details.history.map((h) => h.status)).toEqual(['queued', 'sending', 'sent', 'delivered'])
    expect((await sms.health()).messages).toBe(1)
    await sms.reset()
    expect(await sms.messages()).toEqual([])
  })

  it('lists conversations and reads one, both ways; messages say how their callbacks went', async () => {
    const sent = await send('+15558675310', 'Your code: AB12CD')
    await sms.inbound({ from: '+15558675310', to: DEFAULT_FROM, body: 'Thanks' })
    await send('+15550001111', 'Elsewhere')
    const conversations = await sms.conversations()
    expect(conversations.map((c) => [c.ours, c.theirs, c.count, c.last.body])).toEqual([
      [DEFAULT_FROM, '+15550001111', 1, 'Elsewhere'],
      [DEFAULT_FROM, '+15558675310', 2, 'Thanks'],
    ])
    expect(await sms.conversations({ limit: 1 })).toHaveLength(1)
    const thread = await sms.conversation(DEFAULT_FROM, '+15558675310')
    expect(thread).toMatchObject({ ours: DEFAULT_FROM, theirs: '+15558675310', total: 2 })
    expect(thread.messages.map((m) => [m.direction, m.code])).toEqual([
      ['outbound-api', 'AB12CD'],
      ['inbound', undefined],
    ])
    expect((await sms.conversation(DEFAULT_FROM, '+15558675310', { limit: 1 })).messages[0]!.body).toBe(
      'Thanks',
    )
    const [listed] = await sms.messages({ to: '+15558675310' })
    expect(listed).toMatchObject({
      sid: sent.sid,
      callbackSummary: { kind: 'status', state: 'none', sent: 0 },
    })
  })

  it('adds, lists and clears scenarios, RegExps included', async () => {
    await sms.scenarios.add({
      when: { to: /^\+1555000/ },
      then: { deliver: 'undelivered', errorCode: 30003 },
    })
    expect(await sms.scenarios.list()).toEqual([
      {
        when: { to: { source: '^\\+1555000', flags: '' } },
        then: { deliver: 'undelivered', errorCode: 30003 },
      },
    ])
    const sent = await send('+15550001234', 'Hi')
    await sms.settle()
    expect((await sms.message(sent.sid)).message).toMatchObject({ status: 'undelivered', error_code: 30003 })
    await sms.scenarios.clear()
    expect(await sms.scenarios.list()).toEqual([])
  })

  it('reads the feedback an app left on a message as the in-process inspector does', async () => {
    const sent = await send('+15558675310', 'Your code: 4821')
    expect(await sms.feedback(sent.sid)).toBeUndefined()
    expect(server.double.messages.feedback(sent.sid)).toBeUndefined()
    await twilio.messages(sent.sid).feedback.create({ outcome: 'confirmed' })
    const left = await sms.feedback(sent.sid)
    expect(left).toMatchObject({ message_sid: sent.sid, outcome: 'confirmed' })
    expect(left).toEqual(server.double.messages.feedback(sent.sid))
    await twilio.messages(sent.sid).feedback.create({ outcome: 'unconfirmed' })
    expect((await sms.feedback(sent.sid))?.outcome).toBe('unconfirmed')
    // an unknown SID is refused, saying where to find the right one; so are strings no SID looks like
    for (const sid of [`SM${'0'.repeat(32)}`, 'wait', '', '../health']) {
      const refused = await sms.feedback(sid).catch((e) => e)
      expect(refused).toBeInstanceOf(ControlApiError)
      expect(refused).toMatchObject({ status: 404, error: 'not_found' })
      expect(refused.message).toBe(
        `[twilio-double] no message with SID ${sid}: check the SID returned by messages.create(), or list the messages with messages()`,
      )
    }
    await expect(createControlClient('http://127.0.0.1:9').feedback(sent.sid)).rejects.toMatchObject({
      error: 'unreachable',
    })
  })

  it('simulates an inbound message', async () => {
    const result = await sms.inbound({ from: '+15558675310', to: DEFAULT_FROM, body: 'Hello 4821' })
    expect(result.message).toMatchObject({ direction: 'inbound', body: 'Hello 4821' })
    expect((await sms.waitForMessage({ from: '+15558675310' })).code).toBe('4821')
  })

  it('says how to start the server when none answers', async () => {
    const nowhere = createControlClient('http://127.0.0.1:9')
    await expect(nowhere.health()).rejects.toMatchObject({
      status: 0,
      error: 'unreachable',
      message: expect.stringContaining("cannot reach the double's server at http://127.0.0.1:9"),
    })
  })
})
