import { twilioSignature } from '../callbacks/signature.js'
import type { SignedForm } from './types.js'

/**
 * A form POST to `url` as Twilio sends it, signed with `token` (parameters left undefined are not sent), with the
 * double's headers: `I-Twilio-Idempotency-Token` is the message SID and `status` (`SM…-delivered`).
 */
export function signedForm<P extends Record<string, string | undefined>>(
  url: string,
  params: P,
  token: string,
  status: string,
): SignedForm<P> {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) if (v !== undefined) clean[k] = v
  const signature = twilioSignature(token, url, clean)
  const form = new URLSearchParams(clean).toString()
  const headers = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'x-twilio-signature': signature,
    'user-agent': 'TwilioProxy/1.1',
    accept: '*/*',
    'i-twilio-idempotency-token': `${clean.MessageSid}-${status}`,
  }
  return {
    url,
    params: clean as P,
    signature,
    headers,
    body: form,
    request: () => new Request(url, { method: 'POST', headers, body: form }),
  }
}
