/** The phone-number memos of src/messaging/address.ts (`phoneInfo`, `addressKey`) and `intern` (src/util/memo.ts). */
import type { Micro } from './micro.js'
import type { Graph } from './variants.js'

/** The plain way of `intern`: each message keeps its own copy of the string. */
export function plainIntern(value: string): string {
  return value
}

const NUMBERS = Array.from({ length: 20 }, (_, i) => `+1555010${1000 + i}`)

export const phone: Micro = {
  id: 'phone',
  fastPath: 'phone-number memos `phoneInfo` and `addressKey` (src/messaging/address.ts)',
  plainWay: 'libphonenumber-js called each time',
  swaps: [
    { find: 'memoize(computePhoneInfo,MEMO_LIMIT)', replace: 'computePhoneInfo' },
    { find: 'memoize(computeAddressKey,MEMO_LIMIT)', replace: 'computeAddressKey' },
  ],
  targets: ['create'],
  isolated: (fast, plain) => [
    {
      label: 'parseTo of 20 recipients in turn',
      fast: (i) => fast.address.parseTo(NUMBERS[i % 20]!),
      plain: (i) => plain.address.parseTo(NUMBERS[i % 20]!),
    },
    {
      label: 'addressKey of 20 recipients in turn',
      fast: (i) => fast.address.addressKey(NUMBERS[i % 20]!),
      plain: (i) => plain.address.addressKey(NUMBERS[i % 20]!),
    },
  ],
}

/** Heap per stored message after `count` creates with 2,000 recipients (the store benchmark's load). */
async function heapPerMessage(graph: Graph, count: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)')
  gc()
  gc()
  const before = process.memoryUsage().heapUsed
  const double = graph.index.createTwilioDouble({ maxQueueSeconds: false })
  for (let i = 0; i < count; i++)
    double.backend.createMessage({
      accountSid: 'AC00000000000000000000000000000001',
      // strings made per request, as the form decoder makes them
      from: ['+1500555', '0006'].join(''),
      to: `+1555${String(1000000 + (i % 2000)).padStart(7, '0')}`,
      body: `Your verification code is ${100000 + i}`,
    })
  gc()
  gc()
  const perMessage = (process.memoryUsage().heapUsed - before) / count
  // the double is used after the measure, so that it is alive during it
  if (double.messages.count() !== count) throw new Error('messages were dropped')
  return perMessage
}

export const intern: Micro = {
  id: 'intern',
  fastPath: '`intern` of stored addresses (src/util/memo.ts)',
  plainWay: 'each message keeps its own strings',
  swaps: [{ name: 'intern', plain: 'plainIntern', from: import.meta.url }],
  targets: ['create'],
  custom: async (fast, plain) => {
    const f: number[] = []
    const p: number[] = []
    for (let r = 0; r < 5; r++) {
      f.push(await heapPerMessage(fast, 50_000))
      p.push(await heapPerMessage(plain, 50_000))
    }
    f.sort((a, b) => a - b)
    p.sort((a, b) => a - b)
    return { label: 'heap per stored message (50,000 messages)', fast: f[2]!, plain: p[2]!, unit: 'B' }
  },
}
