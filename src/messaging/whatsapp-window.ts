/**
 * WhatsApp's customer service window: a business may send free-form messages to a user for 24 hours
 * after that user's last inbound message; outside the window only templates (`ContentSid`) go out.
 * Twilio accepts the create call and fails the message afterwards with 63016 (see the create rules and the
 * lifecycle, which read these windows).
 */
import { type AddressCache, addressKey } from './address.js'

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

  /** @param addresses the phone facts its double remembers. */
  constructor(private readonly addresses?: AddressCache) {}

  private key(accountSid: string, business: string, user: string): string {
    return `${accountSid}|${addressKey(business, this.addresses)}|${addressKey(user, this.addresses)}`
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
    const suffix = `|${addressKey(user, this.addresses)}`
    for (const [key, at] of this.lastInbound)
      if (key.startsWith(`${accountSid}|`) && key.endsWith(suffix) && now - at < WHATSAPP_WINDOW_MS)
        return true
    return false
  }
}
