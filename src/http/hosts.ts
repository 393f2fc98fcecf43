/**
 * Origin of every host the `twilio` client sends the APIs the double answers to: `api.twilio.com` (the Messaging
 * API) and `content.twilio.com` (the Content API), and their edge and region forms (`api.sydney.au1.twilio.com`,
 * `content.ie1.twilio.com`), any port.
 */
const TWILIO_API_ORIGIN = String.raw`^https?:\/\/(?:api|content)(\.[a-z0-9-]+){0,2}\.twilio\.com(:\d+)?`

/** Matches a full URL on a Twilio API host the double answers (the msw door). */
export const TWILIO_API_URL = new RegExp(`${TWILIO_API_ORIGIN}\\/`, 'i')

/** Matches such an origin alone, as nock scopes see it (`https://api.twilio.com:443`). */
export const TWILIO_API_ORIGIN_ONLY = new RegExp(`${TWILIO_API_ORIGIN}$`, 'i')
