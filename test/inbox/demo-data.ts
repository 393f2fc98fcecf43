import type { TwilioDoubleServer } from '../../src/adapters/server.js'
import { twilioClientForServer } from '../../src/adapters/server.js'
import type { AccountOptions } from '../../src/config.js'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_API_KEY_SECRET,
  DEFAULT_API_KEY_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../src/config.js'

/** The WhatsApp sender of the demo account. */
export const WHATSAPP_FROM = 'whatsapp:+14155238886'

/** The default account, with webhooks on its numbers pointing at `appUrl`. */
export function demoAccount(appUrl: string): AccountOptions {
  return {
    sid: DEFAULT_ACCOUNT_SID,
    authToken: DEFAULT_AUTH_TOKEN,
    apiKeys: [{ sid: DEFAULT_API_KEY_SID, secret: DEFAULT_API_KEY_SECRET }],
    phoneNumbers: [
      { number: DEFAULT_FROM, smsUrl: `${appUrl}/sms` },
      { number: WHATSAPP_FROM, smsUrl: `${appUrl}/whatsapp` },
    ],
    messagingServices: [{ sid: DEFAULT_MESSAGING_SERVICE_SID, senders: [DEFAULT_FROM] }],
  }
}

/** What the demo app answers: 204 to status callbacks, a TwiML reply to incoming messages. */
export function demoApp(request: Request): Response {
  const path = new URL(request.url).pathname
  const reply = path.endsWith('/whatsapp')
    ? 'Hi! Friday at 10:30 is free: shall we book it?'
    : path.endsWith('/sms')
      ? 'Thanks! Your order #4711 ships today.'
      : undefined
  if (reply !== undefined)
    return new Response(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n  <Message>${reply}</Message>\n</Response>`,
      { status: 200, headers: { 'content-type': 'text/xml' } },
    )
  return new Response(null, { status: 204 })
}

async function control(server: TwilioDoubleServer, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${server.url}/__double${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`)
  return res.json()
}

/**
 * Fills a server with a varied store through the real `twilio` client and the control API: delivered,
 * undelivered and failed messages, a WhatsApp message read by its recipient, an MMS, a long body, an
 * incoming message answered by TwiML, and a few still on their way.
 */
export async function seedDemo(server: TwilioDoubleServer, appUrl: string): Promise<void> {
  const client = await twilioClientForServer(server)
  const statusCallback = `${appUrl}/status`
  await control(server, '/scenarios', [
    { when: { to: '+15550001111' }, then: { deliver: 'undelivered', errorCode: 30003 } },
    { when: { to: '+15550002222' }, then: { deliver: 'failed', errorCode: 30008 } },
    { when: { to: 'whatsapp:+15558675310' }, then: { deliver: 'read', readAfter: '2m' } },
  ])
  const send = (to: string, body: string, extra: Record<string, unknown> = {}) =>
    client.messages.create({ to, from: DEFAULT_FROM, body, statusCallback, ...extra })

  await send('+15558675310', 'Your verification code is 482913')
  await control(server, '/advance', { by: '3m' })
  await send('+15550001111', 'Your table for 4 is ready. Please come to the host stand.')
  await control(server, '/advance', { by: '4m' })
  await send('+447700900123', 'Your parcel will arrive tomorrow between 9:00 and 11:00.', {
    mediaUrl: ['https://example.com/parcel.jpg'],
  })
  await control(server, '/inbound', {
    from: '+15558675310',
    to: WHATSAPP_FROM,
    channel: 'whatsapp',
    profileName: 'Ana',
    body: 'Hello! Can I book an appointment for Friday?',
  })
  await control(server, '/advance', { by: '2m' })
  await client.messages.create({
    to: 'whatsapp:+15558675310',
    from: WHATSAPP_FROM,
    body: 'Hi Ana, your appointment is confirmed for Friday at 10:30.',
    statusCallback,
  })
  await control(server, '/advance', { by: '5m' })
  await send('+15550002222', 'Reminder: your subscription renews on March 3.')
  await control(server, '/advance', { by: '1m' })
  await send(
    '+15558675310',
    'Thanks for shopping with us! Your order #4711 has been packed and is on its way. Track it any time from your account page, and reply HELP for help or STOP to stop these messages.',
  )
  await control(server, '/settle')
  await control(server, '/inbound', {
    from: '+15558675310',
    to: DEFAULT_FROM,
    body: 'Has my order shipped yet?',
  })
  await control(server, '/settle')
  await control(server, '/advance', { by: '10m' })
  await send('+15558675310', 'Your driver is 5 minutes away.')
  await send('+15550003333', 'Flash sale: 20% off everything until midnight.')
}
