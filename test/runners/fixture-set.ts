/**
 * The canonical examples committed under fixtures/: one JSON file per wire shape, built with the factories
 * (seed 2024). Regenerate with `npx tsx test/runners/fixture-set.ts --write` after a deliberate change.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { createFactories } from '../../src/factories/index.js'

/** What a fixture file holds, and the schema family it is checked against. */
export type FixtureKind =
  | 'message'
  | 'media'
  | 'feedback'
  | 'message-page'
  | 'media-page'
  | 'error'
  | 'status-callback'
  | 'inbound-webhook'
  | 'create-params'

export interface Fixture {
  kind: FixtureKind
  value: unknown
}

/** The fixtures by file name (without `.json`). */
export function canonicalFixtures(): Record<string, Fixture> {
  const f = createFactories({ seed: 2024 })
  const mms = f.message({ channel: 'mms', status: 'delivered', numMedia: 2, body: 'Here are the photos' })
  const delivered = f.message({
    channel: 'sms',
    status: 'delivered',
    body: 'Your verification code is 481516',
  })
  const url = 'https://example.com/twilio/status'
  return {
    'message.sms-queued': {
      kind: 'message',
      value: f.message({ status: 'queued', messagingServiceSid: null }),
    },
    'message.sms-delivered': { kind: 'message', value: delivered },
    'message.sms-undelivered': {
      kind: 'message',
      value: f.message({ status: 'undelivered', errorCode: 30003 }),
    },
    'message.sms-failed': { kind: 'message', value: f.message({ status: 'failed', errorCode: 30008 }) },
    'message.sms-scheduled': { kind: 'message', value: f.message({ status: 'scheduled' }) },
    'message.mms-delivered': { kind: 'message', value: mms },
    'message.whatsapp-read': { kind: 'message', value: f.message({ channel: 'whatsapp', status: 'read' }) },
    'message.inbound-sms': { kind: 'message', value: f.inboundMessage({ channel: 'sms' }) },
    'message.inbound-whatsapp': { kind: 'message', value: f.inboundMessage({ channel: 'whatsapp' }) },
    media: { kind: 'media', value: f.media({ message: mms, contentType: 'image/jpeg' }) },
    feedback: { kind: 'feedback', value: f.feedback({ message: delivered, outcome: 'confirmed' }) },
    'message-page': {
      kind: 'message-page',
      value: f.messagePage({ total: 5, pageSize: 2, page: 1, filters: { To: '+15550001111' } }),
    },
    'media-page': { kind: 'media-page', value: f.mediaPage({ message: mms, total: 2 }) },
    'error.20003': { kind: 'error', value: f.error(20003) },
    'error.20404': { kind: 'error', value: f.error(20404) },
    'error.21211': { kind: 'error', value: f.error(21211, { to: '+1555000' }) },
    'error.20429': { kind: 'error', value: f.error(20429) },
    'status-callback.delivered': {
      kind: 'status-callback',
      value: signedFixture(f.statusCallback({ message: delivered, status: 'delivered', url })),
    },
    'status-callback.undelivered': {
      kind: 'status-callback',
      value: signedFixture(f.statusCallback({ status: 'undelivered', url })),
    },
    'status-callback.whatsapp-read': {
      kind: 'status-callback',
      value: signedFixture(f.statusCallback({ status: 'read', channel: 'whatsapp', url })),
    },
    'inbound-webhook.sms': {
      kind: 'inbound-webhook',
      value: signedFixture(f.inboundWebhook({ channel: 'sms', url: 'https://example.com/twilio/inbound' })),
    },
    'inbound-webhook.mms': {
      kind: 'inbound-webhook',
      value: signedFixture(f.inboundWebhook({ channel: 'mms', url: 'https://example.com/twilio/inbound' })),
    },
    'inbound-webhook.whatsapp': {
      kind: 'inbound-webhook',
      value: signedFixture(
        f.inboundWebhook({ channel: 'whatsapp', url: 'https://example.com/twilio/inbound' }),
      ),
    },
    'create-params.sms': {
      kind: 'create-params',
      value: f.createParams({ channel: 'sms', statusCallback: url }),
    },
    'create-params.mms-service': {
      kind: 'create-params',
      value: f.createParams({ channel: 'mms', messagingService: true }),
    },
  }
}

/** A signed POST as stored in a fixture: where it goes, its form parameters and signature. */
function signedFixture(form: { url: string; params: object; signature: string }) {
  return { url: form.url, signature: form.signature, params: form.params }
}

if (process.argv.includes('--write')) {
  const dir = new URL('../../fixtures/', import.meta.url)
  mkdirSync(dir, { recursive: true })
  for (const [name, fixture] of Object.entries(canonicalFixtures()))
    writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(fixture.value, null, 2)}\n`)
  console.log(`wrote ${Object.keys(canonicalFixtures()).length} fixtures`)
}
