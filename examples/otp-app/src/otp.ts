import { randomInt } from 'node:crypto'
import twilio from 'twilio'

/** The part of the `twilio` client this app uses. */
export interface MessagesClient {
  messages: {
    create(params: {
      to: string
      from?: string
      messagingServiceSid?: string
      body: string
      statusCallback?: string
    }): Promise<{
      sid: string
      status: string
    }>
  }
}

/** Where a code is in its delivery. */
export type DeliveryState = 'sending' | 'sent' | 'delivered' | 'failed'

export interface OtpOptions {
  client: MessagesClient
  /** Sender number (or use `messagingServiceSid`). */
  from?: string
  messagingServiceSid?: string
  /** Public URL of the status-callback route, as Twilio calls it. */
  statusCallbackUrl: string
  /** Auth token that signs Twilio's callbacks. */
  authToken: string
  /** Code lifetime in ms (default 5 minutes). */
  ttlMs?: number
  /** Current time (default Date.now). */
  now?: () => number
  /** Code generator (default: six random digits). */
  generateCode?: () => string
}

interface Pending {
  code: string
  sid: string
  expiresAt: number
  state: DeliveryState
  errorCode?: string
}

/** Raised when Twilio refuses the phone number. */
export class InvalidPhoneError extends Error {
  constructor(
    readonly phone: string,
    readonly code: number,
  ) {
    super(`cannot send a code to ${phone} (Twilio error ${code})`)
    this.name = 'InvalidPhoneError'
  }
}

/** Twilio errors that mean "this number cannot receive a code". */
const PHONE_ERRORS = new Set([21211, 21408, 21610, 21612, 21614])

/**
 * A one-time-password sender: texts a six-digit code, tracks its delivery through Twilio's status
 * callbacks, and verifies it.
 */
export function createOtpService(options: OtpOptions) {
  const now = options.now ?? Date.now
  const ttl = options.ttlMs ?? 5 * 60_000
  const generate = options.generateCode ?? (() => String(randomInt(0, 1_000_000)).padStart(6, '0'))
  const byPhone = new Map<string, Pending>()
  const phoneBySid = new Map<string, string>()

  return {
    /** Sends a new code to `phone`; a previous code stops working. */
    async sendCode(phone: string): Promise<{ sid: string }> {
      const code = generate()
      let message: { sid: string }
      try {
        message = await options.client.messages.create({
          to: phone,
          ...(options.messagingServiceSid
            ? { messagingServiceSid: options.messagingServiceSid }
            : { from: options.from }),
          body: `Your verification code is ${code}. It expires in ${Math.round(ttl / 60_000)} minutes.`,
          statusCallback: options.statusCallbackUrl,
        })
      } catch (err) {
        const twilioCode = (err as { code?: number }).code
        if (twilioCode !== undefined && PHONE_ERRORS.has(twilioCode))
          throw new InvalidPhoneError(phone, twilioCode)
        throw err
      }
      byPhone.set(phone, { code, sid: message.sid, expiresAt: now() + ttl, state: 'sending' })
      phoneBySid.set(message.sid, phone)
      return { sid: message.sid }
    },

    /** True once for the right, unexpired code. */
    verify(phone: string, code: string): boolean {
      const pending = byPhone.get(phone)
      if (!pending || pending.code !== code || now() > pending.expiresAt) return false
      byPhone.delete(phone)
      return true
    },

    /** Where the last code for `phone` is, as Twilio reported it. */
    delivery(phone: string): { state: DeliveryState; errorCode?: string } | undefined {
      const p = byPhone.get(phone)
      return p && { state: p.state, ...(p.errorCode ? { errorCode: p.errorCode } : {}) }
    },

    /** The status-callback route: checks Twilio's signature, then records the delivery state. */
    async handleStatusCallback(request: Request): Promise<Response> {
      const params = Object.fromEntries(new URLSearchParams(await request.text()))
      const signature = request.headers.get('x-twilio-signature') ?? ''
      if (!twilio.validateRequest(options.authToken, signature, options.statusCallbackUrl, params))
        return new Response('invalid signature', { status: 403 })
      const phone = phoneBySid.get(params.MessageSid ?? '')
      const pending = phone ? byPhone.get(phone) : undefined
      if (pending && pending.sid === params.MessageSid) {
        const status = params.MessageStatus
        if (status === 'sent') pending.state = 'sent'
        else if (status === 'delivered' || status === 'read') pending.state = 'delivered'
        else if (status === 'failed' || status === 'undelivered') {
          pending.state = 'failed'
          pending.errorCode = params.ErrorCode
        }
      }
      return new Response(null, { status: 204 })
    },
  }
}

export type OtpService = ReturnType<typeof createOtpService>
