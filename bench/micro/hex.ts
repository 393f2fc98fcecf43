/** The hexadecimal digit reader `hexValue` (src/util/hex.ts) in SID checks, against a RegExp. */
import type { Micro } from './micro.js'

const SID = /^[0-9a-fA-F]{32}$/

/** The plain way of the SID check of create parameters: the prefix, then a RegExp of 32 hexadecimal digits. */
export function plainIsSid(prefix: string, value: string): boolean {
  return value.length === 34 && value.startsWith(prefix) && SID.test(value.slice(2))
}

const SIDS = [
  'MG00000000000000000000000000000001',
  'MG0123456789abcdef0123456789ABCDEF',
  'MGnot-a-sid',
  '+15005550006',
]

export const hex: Micro = {
  id: 'hex',
  fastPath: 'hex reader `hexValue` in `isSid` (src/util/hex.ts, src/messaging/create-rules.ts)',
  plainWay: 'RegExp `/^[0-9a-fA-F]{32}$/`',
  swaps: [{ name: 'isSid', plain: 'plainIsSid', from: import.meta.url }],
  targets: ['createService'],
  isolated: (fast) => {
    // isSid of src/messaging/create-rules.ts (not exported), over the hexValue of the fast copy
    const isSid = (prefix: string, value: string) => {
      if (value.length !== 34 || !value.startsWith(prefix)) return false
      for (let i = 2; i < 34; i++) if (fast.hex.hexValue(value.charCodeAt(i)) < 0) return false
      return true
    }
    return [
      {
        label: 'SID check of MessagingServiceSid values',
        fast: (i) => isSid('MG', SIDS[i & 3]!),
        plain: (i) => plainIsSid('MG', SIDS[i & 3]!),
      },
    ]
  },
}
