import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../config.js'
import { createTwilioDouble, type TwilioDouble } from '../double.js'
import type { ScenarioOutcome } from '../scenarios/types.js'
import type { CreateMessageCommand } from './commands.js'
import { APPLICATION_CALLBACK_STATUSES, CALLBACK_STATUSES, pathAfterQueued } from './lifecycle.js'

const CALLBACK_URL = 'https://app.test/status'
const TEMPLATE = 'HX00000000000000000000000000000001'

/** A double whose status callbacks are answered in process, and a create through its backend. */
function setup(): {
  double: TwilioDouble
  create: (c?: Partial<CreateMessageCommand>, outcome?: ScenarioOutcome) => Promise<string>
} {
  const double = createTwilioDouble({
    // a template WhatsApp approved: it goes out outside the customer service window
    contentTemplates: [
      { sid: TEMPLATE, types: { 'twilio/text': { body: 'Your order shipped' } }, whatsapp: {} },
    ],
    accounts: [
      {
        sid: DEFAULT_ACCOUNT_SID,
        authToken: 'token',
        messagingServices: [
          { sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM, 'whatsapp:+14155238886'] },
        ],
      },
    ],
  })
  double.callbacks.handle(CALLBACK_URL, () => new Response(null, { status: 204 }))
  const create = async (c: Partial<CreateMessageCommand> = {}, outcome?: ScenarioOutcome) => {
    // the outcome as a matching scenario gives it, used once
    if (outcome) double.scenarios.use({ then: outcome, times: 1 })
    const r = await double.backend.createMessage({
      accountSid: DEFAULT_ACCOUNT_SID,
      to: '+15558675310',
      from: DEFAULT_FROM,
      body: 'Hi',
      statusCallback: CALLBACK_URL,
      ...c,
    })
    return r.sid
  }
  return { double, create }
}

/** The statuses a message went through, and the seconds after its creation each was reached. */
function steps(double: TwilioDouble, sid: string): [string, number][] {
  const history = double.messages.history(sid)
  const start = history[0]!.at.getTime()
  return history.map((h) => [h.status, (h.at.getTime() - start) / 1000])
}

/** The statuses whose callbacks were delivered for a message, in order. */
function callbackStatuses(double: TwilioDouble, sid: string): string[] {
  return double.callbacks.list({ messageSid: sid }).map((d) => d.params.MessageStatus!)
}

/** Creates a message following a scenario's outcome (as a matching scenario gives it) and runs its lifecycle. */
async function run(outcome: ScenarioOutcome | undefined, c: Partial<CreateMessageCommand> = {}) {
  const { double, create } = setup()
  const sid = await create(c, outcome)
  await double.settle()
  return { double, sid, message: double.messages.get(sid)! }
}

