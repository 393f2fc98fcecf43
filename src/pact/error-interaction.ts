/** The builder of error answers by Twilio error code, with the request and provider state that produce it. */
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM } from '../config.js'
import { errorStatus, isKnownErrorCode } from '../errors/catalog.js'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { pact } from '../peers/pact.js'
import { MAGIC_NUMBERS } from '../scenarios/magic-numbers.js'
import { PROVIDER_STATES } from '../server/provider-states.js'
import { twilioParams } from './form.js'
import {
  accountState,
  type BuilderOptions,
  type InteractionState,
  type InteractionTarget,
  messagePath,
  messagesPath,
  twilioInteraction,
} from './interaction.js'
import { EXAMPLE_MESSAGE_SID, EXAMPLE_TO, errorMatcher } from './matchers.js'
import type { V4InteractionWithResponse } from './pact-types.js'

const { MatchersV3 } = pact

/** The operation an error interaction uses. */
export type ErrorOperation = 'create' | 'fetch' | 'cancel' | 'delete'

/** Options of {@link errorInteraction}. */
export interface ErrorInteractionOptions extends Omit<BuilderOptions, 'response' | 'fields' | 'exact'> {
  /** The Twilio error code the consumer expects, e.g. 21211, 21610, 20003. */
  code: number
  /** Default: the operation that naturally produces the code (create for most). */
  operation?: ErrorOperation
  /** For create: To, From, Body (defaults chosen to produce the code, e.g. Twilio's magic test numbers). */
  to?: string
  from?: string
  body?: string
  /** For fetch/cancel/delete: the message SID. */
  sid?: string
}

interface NaturalError {
  operation: ErrorOperation
  to?: string
  from?: string
  noBody?: boolean
  state?: (o: ErrorInteractionOptions, accountSid: string) => InteractionState
}

/** How the provider is brought to answer each code without the generic state. */
const NATURAL: Readonly<Record<number, NaturalError>> = {
  20003: { operation: 'create', state: () => ({ name: PROVIDER_STATES.invalidCredentials }) },
  20404: { operation: 'fetch' },
  21602: { operation: 'create', noBody: true },
  21610: {
    operation: 'create',
    state: (o) => ({ name: PROVIDER_STATES.toUnsubscribed, params: { to: o.to ?? EXAMPLE_TO } }),
  },
  30409: {
    operation: 'cancel',
    state: (o, accountSid) => ({
      name: PROVIDER_STATES.messageExists,
      params: { accountSid, sid: o.sid ?? EXAMPLE_MESSAGE_SID, status: 'delivered' },
    }),
  },
  20009: {
    operation: 'delete',
    state: (o, accountSid) => ({
      name: PROVIDER_STATES.messageExists,
      params: { accountSid, sid: o.sid ?? EXAMPLE_MESSAGE_SID, status: 'queued' },
    }),
  },
}

function naturalError(code: number): NaturalError | undefined {
  if (NATURAL[code]) return NATURAL[code]
  // Twilio's magic test numbers (From is checked before To, as the double does)
  const magic = MAGIC_NUMBERS.find((m) => m.code === code)
  if (!magic) return undefined
  return magic.param === 'To'
    ? { operation: 'create', to: magic.value }
    : { operation: 'create', from: magic.value }
}

/**
 * An error answer by Twilio error code, e.g. 21211 (invalid To), 21610 (unsubscribed recipient), 20003 (bad
 * credentials), 20404 (unknown message), 30409 (cancel of a message not scheduled). The request and provider
 * state that produce the code are chosen for you (Twilio's magic test numbers where they exist; any other
 * code uses the state "the API rejects the next request").
 *
 * @example
 * await errorInteraction(pact, { code: 21211 }).executeTest(async (mockServer) => {
 *   const client = await twilioClientFor(mockServer.url)
 *   await expect(client.messages.create({ to: '+15005550001', from: DEFAULT_FROM, body: 'x' })).rejects.toMatchObject({ code: 21211 })
 * })
 */
export function errorInteraction(
  target: InteractionTarget,
  options: ErrorInteractionOptions,
): V4InteractionWithResponse {
  const { code } = options
  if (!isKnownErrorCode(code))
    throw new TwilioDoubleError(
      `errorInteraction: ${code} is not in the error catalog; use a Twilio code such as 21211, 21610 or 20003`,
    )
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID
  const natural = naturalError(code)
  const operation = options.operation ?? natural?.operation ?? 'create'
  const states: InteractionState[] = [accountState(accountSid)]
  if (natural?.state && natural.operation === operation) states.push(natural.state(options, accountSid))
  else if (!natural || natural.operation !== operation)
    states.push({
      name: PROVIDER_STATES.rejectNextRequest,
      params: { code, operation: operation === 'cancel' ? 'update' : operation },
    })
  states.push(...(options.states ?? []))
  const sid = options.sid ?? EXAMPLE_MESSAGE_SID
  const to = options.to ?? natural?.to ?? EXAMPLE_TO
  const from = options.from ?? natural?.from ?? DEFAULT_FROM
  const common = {
    description: options.description ?? `a request answered with Twilio error ${code}`,
    states,
    accountSid,
    authToken: options.authToken,
    status: errorStatus(code),
    body: errorMatcher(code, { to, from, path: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json` }),
  }
  switch (operation) {
    case 'create': {
      // For codes tied to a number, the number is matched exactly: it is what makes the provider answer the code.
      const exactTo = natural?.to !== undefined && options.to === undefined
      const exactFrom = natural?.from !== undefined && options.from === undefined
      const form = twilioParams({
        To: exactTo ? MatchersV3.equal(to) : to,
        From: exactFrom ? MatchersV3.equal(from) : from,
        Body: natural?.noBody ? undefined : (options.body ?? 'Hello from twilio-double'),
        ...options.params,
      })
      return twilioInteraction(target, { ...common, method: 'POST', path: messagesPath(accountSid), form })
    }
    case 'fetch':
      return twilioInteraction(target, { ...common, method: 'GET', path: messagePath(sid, accountSid) })
    case 'cancel':
      return twilioInteraction(target, {
        ...common,
        method: 'POST',
        path: messagePath(sid, accountSid),
        form: { Status: 'canceled' },
      })
    case 'delete':
      return twilioInteraction(target, { ...common, method: 'DELETE', path: messagePath(sid, accountSid) })
  }
}
