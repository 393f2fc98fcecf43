import { describe, expect, it } from 'vitest'
import { addressKey } from '../messaging/address.js'
import { ScenarioSet } from './scenario-set.js'
import type { Scenario, ScenarioContext } from './types.js'

function ctx(over: Partial<ScenarioContext> = {}): ScenarioContext {
  return {
    operation: 'create',
    accountSid: 'AC00000000000000000000000000000001',
    to: '+15550001111',
    from: '+15005550006',
    body: 'Your code is 1234',
    channel: 'sms',
    params: {},
    ...over,
  }
}

describe('ScenarioSet matching', () => {
  it('matches To and From as addresses (formatting ignored) and by RegExp', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ when: { to: '+1 555 000 1111' }, then: { reject: 21610 } })
    expect(set.match(ctx())?.reject).toBe(21610)
    expect(set.match(ctx({ to: '+15550002222' }))).toBeUndefined()
    set.reset()
    set.use({ when: { from: /^\+1500/ }, then: { reject: 21212 } })
    expect(set.match(ctx())?.reject).toBe(21212)
    expect(set.match(ctx({ from: '+14155550100' }))).toBeUndefined()
    expect(set.match(ctx({ from: undefined }))).toBeUndefined()
  })

  it('matches the body exactly as a string, or by RegExp', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ when: { body: 'Your code' }, then: { reject: 21602 } })
    expect(set.match(ctx())).toBeUndefined()
    set.use({ when: { body: /code is \d{4}/ }, then: { reject: 21617 } })
    expect(set.match(ctx())?.reject).toBe(21617)
    expect(set.match(ctx({ body: 'Your code' }))?.reject).toBe(21602)
  })

  it('uses a global RegExp the same way on every call', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ when: { body: /code/g }, then: { deliver: 'failed' } })
    expect(set.match(ctx())?.deliver).toBe('failed')
    expect(set.match(ctx())?.deliver).toBe('failed')
  })

  it('matches the channel and the messaging service', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ when: { channel: 'whatsapp' }, then: { deliver: 'read' } })
    set.use({
      when: { messagingServiceSid: 'MG00000000000000000000000000000001' },
      then: { deliver: 'sent' },
    })
    expect(set.match(ctx({ channel: 'whatsapp' }))?.deliver).toBe('read')
    expect(set.match(ctx({ messagingServiceSid: 'MG00000000000000000000000000000001' }))?.deliver).toBe(
      'sent',
    )
    expect(set.match(ctx())).toBeUndefined()
  })

  it('matches create by default, and other operations when asked', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ when: { operation: ['fetch', 'list'] }, then: { fault: 503 } })
    expect(set.match(ctx())).toBeUndefined()
    expect(set.match(ctx({ operation: 'fetch' }))?.fault).toBe(503)
    expect(set.match(ctx({ operation: 'list' }))?.fault).toBe(503)
    expect(set.match(ctx({ operation: 'update' }))).toBeUndefined()
  })

  it('requires every given field to match', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ when: { to: '+15550001111', body: /urgent/ }, then: { reject: 21610 } })
    expect(set.match(ctx())).toBeUndefined()
    expect(set.match(ctx({ body: 'urgent!' }))?.reject).toBe(21610)
  })

  it('lets the newest matching scenario win', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ then: { reject: 21211 } })
    set.use({ when: { to: '+15550001111' }, then: { reject: 21610 } })
    expect(set.match(ctx())?.reject).toBe(21610)
    expect(set.match(ctx({ to: '+15550009999' }))?.reject).toBe(21211)
  })
})

describe('ScenarioSet uses', () => {
  it('applies once, n times, or always', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ name: 'always', then: { deliver: 'sent' } })
    set.use({ name: 'twice', then: { deliver: 'failed' }, times: 2 })
    set.use({ name: 'once', then: { reject: 21610 }, times: 1 })
    const got = Array.from({ length: 5 }, () => {
      const o = set.match(ctx())
      return o?.reject ?? o?.deliver
    })
    expect(got).toEqual([21610, 'failed', 'failed', 'sent', 'sent'])
    expect(set.list().map((s) => s.name)).toEqual(['always'])
  })

  it('removes the scenarios of one use() with the function it returns', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ then: { deliver: 'sent' } })
    const remove = set.use({ then: { reject: 21610 } }, { then: { reject: 21211 } })
    expect(set.list()).toHaveLength(3)
    remove()
    expect(set.match(ctx())?.deliver).toBe('sent')
  })

  it('applies with a seeded probability: the same seed gives the same picks', () => {
    const picks = (seed: string) => {
      const set = new ScenarioSet(seed, addressKey)
      set.use({ then: { deliver: 'failed' }, probability: 0.3 })
      return Array.from({ length: 200 }, () => (set.match(ctx()) ? 1 : 0))
    }
    const a = picks('alpha')
    expect(picks('alpha')).toEqual(a)
    expect(picks('beta')).not.toEqual(a)
    const rate = a.reduce((x: number, y) => x + y, 0) / a.length
    expect(rate).toBeGreaterThan(0.18)
    expect(rate).toBeLessThan(0.42)
  })

  it('restarts the probability draws on reset()', () => {
    const set = new ScenarioSet('gamma', addressKey)
    const scenario: Scenario = { then: { deliver: 'failed' }, probability: 0.5 }
    set.use(scenario)
    const first = Array.from({ length: 50 }, () => Boolean(set.match(ctx())))
    set.reset()
    set.use(scenario)
    expect(Array.from({ length: 50 }, () => Boolean(set.match(ctx())))).toEqual(first)
  })

  it('never and always apply at probability 0 and 1', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ then: { reject: 21610 }, probability: 0 })
    expect(Array.from({ length: 20 }, () => set.match(ctx()))).toEqual(Array(20).fill(undefined))
    set.use({ then: { reject: 21211 }, probability: 1 })
    expect(set.match(ctx())?.reject).toBe(21211)
  })

  it('does not consume a use when the probability draw says no', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ then: { reject: 21610 }, probability: 0.5, times: 1 })
    let hits = 0
    for (let i = 0; i < 100; i++) if (set.match(ctx())) hits++
    expect(hits).toBe(1)
  })
})

