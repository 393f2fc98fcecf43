/**
 * Twilio's default handling of the keywords STOP, START and HELP (and their synonyms) in an inbound
 * SMS: the opt-out list is updated and the automatic confirmation is sent back.
 */
import { parseFrom } from './address.js'
import type { InboundContext, InboundDeps } from './inbound-context.js'
import { sendReply } from './inbound-replies.js'
import {
  KEYWORD_REPLIES,
  type KeywordAction,
  keywordOf,
  TOLL_FREE_REPLIES,
  tollFreeKeywordOf,
} from './opt-out.js'

/** What Twilio's (or the carrier's) keyword handling did with an inbound message. */
export interface KeywordOutcome {
  action: KeywordAction
  /** The confirmation the carrier's network sent (toll-free STOP/START/UNSTOP); not a message of the account. */
  networkMessage?: string
}

/** A US or Canadian toll-free number (+1 800, 833, 844, 855, 866, 877, 888). */
function isTollFree(number: string): boolean {
  const parsed = parseFrom(number)
  return parsed?.numberType === 'toll-free' && parsed.address.startsWith('+1')
}

/** Twilio's default handling of STOP/START/HELP on long codes, toll-free numbers and services. */
export function handleKeyword(deps: InboundDeps, ctx: InboundContext): KeywordOutcome | undefined {
  const action = keywordOf(ctx.inbound.body)
  if (!action) return undefined
  // Standalone short codes get no default keyword handling.
  if (/^\d{5,6}$/.test(ctx.number) && !ctx.serviceSid) return undefined
  const extra = ctx.serviceSid ? [ctx.serviceSid] : []
  if (action === 'opt-out') deps.optOuts.optOut(ctx.account, ctx.user, ctx.number, extra)
  else if (action === 'opt-in') deps.optOuts.optIn(ctx.account, ctx.user, ctx.number, extra)
  else if (deps.optOuts.isBlocked(ctx.account, ctx.user, ctx.number, ctx.serviceSid)) return { action }
  // Toll-free: STOP, START and UNSTOP are confirmed by the carrier's network, not by Twilio (see
  // TOLL_FREE_REPLIES for the facts); the other keywords are Twilio's, as on long codes.
  const network = isTollFree(ctx.number) ? tollFreeKeywordOf(ctx.inbound.body) : undefined
  if (network !== undefined)
    return {
      action,
      networkMessage: network === 'stop' ? TOLL_FREE_REPLIES.stop : TOLL_FREE_REPLIES.start(network),
    }
  sendReply(deps, ctx, {
    to: ctx.user,
    from: ctx.number,
    body: KEYWORD_REPLIES[action],
    media: [],
    messagingServiceSid: ctx.serviceSid,
  })
  return { action }
}
