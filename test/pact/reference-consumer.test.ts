/**
 * The reference consumer's contract: the notifier of contracts/consumer/ talks to a Pact mock server through the
 * real `twilio` client, and the pact it writes is kept in contracts/pacts/ (verified against the double by
 * test/pact/provider.test.ts). A stale file fails the test; UPDATE_PACTS=1 writes the new one to commit.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PactV4 } from '@pact-foundation/pact'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createNotifier } from '../../contracts/consumer/notifier.js'
import { DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import {
  cancelMessageInteraction,
  createMessageInteraction,
  createMmsInteraction,
  createScheduledMessageInteraction,
  createServiceMessageInteraction,
  deleteMessageInteraction,
  errorInteraction,
  fetchMessageInteraction,
  listMessagesInteraction,
  redactMessageInteraction,
  twilioClientFor,
} from '../../src/pact/index.js'

const PACT_NAME = 'notifications-app-Twilio.json'
const COMMITTED = fileURLToPath(new URL(`../../contracts/pacts/${PACT_NAME}`, import.meta.url))
const ACCOUNT = 'ACa1b2c3d4e5f60718293a4b5c6d7e8f90'
const TOKEN = 'notifications-app-token'
const SID = 'SM5f1c2e3d4b5a69788796a5b4c3d2e1f0'
const dir = mkdtempSync(join(tmpdir(), 'twilio-double-reference-consumer-'))
const pact = new PactV4({ consumer: 'notifications-app', provider: 'Twilio', dir, logLevel: 'error' })
const account = { accountSid: ACCOUNT, authToken: TOKEN }

async function notifier(url: string) {
  const client = await twilioClientFor(url, account)
  return createNotifier(client, { from: DEFAULT_FROM, messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID })
}

let failed = false
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failed = true
})

afterAll(() => {
  const written = join(dir, PACT_NAME)
  try {
    // a failed interaction is missing from the file: keep the committed pact as it is
    if (failed || !existsSync(written)) return
    const fresh = readFileSync(written, 'utf8')
    const committed = existsSync(COMMITTED) ? readFileSync(COMMITTED, 'utf8') : undefined
    if (fresh === committed) return
    // the test writes nothing into the repository unless asked to
    if (!process.env.UPDATE_PACTS)
      throw new Error(
        `contracts/pacts/${PACT_NAME} is out of date with the reference consumer's test: run UPDATE_PACTS=1 npx vitest run test/pact/reference-consumer.test.ts and commit the file`,
      )
    // replace atomically: the provider test may be reading the file at the same time
    const temp = `${COMMITTED}.${process.pid}.tmp`
    writeFileSync(temp, fresh)
    renameSync(temp, COMMITTED)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

describe('the reference consumer (contracts/consumer/notifier.ts) against a Pact mock of Twilio', () => {
  it('sends a text', async () => {
    await createMessageInteraction(pact, { ...account, body: 'Your order shipped' }).executeTest(
      async (ms) => {
        const sent = await (await notifier(ms.url)).sendText('+15558675310', 'Your order has shipped!')
        expect(sent.sid).toMatch(/^SM/)
        expect(sent.status).toBe('queued')
      },
    )
  })

  it('sends a picture with two images', async () => {
    await createMmsInteraction(pact, {
      ...account,
      body: 'Your receipt',
      mediaUrls: ['https://example.com/receipt-1.png', 'https://example.com/receipt-2.png'],
    }).executeTest(async (ms) => {
      const sent = await (await notifier(ms.url)).sendPicture('+15558675310', 'Receipt', [
        'https://cdn.example.com/r1.png',
        'https://cdn.example.com/r2.png',
      ])
      expect(sent.sid).toMatch(/^MM/)
      expect(sent.media).toBe(2)
    })
  })

  it('sends from the messaging service pool', async () => {
    await createServiceMessageInteraction(pact, { ...account, body: 'Welcome' }).executeTest(async (ms) => {
      const sent = await (await notifier(ms.url)).sendFromPool('+15558675310', 'Welcome aboard')
      expect(sent.status).toBe('accepted')
    })
  })

  it('schedules a reminder', async () => {
    await createScheduledMessageInteraction(pact, {
      ...account,
      body: 'Reminder: dentist tomorrow',
    }).executeTest(async (ms) => {
      const sent = await (await notifier(ms.url)).scheduleReminder(
        '+15558675310',
        'Reminder: dentist tomorrow',
        new Date('2030-01-01T09:00:00Z'),
      )
      expect(sent.status).toBe('scheduled')
    })
  })

  it('checks the delivery status of a message', async () => {
    await fetchMessageInteraction(pact, { ...account, sid: SID, status: 'delivered' }).executeTest(
      async (ms) => {
        expect(await (await notifier(ms.url)).deliveryStatus(SID)).toBe('delivered')
      },
    )
  })

  it('reads the conversation with a number', async () => {
    await listMessagesInteraction(pact, { ...account, sid: SID, toFilter: '+15558675310' }).executeTest(
      async (ms) => {
        const conversation = await (await notifier(ms.url)).conversation('+15558675310')
        expect(conversation[0]).toMatchObject({ sid: SID, status: 'delivered' })
      },
    )
  })

  it('forgets the text of a message (redaction)', async () => {
    await redactMessageInteraction(pact, { ...account, sid: SID }).executeTest(async (ms) => {
      await expect((await notifier(ms.url)).forget(SID)).resolves.toBeUndefined()
    })
  })

  it('cancels a scheduled reminder', async () => {
    await cancelMessageInteraction(pact, { ...account, sid: SID }).executeTest(async (ms) => {
      expect(await (await notifier(ms.url)).cancelReminder(SID)).toBe(true)
    })
  })

  it('learns that a reminder already went out (30409)', async () => {
    await errorInteraction(pact, { ...account, code: 30409, sid: SID }).executeTest(async (ms) => {
      expect(await (await notifier(ms.url)).cancelReminder(SID)).toBe(false)
    })
  })

  it('removes a message', async () => {
    await deleteMessageInteraction(pact, { ...account, sid: SID }).executeTest(async (ms) => {
      expect(await (await notifier(ms.url)).remove(SID)).toBe(true)
    })
  })

  it('reports an invalid number (21211)', async () => {
    await errorInteraction(pact, { ...account, code: 21211 }).executeTest(async (ms) => {
      expect(await (await notifier(ms.url)).tryText('+15005550001', 'Hi')).toBe('invalid-number')
    })
  })

  it('reports an opted-out recipient (21610)', async () => {
    await errorInteraction(pact, { ...account, code: 21610 }).executeTest(async (ms) => {
      expect(await (await notifier(ms.url)).tryText('+15558675310', 'Hi')).toBe('opted-out')
    })
  })

  it('fails loudly on wrong credentials (20003)', async () => {
    await errorInteraction(pact, { ...account, code: 20003 }).executeTest(async (ms) => {
      await expect((await notifier(ms.url)).sendText('+15558675310', 'Hi')).rejects.toMatchObject({
        status: 401,
        code: 20003,
      })
    })
  })
})
