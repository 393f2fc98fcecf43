import { DEFAULT_FROM } from '../../config.js'
import { handler, ok } from './route.js'

const iso = (d: Date) => d.toISOString()

/** GET /health: status, virtual time, counts (of the account named, else of the whole double). */
export const health = handler({
  run: ({ scope }, { clock, double }) =>
    ok({
      status: 'ok',
      ...(scope.accountSid !== undefined ? { account: scope.accountSid } : {}),
      now: iso(scope.view.now()),
      // virtual (follows the wall clock; advance and settle jump ahead), manual (moves only by them) or real
      clock,
      accounts: scope.accounts().map((a) => a.sid),
      messages: scope.view.messages.count(),
      inFlight: scope.inFlight(),
      callbacks: scope.view.callbacks.list().length,
      scenarios: scope.view.scenarios.list().length,
      inbound: typeof (double as { inbound?: unknown }).inbound === 'function',
    }),
})

/** GET /credentials: accounts with their auth tokens, API keys, numbers and messaging services. */
export const credentials = handler({
  run: ({ scope }) =>
    ok({
      defaultFrom: DEFAULT_FROM,
      accounts: scope.accounts().map((a) => ({
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

/** POST /reset: back to the starting state (of the account named alone, else of the whole double). */
export const reset = handler({
  run: ({ scope }) => {
    scope.view.reset()
    return ok({ ok: true, now: iso(scope.view.now()) })
  },
})
