/** The memo of Basic credentials (`basicCredentials`) against decoding the header each time. */
import type { Micro } from './micro.js'

const ACCOUNT = 'AC00000000000000000000000000000001'
const TOKEN = 'twilio-double-auth-token-0000001'
const HEADER = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`

export const credentials: Micro = {
  id: 'credentials',
  fastPath: 'Basic credentials memo `basicCredentials` (src/http/handle.ts)',
  plainWay: 'the header decoded at each request',
  // the same function, not remembered
  swaps: [{ find: 'basicCredentials=memoize(', replace: 'basicCredentials=((decode)=>decode)(' }],
  targets: ['create', 'fetch', 'list'],
  isolated: (fast, plain) => {
    const account = { sid: ACCOUNT, authToken: TOKEN, apiKeys: new Map() }
    const backend = { accounts: new Map([[ACCOUNT, account]]) }
    return [
      {
        label: 'authenticate a Basic header',
        fast: () => fast.handle.authenticate(backend, HEADER),
        plain: () => plain.handle.authenticate(backend, HEADER),
      },
    ]
  },
}
