/**
 * Twilio's default handling of the keywords STOP, START and HELP (and their synonyms) in an inbound
 * SMS: the opt-out list is updated and the automatic confirmation is sent back.
 */
import type { InboundContext, InboundDeps } from './inbound-context.js'
import { sendReply } from './inbound-replies.js'
import { KEYWORD_REPLIES, type KeywordAction, keywordOf } from './opt-out.js'

/** Twilio's default handling of STOP/START/HELP on long codes, toll-free numbers and services. */
export function handleKeyword(deps: InboundDeps, ctx: InboundContext): KeywordAction | undefined {
  const action = keywordOf(ctx.inbound.body)
  if (!action) return undefined
  // Standalone short codes get no default keyword handling.
  if (/^\d{5,6}$/.test(ctx.number) && !ctx.serviceSid) return undefined
  const extra = ctx.serviceSid ? [ctx.serviceSid] : []
  if (action === 'opt-out') deps.optOuts.optOut(ctx.account, ctx.user, ctx.number, extra)
  else if (action === 'opt-in') deps.optOuts.optIn(ctx.account, ctx.user, ctx.number, extra)
  else if (deps.optOuts.isBlocked(ctx.account, ctx.user, ctx.number, ctx.serviceSid)) return action
  sendReply(deps, ctx, {
    to: ctx.user,
    from: ctx.number,
    body: KEYWORD_REPLIES[action],
    media: [],
    messagingServiceSid: ctx.serviceSid,
  })
  return action
}
