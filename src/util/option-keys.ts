import { TwilioDoubleError } from '../errors/twilio-api-error.js'

/**
 * The keys of an options type, as an object the compiler checks against the type (`Record<keyof T, true>`): a
 * key added to the type and not here, or misspelt here, does not compile.
 */
export type OptionKeys<T> = Record<keyof T, true>

/**
 * Refuses the keys of `value` that `known` does not name, with the place they were found (`where`, such as
 * `accounts[0].phoneNumbers[1]`) and the keys it takes: a misspelt option is an error, not a setting silently
 * ignored. Values that are not plain objects are left to the caller's own checks.
 *
 * @example
 * refuseUnknownKeys({ queud: 5 }, DELAY_KEYS, 'createTwilioDouble(): delays')
 * // throws "[twilio-double] createTwilioDouble(): delays: unknown key 'queud' (known: accepted, queued, …)"
 */
export function refuseUnknownKeys(value: unknown, known: Record<string, true>, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return
  const unknown = Object.keys(value).filter((k) => !Object.hasOwn(known, k))
  if (unknown.length > 0)
    throw new TwilioDoubleError(
      `${where}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${Object.keys(known).join(', ')})`,
    )
}
