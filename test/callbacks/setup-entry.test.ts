/**
 * Nothing leaves the machine unasked, seen through the vitest setup entry and the real twilio client:
 * a status callback to another host is made when the entry's msw server has a handler for it, and
 * recorded as not sent otherwise.
 */
import { HttpResponse, http } from 'msw'
import twilio from 'twilio'
import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { twilioDouble, twilioServer } from '../../src/testing/vitest.js'

const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
const TO = '+15550001111'

describe('status callbacks under the setup entry', () => {
  it('are recorded as not sent, with one warning, when nothing receives them', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const fetch = vi.spyOn(globalThis, 'fetch')
    try {
      await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        body: 'Hi',
        statusCallback: 'https://nobody.test/status',
      })
      await twilioDouble.settle()
      const deliveries = twilioDouble.callbacks.list()
      expect(deliveries.map((d) => [d.status, d.notSent])).toEqual([
        ['sent', true],
        ['delivered', true],
      ])
      expect(deliveries[0]!.error).toMatch(
        /^not sent: no receiver registered for it, and https:\/\/nobody\.test is not on this machine/,
      )
      expect(fetch).not.toHaveBeenCalled()
      expect(warn.mock.calls.filter((c) => String(c[0]).includes('nobody.test'))).toHaveLength(1)
    } finally {
      warn.mockRestore()
      fetch.mockRestore()
    }
  })

  it("are sent to a host the entry's msw server has a handler for, after a reset too", async () => {
    const statuses: string[] = []
    twilioServer.use(
      http.post('https://app.test/status', async ({ request }) => {
        statuses.push(new URLSearchParams(await request.text()).get('MessageStatus')!)
        return new HttpResponse(null, { status: 204 })
      }),
    )
    await client.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      body: 'Hi',
      statusCallback: 'https://app.test/status',
    })
    await twilioDouble.settle()
    expect(statuses).toEqual(['sent', 'delivered'])
    expect(twilioDouble.callbacks.list().map((d) => [d.status, d.responseStatus])).toEqual([
      ['sent', 204],
      ['delivered', 204],
    ])
  })
})
