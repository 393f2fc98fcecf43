import { countSegments } from '../messaging/segments.js'
import type { InboundWebhookParams } from '../schemas/webhooks.js'
import { type FactoryContext, MEDIA_TYPES } from './context.js'
import { signedForm } from './signed-form.js'
import type { Factories } from './types.js'

/** Signed inbound message webhooks, with Twilio's parameters in its order (geography for phone numbers). */
export function inboundWebhookFactory(ctx: FactoryContext): Factories['inboundWebhook'] {
  const { faker, accountSid, authToken, sid, phone, address, body, mediaUrl } = ctx
  return (input = {}) => {
    const url = input.url ?? 'https://example.com/twilio/inbound'
    const channel = input.channel ?? 'sms'
    const numMedia = input.numMedia ?? (channel === 'mms' ? faker.number.int({ min: 1, max: 2 }) : 0)
    const messageSid = sid(numMedia > 0 ? 'MM' : 'SM')
    const text = input.body ?? (numMedia > 0 ? '' : body())
    const from = address(channel, input.from ?? phone())
    const to = address(channel, input.to ?? phone())
    const geo = channel !== 'whatsapp'
    // Twilio's order of parameters; geography only for phone numbers
    const params = {
      ...(geo ? { ToCountry: 'US', ToState: faker.location.state({ abbreviated: true }) } : {}),
      SmsMessageSid: messageSid,
      NumMedia: String(numMedia),
      ...(geo
        ? { ToCity: faker.location.city().toUpperCase(), FromZip: faker.location.zipCode('#####') }
        : {}),
      SmsSid: messageSid,
      ...(geo ? { FromState: faker.location.state({ abbreviated: true }) } : {}),
      SmsStatus: 'received',
      ...(geo ? { FromCity: faker.location.city().toUpperCase() } : {}),
      Body: text,
      ...(geo ? { FromCountry: 'US' } : {}),
      To: to,
      ...(geo ? { ToZip: faker.location.zipCode('#####') } : {}),
      NumSegments: String(Math.max(1, countSegments(text).segments)),
      ReferralNumMedia: '0',
      MessageSid: messageSid,
      AccountSid: accountSid,
      From: from,
      ApiVersion: '2010-04-01',
    } as InboundWebhookParams
    if (input.messagingServiceSid) params.MessagingServiceSid = input.messagingServiceSid
    if (channel === 'whatsapp') {
      params.ProfileName = faker.person.firstName()
      params.WaId = from.replace(/^whatsapp:\+?/, '')
    }
    for (let i = 0; i < numMedia; i++) {
      params[`MediaContentType${i}`] = faker.helpers.arrayElement(MEDIA_TYPES)
      params[`MediaUrl${i}`] = mediaUrl(messageSid, sid('ME'), accountSid)
    }
    return signedForm(url, params, input.authToken ?? authToken)
  }
}
