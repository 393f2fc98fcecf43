import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../config.js'
import { createTwilioDouble } from '../double.js'
import { addStatusStep, statusHistory } from './history.js'

describe('status history of a stored message', () => {
  it('keeps a new message its one step, then every step in order as it moves', async () => {
    const double = createTwilioDouble()
    const r = await double.backend.createMessage({
      accountSid: DEFAULT_ACCOUNT_SID,
      to: '+15558675310',
      from: DEFAULT_FROM,
      body: 'Hi',
    })
    expect(statusHistory(r)).toEqual([{ status: 'queued', at: r.dateCreated }])
    await double.settle()
    expect(statusHistory(r).map((s) => s.status)).toEqual(['queued', 'sending', 'sent', 'delivered'])
    expect(double.messages.history(r.sid).map((s) => s.status)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
    ])
  })

  it('keeps the step a message is created in as its status alone, dated by its date created', () => {
    const r = { history: 'accepted', dateCreated: 5 } as Parameters<typeof statusHistory>[0]
    expect(statusHistory(r)).toEqual([{ status: 'accepted', at: 5 }])
    addStatusStep(r, { status: 'queued', at: 9 })
    expect(statusHistory(r)).toEqual([
      { status: 'accepted', at: 5 },
      { status: 'queued', at: 9 },
    ])
  })

  it('adds steps to a history of one step and to an array alike', () => {
    const r = { history: { status: 'queued', at: 1 } } as Parameters<typeof statusHistory>[0]
    addStatusStep(r, { status: 'sending', at: 2 })
    addStatusStep(r, { status: 'failed', at: 3, errorCode: 30008 })
    expect(statusHistory(r)).toEqual([
      { status: 'queued', at: 1 },
      { status: 'sending', at: 2 },
      { status: 'failed', at: 3, errorCode: 30008 },
    ])
  })
})
