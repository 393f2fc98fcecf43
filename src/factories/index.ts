/**
 * Seeded fixture factories for every wire shape of the Message resource: messages in any status and
 * channel, media, list pages, error bodies, status callbacks (signed) and inbound webhooks.
 *
 * Each factory set owns one faker instance, seeded at creation: the same seed gives the same sequence
 * of outputs, and no global faker is touched. Each shape has its file; this one puts a set together.
 */

import { factoryContext } from './context.js'
import { createParamsFactory } from './create-params.js'
import { errorFactory } from './error.js'
import { feedbackFactory } from './feedback.js'
import { inboundWebhookFactory } from './inbound-webhook.js'
import { mediaFactory } from './media.js'
import { messageFactory } from './message.js'
import { mediaPageFactory, messagePageFactory } from './pages.js'
import { statusCallbackFactory } from './status-callback.js'
import type { Factories, FactoryOptions } from './types.js'

export type {
  CreateParamsFactoryInput,
  Factories,
  FactoryChannel,
  FactoryOptions,
  InboundWebhookFactoryInput,
  MessageFactoryInput,
  MessagePageFilters,
  PageFactoryInput,
  SignedForm,
  StatusCallbackFactoryInput,
} from './types.js'

/**
 * Creates a set of seeded factories. Every output parses with the schemas of `twilio-double/schemas`.
 *
 * @example
 * import { createFactories } from 'twilio-double/factories'
 *
 * const f = createFactories({ seed: 42 })
 * const delivered = f.message({ status: 'delivered', channel: 'whatsapp' })
 * const page = f.messagePage({ total: 120, pageSize: 50, page: 1 })
 * const callback = f.statusCallback({ url: 'https://app.test/status', message: delivered })
 * await app.fetch(callback.request()) // a request your signature check accepts
 */
export function createFactories(options: FactoryOptions = {}): Factories {
  const ctx = factoryContext(options)
  const message = messageFactory(ctx)
  const media = mediaFactory(ctx, message)
  return {
    faker: ctx.faker,
    seed(seed: number) {
      ctx.faker.seed(seed)
    },
    message,
    inboundMessage: (input = {}) =>
      message({ ...input, direction: 'inbound', status: input.status ?? 'received' }),
    media,
    feedback: feedbackFactory(ctx, message),
    messagePage: messagePageFactory(ctx, message),
    mediaPage: mediaPageFactory(ctx, message, media),
    error: errorFactory(ctx),
    statusCallback: statusCallbackFactory(ctx, message),
    inboundWebhook: inboundWebhookFactory(ctx),
    createParams: createParamsFactory(ctx),
  }
}
