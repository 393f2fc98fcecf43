import { TwilioDoubleError } from '../errors/twilio-api-error.js'
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

const CHANNELS = ['sms', 'mms', 'whatsapp'] as const

/** An ISO 3166-1 alpha-2 country code, as a message's country is known (`US`, `GB`). */
const COUNTRY = /^[A-Z]{2}$/

/**
 * The price table a double uses: the built-in prices ({@link DEFAULT_PRICES}) with the channels `prices` names
 * replaced. A channel's price is a number, or prices by ISO country code (`GB`, not the calling code `44`) with
 * `default` for the countries not listed (when it has no `default`, the built-in one applies to them). Anything
 * else is refused, naming it.
 *
 * @example
 * resolvePrices({ sms: { US: 0.01, GB: 0.04 } }).sms // { US: 0.01, GB: 0.04, default: 0.05 }
 */
export function resolvePrices(prices: Partial<PriceTable> | undefined): PriceTable {
  if (prices === undefined) return DEFAULT_PRICES
  if (typeof prices !== 'object' || prices === null || Array.isArray(prices))
    throw new TwilioDoubleError(
      `prices must be an object such as { sms: 0.0079, mms: { US: 0.02, default: 0.2 } } (got ${JSON.stringify(prices)})`,
    )
  const out: PriceTable = { ...DEFAULT_PRICES }
  for (const [channel, value] of Object.entries(prices)) {
    if (!(CHANNELS as readonly string[]).includes(channel))
      throw new TwilioDoubleError(`prices.${channel}: unknown channel; use ${CHANNELS.join(', ')}`)
    const bad = () =>
      new TwilioDoubleError(
        `prices.${channel} must be a price in USD (a number >= 0) or prices by country code such as { US: 0.0079, default: 0.05 } (got ${JSON.stringify(value)})`,
      )
    const key = channel as (typeof CHANNELS)[number]
    if (typeof value === 'number') {
      if (!(value >= 0 && Number.isFinite(value))) throw bad()
      out[key] = value
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const byCountry = value as Record<string, unknown>
      if (!Object.values(byCountry).every((v) => typeof v === 'number' && v >= 0 && Number.isFinite(v)))
        throw bad()
      // a message's country is its ISO code ('GB'): a calling code ('44') or 'gb' would never match
      const notCountry = Object.keys(byCountry).find((k) => k !== 'default' && !COUNTRY.test(k))
      if (notCountry !== undefined)
        throw new TwilioDoubleError(
          `prices.${channel}: '${notCountry}' is not a country code; key prices by ISO 3166 country code in capitals (US, GB, FR), with default for the others, such as { US: 0.0079, GB: 0.04, default: 0.05 }`,
        )
      const builtIn = DEFAULT_PRICES[key]
      out[key] = {
        default: typeof builtIn === 'number' ? builtIn : (builtIn.default ?? 0),
        ...(byCountry as Record<string, number>),
      }
    } else throw bad()
  }
  return out
}

function pick(v: number | Record<string, number>, country: string | undefined): number {
  if (typeof v === 'number') return v
  return (country ? v[country] : undefined) ?? v.default ?? 0
}

/**
 * The price Twilio bills for a message, as its negative decimal string (e.g. `-0.01580`): per message for
 * WhatsApp and MMS (`mms`, by default when it has media), per segment for SMS.
 */
export function priceOf(
  table: PriceTable,
  m: { channel: Channel; numSegments: number; numMedia: number; country?: string; mms?: boolean },
): { amount: number; price: string } {
  let amount: number
  if (m.channel === 'whatsapp') amount = pick(table.whatsapp, m.country)
  else if (m.mms ?? m.numMedia > 0) amount = pick(table.mms, m.country)
  else amount = pick(table.sms, m.country) * Math.max(1, m.numSegments)
  return { amount, price: (-amount).toFixed(5) }
}
