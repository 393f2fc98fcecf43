import type { MediaResource } from '../schemas/message.js'
import { toRfc2822 } from '../util/dates.js'
import { API, type FactoryContext, MEDIA_TYPES } from './context.js'
import type { MessageFactory } from './message.js'
import type { Factories } from './types.js'

/** Media resources of a message (default: a new MMS). */
export function mediaFactory(ctx: FactoryContext, message: MessageFactory): Factories['media'] {
  const { faker, accountSid, now, sid } = ctx
  return (input = {}): MediaResource => {
    const parent = input.message ?? message({ channel: 'mms', numMedia: 1 })
    const parentSid = parent.sid ?? sid('MM')
    const acc = parent.account_sid ?? accountSid
    const mediaSid = sid('ME')
    const created = parent.date_created ?? toRfc2822(now)
    return {
      account_sid: acc,
      content_type: input.contentType ?? faker.helpers.arrayElement(MEDIA_TYPES),
      date_created: created,
      date_updated: created,
      parent_sid: parentSid,
      sid: mediaSid,
      uri: `${API}/Accounts/${acc}/Messages/${parentSid}/Media/${mediaSid}.json`,
    }
  }
}
