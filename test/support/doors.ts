/**
 * The two doors the real `twilio` client reaches the double through: msw interception of its HTTP calls,
 * and `double.httpClient()` with no interception at all. Write a test once and run it for both:
 *
 * @example
 * describe.each(DOORS)('through %s', (kind) => {
 *   const door = useDoor(kind)
 *   it('creates', async () => {
 *     const client = door.connect(double)
 *     await client.messages.create({ ... })
 *   })
 * })
 */
import { setupServer } from 'msw/node'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { twilioHandlers } from '../../src/adapters/msw.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../../src/config.js'
import type { TwilioDouble } from '../../src/double.js'

export type DoorKind = 'msw' | 'httpClient'
export const DOORS: DoorKind[] = ['msw', 'httpClient']

export interface ConnectOptions {
  accountSid?: string
  authToken?: string
  /** Extra options of the `twilio` client (edge, region, ...). */
  clientOptions?: twilio.ClientOpts
}

export interface Door {
  kind: DoorKind
  /** A real `twilio` client whose requests reach `double` through this door. */
  connect(double: TwilioDouble, options?: ConnectOptions): twilio.Twilio
}

/** Registers the door's lifecycle hooks in the current describe block and returns it. */
export function useDoor(kind: DoorKind): Door {
  let server: ReturnType<typeof setupServer> | undefined
  if (kind === 'msw') {
    beforeAll(() => {
      const s = setupServer()
      s.listen({ onUnhandledRequest: 'error' })
      server = s
    })
    afterEach(() => server?.resetHandlers())
    afterAll(() => server?.close())
  }
  return {
    kind,
    connect(double, options = {}) {
      const sid = options.accountSid ?? DEFAULT_ACCOUNT_SID
      const token = options.authToken ?? DEFAULT_AUTH_TOKEN
      if (kind === 'msw') {
        if (!server) throw new Error('the msw door is used outside its describe block')
        server.resetHandlers(...twilioHandlers(double))
        return twilio(sid, token, options.clientOptions)
      }
      return twilio(sid, token, { ...options.clientOptions, httpClient: double.httpClient() as any })
    },
  }
}
