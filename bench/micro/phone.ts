/** The phone-number memos of one double's `AddressCache` (src/messaging/address.ts: `phoneInfo`, `addressKey`). */
import type { Micro } from './micro.js'

const NUMBERS = Array.from({ length: 20 }, (_, i) => `+1555010${1000 + i}`)

export const phone: Micro = {
  id: 'phone',
  fastPath: 'phone-number memos `phoneInfo` and `addressKey` (src/messaging/address.ts)',
  plainWay: 'libphonenumber-js called each time',
  swaps: [
    { find: 'memoize(computePhoneInfo,MEMO_LIMIT)', replace: 'computePhoneInfo' },
    {
      find: 'memoize(value=>computeAddressKey(value,this.phoneInfo),MEMO_LIMIT)',
      replace: 'value=>computeAddressKey(value,this.phoneInfo)',
    },
  ],
  targets: ['create'],
  isolated: (fast, plain) => {
    // a double's cache: in the plain copy its memos are unwrapped
    const fastCache = new fast.address.AddressCache()
    const plainCache = new plain.address.AddressCache()
    return [
      {
        label: 'parseTo of 20 recipients in turn',
        fast: (i) => fast.address.parseTo(NUMBERS[i % 20]!, { cache: fastCache }),
        plain: (i) => plain.address.parseTo(NUMBERS[i % 20]!, { cache: plainCache }),
      },
      {
        label: 'addressKey of 20 recipients in turn',
        fast: (i) => fast.address.addressKey(NUMBERS[i % 20]!, fastCache),
        plain: (i) => plain.address.addressKey(NUMBERS[i % 20]!, plainCache),
      },
    ]
  },
}
