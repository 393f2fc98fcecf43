/**
 * The content rules of Create Message (they run in the order of CREATE_RULES, in create-rules.ts): what a message
 * holds (a body, media or a content template), checked once its addresses are given, and its template rendered
 * once the channel is known.
 */
import { TwilioApiError } from '../errors/twilio-api-error.js'
import { isSid } from '../util/sid.js'
import { isWebUrl } from '../util/web-url.js'
import { renderTemplate } from './content.js'
import type { CreateDraft, CreateInput } from './create-rules.js'

/**
 * The content of a message: a body, media or a content template (21602 for none); a body of at most 1,600
 * characters (21617), at most 10 media URLs (21623), each an http(s) URL (21620; to WhatsApp, which carries
 * one, the first alone is taken and checked, as the Message resource document says); `ContentSid` naming a template
 * of the account (21655); `ContentVariables` only with it (21654), a JSON object (21656).
 */
export function checkContent(d: CreateDraft, { command, content }: CreateInput): void {
  const body = command.body ?? ''
  const given = (command.mediaUrls ?? []).filter((u) => u !== '')
  // a WhatsApp message carries one media item: the MediaUrls after the first are ignored, unchecked
  const mediaUrls = /^whatsapp:/i.test(d.toRaw ?? '') ? given.slice(0, 1) : given
  const contentSid = command.contentSid?.trim() || undefined
  if (body === '' && mediaUrls.length === 0 && !contentSid) throw new TwilioApiError(21602)
  // characters are code points; a body of at most 1,600 UTF-16 units cannot hold more
  if (body.length > 1600 && [...body].length > 1600) throw new TwilioApiError(21617)
  if (mediaUrls.length > 10) throw new TwilioApiError(21623)
  const badMedia = mediaUrls.filter((u) => !isWebUrl(u))
  if (badMedia.length > 0) throw new TwilioApiError(21620, { value: badMedia.join(', ') })
  if (contentSid && !isSid('HX', contentSid)) throw new TwilioApiError(21655, { value: contentSid })
  // a template of the account (a deleted one, or another account's, is no template)
  const template = contentSid === undefined ? undefined : content.find(contentSid)
  if (contentSid && !template) throw new TwilioApiError(21655, { value: contentSid })
  const contentVariables = command.contentVariables
  if (contentVariables !== undefined && contentVariables !== '') {
    if (!contentSid) throw new TwilioApiError(21654)
    try {
      const parsed = JSON.parse(contentVariables)
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not an object')
    } catch {
      throw new TwilioApiError(21656)
    }
  }
  d.body = body
  d.mediaUrls = mediaUrls
  d.contentSid = contentSid
  d.template = template
}

/**
 * A message sent with `ContentSid` is its template, rendered for the channel: the body (and media) of the
 * template's content type for it, with `ContentVariables` (or the template's defaults) in its placeholders; 21656
 * when a placeholder has no value. `Body` and `MediaUrl` sent with it are not sent.
 */
export function renderContent(d: CreateDraft, { command }: CreateInput): void {
  if (!d.template) return
  const rendered = renderTemplate(d.template, d.channel, command.contentVariables)
  d.body = rendered.body
  d.mediaUrls = rendered.mediaUrls
}
