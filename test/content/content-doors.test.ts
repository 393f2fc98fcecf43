/**
 * The Content API through the doors other than msw and httpClient: nock, `double.fetch`, and the standalone server
 * (`twilio-double serve --config` with declared templates, reached by the real `twilio` client).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nockTwilio } from '../../src/adapters/nock.js'
import { type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import { type CliIo, runCli } from '../../src/cli-main.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'

const TO = '+15550001111'
const AUTH = `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString('base64')}`
const TEMPLATE = `HX${'d'.repeat(32)}`

describe('the nock door', () => {
  beforeAll(() => nock.disableNetConnect())
  afterAll(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('answers content.twilio.com: a template created with the client is sent', async () => {
    const double = createTwilioDouble()
    const door = nockTwilio(nock, double)
    try {
      const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
      const template = await client.content.v1.contents.create({
        language: 'en',
        types: { 'twilio/text': { body: 'Your table for {{1}} is ready' } },
      } as never)
      expect((await client.content.v1.contents(template.sid).fetch()).sid).toBe(template.sid)
      const m = await client.messages.create({
        from: DEFAULT_FROM,
        to: TO,
        contentSid: template.sid,
        contentVariables: '{"1":"two"}',
      })
      expect(m.body).toBe('Your table for two is ready')
    } finally {
      door.remove()
    }
  })
})

describe('double.fetch', () => {
  it('takes the Content API’s JSON body', async () => {
    const double = createTwilioDouble()
    const created = await double.fetch('https://content.twilio.com/v1/Content', {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ friendly_name: 'hi', language: 'en', types: { 'twilio/text': { body: 'Hi' } } }),
    })
    expect(created.status).toBe(201)
    const { sid } = await created.json()
    const listed = await double.fetch('https://content.twilio.com/v1/Content', {
      headers: { authorization: AUTH },
    })
    expect((await listed.json()).contents.map((c: { sid: string }) => c.sid)).toEqual([sid])
    const form = await double.fetch('https://content.twilio.com/v1/Content', {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Language=en',
    })
    // a form is no JSON body
    expect([form.status, (await form.json()).code]).toEqual([400, 20001])
  })
})

describe('twilio-double serve --config with contentTemplates', () => {
  it('declares templates the real client lists and sends, after every reset too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twilio-double-content-'))
    const file = join(dir, 'double.json')
    writeFileSync(
      file,
      JSON.stringify({
        contentTemplates: [
          {
            sid: TEMPLATE,
            friendlyName: 'appointment',
            types: { 'twilio/text': { body: 'See you at {{1}}' } },
            whatsapp: { name: 'appointment', category: 'UTILITY', status: 'approved' },
          },
        ],
      }),
    )
    let stop: ((signal: NodeJS.Signals) => void) | undefined
    let listening: (server: TwilioDoubleServer) => void = () => {}
    const started = new Promise<TwilioDoubleServer>((resolve) => {
      listening = resolve
    })
    const io: CliIo = {
      stdout: () => {},
      stderr: () => {},
      onStopSignal: (handler) => {
        stop = handler
        return () => {
          stop = undefined
        }
      },
      onListening: (s) => listening(s),
    }
    const code = runCli(
      ['node', 'twilio-double', 'serve', '--port', '0', '--clock', 'manual', '--config', file],
      io,
    )
    const server = await started
    try {
      const client = await twilioClientForServer(server)
      expect((await client.content.v1.contents.list()).map((c) => [c.sid, c.friendlyName])).toEqual([
        [TEMPLATE, 'appointment'],
      ])
      expect((await client.content.v1.contents(TEMPLATE).approvalFetch().fetch()).whatsapp.status).toBe(
        'approved',
      )
      const m = await client.messages.create({
        from: `whatsapp:${DEFAULT_FROM}`,
        to: `whatsapp:${TO}`,
        contentSid: TEMPLATE,
        contentVariables: '{"1":"3pm"}',
      })
      expect(m.body).toBe('See you at 3pm')
      await fetch(`${server.url}/__double/settle`, { method: 'POST' })
      expect((await client.messages(m.sid).fetch()).status).toBe('delivered')
      await fetch(`${server.url}/__double/reset`, { method: 'POST' })
      expect((await client.content.v1.contents.list()).map((c) => c.sid)).toEqual([TEMPLATE])
    } finally {
      stop?.('SIGTERM')
      await code
    }
  })
})
