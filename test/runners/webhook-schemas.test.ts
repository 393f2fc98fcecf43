import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID } from '../../src/config.js'
import { messageStatus } from '../../src/schemas/common.js'
import { statusCallbackSchema } from '../../src/schemas/webhooks.js'

const SID = `SM${'a'.repeat(32)}`
const callback = (status: string, smsStatus = status) => ({
  AccountSid: DEFAULT_ACCOUNT_SID,
  ApiVersion: '2010-04-01',
  From: '+15005550006',
  MessageSid: SID,
  MessageStatus: status,
  SmsSid: SID,
  SmsStatus: smsStatus,
  To: '+15550001111',
})

describe('statusCallbackSchema', () => {
  it('takes every status Twilio writes in MessageStatus and SmsStatus', () => {
    for (const status of messageStatus.options)
      expect(statusCallbackSchema.safeParse(callback(status)).success, status).toBe(true)
  })

  it('refuses a status Twilio never sends (another case, a typo, empty)', () => {
    for (const status of ['Delivered', 'DELIVERED', 'deliverd', ''])
      expect(statusCallbackSchema.safeParse(callback(status)).success, status).toBe(false)
    expect(statusCallbackSchema.safeParse(callback('delivered', 'Delivered')).success).toBe(false)
  })
})
