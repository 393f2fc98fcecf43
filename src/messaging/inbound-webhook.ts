/**
 * The webhook of an inbound message: the parameters Twilio sends, the request to the number's (or its
 * messaging service's) URL, the fallback URL when the app fails, `<Redirect>`s, and each `<Message>` of
 * the app's TwiML handed on as a reply.
 */
import type { CallbackDelivery } from '../callbacks/outbox.js'
import { addressKey, parseFrom } from './address.js'
import { absoluteUrl, type InboundContext, type InboundDeps, title } from './inbound-context.js'
import { replyFromTwiml } from './inbound-replies.js'
import type { parseTwiml } from './twiml.js'

/** The `MessageType` of a WhatsApp webhook for the content type of its first media (`text` without media). */
export function messageTypeOf(contentType: string | undefined): string {
  if (!contentType) return 'text'
  if (contentType.startsWith('image/')) return 'image'
  if (contentType.startsWith('video/')) return 'video'
  if (contentType.startsWith('audio/')) return 'audio'
  return 'document'
}

/**
 * The form parameters of an inbound message's webhook, in the order of Twilio's own requests (the fact sheet's
 * example: ToCountry, ToState, SmsMessageSid, NumMedia, ToCity, FromZip, SmsSid, …, From, ApiVersion), with
 * MessagingServiceSid after To. The geography of the numbers comes on SMS and MMS when their country is known;
 * on WhatsApp ProfileName, MessageType and WaId take their places among the SIDs instead; media come last.
 */
function webhookParams(ctx: InboundContext): Record<string, string> {
  const r = ctx.inbound
  const whatsapp = ctx.channel === 'whatsapp'
  const fromGeo = ctx.channel === 'sms' ? parseFrom(r.from ?? '')?.country : undefined
  const toGeo = ctx.channel === 'sms' ? parseFrom(r.to)?.country : undefined
  const p: Record<string, string> = {}
  if (toGeo) {
    p.ToCountry = toGeo
    p.ToState = ''
  }
  p.SmsMessageSid = r.sid
  p.NumMedia = String(r.numMedia)
  if (whatsapp) {
    p.ProfileName = ctx.profileName
    p.MessageType = messageTypeOf(r.media?.[0]?.contentType)
  }
  if (toGeo) p.ToCity = ''
  if (fromGeo) p.FromZip = ''
  p.SmsSid = r.sid
  if (whatsapp) p.WaId = ctx.user.replace(/^whatsapp:\+?/, '')
  if (fromGeo) p.FromState = ''
  p.SmsStatus = 'received'
  if (fromGeo) p.FromCity = ''
  p.Body = r.body
  if (fromGeo) p.FromCountry = fromGeo
  p.To = r.to
  if (r.messagingServiceSid) p.MessagingServiceSid = r.messagingServiceSid
  if (toGeo) p.ToZip = ''
  p.NumSegments = String(r.numSegments)
  p.ReferralNumMedia = '0'
  p.MessageSid = r.sid
  p.AccountSid = r.accountSid
  p.From = r.from ?? ''
  p.ApiVersion = '2010-04-01'
  for (const [i, m] of (r.media ?? []).entries()) {
    p[`MediaContentType${i}`] = m.contentType
    p[`MediaUrl${i}`] = m.url
  }
  return p
}

/**
 * Sends the webhook and runs the app's answer, following the fallback URL and `<Redirect>`s (at most
 * `maxDocuments` requests); app failures are logged in `ctx.errors`, never thrown.
 */
