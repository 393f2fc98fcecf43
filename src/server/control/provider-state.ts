import { z } from 'zod'
import { body, controlError, handler, ok, optionalText } from './route.js'

const stateBody = body(
  {
    state: optionalText('state'),
    params: z
      .record(z.string(), z.unknown(), { error: 'the body must be a JSON object such as {"sid":"SM…"}' })
      .nullish(),
    action: z.enum(['setup', 'teardown'], { error: '"action" must be setup or teardown' }).nullish(),
  },
  '{"state":"a message exists","params":{"sid":"SM…"}}',
)

/** POST /provider-states {"state","params","action"}: the Pact provider state change endpoint. */
export const providerState = handler({
  body: stateBody,
  run: async ({ body: { state, params, action } }, { double, providerState, providerStates }) => {
    if (action === 'teardown') {
      double.reset()
      providerState.invalidCredentials = false
      return ok({})
    }
    if (state === undefined) return controlError(400, 'bad_request', '"state" is required')
    // a state's own name only: '__proto__' or 'toString' name what every object inherits, no state
    const setup = Object.hasOwn(providerStates, state) ? providerStates[state] : undefined
    if (!setup)
      return controlError(
        400,
        'unknown_state',
        `unknown provider state '${state}'; known states: ${Object.keys(providerStates).join(', ')}`,
      )
    return ok((await setup(params ?? {})) ?? {})
  },
})
