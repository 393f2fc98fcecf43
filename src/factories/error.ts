import type { ErrorDetails } from '../errors/catalog.js'
import { TwilioApiError, TwilioDoubleError } from '../errors/twilio-api-error.js'
import type { ErrorResource } from '../schemas/message.js'
import { API, type FactoryContext } from './context.js'

/** Twilio's error bodies, with the HTTP status and text of the error catalog. */
export function errorFactory(ctx: FactoryContext): (code: number, details?: ErrorDetails) => ErrorResource {
  const { accountSid, sid, phone } = ctx
  return (code, details = {}) => {
    if (!Number.isInteger(code) || code < 1)
      throw new TwilioDoubleError(
        `error(code): code must be a Twilio error code such as 21211, got ${String(code)}`,
      )
    return new TwilioApiError(code, {
      to: phone(),
      from: phone(),
      path: `${API}/Accounts/${accountSid}/Messages/${sid('SM')}.json`,
      ...details,
    }).toBody()
  }
}
