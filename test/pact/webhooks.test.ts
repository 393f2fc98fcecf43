/**
 * Webhook contracts, where Twilio is the consumer and the app the provider: the builders write a pact of the
 * requests Twilio sends (as the double sends them), and verifyWebhookHandlers() runs Pact's verifier against a
 * real app that validates X-Twilio-Signature with the `twilio` package's own webhook() middleware.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'
import {
  fallbackInteraction,
  inboundMessageInteraction,
  inboundParams,
  PactVerificationError,
  statusCallbackInteraction,
  statusCallbackParams,
  verifyWebhookHandlers,
} from '../../src/pact/index.js'
import { startApp, type TestApp } from '../inbound/app.js'

const dir = mkdtempSync(join(tmpdir(), 'twilio-double-webhook-pacts-'))
const pactFile = join(dir, 'Twilio-webhook-app.json')
const pact = new PactV4({ consumer: 'Twilio', provider: 'webhook-app', dir, logLevel: 'error' })
const USER = '+15558675310'
let app: TestApp

beforeAll(async () => {
  app = await startApp()
})
afterAll(async () => {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
})

type PactFile = {
  interactions: {
    description: string
    request: {
      path: string
      body: { content: string }
      headers: Record<string, string[]>
      matchingRules: {
        body: Record<string, { matchers: { match: string; regex?: string; value?: string }[] }>
      }
    }
    response: { status: number; matchingRules?: unknown }
  }[]
}
const written = () => JSON.parse(readFileSync(pactFile, 'utf8')) as PactFile
const interaction = (description: string) =>
  written().interactions.find((i) => i.description === description)!

describe('the builders write the requests Twilio sends (consumer side)', () => {
  it('status callbacks of each status, ErrorCode for failures, a WhatsApp read receipt with EventType', async () => {
    for (const status of ['sent', 'delivered'] as const) {
      const answer = await statusCallbackInteraction(pact, { status }).executeTest()
      expect(answer?.status).toBe(200)
    }
    await statusCallbackInteraction(pact, { status: 'undelivered', errorCode: 30003 }).executeTest()
    await statusCallbackInteraction(pact, {
      status: 'failed',
      errorCode: 30008,
      exact: ['MessageStatus', 'ErrorCode'],
    }).executeTest()
    await statusCallbackInteraction(pact, { status: 'read', messagingServiceSid: undefined }).executeTest()

    const undelivered = interaction('a status callback: undelivered (error 30003)')
    expect(new URLSearchParams(undelivered.request.body.content).get('ErrorCode')).toBe('30003')
    expect(undelivered.request.path).toBe('/twilio/status')
    // by format: any status, any digits
    expect(undelivered.request.matchingRules.body['$.MessageStatus']?.matchers[0]).toMatchObject({
      match: 'regex',
      regex: expect.stringContaining('undelivered|'),
    })
    expect(undelivered.request.matchingRules.body['$.ErrorCode']?.matchers[0]).toMatchObject({
      match: 'regex',
      regex: '^\\d+$',
    })
    // exact: by value
    const failed = interaction('a status callback: failed (error 30008)')
    expect(failed.request.matchingRules.body['$.MessageStatus']?.matchers).toEqual([{ match: 'equality' }])
    expect(failed.request.matchingRules.body['$.ErrorCode']?.matchers).toEqual([{ match: 'equality' }])
    const read = new URLSearchParams(interaction('a status callback: read on whatsapp').request.body.content)
    expect(Object.fromEntries(read)).toMatchObject({
      MessageStatus: 'read',
      EventType: 'READ',
      ChannelPrefix: 'whatsapp',
      ChannelInstallSid: expect.stringMatching(/^XE[0-9a-f]{32}$/),
      To: `whatsapp:${USER}`,
    })
    // signed, form-encoded, any 2xx answer
    expect(undelivered.request.headers).toMatchObject({
      'X-Twilio-Signature': [expect.any(String)],
      'Content-Type': [expect.stringMatching(/^application\/x-www-form-urlencoded/)],
    })
    expect(JSON.stringify(undelivered.response.matchingRules)).toContain('"statusCode"')
  })

  it('inbound SMS, MMS and WhatsApp webhooks, and a fallback request', async () => {
    await inboundMessageInteraction(pact, { body: 'STOP' }).executeTest()
    await inboundMessageInteraction(pact, { media: ['image/jpeg', 'image/png'] }).executeTest()
    await inboundMessageInteraction(pact, {
      channel: 'whatsapp',
      media: ['image/jpeg'],
      path: '/twilio/whatsapp',
    }).executeTest()
    await fallbackInteraction(pact, { errorCode: 11200, errorUrl: `${app.url}/twilio/sms` }).executeTest()

    const mms = Object.fromEntries(
      new URLSearchParams(interaction('an inbound MMS with 2 media').request.body.content),
    )
    expect(mms).toMatchObject({ NumMedia: '2', MediaContentType1: 'image/png', SmsStatus: 'received' })
    expect(mms.MediaUrl0).toMatch(
      /^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC\w+\/Messages\/MM\w+\/Media\/ME\w+$/,
    )
    const whatsapp = new URLSearchParams(
      interaction('an inbound WhatsApp message with 1 media').request.body.content,
    )
    expect(whatsapp.get('ProfileName')).toBe('Ada')
    expect(whatsapp.get('WaId')).toBe(USER.slice(1))
    const fallback = new URLSearchParams(
      interaction('a fallback request for an inbound SMS').request.body.content,
    )
    expect(fallback.get('ErrorCode')).toBe('11200')
    expect(fallback.get('ErrorUrl')).toBe(`${app.url}/twilio/sms`)
  })

  it('refuses what Twilio never sends: read on SMS, an ErrorCode on delivered, exact on a field not sent', () => {
    expect(() => statusCallbackInteraction(pact, { status: 'read', channel: 'sms' })).toThrow(
      /\[twilio-double\] .*'read' is a WhatsApp status/,
    )
    expect(() => statusCallbackInteraction(pact, { status: 'delivered', errorCode: 30003 })).toThrow(
      /ErrorCode comes only with failed or undelivered/,
    )
    expect(() => statusCallbackInteraction(pact, { status: 'sent', exact: ['ErrorCode'] })).toThrow(
      /exact: ErrorCode is not sent in this request/,
    )
  })
})

describe('the examples are what the double sends', () => {
  it('status callbacks and inbound webhooks carry the same fields', async () => {
    const double = createTwilioDouble({
      accounts: [
        {
          sid: DEFAULT_ACCOUNT_SID,
          authToken: DEFAULT_AUTH_TOKEN,
          phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: 'https://app.test/sms' }],
        },
      ],
    })
    const seen: Record<string, string>[] = []
    double.callbacks.handle('https://app.test/', async (request) => {
      seen.push(Object.fromEntries(new URLSearchParams(await request.text())))
      return new Response(null, { status: 204 })
    })
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, {
      httpClient: double.httpClient() as never,
    })
    await client.messages.create({
      to: USER,
      from: DEFAULT_FROM,
      body: 'Hi',
      statusCallback: 'https://app.test/status',
    })
    await double.settle()
    await double.inbound({ from: USER, to: DEFAULT_FROM, body: 'Hello' })
    const keys = (p: Record<string, string>) => Object.keys(p).sort()
    const delivered = seen.find((p) => p.MessageStatus === 'delivered')!
    expect(keys(delivered)).toEqual(keys(statusCallbackParams({ status: 'delivered' })))
    const inbound = seen.find((p) => p.SmsStatus === 'received')!
    expect(keys(inbound)).toEqual(keys(inboundParams({ body: 'Hello' })))
  })
})

describe('verifyWebhookHandlers (provider side, a real app validating signatures)', () => {
  it('signs every request for the URL it is sent to: the app accepts them all', async () => {
    app.received.length = 0
    const before = app.refused
    const output = JSON.parse(
      await verifyWebhookHandlers({
        provider: 'webhook-app',
        providerBaseUrl: app.url,
        pactUrls: [pactFile],
        authToken: DEFAULT_AUTH_TOKEN,
        logLevel: 'error',
      }),
    )
    expect(output.result).toBe(true)
    expect(output.interactionResults).toHaveLength(9)
    expect(app.refused).toBe(before)
    // the app got Twilio's form fields (re-encoded from the verifier's JSON), ErrorCode included
    expect(app.received).toHaveLength(9)
    expect(app.received.find((r) => r.params.MessageStatus === 'undelivered')?.params).toMatchObject({
      ErrorCode: '30003',
      RawDlrDoneDate: '2401010000',
      ApiVersion: '2010-04-01',
    })
    expect(app.received.find((r) => r.path === '/twilio/whatsapp')?.params.MediaContentType0).toBe(
      'image/jpeg',
    )
  })

  it('an app that refuses a request fails with a plain-text list of the mismatches', async () => {
    app.on('/twilio/sms-fallback', (_req, res) => {
      res.status(500).send('no fallback here')
    })
    let error: unknown
    try {
      await verifyWebhookHandlers({
        provider: 'webhook-app',
        providerBaseUrl: app.url,
        pactUrls: [pactFile],
        authToken: 'another-token',
        logLevel: 'error',
      })
    } catch (err) {
      error = err
    }
    app.on('/twilio/sms-fallback', (_req, res) => {
      res.status(204).end()
    })
    expect(error).toBeInstanceOf(PactVerificationError)
    const message = (error as Error).message
    expect(message).not.toContain('\u001b')
    const lines = message.split('\n')
    expect(lines[0]).toBe('[twilio-double] Pact verification of webhook-app failed: 9 of 9 interactions')
    // a wrong token: every signature is refused (403 from twilio.webhook())
    expect(lines).toContain('  a status callback: undelivered (error 30003)')
    expect(lines.filter((l) => /^ {4}status: /.test(l))).toHaveLength(9)
    expect(lines.find((l) => l.startsWith('    status: '))).toMatch(/403/)
  })

  it('publicBaseUrl: an app behind a proxy validates the public URL', async () => {
    const behindProxy = await startApp()
    try {
      // the app validates what its Host header says: the public host, as a proxy keeping Host would pass on
      const output = await verifyWebhookHandlers({
        provider: 'webhook-app',
        providerBaseUrl: behindProxy.url,
        publicBaseUrl: `http://app.example.com`,
        pactUrls: [pactFile],
        authToken: DEFAULT_AUTH_TOKEN,
        logLevel: 'error',
      })
      expect(JSON.parse(output).result).toBe(true)
      expect(behindProxy.received).toHaveLength(9)
    } finally {
      await behindProxy.close()
    }
  })
})
