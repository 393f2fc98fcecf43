import { z } from 'zod'
import { scenarioFromJson, scenarioToJson } from '../scenario-json.js'
import { controlError, handler, ok, strictBody } from './route.js'

const iso = (d: Date) => d.toISOString()

/** GET /scenarios: the scenarios in use, in their JSON form. */
export const listScenarios = handler({
  run: ({ scope }) => ok({ scenarios: scope.view.scenarios.list().map(scenarioToJson) }),
})

/** One scenario, an array of them or `{"scenarios":[...]}`: the list of scenarios it holds. */
const scenariosBody = z
  .unknown()
  .transform((value) => {
    const list =
      value && typeof value === 'object' && !Array.isArray(value) && 'scenarios' in value
        ? (value as { scenarios: unknown }).scenarios
        : value
    return Array.isArray(list) ? (list as unknown[]) : [list]
  })
  .pipe(z.array(z.unknown()).min(1, 'pass at least one scenario'))

/** POST /scenarios: adds scenarios (RegExps as {"source","flags"} or "/re/"). */
export const addScenarios = handler({
  body: scenariosBody,
  run: ({ body: items, scope }) => {
    const double = scope.view
    double.scenarios.use(...items.map(scenarioFromJson))
    return ok({ added: items.length, scenarios: double.scenarios.list().map(scenarioToJson) }, 201)
  },
})

/** DELETE /scenarios: removes every scenario (the account's own, when one is named). */
export const clearScenarios = handler({
  run: ({ scope }) => {
    scope.view.scenarios.clear()
    return ok({ ok: true, scenarios: [] })
  },
})

/** POST /advance {"by":"90s"}: moves virtual time. */
export const advance = handler({
  body: strictBody(
    {
      by: z.union([z.string(), z.number()], {
        error: '"by" must be a duration such as "90s", "5m" or a number of milliseconds',
      }),
    },
    '{"by":"90s"}',
  ),
  run: async ({ body: { by }, scope }, { clock }) => {
    const double = scope.view
    if (clock === 'real')
      return controlError(
        409,
        'real_clock',
        'this double runs on the real clock (twilio-double serve --clock real), where time moves by itself: POST /__double/settle runs everything pending now; to move time with /advance, start it with --clock virtual',
      )
    await double.advance(by)
    return ok({ now: iso(double.now()) })
  },
})

/** POST /settle: runs everything pending (of the account named alone, else of every account). */
export const settle = handler({
  run: async ({ scope }) => {
    const double = scope.view
    await double.settle()
    return ok({ now: iso(double.now()) })
  },
})
