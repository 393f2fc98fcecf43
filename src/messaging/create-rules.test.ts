import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../config.js'
import { createTwilioDouble } from '../double.js'
import { CREATE_RULES } from './create-rules.js'
import { ScenarioFault, ScenarioRefusal, SimulatedNetworkError } from './errors.js'

const create = { accountSid: DEFAULT_ACCOUNT_SID, to: '+15550001111', from: DEFAULT_FROM, body: 'Hi' }

describe('the rules of a create', () => {
  it('are listed in order, the matching scenario first', () => {
    expect(CREATE_RULES.map((r) => r.name.split(' (')[0])).toEqual([
      'scenario',
      'recipient and sender are given',
      'content',
      'magic numbers',
      'addresses',
      'content template rendered for the channel',
      'options',
      'scheduling',
      'Link Shortening of the messaging service',
      'encoding and segments',
      "MMS or Twilio's MMS converter",
      'opt-out',
      'WhatsApp customer service window',
      "sender's queue limit",
    ])
  })

  it("meet the scenario in the domain: its refusal comes before the create's own checks", async () => {
    const double = createTwilioDouble()
    double.scenarios.use({ when: { to: '+15550001111' }, then: { reject: 21610 }, times: 1 })
    const refused = double.backend.createMessage({ ...create, body: '' })
    await expect(refused).rejects.toBeInstanceOf(ScenarioRefusal)
    await expect(refused).rejects.toMatchObject({ code: 21610, details: { to: '+15550001111' } })
    // used up: the same command now meets the content rule (21602)
    await expect(double.backend.createMessage({ ...create, body: '' })).rejects.toMatchObject({ code: 21602 })
  })

  it("turn a scenario's fault and network error into domain errors", async () => {
    const double = createTwilioDouble()
    double.scenarios.use({ then: { fault: 429, retryAfter: 4 }, times: 1 })
    const fault = double.backend.createMessage(create)
    await expect(fault).rejects.toBeInstanceOf(ScenarioFault)
    await expect(fault).rejects.toMatchObject({ status: 429, retryAfterSeconds: 4 })
    double.scenarios.use({ then: { networkError: true }, times: 1 })
    await expect(double.backend.createMessage(create)).rejects.toBeInstanceOf(SimulatedNetworkError)
    expect(double.messages.count()).toBe(0)
  })

  it("let a scenario's latency pass before the message is created, and hand its outcome to the lifecycle", async () => {
    const double = createTwilioDouble({ startTime: '2024-01-01T00:00:00Z' })
    double.scenarios.use({ then: { latency: '3s', deliver: 'undelivered', errorCode: 30005 }, times: 1 })
    const r = await double.backend.createMessage(create)
    expect(new Date(r.dateCreated).toISOString()).toBe('2024-01-01T00:00:03.000Z')
    await double.settle()
    expect(double.messages.get(r.sid)).toMatchObject({ status: 'undelivered', error_code: 30005 })
  })
})
