/** The GSM-7 septet table of `countSegments` against RegExp tests of the GSM-7 character sets. */
import { GSM7_BASIC_CHARS, GSM7_EXTENSION_CHARS } from '../../src/messaging/gsm7-tables.js'
import type { Micro } from './micro.js'

const escapeClass = (s: string) => s.replace(/[\\\]^-]/g, '\\$&')
const GSM7 = new RegExp(`^[${escapeClass(GSM7_BASIC_CHARS + GSM7_EXTENSION_CHARS)}]*$`)
const EXTENSION = new RegExp(`[${escapeClass(GSM7_EXTENSION_CHARS)}]`, 'g')

/** The plain way: the septets of a GSM-7 body (extension characters cost two), or -1. */
export function plainGsm7Septets(body: string): number {
  if (!GSM7.test(body)) return -1
  return body.length + (body.match(EXTENSION)?.length ?? 0)
}

const BODIES = [
  'Your verification code is 123456',
  'Price: 10€ {approx} [final]',
  'Votre code « 4821 » expire bientôt',
  'Hello from the bench, this is a longer message that still fits one segment of GSM-7 text, as most do.',
]

export const segments: Micro = {
  id: 'segments',
  fastPath: 'GSM-7 septet table `gsm7Septets` (src/messaging/segments.ts)',
  plainWay: 'RegExp of the GSM-7 character sets',
  swaps: [{ name: 'gsm7Septets', plain: 'plainGsm7Septets', from: import.meta.url }],
  targets: ['create'],
  isolated: (fast, plain) => [
    {
      label: 'countSegments of typical bodies',
      fast: (i) => fast.segments.countSegments(BODIES[i & 3]!),
      plain: (i) => plain.segments.countSegments(BODIES[i & 3]!),
    },
  ],
}
