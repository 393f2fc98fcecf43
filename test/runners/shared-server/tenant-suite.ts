/**
 * The tests each file of the shared-server suite runs (run by ../shared-server.test.ts): its worker's tenant,
 * reached by the app's own twilio client through the setup entry's msw server, read by the matchers, reset after
 * each test. Each *.tenant.ts file runs them with a number and bodies of its own.
 */
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../../../src/config.js'
import { twilioDouble, twilioTenant } from '../../../src/testing/vitest.js'

export interface TenantSuite {
  /** Names the file in the suite's title. */
  name: string
  /** The number this file sends to. */
  to: string
  /** The body this file sends. */
  mine: string
  /** The body the other file sends, which this file's tenant must never hold. */
  theirs: string
}

/** Declares the tests of one file of the shared-server suite. */
export function tenantSuite({ name, to, mine, theirs }: TenantSuite): void {
  describe(`a tenant of the shared server (${name})`, () => {
    it("sends through the app's own client as the tenant, read back by the matchers", async () => {
      expect(twilioTenant.accountSid).toMatch(/^AC[0-9a-f]{32}$/)
      expect(twilioTenant.accountSid).not.toBe(DEFAULT_ACCOUNT_SID)
      expect(process.env.TWILIO_ACCOUNT_SID).toBe(twilioTenant.accountSid)
      // the app builds its client from the environment and calls api.twilio.com: the entry sends it to the server
      const app = twilio()
      const sent = await app.messages.create({ to, from: DEFAULT_FROM, body: mine })
      expect(sent.accountSid).toBe(twilioTenant.accountSid)
      await expect(twilioTenant).toHaveSentMessage({ to, body: mine, status: 'queued' })
      await twilioTenant.settle()
      await expect(twilioTenant).toHaveSentMessage({ sid: sent.sid, status: 'delivered' })
      await expect(twilioTenant).not.toHaveSentMessage({ body: theirs })
      await expect(twilioTenant).toHaveSentMessages(1)
    })

    it('starts each test from a reset tenant, with scenarios of its own', async () => {
      await expect(twilioTenant).toHaveSentMessages(0)
      await twilioTenant.scenarios.add({ when: { to }, then: { reject: 21610 } })
      await expect(
        twilioTenant.client.messages.create({ to, from: DEFAULT_FROM, body: mine }),
      ).rejects.toMatchObject({
        code: 21610,
      })
      expect((await twilioTenant.messages()).map((m) => m.account_sid)).toEqual([])
    })

    it('says to use twilioTenant when the double itself is read', () => {
      expect(() => twilioDouble.messages).toThrow(/TWILIO_DOUBLE_URL is set .* use twilioTenant/)
    })
  })
}
