import { readdirSync, readFileSync } from 'node:fs'
import twilio from 'twilio'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../../src/config.js'
import {
  errorSchema,
  feedbackSchema,
  mediaPageSchema,
  mediaSchema,
  messagePageSchema,
  messageSchema,
} from '../../src/schemas/message.js'
import { createMessageParamsSchema } from '../../src/schemas/params.js'
import { inboundWebhookSchema, statusCallbackSchema } from '../../src/schemas/webhooks.js'
import { checkRequest, checkResponse } from '../support/openapi.js'
import { canonicalFixtures, type FixtureKind } from './fixture-set.js'

const DIR = new URL('../../fixtures/', import.meta.url)
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'))
const load = (file: string): any => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'))
const MESSAGES = `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages.json`

function check(kind: FixtureKind, value: any): void {
  const openapi = (method: string, path: string, status: number) =>
    expect(checkResponse(method, path, status, value, { allProperties: true })).toEqual([])
  switch (kind) {
    case 'message':
      messageSchema.parse(value)
      openapi('GET', value.uri, 200)
      break
    case 'media':
      mediaSchema.parse(value)
      openapi('GET', value.uri, 200)
      break
    case 'feedback':
      feedbackSchema.parse(value)
      openapi('POST', value.uri, 200)
      break
    case 'message-page':
      messagePageSchema.parse(value)
      openapi('GET', value.uri, 200)
      break
    case 'media-page':
      mediaPageSchema.parse(value)
      openapi('GET', value.uri, 200)
      break
    case 'error':
      errorSchema.parse(value)
      openapi('POST', MESSAGES, value.status)
      break
    case 'status-callback':
      statusCallbackSchema.parse(value.params)
      expect(twilio.validateRequest(DEFAULT_AUTH_TOKEN, value.signature, value.url, value.params)).toBe(true)
      break
    case 'inbound-webhook':
      inboundWebhookSchema.parse(value.params)
      expect(twilio.validateRequest(DEFAULT_AUTH_TOKEN, value.signature, value.url, value.params)).toBe(true)
      break
    case 'create-params':
      createMessageParamsSchema.parse(value)
      expect(checkRequest('POST', MESSAGES, { form: value })).toEqual([])
      break
  }
}

describe('fixtures/', () => {
  const canonical = canonicalFixtures()

  it('holds one file for every canonical fixture, and nothing else', () => {
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(Object.keys(canonical).sort())
    const kinds = new Set(Object.values(canonical).map((f) => f.kind))
    expect([...kinds].sort()).toEqual(
      [
        'create-params',
        'error',
        'feedback',
        'inbound-webhook',
        'media',
        'media-page',
        'message',
        'message-page',
        'status-callback',
      ].sort(),
    )
  })

  it.each(Object.entries(canonical).map(([name, f]) => [name, f.kind] as const))(
    '%s parses with its schema and matches the OpenAPI slice',
    (name, kind) => {
      check(kind, load(`${name}.json`))
    },
  )

  it.each(Object.keys(canonical))('%s is what the factories make now (regenerate after a change)', (name) => {
    expect(load(`${name}.json`)).toEqual(JSON.parse(JSON.stringify(canonical[name]!.value)))
  })

  it('covers every channel and the inbound direction among the messages', () => {
    const messages = Object.entries(canonical)
      .filter(([, f]) => f.kind === 'message')
      .map(([name]) => load(`${name}.json`))
    expect(messages.some((m) => m.sid.startsWith('MM') && Number(m.num_media) > 0)).toBe(true)
    expect(messages.some((m) => m.to.startsWith('whatsapp:'))).toBe(true)
    expect(messages.some((m) => m.direction === 'inbound')).toBe(true)
    expect(new Set(messages.map((m) => m.status)).size).toBeGreaterThanOrEqual(6)
  })
})
