import type { PactV4 } from '@pact-foundation/pact'

/** An interaction of a Pact V4 consumer test before its request (what `pact.addInteraction()` returns). */
export type V4UnconfiguredInteraction = ReturnType<PactV4['addInteraction']>
/** The request builder of a V4 HTTP interaction. */
export type V4RequestBuilder = Parameters<
  NonNullable<Parameters<V4UnconfiguredInteraction['withRequest']>[2]>
>[0]
/** An interaction with its request; next comes `willRespondWith`. */
export type V4InteractionWithRequest = ReturnType<V4UnconfiguredInteraction['withRequest']>
/** A complete interaction, ready for `executeTest`. */
export type V4InteractionWithResponse = ReturnType<V4InteractionWithRequest['willRespondWith']>
