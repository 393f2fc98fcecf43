/**
 * The standalone server's time: following the wall clock (the CLI's default), messages go queued → delivered
 * by themselves; started without it, time stands still until advance or settle. /health says which.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer, twilioClientForServer } from '../../src/adapters/server.js'
import { DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'

let server: TwilioDoubleServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const health = async (s: TwilioDoubleServer) => (await fetch(`${s.url}/__double/health`)).json()

describe('a server whose virtual time follows the wall clock', () => {
  it('delivers a message by itself, and reports its clock as virtual', async () => {
    server = await startServer({
      port: 0,
      followWallClock: { everyMs: 5 },
      doubleOptions: { delays: { accepted: 10, queued: 10, sending: 10, sent: 10 } },
    })
    const client = await twilioClientForServer(server)
    const msg = await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })
    const double = server.double
    // a short real wait, ended by the delivery itself
    await new Promise<void>((resolve) => {
      const check = () => double.messages.get(msg.sid)?.status === 'delivered'
      if (check()) return resolve()
      const stop = double.subscribe(() => {
        if (check()) resolve(stop())
      })
    })
    expect(double.messages.history(msg.sid).map((h) => h.status)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
    ])
    expect(await health(server)).toMatchObject({ clock: 'virtual' })
  })
})

describe('the clock /health reports', () => {
  it('is manual without the follower, and real for a double on the real clock', async () => {
    server = await startServer({ port: 0 })
    expect(await health(server)).toMatchObject({ clock: 'manual' })
    await server.close()
    server = await startServer({
      port: 0,
      double: createTwilioDouble({ clock: 'real' }),
      followWallClock: true,
    })
    expect(await health(server)).toMatchObject({ clock: 'real' })
  })
})
