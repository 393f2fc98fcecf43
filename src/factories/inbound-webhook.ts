import { messageTypeOf } from '../messaging/inbound-webhook.js'
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
    const whatsapp = channel === 'whatsapp'
    // drawn in a fixed order, so that a seed keeps giving the same values
    const geo = whatsapp
      ? undefined
      : {
          toState: faker.location.state({ abbreviated: true }),
          toCity: faker.location.city().toUpperCase(),
          fromZip: faker.location.zipCode('#####'),
          fromState: faker.location.state({ abbreviated: true }),
          fromCity: faker.location.city().toUpperCase(),
          toZip: faker.location.zipCode('#####'),
        }
    const profileName = whatsapp ? faker.person.firstName() : undefined
    const media = Array.from({ length: numMedia }, () => ({
      contentType: faker.helpers.arrayElement(MEDIA_TYPES),
      url: mediaUrl(messageSid, sid('ME'), accountSid),
    }))
    // Twilio's order of parameters, as the double sends them: geography only for phone numbers, the WhatsApp
    // fields among the SIDs, MessagingServiceSid after To, media last
    const params = {
      ...(geo ? { ToCountry: 'US', ToState: geo.toState } : {}),
      SmsMessageSid: messageSid,
      NumMedia: String(numMedia),
      ...(profileName !== undefined
        ? { ProfileName: profileName, MessageType: messageTypeOf(media[0]?.contentType) }
        : {}),
      ...(geo ? { ToCity: geo.toCity, FromZip: geo.fromZip } : {}),
      SmsSid: messageSid,
      ...(whatsapp ? { WaId: from.replace(/^whatsapp:\+?/, '') } : {}),
      ...(geo ? { FromState: geo.fromState } : {}),
      SmsStatus: 'received',
      ...(geo ? { FromCity: geo.fromCity } : {}),
      Body: text,
      ...(geo ? { FromCountry: 'US' } : {}),
      To: to,
      ...(input.messagingServiceSid ? { MessagingServiceSid: input.messagingServiceSid } : {}),
      ...(geo ? { ToZip: geo.toZip } : {}),
      NumSegments: String(Math.max(1, countSegments(text).segments)),
      ReferralNumMedia: '0',
      MessageSid: messageSid,
      AccountSid: accountSid,
      From: from,
      ApiVersion: '2010-04-01',
    } as InboundWebhookParams
    media.forEach((m, i) => {
      params[`MediaContentType${i}`] = m.contentType
      params[`MediaUrl${i}`] = m.url
    })
    return signedForm(url, params, input.authToken ?? authToken, 'received')
  }
}
