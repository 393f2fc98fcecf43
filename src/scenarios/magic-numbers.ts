/**
 * Twilio's test-credential magic numbers, as built-in scenarios of Create Message.
 * (twilio.com/docs/iam/test-credentials)
 */
export interface MagicNumber {
  param: 'From' | 'To'
  value: string
  /** Error code answered; undefined: passes validation (queued). */
  code?: number
}

/**
 * Twilio's test-credential magic numbers (From / To values that trigger a create outcome). A double answers
 * them with any credentials unless created with `magicNumbers: false`.
 *
 * @example
 * MAGIC_NUMBERS.find((m) => m.param === 'To' && m.value === '+15005550004')?.code // 21610
 */
export const MAGIC_NUMBERS: readonly MagicNumber[] = [
  { param: 'From', value: '+15005550006' },
  { param: 'From', value: '+15005550001', code: 21212 },
  { param: 'From', value: '+15005550007', code: 21606 },
  { param: 'From', value: '+15005550008', code: 21611 },
  { param: 'To', value: '+15005550001', code: 21211 },
  { param: 'To', value: '+15005550002', code: 21612 },
  { param: 'To', value: '+15005550003', code: 21408 },
  { param: 'To', value: '+15005550004', code: 21610 },
  { param: 'To', value: '+15005550009', code: 21614 },
]

/** The error codes of magic From and To values. */
const codesOf = (param: MagicNumber['param']) =>
  new Map(MAGIC_NUMBERS.filter((m) => m.param === param && m.code).map((m) => [m.value, m.code!]))
const FROM_CODES = codesOf('From')
const TO_CODES = codesOf('To')

/**
 * The error code a magic To or From number triggers, if any (From checked first, as Twilio validates it first).
 *
 * @example
 * magicNumberError('+15005550006', '+15005550009') // { code: 21614, param: 'To' }
 */
export function magicNumberError(
  from: string | undefined,
  to: string | undefined,
): { code: number; param: 'From' | 'To' } | undefined {
  if (from) {
    const code = FROM_CODES.get(from)
    if (code) return { code, param: 'From' }
  }
  if (to) {
    const code = TO_CODES.get(to)
    if (code) return { code, param: 'To' }
  }
  return undefined
}
