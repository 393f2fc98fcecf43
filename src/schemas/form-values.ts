/**
 * The values of form and query parameters as Twilio reads them (all strings, as they arrive; an empty value stands
 * for a parameter not given), shared by the parameter schemas of each resource.
 */
import { z } from 'zod'
import { parseDateFilter } from '../util/dates.js'

/** A flag as Twilio reads it: `true` or `false` in any case (empty: not given). */
export const formBool = z.string().regex(/^(true|false)?$/i)
/** One of `values`, or empty (not given). */
export const formEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.enum(values), z.literal('')])
/** A whole number as Twilio reads it (surrounding spaces allowed), or empty (not given). */
export const formInteger = z.string().regex(/^(|\s*\d+\s*)$/)
/**
 * A date filter as Twilio reads it: `YYYY-MM-DD`, an ISO-8601 date-time, `MM/DD/YYYY HH:mm:ss` with a US zone
 * or an offset, or an RFC 2822 date; empty: not given.
 */
export const formDateFilter = z.string().refine((v) => v === '' || parseDateFilter(v) !== undefined, {
  message: 'use YYYY-MM-DD, YYYY-MM-DDTHH:mm:ssZ, MM/DD/YYYY HH:mm:ss MST or an RFC 2822 date',
})
/** A page size as Twilio reads it: a whole number from 1 to 1000, or empty (not given). */
export const formPageSize = formInteger.refine((v) => v === '' || (Number(v) >= 1 && Number(v) <= 1000))
