import type { OtpService } from './otp.js'
import { InvalidPhoneError } from './otp.js'

/**
 * The HTTP routes of the OTP app, as a Fetch handler:
 * - POST /otp/send    { phone }        → 202 { sid } | 422 { error }
 * - POST /otp/verify  { phone, code }  → 200 { verified }
 * - GET  /otp/status?phone=…           → 200 { state, errorCode? } | 404
 * - POST /twilio/status                Twilio's status callback (form, signed)
 */
export function createApp(otp: OtpService) {
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

  return {
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url)
      const route = `${request.method} ${url.pathname}`
      if (route === 'POST /otp/send') {
        const { phone } = (await request.json()) as { phone: string }
        try {
          return json(202, await otp.sendCode(phone))
        } catch (err) {
          if (err instanceof InvalidPhoneError) return json(422, { error: err.message })
          throw err
        }
      }
      if (route === 'POST /otp/verify') {
        const { phone, code } = (await request.json()) as { phone: string; code: string }
        return json(200, { verified: otp.verify(phone, code) })
      }
      if (route === 'GET /otp/status') {
        const delivery = otp.delivery(url.searchParams.get('phone') ?? '')
        return delivery ? json(200, delivery) : json(404, { error: 'no code sent' })
      }
      if (route === 'POST /twilio/status') return otp.handleStatusCallback(request)
      return json(404, { error: 'not found' })
    },
  }
}