describe('ScenarioSet outcomes', () => {
  it.each<[string, Scenario['then']]>([
    ['reject with a catalog code', { reject: 21408 }],
    ['reject with a custom message', { reject: 21610, message: 'The recipient opted out' }],
    ['a 429 fault with Retry-After', { fault: 429, retryAfter: 3 }],
    ['a 500 fault', { fault: 500 }],
    ['a 503 fault', { fault: 503 }],
    ['a network error', { networkError: true }],
    ['latency', { latency: '2s' }],
    ['an undelivered outcome', { deliver: 'undelivered', errorCode: 30005 }],
    ['a failed outcome with a channel error', { deliver: 'failed', errorCode: 63016 }],
    ['per-step delays', { delays: { queued: '10s', sending: 500, sent: '1m' } }],
    ['a read receipt after a delay', { deliver: 'read', readAfter: '30s' }],
    [
      'tampered, duplicated and reordered callbacks',
      { tamperSignature: true, duplicateCallbacks: true, reorderCallbacks: true },
    ],
  ])('accepts %s', (_, then) => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ then })
    expect(set.match(ctx())).toEqual(then)
  })

  it('calls a function scenario with the call, and skips it when it returns undefined', () => {
    const set = new ScenarioSet('seed', addressKey)
    const seen: ScenarioContext[] = []
    set.use({
      times: 1,
      then: (c) => {
        seen.push(c)
        return c.body?.includes('fail') ? { deliver: 'failed', errorCode: 30007 } : undefined
      },
    })
    expect(set.match(ctx())).toBeUndefined()
    expect(set.match(ctx({ body: 'please fail' }))).toEqual({ deliver: 'failed', errorCode: 30007 })
    expect(set.match(ctx({ body: 'please fail' }))).toBeUndefined()
    expect(seen.map((c) => c.body)).toEqual(['Your code is 1234', 'please fail'])
  })

  it('validates what a function scenario returns', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use({ name: 'bad', then: () => ({ reject: 12345678 }) })
    expect(() => set.match(ctx())).toThrow(
      /\[twilio-double\] scenario 'bad': error code 12345678 is not in the catalog/,
    )
  })
})

