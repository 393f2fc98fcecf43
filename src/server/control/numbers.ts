import { z } from 'zod'
import type { PhoneNumberOptions } from '../../config.js'
import { addressKey, parseFrom } from '../../messaging/address.js'
import type { InboundOptions } from '../../messaging/inbound.js'
import { isWebUrl } from '../../util/web-url.js'
import {
  BadRequest,
  controlError,
  handler,
  ok,
  optionalText,
  strictBody,
  strictQuery,
  text,
} from './route.js'

/** A string field of an inbound message besides `from` and `to`. */
const inboundText = (key: string) => z.string({ error: `"${key}" must be a string` }).optional()
const stringList = (key: string) =>
  z.array(z.string(), { error: `"${key}" must be an array of strings` }).optional()

const inboundBody = strictBody(
  {
    from: text('from'),
    to: text('to'),
    body: inboundText('body'),
    profileName: inboundText('profileName'),
    accountSid: inboundText('accountSid'),
    messagingServiceSid: inboundText('messagingServiceSid'),
    channel: inboundText('channel'),
    mediaUrls: stringList('mediaUrls'),
    mediaContentTypes: stringList('mediaContentTypes'),
  },
  '{"from":"+15558675310","to":"+15005550006","body":"Hi"}',
  ' in an inbound message',
)

/** POST /inbound {"from","to","body"}: simulates an inbound message (when the double supports it). */
export const inbound = handler({
  body: inboundBody,
  run: async ({ body, scope }, { double }) => {
    if (typeof (double as { inbound?: unknown }).inbound !== 'function')
      return controlError(
        501,
        'not_implemented',
        'this version of the double cannot simulate inbound messages yet (double.inbound is missing); upgrade twilio-double',
      )
    const spec = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined))
    return ok(await scope.inbound(spec as unknown as InboundOptions), 201)
  },
})

/** GET /numbers: numbers with inbound webhooks (from the options and set here). */
export const listNumbers = handler({
  run: ({ scope }) =>
    ok({
      numbers: scope.accounts().flatMap((a) => {
        const own = [...(a.ownedNumbers?.values() ?? [])]
          .filter((n) => !a.webhooks.has(addressKey(n.number)))
          .map((n) => ({ accountSid: a.sid, ...n, source: 'options' }))
        const set = [...a.webhooks.values()].map((n) => ({ accountSid: a.sid, ...n, source: 'control' }))
        return [...set, ...own]
      }),
    }),
})

/** An http(s) URL field with a host name (a webhook the double can reach). */
const webhookUrl = (key: string) =>
  text(key).refine(isWebUrl, {
    error: (iss) =>
      `"${key}" must be an http or https URL, such as http://127.0.0.1:3000/sms (got ${String(iss.input)})`,
  })
const method = (key: string) => z.enum(['GET', 'POST'], { error: `"${key}" must be GET or POST` }).optional()

const webhooksBody = strictBody(
  {
    smsUrl: webhookUrl('smsUrl'),
    smsMethod: method('smsMethod'),
    smsFallbackUrl: webhookUrl('smsFallbackUrl').nullish(),
    smsFallbackMethod: method('smsFallbackMethod'),
    accountSid: optionalText('accountSid'),
  },
  '{"smsUrl":"http://127.0.0.1:3000/sms","smsMethod":"POST"}',
)

/** PUT /numbers/:number: sets a number's inbound webhooks until reset. */
export const setNumber = handler({
  body: webhooksBody,
  run: ({ params: { number }, body, scope }) => {
    // a number an inbound message can be sent to (as POST /inbound's "to" is read): no webhook waits in vain
    const parsed = parseFrom(number!)
    if (!parsed || parsed.kind === 'alphanumeric')
      throw new BadRequest(
        `'${number}' is not a phone number: name the number in E.164, such as /__double/numbers/%2B15005550006 (write + as %2B), or whatsapp:%2B15005550006`,
      )
    const settings: PhoneNumberOptions = { number: number!, smsUrl: body.smsUrl }
    if (body.smsFallbackUrl) settings.smsFallbackUrl = body.smsFallbackUrl
    if (body.smsMethod) settings.smsMethod = body.smsMethod
    if (body.smsFallbackMethod) settings.smsFallbackMethod = body.smsFallbackMethod
    return ok(scope.setNumberWebhooks(settings, body.accountSid))
  },
})

/** DELETE /numbers/:number: removes the webhooks set with PUT. */
export const clearNumber = handler({
  query: strictQuery({ accountSid: z.string().optional() }),
  run: ({ params: { number }, query, scope }) =>
    ok({ removed: scope.clearNumberWebhooks(number!, query.accountSid) }),
})
