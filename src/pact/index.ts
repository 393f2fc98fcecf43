/**
 * Contract testing against Twilio with Pact, both ways: matchers derived from the zod schemas, builders of
 * Twilio interactions with form-encoded request bodies, a real `twilio` client for the Pact mock server,
 * verification of the double as the provider, checks of pacts against Twilio's OpenAPI description, and
 * webhook pacts (Twilio the consumer) verified against your app's handlers with signed requests.
 */
import type { Twilio } from 'twilio'
import { type TwilioClientForUrlOptions, twilioClientForUrl } from '../server/twilio-client.js'

export type { ProviderStateParams } from '../server/provider-states.js'
export { PROVIDER_STATES } from '../server/provider-states.js'
export type { SeedMessageSpec } from '../server/seed.js'
export { ensureAccount, seedMessage } from '../server/seed.js'
export type {
  CheckPactOptions,
  PactCheckReport,
  PactDocument,
  PactFileReport,
  PactFinding,
} from './check-pact.js'
export { checkPact, formatPactCheck } from './check-pact.js'
export type {
  CreateMessageOptions,
  CreateMmsOptions,
  CreateScheduledMessageOptions,
  CreateServiceMessageOptions,
} from './create-interactions.js'
export {
  createMessageInteraction,
  createMmsInteraction,
  createScheduledMessageInteraction,
  createServiceMessageInteraction,
} from './create-interactions.js'
export type { ErrorInteractionOptions, ErrorOperation } from './error-interaction.js'
export { errorInteraction } from './error-interaction.js'
export type { FormField, PactFormBody } from './form.js'
export { pactFormBody, twilioParams, withFormBody } from './form.js'
export type {
  BuilderOptions,
  InteractionState,
  InteractionTarget,
  TwilioInteractionSpec,
} from './interaction.js'
export { messagePath, messagesPath, twilioInteraction } from './interaction.js'
export type { MessageMatcherOptions, MessagePageMatcherOptions, PactMatcher } from './matchers.js'
export {
  EXAMPLE_DATE,
  EXAMPLE_MESSAGE_SID,
  EXAMPLE_MMS_SID,
  EXAMPLE_TO,
  errorMatcher,
  exampleMessage,
  isPactMatcher,
  matcherFromSchema,
  messageMatcher,
  messagePageMatcher,
  pactMatchers,
  regexMatcher,
  twilioMatchers,
} from './matchers.js'
export type { ExistingMessageOptions, ListMessagesOptions } from './message-interactions.js'
export {
  cancelMessageInteraction,
  deleteMessageInteraction,
  fetchMessageInteraction,
  listMessagesInteraction,
  redactMessageInteraction,
} from './message-interactions.js'
export type { AwaitMockServerOptions } from './mock-server.js'
export { awaitMockServerMatched } from './mock-server.js'
export type {
  V4InteractionWithRequest,
  V4InteractionWithResponse,
  V4RequestBuilder,
  V4UnconfiguredInteraction,
} from './pact-types.js'
export type { PactMismatch } from './verification-error.js'
export { PactVerificationError } from './verification-error.js'
export type { TwilioStateHandler, VerifyTwilioDoubleOptions } from './verify.js'
export { reencodeForm, verifyTwilioDouble } from './verify.js'
export type {
  InboundExample,
  StatusCallbackExample,
  WebhookChannel,
} from './webhooks/forms.js'
export { inboundParams, statusCallbackParams } from './webhooks/forms.js'
export type {
  FallbackInteractionOptions,
  InboundMessageInteractionOptions,
  StatusCallbackInteractionOptions,
  WebhookBuilderOptions,
  WebhookInteraction,
  WebhookRequestExample,
} from './webhooks/interactions.js'
export {
  fallbackInteraction,
  inboundMessageInteraction,
  statusCallbackInteraction,
} from './webhooks/interactions.js'
export type { VerifyWebhookHandlersOptions } from './webhooks/verify.js'
export { verifyWebhookHandlers } from './webhooks/verify.js'

/**
 * A real `twilio` client whose requests go to a Pact mock server (its `url`), for consumer tests. The default
 * credentials are the double's default account; pass the ones your app uses. Connections are not kept alive
 * (each interaction has its own mock server, and ports are recycled).
 *
 * @example
 * await createMessageInteraction(pact).executeTest(async (mockServer) => {
 *   const client = await twilioClientFor(mockServer.url)
 *   const msg = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hello from twilio-double' })
 *   expect(msg.status).toBe('queued')
 * })
 */
export function twilioClientFor(
  mockServerUrl: string,
  options: TwilioClientForUrlOptions = {},
): Promise<Twilio> {
  return twilioClientForUrl(mockServerUrl, { keepAlive: false, ...options })
}
