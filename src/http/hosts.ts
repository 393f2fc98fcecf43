/**
 * Origin of every host the `twilio` client sends Messaging API requests to: `api.twilio.com` and its edge
 * and region forms (`api.sydney.au1.twilio.com`, `api.ie1.twilio.com`), any port.
 */
const TWILIO_API_ORIGIN = String.raw`^https?:\/\/api(\.[a-z0-9-]+){0,2}\.twilio\.com(:\d+)?`

/** Matches a full URL on a Twilio API host (the msw door). */
export const TWILIO_API_URL = new RegExp(`${TWILIO_API_ORIGIN}\\/`, 'i')

/** Matches a Twilio API origin alone, as nock scopes see it (`https://api.twilio.com:443`). */
export const TWILIO_API_ORIGIN_ONLY = new RegExp(`${TWILIO_API_ORIGIN}$`, 'i')
