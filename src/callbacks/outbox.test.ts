import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import twilio from 'twilio'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Outbox, type OutgoingCallback } from './outbox.js'

const TOKEN = 'outbox-test-token'

function cb(over: Partial<OutgoingCallback> = {}): OutgoingCallback {
  return {
    kind: 'status',
    messageSid: 'SM00000000000000000000000000000001',
    accountSid: 'AC00000000000000000000000000000001',
    status: 'sent',
    url: 'https://app.test/status',
    params: { MessageSid: 'SM00000000000000000000000000000001', MessageStatus: 'sent' },
    authToken: TOKEN,
    at: 0,
    ...over,
  }
}

const servers: Server[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('Outbox', () => {
  it('delivers to an in-process handler a signed form POST, and records the answer', async () => {
    const outbox = new Outbox()
    const seen: { body: string; signature: string | null; type: string | null }[] = []
    outbox.handle('https://app.test/', async (request) => {
      seen.push({
        body: await request.text(),
        signature: request.headers.get('x-twilio-signature'),
        type: request.headers.get('content-type'),
      })
      return new Response('thanks', { status: 202, headers: { 'content-type': 'text/plain' } })
    })
    const d = await outbox.send(cb())
    expect(seen).toHaveLength(1)
    expect(seen[0]!.type).toMatch(/^application\/x-www-form-urlencoded/)
    const params = Object.fromEntries(new URLSearchParams(seen[0]!.body))
    expect(params).toEqual(cb().params)
    expect(twilio.validateRequest(TOKEN, seen[0]!.signature!, 'https://app.test/status', params)).toBe(true)
    expect(d).toMatchObject({
      id: 1,
      attempt: 1,
      responseStatus: 202,
      responseBody: 'thanks',
      url: 'https://app.test/status',
    })
    expect(d.signature).toBe(seen[0]!.signature)
    expect(outbox.list()).toEqual([d])
  })

  it('answers 200 for a handler that returns nothing, and matches by RegExp and predicate, newest first', async () => {
    const outbox = new Outbox()
    const hits: string[] = []
    outbox.handle(/app\.test/, () => void hits.push('regexp'))
    outbox.handle(
      (url) => url.endsWith('/other'),
      () => void hits.push('predicate'),
    )
    expect((await outbox.send(cb())).responseStatus).toBe(200)
    await outbox.send(cb({ url: 'https://app.test/other' }))
    expect(hits).toEqual(['regexp', 'predicate'])
  })

  it('stops delivering in-process after the handler is removed', async () => {
    const calls: Request[] = []
    const outbox = new Outbox({
      fetch: async (r) => {
        calls.push(r as Request)
        return new Response('net')
      },
    })
    const remove = outbox.handle('https://app.test/', () => new Response('local'))
    expect((await outbox.send(cb())).responseBody).toBe('local')
    remove()
    expect((await outbox.send(cb())).responseBody).toBe('net')
    expect(calls).toHaveLength(1)
  })

  it('sends a real HTTP request with the global fetch by default', async () => {
    const bodies: string[] = []
    const base = await listen((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        bodies.push(body)
        res.end('ok')
      })
    })
    const outbox = new Outbox()
    const d = await outbox.send(cb({ url: `${base}/cb?x=1` }))
    expect(d.responseStatus).toBe(200)
    expect(bodies).toEqual(['MessageSid=SM00000000000000000000000000000001&MessageStatus=sent'])
  })

  it('records an unreachable endpoint as an error, and never throws', async () => {
    const base = await listen((_, res) => res.end())
    const closed = servers.pop()!
    closed.closeAllConnections()
    await new Promise((r) => closed.close(r))
    const outbox = new Outbox({ retries: 2 })
    const d = await outbox.send(cb({ url: `${base}/gone` }))
    expect(d.error).toMatch(/fetch failed|ECONNREFUSED/)
    expect(d.responseStatus).toBeUndefined()
    expect(outbox.list().map((x) => x.attempt)).toEqual([1, 2, 3])
  })

  it('retries a 5xx answer as configured and stops at the first success', async () => {
    let n = 0
    const outbox = new Outbox({ retries: 3 })
    outbox.handle('https://app.test/', () => new Response(null, { status: ++n < 3 ? 503 : 200 }))
    const d = await outbox.send(cb())
    expect(d).toMatchObject({ attempt: 3, responseStatus: 200 })
    expect(outbox.list().map((x) => [x.attempt, x.responseStatus])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ])
    expect(new Set(outbox.list().map((x) => x.headers['i-twilio-idempotency-token'])).size).toBe(1)
  })

  it('does not retry a 4xx answer', async () => {
    const outbox = new Outbox({ retries: 3 })
    outbox.handle('https://app.test/', () => new Response('no', { status: 404 }))
    await outbox.send(cb())
    expect(outbox.list()).toHaveLength(1)
  })

  it('records a handler that throws', async () => {
    const outbox = new Outbox()
    outbox.handle('https://app.test/', () => {
      throw new Error('handler crashed')
    })
    expect((await outbox.send(cb())).error).toBe('handler crashed')
  })

  it('times out a slow in-process handler in real time, even under fake timers', async () => {
    vi.useFakeTimers()
    const outbox = new Outbox({ timeoutMs: 50 })
    outbox.handle('https://app.test/', () => new Promise<Response>(() => {}))
    const d = await outbox.send(cb())
    expect(d.error).toBe('timed out after 50 ms')
    await outbox.idle()
  })

  it('times out a slow HTTP endpoint', async () => {
    const base = await listen(() => {
      // never answers
    })
    const outbox = new Outbox({ timeoutMs: 80 })
    const d = await outbox.send(cb({ url: `${base}/slow` }))
    expect(d.error).toBe('timed out after 80 ms')
  })

  it('delivers the callbacks of one message one after the other, in order', async () => {
    const outbox = new Outbox()
    const order: string[] = []
    // the first callback is held in its handler until the test lets it go
    let sentStarted!: () => void
    const inSent = new Promise<void>((r) => (sentStarted = r))
    let releaseSent!: () => void
    const sentReleased = new Promise<void>((r) => (releaseSent = r))
    outbox.handle('https://app.test/', async (request) => {
      const status = new URLSearchParams(await request.text()).get('MessageStatus')!
      order.push(`start ${status}`)
      if (status === 'sent') {
        sentStarted()
        await sentReleased
      }
      order.push(`end ${status}`)
    })
    void outbox.send(cb({ status: 'sent', params: { MessageStatus: 'sent' } }))
    void outbox.send(cb({ status: 'delivered', params: { MessageStatus: 'delivered' } }))
    expect(outbox.pending).toBe(2)
    await inSent
    // turns of the event loop in which a second delivery running alongside would start
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    expect(order).toEqual(['start sent'])
    releaseSent()
    await outbox.idle()
    expect(order).toEqual(['start sent', 'end sent', 'start delivered', 'end delivered'])
    expect(outbox.list().map((d) => d.status)).toEqual(['sent', 'delivered'])
  })

  it('signs a tampered callback with a key that validation rejects', async () => {
    const outbox = new Outbox()
    outbox.handle('https://app.test/', () => undefined)
    const d = await outbox.send(cb({ tamper: true }))
    expect(twilio.validateRequest(TOKEN, d.signature, d.url, d.params)).toBe(false)
  })

  it('sends GET callbacks with the parameters in the query string, signed over the full URL', async () => {
    const outbox = new Outbox()
    let url = ''
    outbox.handle('https://app.test/', (request) => {
      url = request.url
    })
    const d = await outbox.send(cb({ method: 'GET', url: 'https://app.test/in?a=1' }))
    expect(url).toBe(
      'https://app.test/in?a=1&MessageSid=SM00000000000000000000000000000001&MessageStatus=sent',
    )
    expect(twilio.validateRequest(TOKEN, d.signature, url, {})).toBe(true)
  })

  it('forgets deliveries, handlers and waiting callbacks on reset', async () => {
    const outbox = new Outbox()
    let release!: () => void
    let handling!: () => void
    const inHandler = new Promise<void>((r) => (handling = r))
    outbox.handle('https://app.test/', () => {
      handling()
      return new Promise<undefined>((r) => (release = () => r(undefined)))
    })
    const first = outbox.send(cb())
    const second = outbox.send(cb({ status: 'delivered' }))
    // the first delivery is in the handler, the second waits behind it
    await inHandler
    outbox.reset()
    release()
    await first
    expect((await second).error).toMatch(/not delivered: the double was reset/)
    expect(outbox.list()).toEqual([])
  })

  it('says, when a delivery fails with no receiver, that reset() removed the receiver that would have taken it', async () => {
    // a fetch that fails as an unknown host does (no network is reached)
    const fetch = async () => {
      throw new TypeError('fetch failed')
    }
    const plain = new Outbox({ fetch })
    expect((await plain.send(cb())).error).toBe('fetch failed')
    const outbox = new Outbox({ fetch })
    outbox.handle('https://app.test/', () => new Response(null, { status: 204 }))
    expect((await outbox.send(cb())).responseStatus).toBe(204)
    outbox.reset()
    expect((await outbox.send(cb())).error).toBe(
      'fetch failed (no callbacks.handle() receiver matched: reset() removed the one registered for https://app.test/; register receivers in beforeEach)',
    )
    // the outbox a double's reset() builds remembers it too
    const next = new Outbox({ fetch }, outbox)
    expect((await next.send(cb())).error).toMatch(
      /reset\(\) removed the one registered for https:\/\/app\.test\//,
    )
    // a receiver registered again takes the delivery
    outbox.handle('https://app.test/', () => new Response(null, { status: 204 }))
    expect((await outbox.send(cb())).responseStatus).toBe(204)
  })

  it('shares declared interceptors with the outbox made from it, but not its handlers', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 202 }))
    const first = new Outbox()
    first.handle('https://app.test/', () => new Response(null, { status: 204 }))
    first.interceptor((request) => request.url.startsWith('https://intercepted.test/'))
    const next = new Outbox({}, first)
    // the handler of the first outbox is its own
    expect((await next.send(cb())).notSent).toBe(true)
    // the interceptor declared on the first one lets the next one send with the global fetch
    vi.stubGlobal('fetch', fetch)
    try {
      const sent = await next.send(cb({ url: 'https://intercepted.test/status' }))
      expect(sent.responseStatus).toBe(202)
    } finally {
      vi.unstubAllGlobals()
    }
    expect((await first.send(cb())).responseStatus).toBe(204)
  })

  it('blames no reset() when no receiver for the URL was ever registered', async () => {
    const fetch = async () => {
      throw new TypeError('fetch failed')
    }
    const outbox = new Outbox({ fetch })
    outbox.handle('https://other.test/', () => undefined)
    outbox.handle(/^https:\/\/third\.test\//, () => undefined)
    outbox.handle(
      () => {
        throw new Error('a predicate that throws')
      },
      () => undefined,
    )
    outbox.reset()
    expect((await outbox.send(cb())).error).toBe('fetch failed')
    // a RegExp receiver that was removed is named as written
    expect((await outbox.send(cb({ url: 'https://third.test/s' }))).error).toMatch(
      /reset\(\) removed the one registered for \/\^https:\\\/\\\/third\\\.test\\\/\//,
    )
  })

  it('keeps at most maxRecorded deliveries', async () => {
    const outbox = new Outbox({ maxRecorded: 2 })
    outbox.handle('https://app.test/', () => undefined)
    for (let i = 0; i < 4; i++) await outbox.send(cb())
    expect(outbox.list().map((d) => d.id)).toEqual([3, 4])
  })

  it('rejects bad options and handlers with a helpful error', () => {
    expect(() => new Outbox({ timeoutMs: 0 })).toThrow(/\[twilio-double\] callbacks\.timeoutMs/)
    expect(() => new Outbox({ retries: -1 })).toThrow(/\[twilio-double\] callbacks\.retries/)
    expect(() => new Outbox().handle('https://x/', 'nope' as never)).toThrow(/handler must be a function/)
  })
})

