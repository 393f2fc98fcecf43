/**
 * The reference consumer of the contracts: a small notification module of an app, written against the real
 * `twilio` client. Its Pact test (test/pact/reference-consumer.test.ts) records what it expects of Twilio in
 * contracts/pacts/notifications-app-Twilio.json, and the double is verified against that file.
 */
import type { Twilio } from 'twilio'

/** What the app remembers of a message it sent. */
export interface SentMessage {
  sid: string
  status: string
}

/** Settings of the notifier. */
export interface NotifierConfig {
  /** The number texts are sent from. */
  from: string
  /** The messaging service used for scheduled and pooled messages. */
  messagingServiceSid: string
}

/** A notification module: texts, pictures, scheduled reminders, status checks and clean-up. */
export interface Notifier {
  sendText(to: string, body: string): Promise<SentMessage>
  sendPicture(to: string, body: string, imageUrls: string[]): Promise<SentMessage & { media: number }>
  sendFromPool(to: string, body: string): Promise<SentMessage>
  scheduleReminder(to: string, body: string, at: Date): Promise<SentMessage>
  deliveryStatus(sid: string): Promise<string>
  conversation(to: string): Promise<{ sid: string; status: string; body: string }[]>
  forget(sid: string): Promise<void>
  cancelReminder(sid: string): Promise<boolean>
  remove(sid: string): Promise<boolean>
  /** A text to a number that may be invalid or unsubscribed: 'sent', 'invalid-number' or 'opted-out'. */
  tryText(to: string, body: string): Promise<'sent' | 'invalid-number' | 'opted-out'>
}

/**
 * Builds the notifier over a `twilio` client.
 *
 * @example
 * const notifier = createNotifier(twilio(sid, token), { from: '+15005550006', messagingServiceSid: 'MG…' })
 * await notifier.sendText('+15558675310', 'Your order shipped')
 */
export function createNotifier(client: Twilio, config: NotifierConfig): Notifier {
  return {
    async sendText(to, body) {
      const m = await client.messages.create({ to, from: config.from, body })
      return { sid: m.sid, status: m.status }
    },
    async sendPicture(to, body, imageUrls) {
      const m = await client.messages.create({ to, from: config.from, body, mediaUrl: imageUrls })
      return { sid: m.sid, status: m.status, media: Number(m.numMedia) }
    },
    async sendFromPool(to, body) {
      const m = await client.messages.create({ to, messagingServiceSid: config.messagingServiceSid, body })
      return { sid: m.sid, status: m.status }
    },
    async scheduleReminder(to, body, at) {
      const m = await client.messages.create({
        to,
        body,
        messagingServiceSid: config.messagingServiceSid,
        scheduleType: 'fixed',
        sendAt: at,
      })
      return { sid: m.sid, status: m.status }
    },
    async deliveryStatus(sid) {
      return (await client.messages(sid).fetch()).status
    },
    async conversation(to) {
      const list = await client.messages.list({ to, limit: 20 })
      return list.map((m) => ({ sid: m.sid, status: m.status, body: m.body }))
    },
    async forget(sid) {
      await client.messages(sid).update({ body: '' })
    },
    async cancelReminder(sid) {
      try {
        return (await client.messages(sid).update({ status: 'canceled' })).status === 'canceled'
      } catch (err) {
        if ((err as { code?: number }).code === 30409) return false
        throw err
      }
    },
    async remove(sid) {
      return client.messages(sid).remove()
    },
    async tryText(to, body) {
      try {
        await client.messages.create({ to, from: config.from, body })
        return 'sent'
      } catch (err) {
        const code = (err as { code?: number }).code
        if (code === 21211) return 'invalid-number'
        if (code === 21610) return 'opted-out'
        throw err
      }
    },
  }
}
