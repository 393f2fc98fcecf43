import { deliveryErrorMessage } from '../errors/catalog.js'
import { CALLBACK_STATUSES } from '../messaging/lifecycle.js'
import { channelInstallSid } from '../messaging/status-callbacks.js'
import type { StatusCallbackParams } from '../schemas/webhooks.js'
import { toDlrDoneDate } from '../util/dates.js'
import type { FactoryContext } from './context.js'
import type { MessageFactory } from './message.js'
import { signedForm } from './signed-form.js'
import type { Factories } from './types.js'

/** Signed status callbacks of a message (default: a new outbound one in the status asked for). */
export function statusCallbackFactory(
  ctx: FactoryContext,
  message: MessageFactory,
): Factories['statusCallback'] {
  const { accountSid, authToken, now, sid, phone } = ctx
  return (input = {}) => {
    const url = input.url ?? 'https://example.com/twilio/status'
    const requested = input.status
    const m =
      input.message ??
      message({
        channel: input.channel ?? 'sms',
        // a canceled message was scheduled through a messaging service, and has no sender
        status: requested && requested !== 'queued' ? requested : 'delivered',
        // only a message sent through a messaging service has a queued callback
        messagingServiceSid: requested === 'queued' ? sid('MG') : undefined,
      })
    const status = requested ?? (m.status && CALLBACK_STATUSES.has(m.status) ? m.status : 'delivered')
    const to = m.to ?? phone()
    const channel = input.channel ?? (to.startsWith('whatsapp:') ? 'whatsapp' : 'sms')
    const errorCode = status === 'failed' || status === 'undelivered' ? (m.error_code ?? 30003) : undefined
    const params: StatusCallbackParams = {
      AccountSid: m.account_sid ?? accountSid,
      ApiVersion: '2010-04-01',
      // as the double sends it: a message with no sender yet (canceled while scheduled) has an empty From
      From: m.from ?? '',
      MessageSid: m.sid ?? sid('SM'),
      MessageStatus: status,
      SmsSid: m.sid ?? sid('SM'),
      SmsStatus: status,
      To: to,
    }
    params.SmsSid = params.MessageSid
    if (errorCode !== undefined) params.ErrorCode = String(errorCode)
    if (m.messaging_service_sid) params.MessagingServiceSid = m.messaging_service_sid
    if (channel !== 'whatsapp' && (status === 'delivered' || status === 'undelivered'))
      params.RawDlrDoneDate = toDlrDoneDate(Date.parse(m.date_updated ?? '') || now)
    if (channel === 'whatsapp') {
      params.ChannelPrefix = 'whatsapp'
      // as the double sends them: no channel install without a sender, the error's text on failure
      if (params.From) params.ChannelInstallSid = channelInstallSid(params.AccountSid, params.From)
      if (errorCode !== undefined)
        params.ChannelStatusMessage = m.error_message ?? deliveryErrorMessage(errorCode)
    }
    if (status === 'read') params.EventType = 'READ'
    return signedForm(url, params, input.authToken ?? authToken, status)
  }
}
