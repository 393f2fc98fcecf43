import { TwilioDoubleError } from '../errors/twilio-api-error.js'
import { memoize } from './memo.js'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => (n < 10 ? `0${n}` : String(n))

/**
 * Formats epoch milliseconds as Twilio's RFC 2822 date, e.g. `Thu, 24 Aug 2023 05:01:45 +0000`.
 *
 * @example
 * toRfc2822(0) // 'Thu, 01 Jan 1970 00:00:00 +0000'
 */
export function toRfc2822(ms: number): string {
  // Many resources share a timestamp (virtual time moves in steps): the last results are remembered.
  return rememberedRfc2822(ms)
}

const rememberedRfc2822 = memoize(formatRfc2822, 512)

function formatRfc2822(ms: number): string {
  const d = new Date(ms)
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
}

/**
 * Parses a date filter or SendAt value: `YYYY-MM-DD`, ISO 8601 date-times (`YYYY-MM-DDTHH:mm:ssZ`, with
 * offsets or fractions) and RFC 2822. Returns epoch ms and whether only a day was given, or undefined.
 */
export function parseApiDate(value: string): { ms: number; dayOnly: boolean } | undefined {
  const v = value.trim()
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))
    return Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(day[3])
      ? undefined
      : { ms, dayOnly: true }
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v)) {
    const iso = v.replace(' ', 'T')
    const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`)
    return Number.isNaN(ms) ? undefined : { ms, dayOnly: false }
  }
  if (/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/.test(v)) {
    const ms = Date.parse(v)
    return Number.isNaN(ms) ? undefined : { ms, dayOnly: false }
  }
  return undefined
}

/** Twilio's RawDlrDoneDate: `YYMMDDhhmm` in UTC. */
export function toDlrDoneDate(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(
    d.getUTCMinutes(),
  )}`
}

export const DAY_MS = 86_400_000

/**
 * A date option (Date, epoch ms or a string `Date.parse` reads) as epoch ms; `what` names the option in the
 * error a bad value gets.
 *
 * @example
 * toEpochMs('2024-01-01T00:00:00Z', 'startTime') // 1704067200000
 */
export function toEpochMs(value: Date | number | string, what: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value)
  if (!Number.isFinite(ms))
    throw new TwilioDoubleError(
      `${what} '${String(value)}' is not a date: pass a Date, epoch ms or ISO string`,
    )
  return ms
}
