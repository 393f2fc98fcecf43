import { type ErrorDetails, errorMessage, errorStatus, moreInfo } from './catalog.js'

/** The JSON body of every Twilio API error. */
export interface TwilioErrorBody {
  code: number
  message: string
  more_info: string
  status: number
  detail?: string
}

/**
 * An API error the domain throws; the http layer renders it as Twilio's error body.
 *
 * @example
 * throw new TwilioApiError(21211, { to: '+1asd' })
 */
export class TwilioApiError extends Error {
  readonly code: number
  readonly status: number
  readonly details: ErrorDetails
  /** Extra response headers (e.g. Retry-After on 429). */
  readonly headers: Record<string, string>

  constructor(
    code: number,
    details: ErrorDetails = {},
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(errorMessage(code, details))
    this.name = 'TwilioApiError'
    this.code = code
    this.details = details
    this.status = options.status ?? errorStatus(code)
    this.headers = options.headers ?? {}
  }

  /** Twilio's error body for this error. */
  toBody(): TwilioErrorBody {
    const body: TwilioErrorBody = {
      code: this.code,
      message: this.message,
      more_info: moreInfo(this.code),
      status: this.status,
    }
    // credentials refused (not an action refused to good credentials, 403)
    if (this.code === 20003 && this.status === 401)
      body.detail = 'Your AccountSid or AuthToken was incorrect.'
    return body
  }
}

/** What the message of every {@link TwilioDoubleError} starts with. */
export const TOOLKIT_ERROR_PREFIX = '[twilio-double] '

/**
 * An error a user of the toolkit caused (bad option, unknown SID in a helper); prefixed `[twilio-double]`.
 *
 * @example
 * expect(() => createTwilioDouble({ seed: {} as never })).toThrow(TwilioDoubleError)
 */
export class TwilioDoubleError extends Error {
  constructor(message: string) {
    super(`${TOOLKIT_ERROR_PREFIX}${message}`)
    this.name = 'TwilioDoubleError'
  }
}
