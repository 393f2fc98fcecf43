import { createHmac } from 'node:crypto'

/**
 * Computes Twilio's `X-Twilio-Signature` for a form POST: HMAC-SHA1 (keyed by the auth token) of the URL
 * followed by each parameter name and value, names sorted; base64.
 *
 * @example
 * twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', { CallSid: 'CA1234567890ABCDE' })
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string | string[]>,
): string {
  let data = url
  for (const key of Object.keys(params).sort()) {
    const value = params[key]
    if (Array.isArray(value)) for (const v of [...new Set(value)].sort()) data += key + v
    else data += key + (value ?? '')
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64')
}
