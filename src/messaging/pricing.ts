import type { Channel } from './address.js'

/** Price per segment (SMS) or per message (MMS, WhatsApp) in USD, by channel, optionally by country. */
export interface PriceTable {
  sms: number | Record<string, number>
  mms: number | Record<string, number>
  whatsapp: number | Record<string, number>
}

/** Default prices: US SMS $0.0079 per segment, MMS $0.0200, WhatsApp $0.0050; other countries $0.0500 SMS. */
export const DEFAULT_PRICES: PriceTable = {
  sms: { US: 0.0079, CA: 0.0079, default: 0.05 },
  mms: { US: 0.02, CA: 0.02, default: 0.2 },
  whatsapp: 0.005,
}

function pick(v: number | Record<string, number>, country: string | undefined): number {
  if (typeof v === 'number') return v
  return (country ? v[country] : undefined) ?? v.default ?? 0
}

/** The price Twilio bills for a message, as its negative decimal string (e.g. `-0.01580`). */
export function priceOf(
  table: PriceTable,
  m: { channel: Channel; numSegments: number; numMedia: number; country?: string },
): { amount: number; price: string } {
  let amount: number
  if (m.channel === 'whatsapp') amount = pick(table.whatsapp, m.country)
  else if (m.numMedia > 0) amount = pick(table.mms, m.country)
  else amount = pick(table.sms, m.country) * Math.max(1, m.numSegments)
  return { amount, price: (-amount).toFixed(5) }
}
