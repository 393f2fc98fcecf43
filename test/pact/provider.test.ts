/**
 * Provider verification: the double (through the standalone server) against every committed pact of
 * contracts/pacts/, with Pact's own verifier.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { verifyTwilioDouble } from '../../src/pact/index.js'

const PACTS = fileURLToPath(new URL('../../contracts/pacts/', import.meta.url))

describe('the double as the provider of the committed pacts', () => {
  it('verifies every interaction of every pact in contracts/pacts/', async () => {
    const pactUrls = readdirSync(PACTS)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(PACTS, f))
    expect(pactUrls.length).toBeGreaterThan(0)
    const output = JSON.parse(await verifyTwilioDouble({ pactUrls }))
    expect(output.result).toBe(true)
    expect(output.errors).toEqual([])
    expect(output.interactionResults.length).toBeGreaterThanOrEqual(13)
    expect(output.interactionResults.every((r: { result: string }) => r.result === 'OK')).toBe(true)
  })
})
