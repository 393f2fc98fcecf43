/**
 * The vitest setup entry, imported the way `test.setupFiles` runs it: its hooks belong to this file.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpResponse, http } from 'msw'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM } from '../../src/config.js'
import { twilio as alias, twilioDouble, twilioServer, twilioTenant } from '../../src/testing/vitest.js'

const TO = '+15550001111'
const client = twilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

let local: Server
let localUrl: string
const localHits: string[] = []
/** Where the double's virtual time started: no test has run yet. */
const startedAt = twilioDouble.now().getTime()

beforeAll(async () => {
  local = createServer((req, res) => {
    localHits.push(req.url ?? '')
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' }).end('local')
  })
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve))
  localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => local.close(resolve))
})

describe('twilio-double/vitest', () => {
  it('exposes one double: the export, its alias and globalThis.twilioDouble', () => {
    expect(alias).toBe(twilioDouble)
    expect(globalThis.twilioDouble).toBe(twilioDouble)
    expect(twilioDouble.options.clock).toBeUndefined()
    expect(twilioServer.listHandlers().length).toBe(1)
  })

  it('has no tenant of a shared server without TWILIO_DOUBLE_URL: reading one says to use twilioDouble', () => {
    expect(() => twilioTenant.accountSid).toThrow(/TWILIO_DOUBLE_URL is set.*use twilioDouble/)
    // a runner probing the value reads nothing rather than an error
    expect((twilioTenant as unknown as { then?: unknown }).then).toBeUndefined()
  })

  it('answers the real twilio client through msw, and registers the matchers', async () => {
    const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'Your code is 314159' })
    expect(m.status).toBe('queued')
    expect(twilioDouble).toHaveSentMessage({ to: TO, body: /code is \d{6}/ })
    await twilioDouble.settle()
    expect(twilioDouble).toHaveSentMessage({ sid: m.sid, status: 'delivered' })
    twilioServer.use(http.get(`${localUrl}/mocked`, () => HttpResponse.text('mocked')))
    expect(await (await fetch(`${localUrl}/mocked`)).text()).toBe('mocked')
  })

  it('resets the double and the runtime handlers after each test', async () => {
    expect(twilioDouble).toHaveSentMessages(0)
    // virtual time is back where the double started (the previous test settled, which moved it)
    expect(twilioDouble.now().getTime()).toBe(startedAt)
    expect(twilioServer.listHandlers().length).toBe(1)
    // the handler added in the previous test is gone: the request reaches the local server
    expect(await (await fetch(`${localUrl}/mocked`)).text()).toBe('local')
    expect(localHits).toContain('/mocked')
  })

  it('lets requests to other hosts through untouched by default', async () => {
    const response = await fetch(`${localUrl}/other`)
    expect(response.status).toBe(200)
    expect(localHits).toContain('/other')
  })

  it('refuses a Twilio host that no handler answers, saying why', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      await expect(fetch('https://verify.twilio.com/v2/Services')).rejects.toThrow(/fetch/i)
      expect(errors.mock.calls.flat().join('\n')).toMatch(
        /\[twilio-double\] refused GET https:\/\/verify\.twilio\.com\/v2\/Services: no handler answers this Twilio host/,
      )
    } finally {
      errors.mockRestore()
    }
  })

  it('answers unknown paths on the API host with a Twilio 404, never the network', async () => {
    const response = await fetch('https://api.twilio.com/2010-04-01/Nothing.json')
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ code: 20404, status: 404 })
  })

  it('still refuses Twilio when a test replaces every handler', async () => {
    twilioServer.resetHandlers(http.get('https://example.com/x', () => HttpResponse.text('x')))
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      await expect(client.messages.list()).rejects.toThrow()
      expect(errors).toHaveBeenCalledWith(expect.stringMatching(/refused GET https:\/\/api\.twilio\.com/))
      expect(twilioDouble).toHaveSentMessages(0)
    } finally {
      errors.mockRestore()
    }
  })

  it('has its handlers back in the next test', async () => {
    const page = await client.messages.list()
    expect(page).toEqual([])
  })
})
