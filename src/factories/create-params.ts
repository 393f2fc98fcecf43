import type { CreateMessageParams } from '../schemas/params.js'
import type { FactoryContext } from './context.js'
import type { Factories } from './types.js'

/** Create Message parameters as the `twilio` client sends them (form names). */
export function createParamsFactory(ctx: FactoryContext): Factories['createParams'] {
  const { faker, sid, address, body } = ctx
  return (input = {}) => {
    const channel = input.channel ?? 'sms'
    const params: CreateMessageParams = { To: address(channel) }
    if (input.messagingService) params.MessagingServiceSid = sid('MG')
    else params.From = address(channel)
    if (channel === 'mms')
      params.MediaUrl = Array.from(
        { length: faker.number.int({ min: 1, max: 3 }) },
        () => `https://${faker.internet.domainName()}/${faker.string.alphanumeric(8)}.jpg`,
      )
    else params.Body = body()
    if (input.statusCallback) params.StatusCallback = input.statusCallback
    return params
  }
}