describe('Outbox: nothing leaves the machine unasked', () => {
  it('records a delivery to another host as not sent, says how to receive it, and warns once per host', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const fetch = vi.spyOn(globalThis, 'fetch')
    try {
      const outbox = new Outbox({ retries: 2 })
      const d = await outbox.send(cb())
      expect(d).toMatchObject({ attempt: 1, notSent: true })
      expect(d.responseStatus).toBeUndefined()
      expect(d.error).toMatch(
        /^not sent: no receiver registered for it, and https:\/\/app\.test is not on this machine/,
      )
      expect(d.error).toContain("double.callbacks.handle('https://app.test/', handler)")
      expect(d.error).toContain('callbacks: { network: true }')
      await outbox.send(cb({ url: 'https://app.test/other' }))
      await outbox.send(cb({ url: 'https://elsewhere.test/status' }))
      expect(fetch).not.toHaveBeenCalled()
      // no retries: nothing failed on the way
      expect(outbox.list().map((x) => [x.url, x.attempt])).toEqual([
        ['https://app.test/status', 1],
        ['https://app.test/other', 1],
        ['https://elsewhere.test/status', 1],
      ])
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^\[twilio-double\] a callback to https:\/\/app\.test\/status was not sent/),
        expect.stringMatching(
          /^\[twilio-double\] a callback to https:\/\/elsewhere\.test\/status was not sent/,
        ),
      ])
    } finally {
      warn.mockRestore()
      fetch.mockRestore()
    }
  })

  it('sends to another host with network: true, through the global fetch', async () => {
    const fetch = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => new Response('from the network', { status: 202 }))
    try {
      const d = await new Outbox({ network: true }).send(cb())
      expect(d).toMatchObject({ responseStatus: 202, responseBody: 'from the network' })
      expect(fetch).toHaveBeenCalledTimes(1)
      expect((fetch.mock.calls[0]![0] as Request).url).toBe('https://app.test/status')
    } finally {
      fetch.mockRestore()
    }
  })

  it('sends a delivery a declared interceptor answers, and only that one', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response('intercepted'))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const outbox = new Outbox()
      const seen: string[] = []
      const remove = outbox.interceptor((request) => {
        seen.push(`${request.method} ${request.url}`)
        return request.url.endsWith('/status')
      })
      expect((await outbox.send(cb())).responseBody).toBe('intercepted')
      expect((await outbox.send(cb({ url: 'https://app.test/other' }))).notSent).toBe(true)
      expect(seen).toEqual(['POST https://app.test/status', 'POST https://app.test/other'])
      outbox.reset()
      expect((await outbox.send(cb())).responseBody).toBe('intercepted')
      remove()
      expect((await outbox.send(cb())).notSent).toBe(true)
      expect(fetch).toHaveBeenCalledTimes(2)
      expect(() => outbox.interceptor('msw' as never)).toThrow(/\[twilio-double\] callbacks\.interceptor/)
    } finally {
      fetch.mockRestore()
      warn.mockRestore()
    }
  })

  it('reaches a handler of an msw server declared with mswHandles(), and no other host', async () => {
    const { setupServer } = await import('msw/node')
    const { http, HttpResponse } = await import('msw')
    const { mswHandles } = await import('./reach.js')
    const bodies: string[] = []
    const server = setupServer(
      http.post('https://app.test/status', async ({ request }) => {
        bodies.push(await request.text())
        return HttpResponse.text('msw', { status: 201 })
      }),
    )
    server.listen({ onUnhandledRequest: 'bypass' })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const outbox = new Outbox()
      outbox.interceptor(mswHandles(server))
      expect(await outbox.send(cb())).toMatchObject({ responseStatus: 201, responseBody: 'msw' })
      expect(bodies).toEqual(['MessageSid=SM00000000000000000000000000000001&MessageStatus=sent'])
      expect((await outbox.send(cb({ url: 'https://unhandled.test/status' }))).notSent).toBe(true)
    } finally {
      server.close()
      warn.mockRestore()
    }
  })

  it('says so when reset() removed the receiver a delivery to another host would have had', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const outbox = new Outbox()
      outbox.handle('https://app.test/', () => undefined)
      outbox.reset()
      expect((await outbox.send(cb())).error).toMatch(
        /^not sent: .*\(no callbacks\.handle\(\) receiver matched: reset\(\) removed the one registered for https:\/\/app\.test\/;/,
      )
      // with no receiver ever registered for it, a delivery is not sent and reset() is not blamed
      const fresh = new Outbox()
      fresh.handle('https://elsewhere.test/', () => undefined)
      fresh.reset()
      const d = await fresh.send(cb())
      expect(d.error).toMatch(
        /^not sent: no receiver registered for it, and https:\/\/app\.test is not on this machine/,
      )
      expect(d.error).not.toContain('reset()')
    } finally {
      warn.mockRestore()
    }
  })
})