export async function runWebhook(
  deps: InboundDeps,
  ctx: InboundContext,
  maxDocuments: number,
): Promise<{ delivery: CallbackDelivery | undefined; deliveries: CallbackDelivery[] }> {
  const service = ctx.serviceSid ? ctx.account.services.get(ctx.serviceSid) : undefined
  const key = addressKey(ctx.number)
  const numberConfig = ctx.account.webhooks.get(key) ?? ctx.account.ownedNumbers?.get(key)
  const as = (m: string | undefined): 'GET' | 'POST' => (m === 'GET' ? 'GET' : 'POST')
  let url: string | undefined
  let method: 'GET' | 'POST' = 'POST'
  let fallback: { url: string; method: 'GET' | 'POST' } | undefined
  if (service?.inboundRequestUrl) {
    url = service.inboundRequestUrl
    method = as(service.inboundMethod)
    if (service.fallbackUrl) fallback = { url: service.fallbackUrl, method: as(service.fallbackMethod) }
  } else if (numberConfig?.smsUrl) {
    url = numberConfig.smsUrl
    method = as(numberConfig.smsMethod)
    if (numberConfig.smsFallbackUrl)
      fallback = { url: numberConfig.smsFallbackUrl, method: as(numberConfig.smsFallbackMethod) }
  }
  const deliveries: CallbackDelivery[] = []
  if (!url) return { delivery: undefined, deliveries }

  const baseParams = webhookParams(ctx)
  const conversation = `${ctx.account.sid}|${addressKey(ctx.number)}|${addressKey(ctx.user)}`
  let params = baseParams
  let executed: CallbackDelivery | undefined
  let current: { url: string; method: 'GET' | 'POST' } = { url, method }
  let fallbackUsed = false
  const fail = (code: number, message: string, at?: string) =>
    ctx.errors.push({ code, level: 'error', message, ...(at ? { url: at } : {}) })

  for (;;) {
    if (deliveries.length >= maxDocuments) {
      fail(14106, `${title(14106)}: more than ${maxDocuments} documents for one message`, current.url)
      break
    }
    // the conversation's cookies go with each request, and what the app sets is kept for the next one
    const cookie = deps.cookies.header(conversation, deps.backend.scheduler.now())
    const d = await deps.backend.outbox.send({
      kind: 'inbound',
      messageSid: ctx.inbound.sid,
      accountSid: ctx.account.sid,
      status: 'received',
      url: current.url,
      method: current.method,
      params,
      authToken: ctx.account.authToken,
      at: deps.backend.scheduler.now(),
      ...(cookie ? { headers: { cookie } } : {}),
    })
    // undefined: the double was reset while the request was in flight
    if (!d) break
    if (d.responseSetCookies)
      deps.cookies.store(conversation, d.responseSetCookies, deps.backend.scheduler.now())
    deliveries.push(d)
    executed = d
    let errorCode: number | undefined
    let verbs: ReturnType<typeof parseTwiml>['verbs'] = []
    if (d.error !== undefined || d.responseStatus === undefined || d.responseStatus >= 400) {
      errorCode = 11200
      fail(11200, `${title(11200)}: ${d.error ?? `the app answered HTTP ${d.responseStatus}`}`, current.url)
    } else {
      // loaded on first use: a test that never simulates an inbound message does not load the XML parser
      const { parseTwiml } = await import('./twiml.js')
      const parsed = parseTwiml(d.responseBody ?? '', d.responseContentType)
      for (const issue of parsed.issues) ctx.errors.push({ ...issue, url: current.url })
      if (parsed.fatal) errorCode = parsed.issues.find((i) => i.level === 'error')?.code
      verbs = parsed.verbs
    }
    if (errorCode !== undefined) {
      if (!fallbackUsed && fallback && deliveries.length === 1) {
        fallbackUsed = true
        params = { ...baseParams, ErrorCode: String(errorCode), ErrorUrl: current.url }
        current = fallback
        continue
      }
      break
    }
    let next: { url: string; method: 'GET' | 'POST' } | undefined
    for (const verb of verbs) {
      if (verb.verb === 'Message') {
        replyFromTwiml(deps, ctx, verb, current.url)
        continue
      }
      const target = absoluteUrl(verb.url, current.url)
      if (!target) {
        fail(11100, `${title(11100)}: <Redirect> URL '${verb.url}'`, current.url)
        break
      }
      next = { url: target, method: verb.method }
      break
    }
    if (!next) break
    current = next
  }
  return { delivery: executed, deliveries }
}