describe('ScenarioSet validation', () => {
  it('takes outcomes that go together: latency before anything, read receipts where a channel has them', () => {
    const set = new ScenarioSet('seed', addressKey)
    set.use(
      { then: { latency: '1s', reject: 21610, message: 'The recipient opted out' } },
      { then: { latency: '1s', fault: 429, retryAfter: 3 } },
      { then: { latency: '1s', networkError: true } },
      { then: { deliver: 'read' } },
      { when: { to: 'whatsapp:+15550001111' }, then: { readAfter: '1m' } },
      { when: { channel: 'rcs' }, then: { deliver: 'read', tamperSignature: true } },
      { when: { to: /^\+1555/ }, then: { deliver: 'read' } },
      { then: { tamperSignature: true } },
      // a list's To filter is matched as sent, and an inbound message's To may be a short code
      { when: { to: '5550001111', operation: 'list' }, then: { fault: 500 } },
      { when: { to: '12345', operation: ['fetch', 'create'] }, then: { reject: 20404 } },
      { when: { to: 'messenger:1234567890' }, then: { deliver: 'read' } },
    )
    expect(set.list()).toHaveLength(11)
  })

  it.each<[string, unknown, RegExp]>([
    ['no then', { when: { to: '+1555' } }, /needs a 'then'/],
    [
      'a misspelt when field',
      { when: { To: '+15550001111' }, then: { reject: 21610 } },
      /unknown 'when' field\(s\) To/,
    ],
    ['a misspelt then field', { then: { errorcode: 30003 } }, /unknown 'then' field\(s\) errorcode/],
    ['an unknown code', { then: { reject: 99999 } }, /not in the catalog/],
    ['an unknown fault', { then: { fault: 502 } }, /fault must be 429, 500 or 503/],
    ['an unknown outcome', { then: { deliver: 'lost' } }, /deliver must be one of/],
    [
      'an error code on a delivered outcome',
      { then: { deliver: 'delivered', errorCode: 30003 } },
      /errorCode needs deliver/,
    ],
    [
      'readAfter without read',
      { then: { deliver: 'sent', readAfter: '1s' } },
      /readAfter needs deliver: 'read'/,
    ],
    [
      'an unknown operation',
      { when: { operation: 'send' }, then: { reject: 21610 } },
      /unknown operation 'send'/,
    ],
    ['an unknown channel', { when: { channel: 'fax' }, then: { reject: 21610 } }, /unknown channel 'fax'/],
    ['times 0', { then: { reject: 21610 }, times: 0 }, /times must be a positive integer/],
    [
      'a probability above 1',
      { then: { reject: 21610 }, probability: 2 },
      /probability must be between 0 and 1/,
    ],
    ['a bad duration', { then: { latency: 'soon' } }, /invalid duration 'soon'/],
    [
      'a duration past any date',
      { then: { latency: '99999999y' } },
      /^\[twilio-double\] duration '99999999y' is longer than the double's clock can go \(a Date reaches 8\.64e15 ms\): use a shorter one$/,
    ],
    ['an unknown delay', { then: { delays: { delivering: 100 } } }, /unknown delay\(s\) delivering/],
    [
      'a number as to',
      { when: { to: 15550001111 }, then: { reject: 21610 } },
      /when\.to must be a string or a RegExp/,
    ],
    [
      'an outcome naming nothing',
      { when: { to: '+15550001111' }, then: {} },
      /^\[twilio-double\] scenario: 'then' names no outcome; give one such as \{ reject: 21610 \}, \{ deliver: 'undelivered' \} or \{ latency: '2s' \} \(a 'then' function returns undefined to let a call through\)$/,
    ],
    [
      'a refusal with a delivery outcome',
      { name: 'opted out', then: { reject: 21610, deliver: 'failed' } },
      /^\[twilio-double\] scenario 'opted out': reject answers the call with an error, so the message is never made and deliver never applies; use two scenarios \(one with times: 1\) to refuse a create and deliver others$/,
    ],
    [
      'a fault with callback quirks',
      { then: { fault: 503, tamperSignature: true } },
      /scenario: fault answers the call with an error, so the message is never made and tamperSignature never applies/,
    ],
    [
      'two refusals at once',
      { then: { reject: 21610, networkError: true } },
      /^\[twilio-double\] scenario: reject and networkError both answer the call; give one of them$/,
    ],
    [
      'a message without reject',
      { then: { deliver: 'failed', message: 'nope' } },
      /^\[twilio-double\] scenario: message replaces the message of a reject; give reject: <code> with it$/,
    ],
    [
      'retryAfter without a 429 fault',
      { then: { fault: 503, retryAfter: 5 } },
      /^\[twilio-double\] scenario: retryAfter is the Retry-After of a 429 fault; give fault: 429 with it \(got fault 503\)$/,
    ],
    [
      'a read receipt for SMS by channel',
      { when: { channel: 'sms' }, then: { deliver: 'read' } },
      /^\[twilio-double\] scenario: deliver: 'read' needs a channel with read receipts \(WhatsApp, RCS, Messenger\), and this scenario matches SMS only \(when\.channel 'sms'\): an SMS stops at delivered; match a whatsapp:, rcs: or messenger: address, or deliver: 'delivered'$/,
    ],
    [
      'a read receipt for SMS by number',
      { when: { to: '+15550001111' }, then: { readAfter: '1m' } },
      /scenario: readAfter needs a channel with read receipts \(WhatsApp, RCS, Messenger\), and this scenario matches SMS only \(when\.to '\+15550001111'\)/,
    ],
    [
      'a To in national format for creates',
      { when: { to: '(555) 000-1111' }, then: { reject: 21610 } },
      /^\[twilio-double\] scenario: when\.to '\(555\) 000-1111' never matches a create: a message's To is E\.164 \(such as '\+15550001111'\) or a channel address \(whatsapp:\+15550001111\); write it so, or match with a RegExp$/,
    ],
  ])('rejects %s with a helpful error', (_, scenario, message) => {
    const set = new ScenarioSet('seed', addressKey)
    expect(() => set.use(scenario as Scenario)).toThrow(message)
    expect(() => set.use(scenario as Scenario)).toThrow(/^\[twilio-double\] /)
    expect(set.list()).toHaveLength(0)
  })
})
