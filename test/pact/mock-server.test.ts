import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PactV4 } from '@pact-foundation/pact'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { DEFAULT_FROM } from '../../src/config.js'
import { awaitMockServerMatched, createMessageInteraction, twilioClientFor } from '../../src/pact/index.js'

const dir = mkdtempSync(join(tmpdir(), 'twilio-double-mock-server-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('awaitMockServerMatched', () => {
  it('asks until the mock server reports its requests matched', () => {
    const answers = [false, false, true]
    const matched = vi.fn(() => answers.shift() ?? true)
    expect(awaitMockServerMatched(1234, { matched })).toBe(true)
    expect(matched).toHaveBeenCalledTimes(3)
    expect(matched).toHaveBeenCalledWith(1234)
  })

  it('gives up after its timeout, even with fake timers installed', () => {
    vi.useFakeTimers()
    try {
      const matched = vi.fn(() => false)
      expect(awaitMockServerMatched(1234, { matched, timeoutMs: 30 })).toBe(false)
      // asked once, then after each of 15 pauses of 2 ms
      expect(matched).toHaveBeenCalledTimes(16)
    } finally {
      vi.useRealTimers()
    }
  })

  it("reads pact-core's own state of a real mock server", async () => {
    const pact = new PactV4({ consumer: 'mock-server-state', provider: 'Twilio', dir, logLevel: 'error' })
    await createMessageInteraction(pact, { body: 'Hi' }).executeTest(async (mockServer) => {
      expect(awaitMockServerMatched(mockServer.port, { timeoutMs: 20 })).toBe(false)
      const client = await twilioClientFor(mockServer.url)
      await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })
      expect(awaitMockServerMatched(mockServer.port)).toBe(true)
    })
  })

  it('runs after the test function of every builder, and not when it throws', async () => {
    const pact = new PactV4({ consumer: 'mock-server-wrap', provider: 'Twilio', dir, logLevel: 'error' })
    const failing = createMessageInteraction(pact, { body: 'Hi' }).executeTest(async () => {
      throw new Error('the test itself failed')
    })
    await expect(failing).rejects.toThrow('the test itself failed')
    const value = await createMessageInteraction(pact, { body: 'Hi' }).executeTest(async (mockServer) => {
      const client = await twilioClientFor(mockServer.url)
      return (await client.messages.create({ to: '+15558675310', from: DEFAULT_FROM, body: 'Hi' })).status
    })
    expect(value).toBe('queued')
  })
})
