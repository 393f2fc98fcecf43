/**
 * A pact that expects something the double (like Twilio) never does must fail verification: an unknown
 * response field, a wrong status code. The consumer side passes (the mock answers what the pact says); only the
 * provider verification catches it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MatchersV3, PactV4 } from '@pact-foundation/pact'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../../src/config.js'
import {
  checkPact,
  EXAMPLE_MESSAGE_SID,
  formatPactCheck,
  messageMatcher,
  messagesPath,
  PactVerificationError,
  twilioClientFor,
  twilioInteraction,
  twilioParams,
  verifyTwilioDouble,
} from '../../src/pact/index.js'

const dir = mkdtempSync(join(tmpdir(), 'twilio-double-wrong-pacts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const form = twilioParams({ To: '+15558675310', From: DEFAULT_FROM, Body: 'Hi' })
/** The message a create answers with: its `subresource_uris` name the Media subresource alone. */
const created = () =>
  messageMatcher({
    body: 'Hi',
    subresource_uris: {
      media: `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/${EXAMPLE_MESSAGE_SID}/Media.json`,
    },
  })

async function writePact(consumer: string, status: number, body: Record<string, unknown>): Promise<string> {
  const pact = new PactV4({ consumer, provider: 'Twilio', dir, logLevel: 'error' })
  await twilioInteraction(pact, {
    description: 'a request to send an SMS',
    states: [{ name: 'an account exists' }],
    method: 'POST',
    path: messagesPath(),
    form,
    status,
    body,
  }).executeTest(async (mockServer) => {
    const client = await twilioClientFor(mockServer.url)
    const msg = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })
    expect(msg.sid).toMatch(/^SM/)
  })
  return join(dir, `${consumer}-Twilio.json`)
}

async function verificationError(pactFile: string): Promise<Error | undefined> {
  try {
    await verifyTwilioDouble({ pactUrls: [pactFile], logLevel: 'error' })
    return undefined
  } catch (err) {
    return err as Error
  }
}

/** Plain text: no escape character (ANSI colours) and no line that holds a JSON object. */
function expectPlainText(message: string): void {
  expect(message).not.toContain('\u001b')
  for (const line of message.split('\n')) expect(line).not.toMatch(/^\s*[[{]"/)
  expect(message).not.toContain('"interactionResults"')
}

describe('deliberately wrong interactions fail provider verification', () => {
  it('the same interaction done right verifies (control)', async () => {
    const file = await writePact('right-consumer', 201, created())
    expect(await verificationError(file)).toBeUndefined()
    expect(checkPact(file).findings).toEqual([])
  })

  it('an unknown response field (tags)', async () => {
    const file = await writePact('unknown-field-consumer', 201, {
      ...created(),
      tags: MatchersV3.like({ campaign: 'spring' }),
    })
    const error = await verificationError(file)
    expect(error).toBeInstanceOf(PactVerificationError)
    expectPlainText(error!.message)
    expect(error!.message.split('\n')).toEqual([
      '[twilio-double] Pact verification of Twilio failed: 1 of 1 interaction',
      '  a request to send an SMS (given an account exists)',
      '    body $: Actual map is missing the following keys: tags',
    ])
    expect((error as PactVerificationError).mismatches).toEqual([
      expect.objectContaining({ interaction: 'a request to send an SMS', kind: 'body', path: '$' }),
    ])
    expect(formatPactCheck(checkPact(file))[0]).toBe(
      `${file}: a request to send an SMS (given an account exists): response $.tags: unknown field (not declared in the schema)`,
    )
  })

  it('a wrong status code (200 for a create)', async () => {
    const file = await writePact('wrong-status-consumer', 200, created())
    const error = await verificationError(file)
    expect(error).toBeInstanceOf(PactVerificationError)
    expectPlainText(error!.message)
    expect(error!.message).toContain('\n    status: expected 200 but was 201')
    expect(checkPact(file).findings.map((f) => f.problem)).toEqual([
      expect.stringContaining('status 200 is not declared for CreateMessage'),
    ])
  })

  it('a field of the wrong type (num_segments as a number)', async () => {
    const file = await writePact('wrong-type-consumer', 201, {
      ...created(),
      num_segments: MatchersV3.integer(1),
    })
    const error = await verificationError(file)
    expect(error).toBeInstanceOf(PactVerificationError)
    expectPlainText(error!.message)
    expect(error!.message).toContain(
      `\n    body $.num_segments: Expected '1' (String) to be an integer (expected 1, actual "1")`,
    )
  })

  it("Pact's telemetry is off during the run unless the user set PACT_DO_NOT_TRACK", async () => {
    const file = await writePact('telemetry-consumer', 201, created())
    const saved = process.env.PACT_DO_NOT_TRACK
    const seen: (string | undefined)[] = []
    const beforeEach = async () => {
      seen.push(process.env.PACT_DO_NOT_TRACK)
    }
    try {
      delete process.env.PACT_DO_NOT_TRACK
      await verifyTwilioDouble({ pactUrls: [file], logLevel: 'error', beforeEach })
      expect(process.env.PACT_DO_NOT_TRACK).toBeUndefined()
      process.env.PACT_DO_NOT_TRACK = 'false'
      await verifyTwilioDouble({ pactUrls: [file], logLevel: 'error', beforeEach })
      expect(process.env.PACT_DO_NOT_TRACK).toBe('false')
    } finally {
      if (saved === undefined) delete process.env.PACT_DO_NOT_TRACK
      else process.env.PACT_DO_NOT_TRACK = saved
    }
    expect(seen).toEqual(['true', 'false'])
  })
})
