import { TwilioDoubleError } from '../errors/twilio-api-error.js'

const pad = (n: number) => (n < 10 ? `0${n}` : String(n))

/**
 * Formats epoch milliseconds as Twilio's RFC 2822 date, e.g. `Thu, 24 Aug 2023 05:01:45 +0000`: the form of
 * `Date.prototype.toUTCString()` with `+0000` for its `GMT` (a year before 1000 keeps four digits, `0999`).
 *
 * @example
 * toRfc2822(0) // 'Thu, 01 Jan 1970 00:00:00 +0000'
 */
export function toRfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000')
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

/**
 * Parses a list's date filter (`DateSent`, `DateCreated` and their `<` / `>` forms): every form of
 * {@link parseApiDate}, and `MM/DD/YYYY HH:mm:ss TZ` as in Twilio's example `06/11/2019 22:05:25 MST` (the zone
 * a US zone name, GMT/UTC or an offset such as `-0700`; without one, GMT; the time may be left out).
 *
 * @example
 * parseDateFilter('06/11/2019 22:05:25 MST') // { ms: Date.parse('2019-06-12T05:05:25Z'), dayOnly: false }
 */
export function parseDateFilter(value: string): { ms: number; dayOnly: boolean } | undefined {
  const parsed = parseApiDate(value)
  if (parsed) return parsed
  const v = value.trim()
  const us = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?(?: ([A-Z]{3,4}|[+-]\d{4}))?$/.exec(v)
  if (us) {
    const [, month, date, year, hh, mm, ss, zone] = us
    const offset = zone === undefined ? 0 : zoneOffsetMinutes(zone)
    if (offset === undefined) return undefined
    const utc = Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(date),
      Number(hh ?? 0),
      Number(mm ?? 0),
      Number(ss ?? 0),
    )
    const check = new Date(utc)
    if (check.getUTCDate() !== Number(date) || check.getUTCMonth() !== Number(month) - 1) return undefined
    if (Number(hh ?? 0) > 23 || Number(mm ?? 0) > 59 || Number(ss ?? 0) > 59) return undefined
    return { ms: utc - offset * 60_000, dayOnly: hh === undefined }
  }
  return undefined
}

/** UTC offsets (minutes) of the zone names a date filter may carry: GMT/UTC and the US zones. */
const ZONES: Readonly<Record<string, number>> = {
  GMT: 0,
  UTC: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
}

/** Minutes east of UTC of a zone name (`MST`) or offset (`-0700`); undefined for an unknown name. */
function zoneOffsetMinutes(zone: string): number | undefined {
  const m = /^([+-])(\d{2})(\d{2})$/.exec(zone)
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))
  return ZONES[zone]
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
 * The inclusive range of epoch ms a list's date filters name: `on` a UTC day (a date-time, which the twilio
 * client always sends, stands for its day), `before` and `after` bounds on or before / on or after (a day
 * alone: on or before its end, on or after its start). Each is a date {@link parseDateFilter} reads, or
 * undefined; a value it cannot read throws.
 *
 * @example
 * dateFilterRange({ on: '2024-06-01' }) // { after: Date.parse('2024-06-01'), before: Date.parse('2024-06-02') - 1 }
 */
export function dateFilterRange(filters: { on?: string; before?: string; after?: string }): {
  after?: number
  before?: number
} {
  const read = (v: string | undefined) => {
    if (v === undefined) return undefined
    const d = parseDateFilter(v)
    if (!d) throw new TwilioDoubleError(`'${v}' is not a date filter: check it with parseDateFilter() first`)
    return d
  }
  const out: { after?: number; before?: number } = {}
  const on = read(filters.on)
  if (on) {
    const day = on.ms - (((on.ms % DAY_MS) + DAY_MS) % DAY_MS)
    out.after = day
    out.before = day + DAY_MS - 1
  }
  // a day alone as the upper bound includes that day: "on and before a specific date" (Twilio's OpenAPI)
  const before = read(filters.before)
  if (before)
    out.before = Math.min(
      out.before ?? Number.POSITIVE_INFINITY,
      before.dayOnly ? before.ms + DAY_MS - 1 : before.ms,
    )
  const after = read(filters.after)
  if (after) out.after = Math.max(out.after ?? Number.NEGATIVE_INFINITY, after.ms)
  return out
}

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
