export type { HttpClientOptions, TwilioRequestClient } from './adapters/http-client.js'
export type { CallbackDelivery, CallbackHandler, CallbackOptions } from './callbacks/outbox.js'
export type { InterceptorTest } from './callbacks/reach.js'
export { twilioSignature } from './callbacks/signature.js'
export type {
  AccountOptions,
  ApplicationOptions,
  ContentTemplateOptions,
  MessagingServiceOptions,
  PhoneNumberOptions,
  TwilioDoubleOptions,
} from './config.js'
export {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_API_KEY_SECRET,
  DEFAULT_API_KEY_SID,
  DEFAULT_AUTH_TOKEN,
  DEFAULT_FROM,
  DEFAULT_MESSAGING_SERVICE_SID,
  DEFAULT_START_TIME,
} from './config.js'
export type {
  CallbackInspector,
  CreateTwilioDoubleOptions,
  MessageInspector,
  MessageListFilter,
  ScenarioControl,
  TwilioDouble,
  TwilioTenant,
} from './double.js'
export { createTwilioDouble } from './double.js'
export { ERROR_TITLES, errorMessage, errorStatus, knownErrorCodes } from './errors/catalog.js'
export type { TwilioErrorBody } from './errors/twilio-api-error.js'
export { TwilioApiError, TwilioDoubleError } from './errors/twilio-api-error.js'
export { encodeForm, parseForm } from './http/form.js'
export { SimulatedNetworkError } from './http/pipeline.js'
export type { BackendEvent, SenderRates } from './messaging/backend.js'
export type { InboundError, InboundOptions, InboundResult } from './messaging/inbound.js'
export { TRANSITIONS } from './messaging/lifecycle.js'
export type { PriceTable } from './messaging/pricing.js'
export { countSegments, smartEncode } from './messaging/segments.js'
export { MAGIC_NUMBERS } from './scenarios/magic-numbers.js'
export type {
  DeliveryOutcome,
  Operation,
  Scenario,
  ScenarioContext,
  ScenarioMatch,
  ScenarioOutcome,
} from './scenarios/types.js'
export type { MessageDirection, MessageStatus } from './schemas/common.js'
export type {
  ErrorResource,
  FeedbackResource,
  MediaPage,
  MediaResource,
  MessagePage,
  MessageResource,
} from './schemas/message.js'
export type { Duration } from './util/duration.js'
