import { describe, expect, it } from 'vitest'
import { hostGuard, isLoopback } from './hosts.js'

describe('hostGuard()', () => {
  it('answers loopback names and IP addresses, with or without a port, whatever their case', () => {
    const guard = hostGuard('127.0.0.1')
    for (const host of [
      'localhost',
      'LOCALHOST:4010',
      'localhost.:4010',
      'app.localhost:4010',
      '127.0.0.1:4010',
      '127.1:4010',
      '[::1]:4010',
      '192.168.1.20:4010',
      '[fe80::1]',
    ])
      expect(guard.allows(host), host).toBe(true)
  })

  it('refuses any other name, and a Host that is no host at all', () => {
    const guard = hostGuard('127.0.0.1')
    for (const host of [
      'evil.example:4010',
      'evil.example',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'a b',
      '',
    ])
      expect(guard.allows(host), host).toBe(false)
  })

  it('answers the name the server is bound to', () => {
    const guard = hostGuard('devbox.lan')
    expect(guard.allows('devbox.lan:4010')).toBe(true)
    expect(guard.allows('DevBox.lan')).toBe(true)
    expect(guard.allows('other.lan:4010')).toBe(false)
    expect(hostGuard('::1').allows('[::1]:4010')).toBe(true)
  })

  it('answers the allowed names: exact, a leading dot for a name and its subdomains, true for any', () => {
    const guard = hostGuard('127.0.0.1', ['App.test', '.dev.test'])
    expect(guard.allows('app.test:4010')).toBe(true)
    expect(guard.allows('sub.app.test')).toBe(false)
    expect(guard.allows('dev.test')).toBe(true)
    expect(guard.allows('a.b.dev.test:80')).toBe(true)
    expect(guard.allows('notdev.test')).toBe(false)
    expect(hostGuard('127.0.0.1', true).allows('evil.example:4010')).toBe(true)
  })

  it('refuses an allowed name written with a scheme, a port, a path or a space, saying how to write it', () => {
    for (const name of ['http://app.test', 'app.test:4010', 'app.test/', 'user@app.test', 'app test', '.'])
      expect(() => hostGuard('127.0.0.1', [name]), name).toThrow(
        `[twilio-double] allowedHosts: '${name}' is not a host name; give the name alone, such as 'app.test' (or '.app.test' for it and its subdomains), without scheme, port or path`,
      )
    // a trailing dot and an international name are read as the names a Host header carries
    const guard = hostGuard('127.0.0.1', ['app.test.', '.bücher.test'])
    expect(guard.allows('app.test:4010')).toBe(true)
    expect(guard.allows('shop.xn--bcher-kva.test')).toBe(true)
  })

  it('tells a malformed Host from a refused name', () => {
    const guard = hostGuard('127.0.0.1')
    expect(guard.wellFormed('a b')).toBe(false)
    expect(guard.wellFormed('evil.example:4010')).toBe(true)
  })

  it('answers a request without Host (an HTTP/1.0 client; browsers always send one)', () => {
    expect(hostGuard('127.0.0.1').allows(undefined)).toBe(true)
  })

  describe('says why a name is refused and how to allow it', () => {
    const refusal = (bound: string, allowed: string[] = []) =>
      hostGuard(bound, allowed).refusal('Evil.example:4010')
    const why = "requests for host 'evil.example' are refused (protection against DNS rebinding): "
    const fix = (...names: string[]) =>
      `; to reach it by this name, start it with --allowed-hosts ${names.join(',')}, ` +
      `startServer({ allowedHosts: [${names.map((n) => `'${n}'`).join(', ')}] }) ` +
      `or "allowedHosts": [${names.map((n) => `"${n}"`).join(', ')}] in its config file`

    it('bound to loopback: the whole server, localhost and IP addresses', () => {
      for (const bound of ['127.0.0.1', 'localhost', '::1'])
        expect(refusal(bound), bound).toBe(
          `${why}the server answers only requests addressed to localhost or an IP address${fix('evil.example')}`,
        )
    })

    it('bound to loopback with allowed names: those too, and the fix keeps them', () => {
      expect(refusal('127.0.0.1', ['app.test'])).toBe(
        `${why}the server answers only requests addressed to localhost, an IP address or app.test` +
          fix('app.test', 'evil.example'),
      )
      expect(refusal('127.0.0.1', ['App.test', '.dev.test'])).toBe(
        `${why}the server answers only requests addressed to localhost, an IP address, app.test or dev.test ` +
          `with its subdomains${fix('app.test', '.dev.test', 'evil.example')}`,
      )
    })

    it('bound to another IP address: the control API and the inbox', () => {
      for (const bound of ['0.0.0.0', '192.168.1.20', '::'])
        expect(refusal(bound), bound).toBe(
          `${why}the server's control API and inbox answer only requests addressed to localhost or an IP ` +
            `address${fix('evil.example')}`,
        )
      expect(refusal('0.0.0.0', ['app.test'])).toBe(
        `${why}the server's control API and inbox answer only requests addressed to localhost, an IP address ` +
          `or app.test${fix('app.test', 'evil.example')}`,
      )
    })

    it('bound to a name: that name too', () => {
      expect(refusal('devbox.lan')).toBe(
        `${why}the server's control API and inbox answer only requests addressed to localhost, an IP address ` +
          `or devbox.lan (the name it is bound to)${fix('evil.example')}`,
      )
      expect(refusal('devbox.lan', ['app.test'])).toBe(
        `${why}the server's control API and inbox answer only requests addressed to localhost, an IP address, ` +
          `devbox.lan (the name it is bound to) or app.test${fix('app.test', 'evil.example')}`,
      )
    })
  })

  it("guards Twilio's paths too when bound to loopback only", () => {
    for (const bound of ['127.0.0.1', 'localhost', '::1', '[::1]'])
      expect(hostGuard(bound).guardsTwilioPaths, bound).toBe(true)
    for (const bound of ['0.0.0.0', '::', '192.168.1.20', 'devbox.lan'])
      expect(hostGuard(bound).guardsTwilioPaths, bound).toBe(false)
  })
})

describe('isLoopback()', () => {
  it('knows the loopback names and addresses', () => {
    for (const host of ['localhost', '127.0.0.1', '127.0.0.2', '::1', '[::1]'])
      expect(isLoopback(host), host).toBe(true)
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'devbox.lan'])
      expect(isLoopback(host), host).toBe(false)
  })
})
