/**
 * Doubles and request helpers shared by the reliability tests: two accounts, each with an API key, a
 * messaging service and fixed senders.
 */
import type { AccountOptions } from '../../../src/config.js'
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_API_KEY_SECRET,
  DEFAULT_API_KEY_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
} from '../../../src/config.js'
import { type CreateTwilioDoubleOptions, createTwilioDouble, type TwilioDouble } from '../../../src/double.js'

/** Credentials of one account of the two-account double. */
export interface TestAccount {
  sid: string
  authToken: string
  keySid: string
  keySecret: string
  serviceSid: string
  from: string
}

export const ACCOUNT_A: TestAccount = {
  sid: DEFAULT_ACCOUNT_SID,
  authToken: DEFAULT_AUTH_TOKEN,
  keySid: DEFAULT_API_KEY_SID,
  keySecret: DEFAULT_API_KEY_SECRET,
  serviceSid: DEFAULT_MESSAGING_SERVICE_SID,
  from: DEFAULT_FROM,
}

export const ACCOUNT_B: TestAccount = {
  sid: 'AC0000000000000000000000000000000b',
  authToken: 'auth-token-of-the-second-account-b',
  keySid: 'SK0000000000000000000000000000000b',
  keySecret: 'api-key-secret-of-the-second-account',
  serviceSid: 'MG0000000000000000000000000000000b',
  from: '+15005550006',
}

function accountOptions(a: TestAccount): AccountOptions {
  return {
    sid: a.sid,
    authToken: a.authToken,
    apiKeys: [{ sid: a.keySid, secret: a.keySecret }],
    messagingServices: [{ sid: a.serviceSid, senders: [a.from, `whatsapp:${a.from}`] }],
  }
}

/** A double with accounts A and B. */
export function twoAccountDouble(options: CreateTwilioDoubleOptions = {}): TwilioDouble {
  return createTwilioDouble({ accounts: [accountOptions(ACCOUNT_A), accountOptions(ACCOUNT_B)], ...options })
}

/** An HTTP Basic header value. */
export function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf-8').toString('base64')}`
}

/** Path of an account's resources. */
export function accountPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}`
}

/** A form POST to the double's core. */
export function formPost(
  url: string,
  params: Record<string, string | string[]>,
  auth: string | null,
): Request {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(params))
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, item)
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (auth !== null) headers.authorization = auth
  return new Request(url, { method: 'POST', headers, body: body.toString() })
}

/** Sends a request to the core and reads status and JSON body. */
export async function exchange(
  double: TwilioDouble,
  request: Request,
): Promise<{ status: number; text: string; body: any }> {
  const res = await double.handle(request)
  const text = await res.text()
  let body: any
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = text
  }
  return { status: res.status, text, body }
}
