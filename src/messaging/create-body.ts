/**
 * The body rules of Create Message (they run in the order of CREATE_RULES, in create-rules.ts): what Twilio writes
 * into a body before it is sent, the links of Link Shortening and the link of its MMS converter.
 */
import { TwilioApiError } from '../errors/twilio-api-error.js'
import type { CreateDraft, CreateInput } from './create-rules.js'
import { countSegments } from './segments.js'

/** The links Link Shortening rewrites: `http://` or `https://` up to the next white space. */
const LINK = /\bhttps?:\/\/[^\s]+/gi

/**
 * `ShortenUrls=true` needs a messaging service (21619 without one: Twilio's OpenAPI description says it must also
 * be given); with a service that has Link Shortening (its `linkShortening.domain`), each link of the body becomes
 * `https://<domain>/` and ten letters or digits. A service without it sends the links as written.
 */
export function shortenLinks(d: CreateDraft, { command, account, random }: CreateInput): void {
  if (command.shortenUrls !== true) return
  if (!d.messagingServiceSid)
    throw new TwilioApiError(21619, {
      message: 'ShortenUrls requires a MessagingServiceSid with Link Shortening configured',
    })
  const domain = account.services.get(d.messagingServiceSid)?.linkShortening?.domain
  if (!domain) return
  d.body = d.body.replace(LINK, (link) => {
    // a sentence's closing punctuation stays outside the link
    const after = /[.,;:!?)\]'"]+$/.exec(link)?.[0] ?? ''
    return `https://${domain}/${random.alphanumeric(10)}${after}`
  })
}

/** Where Twilio's MMS converter puts the media of an MMS it sends as SMS (a short link on Twilio's domain). */
const MMS_CONVERTER_LINK = 'https://m.twil.io/'

/**
 * An SMS-channel message with media, or with `SendAsMms`, is one MMS (one segment, billed per message) to a country
 * whose carriers take MMS (`mmsCountries`, and a number whose country is unknown). To any other country Twilio's
 * MMS converter sends it as SMS: a short link to its media is added to the body, which is segmented and billed as
 * SMS; its SID stays `MM…` and its media stay listed.
 */
export function mms(d: CreateDraft, { command, rules, random }: CreateInput): void {
  d.sentAs = undefined
  if (d.channel !== 'sms' || (d.mediaUrls.length === 0 && command.sendAsMms !== true)) return
  if (d.to.country === undefined || rules.mmsCountries.has(d.to.country)) {
    d.sentAs = 'mms'
    d.numSegments = 1
    return
  }
  d.sentAs = 'sms'
  if (d.mediaUrls.length === 0) return
  const link = `${MMS_CONVERTER_LINK}${random.alphanumeric(10)}`
  d.body = d.body === '' ? link : `${d.body}\n${link}`
  d.numSegments = countSegments(d.body).segments
}
