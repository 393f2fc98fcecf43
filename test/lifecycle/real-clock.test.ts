/**
 * `clock: 'real'`: the lifecycle runs on the process timers, so vitest's fake timers drive it. The
 * `twilio` client reaches the double through `double.httpClient()` (no sockets, no timers of its own).
 */
import twilio from 'twilio'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0)

describe("clock: 'real' under vitest fake timers", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function setup() {
    const double = createTwilioDouble({ clock: 'real' })
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    const statuses: string[] = []
    double.callbacks.handle('https://app.test/', async (request) => {
      statuses.push(new URLSearchParams(await request.text()).get('MessageStatus')!)
    })
    return { double, client, statuses }
  }

  it('moves a message along as the fake timers advance, dated by the fake clock', async () => {
    const { double, client, statuses } = setup()
    const m = await client.messages.create({
      from: DEFAULT_FROM,
      to: '+15550001111',
      body: 'Hi',
      statusCallback: 'https://app.test/status',
    })
    expect(m.dateCreated.getTime()).toBe(T0)
    expect(m.status).toBe('queued')
    await vi.advanceTimersByTimeAsync(1000)
    expect(double.messages.get(m.sid)?.status).toBe('sending')
    await vi.advanceTimersByTimeAsync(1000)
    const sent = await client.messages(m.sid).fetch()
    expect(sent.status).toBe('sent')
    expect(sent.dateSent?.getTime()).toBe(T0 + 2000)
    await vi.advanceTimersByTimeAsync(3000)
    expect(double.messages.get(m.sid)?.status).toBe('delivered')
    await double.settle()
    expect(statuses).toEqual(['sent', 'delivered'])
    expect(double.callbacks.list().map((d) => d.at - T0)).toEqual([2000, 5000])
  })

  it('sends a scheduled message when the fake clock reaches SendAt', async () => {
    const { double, client, statuses } = setup()
    const m = await client.messages.create({
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      to: '+15550001111',
      body: 'Later',
      scheduleType: 'fixed',
      sendAt: new Date(T0 + 3 * 3_600_000),
      statusCallback: 'https://app.test/status',
    })
    expect(m.status).toBe('scheduled')
    await vi.advanceTimersByTimeAsync(3 * 3_600_000 - 1)
    expect(double.messages.get(m.sid)?.status).toBe('scheduled')
    await vi.advanceTimersByTimeAsync(1)
    expect(double.messages.get(m.sid)?.status).toBe('queued')
    await vi.advanceTimersByTimeAsync(60_000)
    await double.settle()
    expect(statuses).toEqual(['queued', 'sent', 'delivered'])
  })

  it('settles everything pending without advancing the timers', async () => {
    const { double, client } = setup()
    double.scenarios.use({ then: { deliver: 'undelivered', errorCode: 30006, delays: { sent: '1h' } } })
    const m = await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'Hi' })
    await double.settle()
    expect(double.messages.get(m.sid)).toMatchObject({ status: 'undelivered', error_code: 30006 })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('refuses advance() with a pointer to the fake timers', async () => {
    const { double } = setup()
    await expect(double.advance('1s')).rejects.toThrow(/clock: 'real'.*advanceTimersByTimeAsync/)
  })
})
