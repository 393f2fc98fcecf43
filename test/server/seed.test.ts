/**
 * seedMessage() and ensureAccount(): a seeded message is read through the real `twilio` client as any other, one
 * seeded with the SID of a message replaces it, and a SID names one message in the whole double.
 */
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'
import { ensureAccount, seedMessage } from '../../src/server/seed.js'

const OTHER = `AC${'b'.repeat(32)}`
const SID = `SM${'a'.repeat(32)}`

describe('seedMessage()', () => {
  it('puts a message the twilio client fetches, and replaces one of the same SID in the same account', async () => {
    const double = createTwilioDouble()
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    seedMessage(double, { sid: SID, body: 'first' })
    seedMessage(double, { sid: SID, body: 'second', status: 'undelivered' })
    const fetched = await client.messages(SID).fetch()
    expect([fetched.body, fetched.status, fetched.errorCode]).toEqual(['second', 'undelivered', 30003])
    expect((await client.messages.list()).map((m) => m.sid)).toEqual([SID])
  })

  it("refuses the SID of another account's message, saying which account has it", () => {
    const double = createTwilioDouble()
    ensureAccount(double, OTHER)
    seedMessage(double, { sid: SID, accountSid: OTHER })
    expect(() => seedMessage(double, { sid: SID })).toThrow(
      `[twilio-double] seedMessage: ${SID} is already a message of account ${OTHER} (a SID names one message in the whole double, as on Twilio): seed another SID, or seed it in account ${OTHER} to replace it`,
    )
    // nothing changed: the message stays in the other account alone
    expect(double.messages.list().map((m) => [m.sid, m.account_sid])).toEqual([[SID, OTHER]])
  })
})
