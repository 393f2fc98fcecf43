import twilio from 'twilio'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../src/config.js'
import { createTwilioDouble, type TwilioDouble } from '../../src/double.js'
import {
  type TwilioDoubleMatchers,
  toHaveReceivedStatusCallback,
  toHaveSentMessage,
  toHaveSentMessages,
  twilioMatchers,
} from '../../src/testing/matchers.js'

declare module 'vitest' {
  interface Assertion<T = any> extends TwilioDoubleMatchers<void> {}
}

expect.extend(twilioMatchers)

const TO = '+15550001111'
const HOOK = 'https://app.example.com/twilio/status'

/** Calls a matcher as a runner would, returning its verdict and message. */
function run<A extends unknown[]>(
  matcher: (this: { isNot?: boolean }, received: unknown, ...args: A) => { pass: boolean; message(): string },
  received: unknown,
  ...args: A
): { pass: boolean; message: string } {
  const result = matcher.call({ isNot: false }, received, ...args)
  return { pass: result.pass, message: result.message() }
}

describe('custom matchers', () => {
  let double: TwilioDouble
  let client: twilio.Twilio

  beforeEach(() => {
    double = createTwilioDouble()
    client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, { httpClient: double.httpClient() as never })
    double.callbacks.handle(HOOK, () => new Response(null, { status: 204 }))
  })

  describe('toHaveSentMessage', () => {
    it('matches to, from, body (string or RegExp), status, sid and account', async () => {
      const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Your code is 481516' })
      expect(double).toHaveSentMessage()
      expect(double).toHaveSentMessage({ to: TO, from: DEFAULT_FROM, body: 'Your code is 481516' })
      expect(double).toHaveSentMessage({ to: /^\+1555/, body: /code is \d{6}$/ })
      expect(double).toHaveSentMessage({ status: 'queued', sid: m.sid, accountSid: DEFAULT_ACCOUNT_SID })
      expect(double).toHaveSentMessage({ status: ['sent', 'queued'], errorCode: null })
      expect(double).not.toHaveSentMessage({ body: /code is \d{7}/ })
      expect(double).not.toHaveSentMessage({ status: 'delivered' })
      await double.settle()
      expect(double).toHaveSentMessage({ status: 'delivered' })
    })

    it('matches media URLs and counts, and the messaging service', async () => {
      await client.messages.create({
        messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
        to: TO,
        mediaUrl: ['https://cdn.example.com/cat.png', 'https://cdn.example.com/dog.jpg'],
      })
      expect(double).toHaveSentMessage({ mediaUrl: 'https://cdn.example.com/dog.jpg', numMedia: 2 })
      expect(double).toHaveSentMessage({
        mediaUrl: /cat\.png$/,
        messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
      })
      expect(double).not.toHaveSentMessage({ mediaUrl: /bird/ })
      expect(double).not.toHaveSentMessage({ numMedia: 1 })
    })

    it('ignores inbound messages: only what the app sent counts', async () => {
      expect(double).not.toHaveSentMessage()
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'out' })
      expect(double.messages.list().every((m) => m.direction !== 'inbound')).toBe(true)
      expect(double).toHaveSentMessages(1)
    })

    it('fails with a list of what was sent instead, and which fields differ', async () => {
      await client.messages.create({ from: DEFAULT_FROM, to: '+15550002222', body: 'Your code is 123' })
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Welcome!' })
      const result = run(toHaveSentMessage, double, { to: TO, body: /code is \d{6}/ })
      expect(result.pass).toBe(false)
      expect(result.message).toContain(
        'Expected a sent message matching { to: "+15550001111", body: /code is \\d{6}/ }',
      )
      expect(result.message).toContain('Sent instead (2):')
      expect(result.message).toMatch(
        /1\. SM[0-9a-f]{32} to \+15550002222 from \+15005550006, status queued, body "Your code is 123" {2}← differs in to, body/,
      )
      expect(result.message).toMatch(
        /2\. SM[0-9a-f]{32} to \+15550001111 .*body "Welcome!" {2}← differs in body/,
      )
      expect(result.message).toContain('still pending')
    })

    it('says when nothing was sent at all, pointing at how the client reaches the double', () => {
      const result = run(toHaveSentMessage, double, { to: TO })
      expect(result.message).toContain('Sent instead (0):\n  (none)')
      expect(result.message).toContain('has not received any Create Message call')
      expect(result.message).not.toContain('pending')
    })

    it('explains a negated failure with the messages that matched', async () => {
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'hello' })
      const result = run(toHaveSentMessage, double, { to: TO })
      expect(result.pass).toBe(true)
      expect(result.message).toMatch(
        /Expected no sent message matching \{ to: "\+15550001111" \}, but 1 did:\n {2}1\. SM/,
      )
      expect(() => expect(double).not.toHaveSentMessage({ to: TO })).toThrow(/Expected no sent message/)
    })

    it('lists the newest ten when many were sent', async () => {
      for (let i = 0; i < 12; i++) await client.messages.create({ from: DEFAULT_FROM, to: TO, body: `n${i}` })
      const { message } = run(toHaveSentMessage, double, { body: 'nope' })
      expect(message).toContain('… 2 earlier not shown')
      expect(message).toContain('12. SM')
      expect(message).not.toContain('body "n1"')
      expect(message).toContain('body "n11"')
    })

    it('rejects unknown fields and a received value that is not a double', () => {
      expect(() => run(toHaveSentMessage, double, { too: TO } as never)).toThrow(
        /\[twilio-double\] toHaveSentMessage\(expected\): unknown field too; use to, from, body/,
      )
      expect(() => run(toHaveSentMessage, { messages: [] }, {})).toThrow(
        /\[twilio-double\] expect\(received\)\.toHaveSentMessage\(\): received must be a twilio double/,
      )
      expect(() => expect(42).toHaveSentMessage()).toThrow(/got 42/)
    })

    it('refuses a value that could never match, which would make .not pass whatever was sent', async () => {
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hi' })
      await double.settle()
      expect(() => expect(double).not.toHaveSentMessage({ status: 'Delivered' as never })).toThrow(
        /\[twilio-double\] toHaveSentMessage\(expected\): status must be a message status in lower case, or a list of them \(queued, .*\), got "Delivered"/,
      )
      expect(() => run(toHaveSentMessage, double, { status: ['delivered', 'Sent'] as never })).toThrow(
        /status must be a message status/,
      )
      expect(() => run(toHaveSentMessage, double, { status: [] })).toThrow(/status must be a message status/)
      expect(() => expect(double).not.toHaveSentMessages(1, { numMedia: '0' as never })).toThrow(
        /toHaveSentMessages\(expected\): numMedia must be an integer, got "0"/,
      )
      expect(() => run(toHaveSentMessage, double, { errorCode: '30003' as never })).toThrow(
        /errorCode must be an integer error code, or null for none, got "30003"/,
      )
      expect(() => run(toHaveSentMessage, double, { to: 15550001111 as never })).toThrow(
        /to must be a string or a RegExp, got 15550001111/,
      )
      expect(() => run(toHaveSentMessage, double, { sid: /SM/ as never })).toThrow(
        /sid must be a string, got \/SM\//,
      )
      expect(double).toHaveSentMessage({ status: ['sent', 'delivered'], errorCode: null, numMedia: 0 })
    })

    it('refuses a field given as undefined instead of matching every message with it', async () => {
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Hi' })
      const user: { phone?: string } = {}
      expect(() => run(toHaveSentMessage, double, { to: user.phone })).toThrow(
        /\[twilio-double\] toHaveSentMessage\(expected\): to is undefined, so it would match any message; leave it out or give a value/,
      )
      expect(() => run(toHaveSentMessages, double, 1, { body: 'Hi', to: user.phone })).toThrow(
        /toHaveSentMessages\(expected\): to is undefined/,
      )
      expect(() => expect(double).not.toHaveSentMessage({ to: user.phone })).toThrow(/to is undefined/)
    })
  })

  describe('toHaveSentMessages', () => {
    it('counts all sent messages or those matching a filter', async () => {
      expect(double).toHaveSentMessages(0)
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'a' })
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'b' })
      await client.messages.create({ from: DEFAULT_FROM, to: '+15550002222', body: 'c' })
      expect(double).toHaveSentMessages(3)
      expect(double).toHaveSentMessages(2, { to: TO })
      expect(double).not.toHaveSentMessages(2)
    })

    it('fails with the count, the matching messages and all sent ones', async () => {
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'a' })
      await client.messages.create({ from: DEFAULT_FROM, to: '+15550002222', body: 'b' })
      const result = run(toHaveSentMessages, double, 2, { to: TO })
      expect(result.pass).toBe(false)
      expect(result.message).toContain('Expected 2 sent messages matching { to: "+15550001111" }, got 1:')
      expect(result.message).toContain('All sent messages (2):')
      expect(result.message).toMatch(/to \+15550002222 .*← differs in to/)
    })

    it('rejects a count that is not a whole number', () => {
      expect(() => run(toHaveSentMessages, double, -1)).toThrow(/count must be an integer >= 0, got -1/)
      expect(() => run(toHaveSentMessages, double, 1.5)).toThrow(/got 1\.5/)
      // a count given as text is shown as text, not as the number it looks like
      expect(() => run(toHaveSentMessages, double, '2' as never)).toThrow(
        /count must be an integer >= 0, got "2"$/,
      )
    })
  })

  describe('toHaveReceivedStatusCallback', () => {
    it('matches delivered callbacks by sid, status, url, error code and answer', async () => {
      double.scenarios.use({
        when: { to: '+15550003333' },
        then: { deliver: 'undelivered', errorCode: 30005 },
      })
      const ok = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x', statusCallback: HOOK })
      const bad = await client.messages.create({
        from: DEFAULT_FROM,
        to: '+15550003333',
        body: 'y',
        statusCallback: HOOK,
      })
      expect(double).not.toHaveReceivedStatusCallback({ sid: ok.sid, status: 'delivered' })
      await double.settle()
      expect(double).toHaveReceivedStatusCallback({ sid: ok.sid, status: 'sent' })
      expect(double).toHaveReceivedStatusCallback({ sid: ok.sid, status: 'delivered', url: HOOK })
      expect(double).toHaveReceivedStatusCallback({
        sid: ok.sid,
        url: /\/twilio\/status$/,
        responseStatus: 204,
      })
      expect(double).toHaveReceivedStatusCallback({ sid: bad.sid, status: 'undelivered', errorCode: 30005 })
      expect(double).not.toHaveReceivedStatusCallback({ sid: bad.sid, status: 'delivered' })
      expect(double).not.toHaveReceivedStatusCallback({ sid: ok.sid, responseStatus: 200 })
      // errorCode: null, a callback without an ErrorCode (the one before the failure had none either)
      expect(double).toHaveReceivedStatusCallback({ sid: ok.sid, status: 'delivered', errorCode: null })
      expect(double).not.toHaveReceivedStatusCallback({
        sid: bad.sid,
        status: 'undelivered',
        errorCode: null,
      })
      expect(double).toHaveReceivedStatusCallback({ sid: bad.sid, status: 'sent', errorCode: null })
      expect(() => run(toHaveReceivedStatusCallback, double, { errorCode: '30005' as never })).toThrow(
        /errorCode must be an integer error code, or null for none, got "30005"/,
      )
    })

    it('refuses a status or number that could never match, which would make .not pass', async () => {
      const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x', statusCallback: HOOK })
      await double.settle()
      expect(() =>
        expect(double).not.toHaveReceivedStatusCallback({ sid: m.sid, status: 'Delivered' as never }),
      ).toThrow(
        /\[twilio-double\] toHaveReceivedStatusCallback\(expected\): status must be a message status in lower case \(queued, .*\), got "Delivered"/,
      )
      expect(() =>
        run(toHaveReceivedStatusCallback, double, { sid: m.sid, responseStatus: '204' as never }),
      ).toThrow(/responseStatus must be an integer, got "204"/)
      expect(double).toHaveReceivedStatusCallback({ sid: m.sid, status: 'delivered', responseStatus: 204 })
    })

    it('.not names how many callbacks were received, in the right number', async () => {
      const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x', statusCallback: HOOK })
      await double.settle()
      const two = toHaveReceivedStatusCallback.call({ isNot: true }, double, { sid: m.sid })
      expect(two.pass).toBe(true)
      expect(two.message()).toContain(
        `Expected no status callback matching { sid: "${m.sid}" }, but 2 were received:`,
      )
      const one = toHaveReceivedStatusCallback.call({ isNot: true }, double, { sid: m.sid, status: 'sent' })
      expect(one.message()).toContain('but 1 was received:')
    })

    it('does not count a delivery the receiver never answered', async () => {
      const m = await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        body: 'x',
        statusCallback: 'https://elsewhere.example.com/hook',
      })
      double.callbacks.handle('https://elsewhere.example.com/', () => {
        throw new Error('receiver crashed')
      })
      await double.settle()
      expect(double.callbacks.list({ messageSid: m.sid }).length).toBeGreaterThan(0)
      const result = run(toHaveReceivedStatusCallback, double, { sid: m.sid, status: 'delivered' })
      expect(result.pass).toBe(false)
      expect(result.message).toMatch(
        /delivered → POST https:\/\/elsewhere\.example\.com\/hook, failed: .*receiver crashed.*← differs in not received/,
      )
    })

    it('fails with the deliveries made instead, and a hint when transitions are pending', async () => {
      const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x', statusCallback: HOOK })
      await double.advance('2s')
      const result = run(toHaveReceivedStatusCallback, double, { sid: m.sid, status: 'delivered' })
      expect(result.pass).toBe(false)
      expect(result.message).toContain(`Delivered instead for ${m.sid} (1):`)
      expect(result.message).toMatch(
        /1\. SM[0-9a-f]{32} sent → POST https:\/\/app\.example\.com\/twilio\/status, answered 204 {2}← differs in status/,
      )
      expect(result.message).toContain('still pending: await double.settle()')
      // the likeliest cause comes first, right under what was expected, before the list
      const lines = result.message.split('\n')
      const expectedLine = lines.findIndex((l) => l.startsWith('Expected a received status callback'))
      expect(lines[expectedLine + 1]).toBe(
        '1 status transition is still pending: await double.settle() (or double.advance()) before asserting.',
      )
      expect(result.message.indexOf('still pending')).toBeLessThan(
        result.message.indexOf('Delivered instead'),
      )
    })

    it('types status as one of Twilio message statuses', () => {
      type Match = Parameters<TwilioDoubleMatchers['toHaveReceivedStatusCallback']>[0]
      const match: Match = { status: 'delivered' }
      // @ts-expect-error a status Twilio never sends
      const misspelt: Match = { status: 'delivred' }
      expect([match.status, misspelt.status]).toEqual(['delivered', 'delivred'])
    })

    it('says when no message asked for status callbacks', async () => {
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'no callback URL' })
      await double.settle()
      const result = run(toHaveReceivedStatusCallback, double, { status: 'delivered' })
      expect(result.pass).toBe(false)
      expect(result.message).toContain(
        'No status callback was delivered at all: they go only to messages created with a statusCallback URL',
      )
      // once one was delivered, the hint no longer applies
      await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x', statusCallback: HOOK })
      await double.settle()
      expect(run(toHaveReceivedStatusCallback, double, { status: 'failed' }).message).not.toContain(
        'No status callback was delivered at all',
      )
    })

    it('says no receiver was registered, blaming no reset(), when none ever was for the URL', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      try {
        // the receiver of the suite's HOOK is removed by a reset: it has nothing to do with this URL
        double.reset()
        const url = 'https://nobody.example.com/status'
        const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'x', statusCallback: url })
        await double.settle()
        const result = run(toHaveReceivedStatusCallback, double, { sid: m.sid, status: 'delivered' })
        expect(result.pass).toBe(false)
        expect(result.message).toContain(
          `None of these 2 was answered (${url}): not sent: no receiver registered for it, and https://nobody.example.com is not on this machine`,
        )
        expect(result.message).not.toContain('reset()')
      } finally {
        warn.mockRestore()
      }
    })

    it('says reset() removed the receiver when one registered before it would have taken the callback', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      try {
        double.reset() // removes the receiver of HOOK registered in beforeEach
        const m = await client.messages.create({
          from: DEFAULT_FROM,
          to: TO,
          body: 'x',
          statusCallback: HOOK,
        })
        await double.settle()
        const result = run(toHaveReceivedStatusCallback, double, { sid: m.sid, status: 'delivered' })
        expect(result.message).toContain(
          `(no callbacks.handle() receiver matched: reset() removed the one registered for ${HOOK}; register receivers in beforeEach)`,
        )
      } finally {
        warn.mockRestore()
      }
    })

    it('says when the SID is unknown to the double', () => {
      const sid = `SM${'0'.repeat(32)}`
      const result = run(toHaveReceivedStatusCallback, double, { sid, status: 'delivered' })
      expect(result.message).toContain(`The double has no message ${sid}.`)
    })

    it('requires an expectation object with known fields', () => {
      expect(() => run(toHaveReceivedStatusCallback, double, undefined as never)).toThrow(
        /pass what to look for/,
      )
      expect(() => run(toHaveReceivedStatusCallback, double, { messageSid: 'SM1' } as never)).toThrow(
        /unknown field messageSid; use sid, status, url, errorCode, responseStatus/,
      )
      expect(() =>
        run(toHaveReceivedStatusCallback, double, { sid: undefined, status: 'delivered' }),
      ).toThrow(/toHaveReceivedStatusCallback\(expected\): sid is undefined, so it would match any callback/)
    })
  })
})
