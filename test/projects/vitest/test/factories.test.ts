import twilio from 'twilio'
import { DEFAULT_AUTH_TOKEN } from 'twilio-double'
import { createFactories } from 'twilio-double/factories'
import { messageSchema, statusCallbackSchema } from 'twilio-double/schemas'
import { expect, it } from 'vitest'

it('makes valid messages and signed callbacks from a seed', () => {
  const f = createFactories({ seed: 1 })
  const m = f.message({ status: 'delivered', channel: 'whatsapp' })
  expect(messageSchema.parse(m).to).toMatch(/^whatsapp:\+1/)
  const cb = f.statusCallback({ message: m, url: 'https://app.example.com/status' })
  expect(statusCallbackSchema.parse(cb.params).MessageStatus).toBe('delivered')
  expect(twilio.validateRequest(DEFAULT_AUTH_TOKEN, cb.signature, cb.url, cb.params)).toBe(true)
  expect(createFactories({ seed: 1 }).message({ status: 'delivered', channel: 'whatsapp' })).toEqual(m)
})
