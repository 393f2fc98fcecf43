import { parse } from '@lukeed/ms'
import { TwilioDoubleError } from '../errors/twilio-api-error.js'

/** A duration: milliseconds as a number, or a string such as `'90s'`, `'5m'`, `'1h'`, `'2 days'`. */
export type Duration = number | string

/**
 * Converts a {@link Duration} to milliseconds.
 *
 * @example
 * toMs('90s') // 90000
 */
export function toMs(value: Duration): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new TwilioDoubleError(
        `invalid duration ${value}: pass a number of milliseconds >= 0 or a string such as '90s'`,
      )
    return withinDates(value, String(value))
  }
  const ms = parse(value)
  if (ms === undefined || !Number.isFinite(ms) || ms < 0)
    throw new TwilioDoubleError(
      `invalid duration '${value}': use a number of milliseconds or a string such as '90s', '5m', '2h'`,
    )
  return withinDates(ms, `'${value}'`)
}

/** The largest span a `Date` holds from the epoch: no clock of the double goes further. */
const LONGEST = 8.64e15

function withinDates(ms: number, written: string): number {
  if (ms > LONGEST)
    throw new TwilioDoubleError(
      `duration ${written} is longer than the double's clock can go (a Date reaches 8.64e15 ms): use a shorter one`,
    )
  return ms
}
