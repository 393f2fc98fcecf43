import twilio from 'twilio'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from 'twilio-double'
import { twilioDouble } from 'twilio-double/vitest'
import { beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { createOtpService } from '../src/otp.js'

const BASE = 'https://otp.example.com'
const PHONE = '+15550001111'

let app: ReturnType<typeof createApp>

beforeEach(() => {
  const codes = ['123456', '654321']
  const otp = createOtpService({
    client: twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN),
    from: DEFAULT_FROM,
    statusCallbackUrl: `${BASE}/twilio/status`,
    authToken: DEFAULT_AUTH_TOKEN,
    generateCode: () => codes.shift() ?? '000000',
    now: () => twilioDouble.now().getTime(),
  })
  app = createApp(otp)
  // Twilio's status callbacks reach the app in-process, signed as Twilio signs them.
  twilioDouble.callbacks.handle(`${BASE}/twilio/status`, (request) => app.fetch(request))
})

const post = (path: string, body: unknown) =>
  app.fetch(new Request(`${BASE}${path}`, { method: 'POST', body: JSON.stringify(body) }))
const status = async () =>
  (await app.fetch(new Request(`${BASE}/otp/status?phone=${encodeURIComponent(PHONE)}`))).json()

describe('OTP app (vitest)', () => {
  it('texts a six-digit code and verifies it once', async () => {
    const sent = await post('/otp/send', { phone: PHONE })
    expect(sent.status).toBe(202)
    expect(twilioDouble).toHaveSentMessage({
      to: PHONE,
      from: DEFAULT_FROM,
      body: /verification code is \d{6}/,
    })
    expect(twilioDouble).toHaveSentMessages(1)
    expect(await (await post('/otp/verify', { phone: PHONE, code: '000000' })).json()).toEqual({
      verified: false,
    })
    expect(await (await post('/otp/verify', { phone: PHONE, code: '123456' })).json()).toEqual({
      verified: true,
    })
    expect(await (await post('/otp/verify', { phone: PHONE, code: '123456' })).json()).toEqual({
      verified: false,
    })
  })

  it('follows delivery through signed status callbacks', async () => {
    const { sid } = await (await post('/otp/send', { phone: PHONE })).json()
    expect(await status()).toEqual({ state: 'sending' })
    await twilioDouble.advance('2s')
    expect(await status()).toEqual({ state: 'sent' })
    await twilioDouble.settle()
    expect(await status()).toEqual({ state: 'delivered' })
    expect(twilioDouble).toHaveReceivedStatusCallback({ sid, status: 'delivered', responseStatus: 204 })
  })

  it('reports a code that could not be delivered', async () => {
    twilioDouble.scenarios.use({
      when: { to: PHONE },
      then: { deliver: 'undelivered', errorCode: 30003 },
    })
    const { sid } = await (await post('/otp/send', { phone: PHONE })).json()
    await twilioDouble.settle()
    expect(await status()).toEqual({ state: 'failed', errorCode: '30003' })
    expect(twilioDouble).toHaveSentMessage({ sid, status: 'undelivered', errorCode: 30003 })
  })

  it('ignores status callbacks with a forged signature', async () => {
    twilioDouble.scenarios.use({ when: { to: PHONE }, then: { tamperSignature: true } })
    const { sid } = await (await post('/otp/send', { phone: PHONE })).json()
    await twilioDouble.settle()
    expect(await status()).toEqual({ state: 'sending' })
    expect(twilioDouble).toHaveReceivedStatusCallback({ sid, status: 'delivered', responseStatus: 403 })
    expect(twilioDouble).not.toHaveReceivedStatusCallback({ sid, responseStatus: 204 })
  })

  it('refuses numbers Twilio cannot text', async () => {
    const refused = await post('/otp/send', { phone: '+15005550001' })
    expect(refused.status).toBe(422)
    expect(await refused.json()).toEqual({ error: 'cannot send a code to +15005550001 (Twilio error 21211)' })
    expect(twilioDouble).toHaveSentMessages(0)
  })

  it('lets a code expire after five minutes of virtual time', async () => {
    await post('/otp/send', { phone: PHONE })
    await twilioDouble.advance('5m')
    await twilioDouble.advance('1s')
    expect(await (await post('/otp/verify', { phone: PHONE, code: '123456' })).json()).toEqual({
      verified: false,
    })
  })
})
