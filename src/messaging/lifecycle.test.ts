import { describe, expect, it } from 'vitest'
import type { DeliveryOutcome } from '../scenarios/types.js'
import type { MessageStatus } from '../schemas/common.js'
import {
  APPLICATION_CALLBACK_STATUSES,
  CALLBACK_STATUSES,
  canTransition,
  DEFAULT_DELAYS,
  FINAL_STATUSES,
  isQueuedStatus,
  pathAfterQueued,
  SILENT_STATUSES,
  TRANSITIONS,
} from './lifecycle.js'

const OUTCOMES: DeliveryOutcome[] = ['delivered', 'undelivered', 'failed', 'sent', 'read']

describe('transition table', () => {
  it('lets a message go only forward along the documented statuses', () => {
    expect(TRANSITIONS).toEqual({
      scheduled: ['queued', 'canceled'],
      accepted: ['queued', 'failed'],
      queued: ['sending', 'failed'],
      sending: ['sent', 'failed'],
      sent: ['delivered', 'undelivered'],
      delivered: ['read'],
      receiving: ['received'],
    })
  })

  it('answers canTransition from the table', () => {
    expect(canTransition('queued', 'sending')).toBe(true)
    expect(canTransition('scheduled', 'canceled')).toBe(true)
    expect(canTransition('accepted', 'canceled')).toBe(false)
    expect(canTransition('sending', 'delivered')).toBe(false)
    expect(canTransition('delivered', 'undelivered')).toBe(false)
    expect(canTransition('failed', 'queued')).toBe(false)
    expect(canTransition('canceled', 'queued')).toBe(false)
  })

  it('has no way out of failed, undelivered, canceled and read', () => {
    for (const s of ['failed', 'undelivered', 'canceled', 'read', 'received'] as MessageStatus[]) {
      expect(TRANSITIONS[s]).toBeUndefined()
      expect(FINAL_STATUSES.has(s)).toBe(true)
    }
  })

  it.each(OUTCOMES)('gives the %s outcome a path that follows the table from queued', (outcome) => {
    const path = pathAfterQueued(outcome, 'whatsapp')
    let from: MessageStatus = 'queued'
    for (const to of path) {
      expect(canTransition(from, to), `${from} → ${to}`).toBe(true)
      from = to
    }
    expect(path.at(-1)).toBe(outcome)
  })

  it('ends a read outcome at delivered on SMS, which has no read receipts', () => {
    expect(pathAfterQueued('read', 'sms')).toEqual(['sending', 'sent', 'delivered'])
    expect(pathAfterQueued('read', 'whatsapp')).toEqual(['sending', 'sent', 'delivered', 'read'])
    expect(pathAfterQueued('read', 'rcs').at(-1)).toBe('read')
  })

  it('fails from sending without a sent step', () => {
    expect(pathAfterQueued('failed')).toEqual(['sending', 'failed'])
    expect(pathAfterQueued('undelivered')).toEqual(['sending', 'sent', 'undelivered'])
    expect(pathAfterQueued('sent')).toEqual(['sending', 'sent'])
  })
})

describe('callback statuses', () => {
  it('calls back for queued, sent, failed, delivered, undelivered, read and canceled only', () => {
    expect([...CALLBACK_STATUSES].sort()).toEqual(
      ['canceled', 'delivered', 'failed', 'queued', 'read', 'sent', 'undelivered'].sort(),
    )
    for (const s of SILENT_STATUSES) expect(CALLBACK_STATUSES.has(s)).toBe(false)
    expect(SILENT_STATUSES.has('sending')).toBe(true)
    expect(SILENT_STATUSES.has('accepted')).toBe(true)
    expect(SILENT_STATUSES.has('scheduled')).toBe(true)
  })

  it("tells an application's callback only sent and failed", () => {
    expect([...APPLICATION_CALLBACK_STATUSES].sort()).toEqual(['failed', 'sent'])
  })
})

describe('defaults', () => {
  it('has small, positive default delays for each waiting status', () => {
    for (const [status, ms] of Object.entries(DEFAULT_DELAYS)) {
      expect(ms, status).toBeGreaterThan(0)
      expect(ms, status).toBeLessThanOrEqual(10_000)
    }
  })

  it('counts accepted and queued as waiting in the queue', () => {
    expect(isQueuedStatus('queued')).toBe(true)
    expect(isQueuedStatus('accepted')).toBe(true)
    expect(isQueuedStatus('sending')).toBe(false)
    expect(isQueuedStatus('scheduled')).toBe(false)
  })
})