describe('the lifecycle a message goes through', () => {
  it('delivers an SMS: queued, sending after 1 s, sent after 2 s, delivered after 5 s', async () => {
    const { double, sid, message } = await run(undefined)
    expect(steps(double, sid)).toEqual([
      ['queued', 0],
      ['sending', 1],
      ['sent', 2],
      ['delivered', 5],
    ])
    expect(message.error_code).toBeNull()
    expect(callbackStatuses(double, sid)).toEqual(['sent', 'delivered'])
  })

  it('ends an undelivered message after sent, with its error code', async () => {
    const { double, sid, message } = await run({ deliver: 'undelivered' })
    expect(steps(double, sid).map(([s]) => s)).toEqual(['queued', 'sending', 'sent', 'undelivered'])
    expect(message.error_code).toBe(30003)
    expect(callbackStatuses(double, sid)).toEqual(['sent', 'undelivered'])
  })

  it('fails a message while sending, without a sent step', async () => {
    const { double, sid, message } = await run({ deliver: 'failed', errorCode: 30007 })
    expect(steps(double, sid)).toEqual([
      ['queued', 0],
      ['sending', 1],
      ['failed', 2],
    ])
    expect(message).toMatchObject({ status: 'failed', error_code: 30007, price: null })
    expect(callbackStatuses(double, sid)).toEqual(['failed'])
  })

  it('stops at sent when no delivery receipt comes', async () => {
    const { double, sid } = await run({ deliver: 'sent' })
    expect(steps(double, sid).map(([s]) => s)).toEqual(['queued', 'sending', 'sent'])
  })

  it('reads a WhatsApp message after it is delivered, but never an SMS', async () => {
    const whatsapp = await run(
      { deliver: 'read' },
      { to: 'whatsapp:+15558675310', from: 'whatsapp:+14155238886', contentSid: TEMPLATE, body: '' },
    )
    expect(steps(whatsapp.double, whatsapp.sid).map(([s]) => s)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
      'read',
    ])
    expect(callbackStatuses(whatsapp.double, whatsapp.sid)).toEqual(['sent', 'delivered', 'read'])
    const sms = await run({ deliver: 'read' })
    expect(steps(sms.double, sms.sid).map(([s]) => s)).toEqual(['queued', 'sending', 'sent', 'delivered'])
  })

  it('fails a message above its MaxPrice while sending', async () => {
    const { double, sid, message } = await run(undefined, { maxPrice: '0.0001' })
    expect(steps(double, sid).map(([s]) => s)).toEqual(['queued', 'sending', 'failed'])
    expect(message.error_code).toBe(30010)
  })

  it("moves a messaging service's message from accepted to queued once it has a sender", async () => {
    const { double, sid, message } = await run(undefined, {
      from: undefined,
      messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
    })
    expect(steps(double, sid)).toEqual([
      ['accepted', 0],
      ['queued', 0.5],
      ['sending', 1.5],
      ['sent', 2.5],
      ['delivered', 5.5],
    ])
    expect(message.from).toBe(DEFAULT_FROM)
    // queued calls back once it follows accepted; the initial status never does
    expect(callbackStatuses(double, sid)).toEqual(['queued', 'sent', 'delivered'])
  })

  it('fails a free-form WhatsApp message outside the window once queued', async () => {
    const { double, sid, message } = await run(undefined, {
      to: 'whatsapp:+15558675310',
      from: 'whatsapp:+14155238886',
    })
    expect(steps(double, sid)).toEqual([
      ['queued', 0],
      ['failed', 0],
    ])
    expect(message.error_code).toBe(63016)
  })

  it('sends a scheduled message at SendAt, or cancels it before; a queued one cannot be canceled', async () => {
    const { double, create } = setup()
    const sendAt = new Date(double.now().getTime() + 2 * 3_600_000).toISOString()
    const scheduled = { from: undefined, messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID }
    const sent = await create({ ...scheduled, scheduleType: 'fixed', sendAt })
    const canceled = await create({ ...scheduled, scheduleType: 'fixed', sendAt })
    const queued = await create()
    double.backend.updateMessage({
      accountSid: DEFAULT_ACCOUNT_SID,
      messageSid: canceled,
      status: 'canceled',
    })
    expect(() =>
      double.backend.updateMessage({
        accountSid: DEFAULT_ACCOUNT_SID,
        messageSid: queued,
        status: 'canceled',
      }),
    ).toThrow(expect.objectContaining({ code: 30409 }))
    await double.settle()
    expect(steps(double, sent)).toEqual([
      ['scheduled', 0],
      ['queued', 7200],
      ['sending', 7201],
      ['sent', 7202],
      ['delivered', 7205],
    ])
    expect(steps(double, canceled)).toEqual([
      ['scheduled', 0],
      ['canceled', 0],
    ])
    expect(callbackStatuses(double, canceled)).toEqual(['canceled'])
    expect(double.messages.get(queued)?.status).toBe('delivered')
  })

  it('keeps every message it moves within the table: nothing left in flight', async () => {
    const { double } = await run(undefined)
    expect(double.backend.inFlight).toBe(0)
  })
})

describe('paths read from the transition table', () => {
  it('goes from sending to each outcome by the shortest way', () => {
    expect(pathAfterQueued('delivered')).toEqual(['sending', 'sent', 'delivered'])
    expect(pathAfterQueued('failed')).toEqual(['sending', 'failed'])
    expect(pathAfterQueued('undelivered')).toEqual(['sending', 'sent', 'undelivered'])
    expect(pathAfterQueued('sent')).toEqual(['sending', 'sent'])
    expect(pathAfterQueued('read', 'rcs')).toEqual(['sending', 'sent', 'delivered', 'read'])
    expect(pathAfterQueued('read', 'sms')).toEqual(['sending', 'sent', 'delivered'])
  })
})

describe('callback statuses', () => {
  it('calls back for queued, sent, failed, delivered, undelivered, read and canceled only', () => {
    expect([...CALLBACK_STATUSES].sort()).toEqual(
      ['canceled', 'delivered', 'failed', 'queued', 'read', 'sent', 'undelivered'].sort(),
    )
  })

  it("tells an application's callback only sent and failed", () => {
    expect([...APPLICATION_CALLBACK_STATUSES].sort()).toEqual(['failed', 'sent'])
  })
})
