import { describe, expect, it } from 'vitest'
import { DEFAULT_PRICES, type PriceTable, priceOf } from './pricing.js'

describe('priceOf', () => {
  it('bills SMS per segment by country, as a negative decimal with five places', () => {
    expect(priceOf(DEFAULT_PRICES, { channel: 'sms', numSegments: 1, numMedia: 0, country: 'US' })).toEqual({
      amount: 0.0079,
      price: '-0.00790',
    })
    expect(
      priceOf(DEFAULT_PRICES, { channel: 'sms', numSegments: 3, numMedia: 0, country: 'US' }).price,
    ).toBe('-0.02370')
    expect(
      priceOf(DEFAULT_PRICES, { channel: 'sms', numSegments: 1, numMedia: 0, country: 'FR' }).price,
    ).toBe('-0.05000')
  })

  it('bills MMS and WhatsApp per message', () => {
    expect(
      priceOf(DEFAULT_PRICES, { channel: 'sms', numSegments: 4, numMedia: 2, country: 'US' }).price,
    ).toBe('-0.02000')
    expect(priceOf(DEFAULT_PRICES, { channel: 'whatsapp', numSegments: 3, numMedia: 0 }).price).toBe(
      '-0.00500',
    )
  })

  it('bills as the message goes out: an MMS without media per message, one with media sent as SMS per segment', () => {
    const us = { channel: 'sms' as const, numSegments: 2, country: 'US' }
    expect(priceOf(DEFAULT_PRICES, { ...us, numMedia: 0, mms: true }).price).toBe('-0.02000')
    expect(priceOf(DEFAULT_PRICES, { ...us, numMedia: 1, mms: false }).price).toBe('-0.01580')
  })

  it('uses a custom table with flat prices', () => {
    const table: PriceTable = { sms: 0.01, mms: 0.03, whatsapp: { default: 0.004, BR: 0.0625 } }
    expect(priceOf(table, { channel: 'sms', numSegments: 2, numMedia: 0, country: 'US' }).price).toBe(
      '-0.02000',
    )
    expect(priceOf(table, { channel: 'whatsapp', numSegments: 1, numMedia: 0, country: 'BR' }).price).toBe(
      '-0.06250',
    )
  })
})
