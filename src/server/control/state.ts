import { DEFAULT_FROM } from '../../config.js'
import { handler, ok } from './route.js'

const iso = (d: Date) => d.toISOString()

/** GET /health: status, virtual time, counts. */
export const health = handler({
  run: (_input, { double, clock }) =>
    ok({
      status: 'ok',
      now: iso(double.now()),
      // virtual (follows the wall clock; advance and settle jump ahead), manual (moves only by them) or real
      clock,
      accounts: [...double.backend.accounts.keys()],
      messages: double.messages.count(),
      inFlight: double.backend.inFlight,
      callbacks: double.callbacks.list().length,
      scenarios: double.scenarios.list().length,
      inbound: typeof (double as { inbound?: unknown }).inbound === 'function',
    }),
})

/** GET /credentials: accounts with their auth tokens, API keys, numbers and messaging services. */
export const credentials = handler({
  run: (_input, { double }) =>
    ok({
      defaultFrom: DEFAULT_FROM,
      accounts: [...double.backend.accounts.values()].map((a) => ({
        sid: a.sid,
        authToken: a.authToken,
        apiKeys: [...a.apiKeys].map(([sid, secret]) => ({ sid, secret })),
        phoneNumbers: a.ownedNumbers ? [...a.ownedNumbers.values()] : null,
        // inbound webhooks set with PUT /numbers/:number (they win over phoneNumbers)
        webhooks: [...a.webhooks.values()],
        messagingServices: [...a.services.values()],
      })),
    }),
})

/** POST /reset: back to the starting state. */
export const reset = handler({
  run: (_input, { double }) => {
    double.reset()
    return ok({ ok: true, now: iso(double.now()) })
  },
})
