import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setupServer } from 'msw/node'
import twilio from 'twilio'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { isTwilioHost, twilioHandlers, twilioListenOptions } from '../../src/adapters/msw.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { createTwilioDouble } from '../../src/double.js'

let local: Server
let localUrl: string

beforeAll(async () => {
  local = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': '2' }).end('ok')
  })
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve))
  localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => local.close(resolve))
})

describe('isTwilioHost', () => {
  it('knows twilio.com and its sub-domains, nothing else', () => {
    expect(isTwilioHost('https://api.twilio.com/2010-04-01/Accounts.json')).toBe(true)
    expect(isTwilioHost('https://api.dublin.ie1.twilio.com/x')).toBe(true)
    expect(isTwilioHost('https://verify.twilio.com/v2')).toBe(true)
    expect(isTwilioHost('https://TWILIO.com/')).toBe(true)
    expect(isTwilioHost('https://nottwilio.com/')).toBe(false)
    expect(isTwilioHost('https://api.twilio.com.example.org/')).toBe(false)
    expect(isTwilioHost('not a url')).toBe(false)
  })
})

describe("twilioListenOptions on the user's own msw server", () => {
  const double = createTwilioDouble()
  const server = setupServer(...twilioHandlers(double))
  let listening = false
  const listen = (options: Parameters<typeof twilioListenOptions>[0] = {}) => {
    server.listen(twilioListenOptions(options))
    listening = true
  }
  afterEach(() => {
    // msw 3 refuses to close a server that is not listening
    if (listening) server.close()
    listening = false
    server.resetHandlers()
    double.reset()
    vi.restoreAllMocks()
  })

  it('serves Twilio with the handlers and lets other hosts through by default', async () => {
    listen()
    const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
    const m = await client.messages.create({ from: DEFAULT_FROM, to: '+15550001111', body: 'hi' })
    expect(double.messages.get(m.sid)?.body).toBe('hi')
    expect(await (await fetch(localUrl)).text()).toBe('ok')
  })

  it("warns about other hosts with 'warn' and still lets them through", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    listen({ onUnhandledRequest: 'warn' })
    expect(await (await fetch(localUrl)).text()).toBe('ok')
    expect(warn.mock.calls.flat().join(' ')).toMatch(/without a matching request handler/)
  })

  it("fails other hosts with 'error'", async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    listen({ onUnhandledRequest: 'error' })
    await expect(fetch(localUrl)).rejects.toThrow(/fetch/i)
    expect(error).toHaveBeenCalled()
  })

  it('refuses a Twilio host without handlers even when others bypass', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    listen({ onUnhandledRequest: 'bypass' })
    await expect(fetch('https://conversations.twilio.com/v1/Conversations')).rejects.toThrow(/fetch/i)
    expect(error.mock.calls.flat().join('\n')).toContain(
      '[twilio-double] refused GET https://conversations.twilio.com/v1/Conversations',
    )
  })

  it('rejects an unknown strategy', () => {
    expect(() => twilioListenOptions({ onUnhandledRequest: 'ignore' as never })).toThrow(
      /\[twilio-double\] onUnhandledRequest must be 'bypass', 'warn' or 'error'/,
    )
  })
})

describe('onUnhandledFrame (the msw 3 form)', () => {
  const frame = (url: string) => ({ data: { request: new Request(url) } })
  const defaults = () => ({ warn: vi.fn(), error: vi.fn() })
  afterEach(() => vi.restoreAllMocks())

  it('fails an HTTP frame to a Twilio host with a network error response', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const d = defaults()
    const thrown = await twilioListenOptions()
      .onUnhandledFrame({ frame: frame('https://api.twilio.com/x'), defaults: d })
      .catch((e: unknown) => e)
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).type).toBe('error')
    expect(d.error).not.toHaveBeenCalled()
  })

  it('fails a WebSocket frame to a Twilio host with an error', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const ws = { data: { connection: { client: { url: new URL('wss://voice.twilio.com/socket') } } } }
    const thrown = await twilioListenOptions()
      .onUnhandledFrame({ frame: ws, defaults: defaults() })
      .catch((e: unknown) => e)
    expect(thrown).toBeInstanceOf(Error)
    expect(String(thrown)).toContain('refused WebSocket wss://voice.twilio.com/socket')
  })

  it('applies the strategy to other hosts', async () => {
    const bypass = defaults()
    await expect(
      twilioListenOptions().onUnhandledFrame({ frame: frame('https://example.com/'), defaults: bypass }),
    ).resolves.toBeUndefined()
    expect(bypass.warn).not.toHaveBeenCalled()

    const warn = defaults()
    await twilioListenOptions({ onUnhandledRequest: 'warn' }).onUnhandledFrame({
      frame: frame('https://example.com/'),
      defaults: warn,
    })
    expect(warn.warn).toHaveBeenCalledOnce()

    const error = defaults()
    const thrown = await twilioListenOptions({ onUnhandledRequest: 'error' })
      .onUnhandledFrame({ frame: frame('https://example.com/'), defaults: error })
      .catch((e: unknown) => e)
    expect(error.error).toHaveBeenCalledOnce()
    expect(thrown).toBeInstanceOf(Response)
  })
})
