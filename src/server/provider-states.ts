import { DEFAULT_AUTH_TOKEN } from '../config.js'
import type { TwilioDouble } from '../double.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { Operation } from '../scenarios/types.js'
import type { MessageStatus } from '../schemas/common.js'
import { ensureAccount, seedMessage } from './seed.js'

/**
 * Names of the provider states the double knows (the `given(...)` of the pact builders).
 *
 * @example
 * pact.addInteraction().given(PROVIDER_STATES.messageExists, { sid, status: 'delivered' })
 */
export const PROVIDER_STATES = {
  accountExists: 'an account exists',
  messageExists: 'a message exists',
  scheduledMessageExists: 'a scheduled message exists',
  messagesExist: 'messages exist',
  toUnsubscribed: 'the To number is unsubscribed',
  invalidCredentials: 'the credentials are invalid',
  rejectNextRequest: 'the API rejects the next request',
} as const

/** Parameters of a provider state, as a pact carries them. */
export type ProviderStateParams = Record<string, unknown>

/** What a provider state handler returns: values a pact may inject (`fromProviderState`). */
export type ProviderStateHandler = (
  params: ProviderStateParams,
) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>

/** Per-interaction settings that states change and the request side reads. */
export interface ProviderStateContext {
  /** Set by `the credentials are invalid`: requests carry a wrong auth token. */
  invalidCredentials: boolean
}

const OPERATIONS: Operation[] = ['create', 'fetch', 'list', 'update', 'delete', 'media', 'feedback']

function str(params: ProviderStateParams, key: string): string | undefined {
  const v = params[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string')
    throw new TwilioDoubleError(
      `provider state parameter '${key}' must be a string (got ${JSON.stringify(v)})`,
    )
  return v
}

function seedFrom(double: TwilioDouble, params: ProviderStateParams, status?: MessageStatus) {
  const accountSid = str(params, 'accountSid')
  if (accountSid) ensureAccount(double, accountSid, str(params, 'authToken') ?? DEFAULT_AUTH_TOKEN)
  const mediaUrls = params.mediaUrls
  if (mediaUrls !== undefined && !(Array.isArray(mediaUrls) && mediaUrls.every((u) => typeof u === 'string')))
    throw new TwilioDoubleError('provider state parameter mediaUrls must be an array of URLs')
  const errorCode = params.errorCode
  if (errorCode !== undefined && errorCode !== null && typeof errorCode !== 'number')
    throw new TwilioDoubleError('provider state parameter errorCode must be a number')
  return seedMessage(double, {
    sid: str(params, 'sid'),
    accountSid,
    status: status ?? (str(params, 'status') as MessageStatus | undefined),
    to: str(params, 'to'),
    ...(params.from !== undefined ? { from: params.from === null ? null : str(params, 'from') } : {}),
    body: str(params, 'body'),
    ...(params.messagingServiceSid !== undefined
      ? {
          messagingServiceSid:
            params.messagingServiceSid === null ? null : str(params, 'messagingServiceSid'),
        }
      : {}),
    mediaUrls: mediaUrls as string[] | undefined,
    ...(errorCode !== undefined ? { errorCode: errorCode as number | null } : {}),
    ...(params.sendAt !== undefined ? { sendAt: str(params, 'sendAt') } : {}),
    ...(params.dateSent !== undefined ? { dateSent: str(params, 'dateSent') } : {}),
  })
}

/**
 * The provider states of the double, keyed by name ({@link PROVIDER_STATES}). Each handler prepares the
 * double for one interaction: accounts, stored messages with exact SIDs, scenarios.
 *
 * @example
 * const states = providerStateHandlers(double, { invalidCredentials: false })
 * await states['a message exists']({ sid: 'SM' + 'a'.repeat(32), status: 'delivered' })
 */
export function providerStateHandlers(
  double: TwilioDouble,
  context: ProviderStateContext,
): Record<string, ProviderStateHandler> {
  return {
    [PROVIDER_STATES.accountExists]: (params) => {
      const sid = str(params, 'accountSid')
      if (sid) ensureAccount(double, sid, str(params, 'authToken') ?? DEFAULT_AUTH_TOKEN)
      return sid ? { accountSid: sid } : undefined
    },
    [PROVIDER_STATES.messageExists]: (params) => {
      const m = seedFrom(double, params)
      return { sid: m.sid, accountSid: m.account_sid }
    },
    [PROVIDER_STATES.scheduledMessageExists]: (params) => {
      const m = seedFrom(double, params, 'scheduled')
      return { sid: m.sid, accountSid: m.account_sid }
    },
    [PROVIDER_STATES.messagesExist]: (params) => {
      const count = params.count === undefined ? 3 : params.count
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 1000)
        throw new TwilioDoubleError('provider state parameter count must be an integer from 0 to 1000')
      const sids: string[] = []
      for (let i = 0; i < count; i++) sids.push(seedFrom(double, { ...params, sid: undefined }).sid!)
      return { sids }
    },
    [PROVIDER_STATES.toUnsubscribed]: (params) => {
      const to = str(params, 'to')
      double.scenarios.use({
        name: 'unsubscribed recipient',
        when: to ? { to } : {},
        then: { reject: 21610 },
      })
      return undefined
    },
    [PROVIDER_STATES.invalidCredentials]: () => {
      // Requests sent through verifyTwilioDouble carry a wrong token; requests replayed as recorded are
      // rejected by a one-time scenario instead.
      context.invalidCredentials = true
      double.scenarios.use({
        name: 'invalid credentials',
        when: { operation: OPERATIONS },
        then: { reject: 20003 },
        times: 1,
      })
      return undefined
    },
    [PROVIDER_STATES.rejectNextRequest]: (params) => {
      const code = params.code
      if (typeof code !== 'number')
        throw new TwilioDoubleError('provider state parameter code must be a Twilio error code such as 21211')
      const op = str(params, 'operation') as Operation | undefined
      double.scenarios.use({ when: { operation: op ?? OPERATIONS }, then: { reject: code }, times: 1 })
      return undefined
    },
  }
}
