import { describe, expect, it } from 'vitest'
import { DEFAULT_FROM } from '../config.js'
import { createTwilioDouble } from '../double.js'
import { followWallClock } from './wall-clock.js'

const START = Date.UTC(2024, 0, 1)

/** A double whose virtual time follows a wall clock the test moves (its own timer never fires). */
function setup() {
  const double = createTwilioDouble({ startTime: START })
  let wall = 1_000_000
  const clock = followWallClock(double, { now: () => wall, everyMs: 2 ** 30 })
  const pass = (ms: number) => {
    wall += ms
  }
  return { double, clock, pass }
}

async function send(double: ReturnType<typeof createTwilioDouble>) {
  const res = await double.fetch(
    new Request(
      `https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa('AC00000000000000000000000000000001:twilio-double-auth-token-0000001')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: '+15558675310', From: DEFAULT_FROM, Body: 'Hi' }),
      },
    ),
  )
  return ((await res.json()) as { sid: string }).sid
}

describe('followWallClock()', () => {
  it('moves virtual time on by the wall-clock time passed, running what falls due', async () => {
    const { double, clock, pass } = setup()
    try {
      const sid = await send(double)
      await clock.tick()
      expect(double.now().getTime()).toBe(START)
      pass(1_500)
      await clock.tick()
      expect(double.now().getTime()).toBe(START + 1_500)
      expect(double.messages.get(sid)?.status).toBe('sending')
      pass(10_000)
      await clock.tick()
      expect(double.now().getTime()).toBe(START + 11_500)
      expect(double.messages.get(sid)?.status).toBe('delivered')
    } finally {
      clock.stop()
    }
  })

  it('keeps the jumps of advance(): wall-clock time adds to them', async () => {
    const { double, clock, pass } = setup()
    try {
      await double.advance('1h')
      pass(2_000)
      await clock.tick()
      expect(double.now().getTime()).toBe(START + 3_600_000 + 2_000)
    } finally {
      clock.stop()
    }
  })

  it('moves on by itself on its timer', async () => {
    const double = createTwilioDouble({ startTime: START })
    let wall = 0
    const clock = followWallClock(double, { now: () => wall, everyMs: 1 })
    try {
      const sid = await send(double)
      const delivered = new Promise<void>((resolve) => {
        const stop = double.subscribe((e) => {
          if (e.type === 'message' && e.sid === sid && e.status === 'delivered') resolve(stop())
        })
      })
      wall = 60_000
      await delivered
      expect(double.messages.get(sid)?.status).toBe('delivered')
      expect(double.now().getTime()).toBeGreaterThan(START)
    } finally {
      clock.stop()
    }
  })
})
