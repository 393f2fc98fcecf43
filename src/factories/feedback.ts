import { toRfc2822 } from '../util/dates.js'
import { API, type FactoryContext } from './context.js'
import type { MessageFactory } from './message.js'
import type { Factories } from './types.js'

/** MessageFeedback resources of a message (default: a new delivered one), a minute after it was sent. */
export function feedbackFactory(ctx: FactoryContext, message: MessageFactory): Factories['feedback'] {
  const { faker, accountSid, now } = ctx
  return (input = {}) => {
    const parent = input.message ?? message({ status: 'delivered' })
    const created = Date.parse(parent.date_sent ?? parent.date_created ?? toRfc2822(now)) + 60_000
    return {
      account_sid: parent.account_sid ?? accountSid,
      message_sid: parent.sid,
      outcome: input.outcome ?? faker.helpers.arrayElement(['confirmed', 'unconfirmed'] as const),
      date_created: toRfc2822(created),
      date_updated: toRfc2822(created),
      uri: `${API}/Accounts/${parent.account_sid ?? accountSid}/Messages/${parent.sid}/Feedback.json`,
    }
  }
}
