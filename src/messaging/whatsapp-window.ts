/**
 * WhatsApp's customer service window: a business may send free-form messages to a user for 24 hours
 * after that user's last inbound message; outside the window only templates (`ContentSid`) go out.
 * Twilio accepts the create call and fails the message afterwards with 63016, which is what this does.
 */
import { addressKey } from './address.js'
import type { MessagingBackend } from './backend.js'
import { statusHistory } from './history.js'
import type { MessageRecord } from './types.js'

/** Length of WhatsApp's customer service window. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000

/**
 * The windows of one double: the time of each user's last inbound message, per account and business
 * sender.
 *
 * @example
 * const windows = new WhatsAppWindows()
 * windows.touch('AC…', 'whatsapp:+14155238886', 'whatsapp:+15550001111', Date.now())
 * windows.isOpen('AC…', 'whatsapp:+14155238886', 'whatsapp:+15550001111', Date.now()) // true
 */
export class WhatsAppWindows {
  private lastInbound = new Map<string, number>()

  private key(accountSid: string, business: string, user: string): string {
    return `${accountSid}|${addressKey(business)}|${addressKey(user)}`
  }

  /** Records an inbound message from `user` to `business` at `at` (epoch ms). */
  touch(accountSid: string, business: string, user: string, at: number): void {
    const key = this.key(accountSid, business, user)
    this.lastInbound.set(key, Math.max(at, this.lastInbound.get(key) ?? at))
  }

  /**
   * True when `business` may send free-form to `user` at `now`. Without a known business sender, any
   * open window with the user counts.
   */
  isOpen(accountSid: string, business: string | null, user: string, now: number): boolean {
    if (business) {
      const at = this.lastInbound.get(this.key(accountSid, business, user))
      return at !== undefined && now - at < WHATSAPP_WINDOW_MS
    }
    const suffix = `|${addressKey(user)}`
    for (const [key, at] of this.lastInbound)
      if (key.startsWith(`${accountSid}|`) && key.endsWith(suffix) && now - at < WHATSAPP_WINDOW_MS)
        return true
    return false
  }

  /** Forgets every window. */
  clear(): void {
    this.lastInbound.clear()
  }

  /**
   * Enforces the window on a backend: when an outbound WhatsApp message without a template enters
   * `queued` outside the window, it fails with 63016 at that same instant (before it would be sent),
   * with its `failed` status callback. The create call itself succeeds, as on Twilio.
   * Returns a function that stops the enforcement.
   */
  enforce(backend: MessagingBackend): () => void {
    return backend.subscribe((e) => {
      if (e.type !== 'message' || e.status !== 'queued') return
      const r = backend.stores.get(e.accountSid)?.get(e.sid)
      if (!r || !this.mustFail(r, backend.scheduler.now())) return
      backend.scheduler.schedule(backend.scheduler.now(), () => {
        if (r.status === 'queued' && backend.findMessage(r.sid) === r) backend.transition(r, 'failed', 63016)
      })
    })
  }

  private mustFail(r: MessageRecord, now: number): boolean {
    if (r.channel !== 'whatsapp' || r.direction === 'inbound') return false
    if (r.extra?.contentSid) return false
    if (statusHistory(r).filter((h) => h.status === 'queued').length > 1) return false
    return !this.isOpen(r.accountSid, r.from, r.to, now)
  }
}
