import { HttpResponse, http } from 'msw'
import twilio from 'twilio'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from 'twilio-double'
import { twilio as double, twilioDouble, twilioServer } from 'twilio-double/vitest'
import { describe, expect, it, vi } from 'vitest'

const TO = '+15550001111'
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

describe('twilio-double/vitest as a setup file', () => {
  it('gives the test the same double as the setup file, with the provided options', () => {
    expect(double).toBe(twilioDouble)
    expect(globalThis.twilioDouble).toBe(twilioDouble)
    expect(twilioDouble.options.seed).toBe('vitest-project')
  })

  it('answers the twilio client, with typed matchers', async () => {
    const m = await client.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      body: 'Your code is 271828',
      statusCallback: 'https://app.example.com/status',
    })
    twilioDouble.callbacks.handle('https://app.example.com/', () => new Response(null, { status: 200 }))
    expect(twilioDouble).toHaveSentMessage({ to: TO, body: /code is \d{6}/, status: 'queued' })
    await twilioDouble.settle()
    expect(twilioDouble).toHaveSentMessages(1, { status: 'delivered' })
    expect(twilioDouble).toHaveReceivedStatusCallback({
      sid: m.sid,
      status: 'delivered',
      responseStatus: 200,
    })
  })

  it('starts every test from a clean double', () => {
    expect(twilioDouble).toHaveSentMessages(0)
    expect(twilioDouble.callbacks.list()).toEqual([])
  })

  it('works with vitest fake timers on the virtual clock', async () => {
    vi.useFakeTimers()
    try {
      const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x' })
      await twilioDouble.advance('1s')
      expect(twilioDouble.messages.get(m.sid)?.status).toBe('sending')
      await twilioDouble.settle()
      expect(twilioDouble.messages.get(m.sid)?.status).toBe('delivered')
    } finally {
      vi.useRealTimers()
    }
  })

  it('leaves other hosts to handlers the test adds', async () => {
    twilioServer.use(http.get('https://example.com/weather', () => HttpResponse.json({ sunny: true })))
    expect(await (await fetch('https://example.com/weather')).json()).toEqual({ sunny: true })
  })

  it('shows what was sent when a matcher fails', async () => {
    await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hello' })
    expect(() => expect(twilioDouble).toHaveSentMessage({ body: 'Bye' })).toThrow(
      /Sent instead \(1\):\n {2}1\. SM[0-9a-f]{32} to \+15550001111 .*body "Hello" {2}← differs in body/,
    )
  })
})
