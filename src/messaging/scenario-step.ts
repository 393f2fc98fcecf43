/**
 * The scenario step of an API call: the newest matching scenario (one of its uses consumed), its latency, then
 * its network error, fault or refusal. A create meets it among its rules (`create-rules.ts`); the other
 * operations before they run.
 */
import type { ScenarioSet } from '../scenarios/scenario-set.js'
import type { Operation, ScenarioContext, ScenarioOutcome } from '../scenarios/types.js'
import type { Scheduler } from '../time/scheduler.js'
import { toMs } from '../util/duration.js'
import { type AddressCache, parseTo } from './address.js'
import { ScenarioFault, ScenarioRefusal, SimulatedNetworkError } from './errors.js'

/** What a scenario sees of a call: the message it names, else its parameters. */
export interface ScenarioCall {
  operation: Operation
  accountSid: string
  to?: string
  from?: string | null
  body?: string
  /** Default: the channel of `to`. */
  channel?: ScenarioContext['channel']
  messagingServiceSid?: string | null
  /** The parameters as sent. */
  params: Record<string, string | string[]>
}

/**
 * The outcome of the newest scenario matching a call, one of its uses consumed; undefined when none matches
 * (and at once when the double has no scenario).
 *
 * @example
 * const outcome = matchScenario(scenarios, { operation: 'create', accountSid, to: '+15550001111', params: {} })
 */
export function matchScenario(
  scenarios: ScenarioSet,
  call: ScenarioCall,
  addresses?: AddressCache,
): ScenarioOutcome | undefined {
  // the common case on every request: no scenario, no context to build
  if (scenarios.isEmpty) return undefined
  const { to } = call
  return scenarios.match({
    operation: call.operation,
    accountSid: call.accountSid,
    to,
    from: call.from ?? undefined,
    body: call.body,
    channel: call.channel ?? (to ? (parseTo(to, { cache: addresses })?.channel ?? 'sms') : undefined),
    messagingServiceSid: call.messagingServiceSid ?? undefined,
    params: call.params,
  })
}

/**
 * Carries out a scenario's outcome on its call: its latency passes in the double's time, then its network error,
 * fault or refusal (naming the call's `to` and `from`) is thrown. A promise only when there is latency to wait.
 *
 * @example
 * const pending = applyScenario(outcome, scheduler, { to: command.to, from: command.from })
 * if (pending) await pending
 */
export function applyScenario(
  outcome: ScenarioOutcome,
  scheduler: Scheduler,
  at: { to?: string; from?: string | null },
): Promise<void> | undefined {
  if (outcome.latency === undefined) {
    failWith(outcome, at)
    return undefined
  }
  return scheduler.sleep(toMs(outcome.latency)).then(() => failWith(outcome, at))
}

/** A scenario's network error, fault or refusal, thrown; nothing when the scenario lets the call run. */
function failWith(outcome: ScenarioOutcome, at: { to?: string; from?: string | null }): void {
  if (outcome.networkError) throw new SimulatedNetworkError()
  if (outcome.fault !== undefined) throw new ScenarioFault(outcome.fault, outcome.retryAfter ?? 1)
  if (outcome.reject !== undefined)
    throw new ScenarioRefusal(outcome.reject, {
      to: at.to,
      from: at.from ?? undefined,
      ...(outcome.message ? { message: outcome.message } : {}),
    })
}
