import { expect, jest, test } from '@jest/globals'
import twilio from 'twilio'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from 'twilio-double'
import { createFactories } from 'twilio-double/factories'
import { twilioDouble } from 'twilio-double/jest'

const TO = '+15550001111'
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

test('runs in ESM mode: import.meta is there and the double is set up', () => {
  expect(typeof import.meta.url).toBe('string')
  expect(globalThis.twilioDouble).toBe(twilioDouble)
  expect(twilioDouble.options.seed).toBe('jest-esm')
})

test('the client reaches the double; virtual time moves the lifecycle', async () => {
  const m = await client.messages.create({
    messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
    to: TO,
    body: 'Hi',
  })
  expect(m.status).toBe('accepted')
  expect(twilioDouble).toHaveSentMessage({
    to: TO,
    status: 'accepted',
    messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
  })
  await twilioDouble.advance('10s')
  expect(twilioDouble).toHaveSentMessage({ sid: m.sid, status: 'delivered', from: DEFAULT_FROM })
})

test('reset after each test; errors by scenario', async () => {
  expect(twilioDouble).toHaveSentMessages(0)
  twilioDouble.scenarios.use({ when: { to: TO }, then: { reject: 21610 } })
  await expect(client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })).rejects.toMatchObject({
    status: 400,
    code: 21610,
  })
  expect(twilioDouble).toHaveSentMessages(0)
})

test('jest fake timers do not disturb the virtual clock', async () => {
  jest.useFakeTimers()
  try {
    const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })
    await twilioDouble.settle()
    expect(twilioDouble.messages.get(m.sid).status).toBe('delivered')
  } finally {
    jest.useRealTimers()
  }
})

test('factories make signed callbacks the twilio library accepts', () => {
  const f = createFactories({ seed: 7 })
  const cb = f.statusCallback({ url: 'https://app.example.com/status', status: 'delivered' })
  expect(twilio.validateRequest(DEFAULT_AUTH_TOKEN, cb.signature, cb.url, cb.params)).toBe(true)
  expect(createFactories({ seed: 7 }).statusCallback({ url: cb.url, status: 'delivered' })).toMatchObject({
    signature: cb.signature,
  })
})
