const twilio = require('twilio')
const { http, HttpResponse } = require('msw')
const { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } = require('twilio-double')
const { twilioDouble, twilioServer, twilio: sameDouble } = require('twilio-double/jest')

const TO = '+15550001111'
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

afterEach(() => {
  jest.useRealTimers()
})

test('the setup entry exposes one double: export, alias and global', () => {
  expect(sameDouble).toBe(twilioDouble)
  expect(globalThis.twilioDouble).toBe(twilioDouble)
  expect(twilioDouble.options.clock).toBe('real')
})

test('the twilio client reaches the double through msw; the matchers see the message', async () => {
  const message = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Your code is 123456' })
  expect(message.status).toBe('queued')
  expect(twilioDouble).toHaveSentMessage({ to: TO, body: /code is \d{6}/ })
  expect(twilioDouble).toHaveSentMessages(1)
  expect(twilioDouble).not.toHaveSentMessage({ to: '+15550009999' })
})

test('the double was reset after the previous test', () => {
  expect(twilioDouble).toHaveSentMessages(0)
})

test('a failing matcher lists what was sent instead', async () => {
  await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hello' })
  let failure
  try {
    expect(twilioDouble).toHaveSentMessage({ to: '+15550002222' })
  } catch (err) {
    failure = err
  }
  expect(failure).toBeDefined()
  expect(failure.message).toMatch(/Sent instead \(1\)/)
  expect(failure.message).toMatch(/to \+15550001111 from \+15005550006/)
  expect(failure.message).toMatch(/differs in to/)
})

test('status transitions follow jest fake timers', async () => {
  jest.useFakeTimers()
  const message = await client.messages.create({
    from: DEFAULT_FROM,
    to: TO,
    body: 'timed',
    statusCallback: 'https://app.example.com/twilio/status',
  })
  const received = []
  twilioDouble.callbacks.handle('https://app.example.com/twilio/status', async (request) => {
    const form = new URLSearchParams(await request.text())
    received.push(form.get('MessageStatus'))
    return new Response(null, { status: 204 })
  })
  const status = () => twilioDouble.messages.get(message.sid).status
  expect(status()).toBe('queued')
  await jest.advanceTimersByTimeAsync(999)
  expect(status()).toBe('queued')
  await jest.advanceTimersByTimeAsync(1)
  expect(status()).toBe('sending')
  await jest.advanceTimersByTimeAsync(1000)
  expect(status()).toBe('sent')
  await jest.advanceTimersByTimeAsync(3000)
  expect(status()).toBe('delivered')
  await twilioDouble.settle()
  expect(received).toEqual(['sent', 'delivered'])
  expect(twilioDouble).toHaveReceivedStatusCallback({
    sid: message.sid,
    status: 'delivered',
    responseStatus: 204,
  })
})

test('a scenario fails delivery; the callback matcher reports it', async () => {
  twilioDouble.scenarios.use({ when: { to: TO }, then: { deliver: 'undelivered', errorCode: 30003 } })
  twilioDouble.callbacks.handle('https://app.example.com/', () => new Response(null, { status: 200 }))
  const message = await client.messages.create({
    from: DEFAULT_FROM,
    to: TO,
    body: 'x',
    statusCallback: 'https://app.example.com/status',
  })
  await twilioDouble.settle()
  expect(twilioDouble).toHaveSentMessage({ sid: message.sid, status: 'undelivered', errorCode: 30003 })
  expect(twilioDouble).toHaveReceivedStatusCallback({
    sid: message.sid,
    status: 'undelivered',
    errorCode: 30003,
  })
  expect(() =>
    expect(twilioDouble).toHaveReceivedStatusCallback({ sid: message.sid, status: 'delivered' }),
  ).toThrow(/Delivered instead for SM[0-9a-f]{32} \(2\)/)
})

test('other hosts are left to the user: handlers added with twilioServer.use()', async () => {
  twilioServer.use(http.get('https://example.com/profile', () => HttpResponse.json({ name: 'Ada' })))
  const response = await fetch('https://example.com/profile')
  expect(await response.json()).toEqual({ name: 'Ada' })
})

test('a Twilio host that no handler answers is refused, never reached', async () => {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => {})
  await expect(fetch('https://verify.twilio.com/v2/Services')).rejects.toThrow()
  expect(errors.mock.calls.flat().join('\n')).toMatch(
    /\[twilio-double\] refused GET https:\/\/verify\.twilio\.com/,
  )
  errors.mockRestore()
})

test('the factories load in CommonJS mode too (faker is ESM only; the preset transforms it)', () => {
  const { createFactories } = require('twilio-double/factories')
  const f = createFactories({ seed: 3 })
  const cb = f.statusCallback({ url: 'https://app.example.com/status', status: 'delivered' })
  expect(twilio.validateRequest(DEFAULT_AUTH_TOKEN, cb.signature, cb.url, cb.params)).toBe(true)
  expect(f.message({ channel: 'whatsapp' }).to).toMatch(/^whatsapp:\+1/)
})
