/** The date memo of `toRfc2822` (the last date, then 512 recent ones) against formatting each time. */
import type { Micro } from './micro.js'

/** The plain way: the built-in formatter, each time (`toUTCString` is RFC 2822 with `GMT` for `+0000`). */
export function plainToRfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000')
}

const START = Date.UTC(2024, 0, 1)
/** Virtual time moves in steps: a message's dates repeat across the messages made at the same instant. */
const STAMPS = [START, START, START + 1000, START + 1000, START + 2000, START, START + 61_000, START + 1000]

export const dates: Micro = {
  id: 'dates',
  fastPath: 'date memo `toRfc2822` (`lastRfc2822` + `memoize`, src/util/dates.ts)',
  plainWay: '`new Date(ms).toUTCString()` each time',
  swaps: [{ name: 'toRfc2822', plain: 'plainToRfc2822', from: import.meta.url }],
  targets: ['create', 'fetch', 'list'],
  isolated: (fast, plain) => [
    {
      label: 'toRfc2822 of virtual timestamps',
      fast: (i) => fast.dates.toRfc2822(STAMPS[i & 7]!),
      plain: (i) => plain.dates.toRfc2822(STAMPS[i & 7]!),
    },
  ],
}
