import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { describe, expect, it } from 'vitest'
import { isLocalUrl, mswHandles } from './reach.js'

describe('isLocalUrl', () => {
  it('is true for loopback and unspecified addresses only, without resolving names', () => {
    for (const url of [
      'http://localhost:3000/sms',
      'http://LOCALHOST/x',
      'http://127.0.0.1:8080/',
      'http://127.1.2.3/',
      'http://[::1]:3000/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0:3000/',
      'http://[::]/',
    ])
      expect(isLocalUrl(url), url).toBe(true)
    for (const url of [
      'https://app.test/status',
      'https://example.com/',
      'http://app.localhost/',
      'http://localhost.example.com/',
      'http://128.0.0.1/',
      'http://10.0.0.1/',
      'http://[::2]/',
      'http://[::ffff:10.0.0.1]/',
      'not a url',
    ])
      expect(isLocalUrl(url), url).toBe(false)
  })
})

describe('mswHandles', () => {
  it("is true for a request one of the server's handlers answers, read at each call", async () => {
    const server = setupServer(http.post('https://app.test/status', () => HttpResponse.text('ok')))
    const handles = mswHandles(server)
    const post = (url: string) => new Request(url, { method: 'POST', body: 'a=1' })
    expect(await handles(post('https://app.test/status'))).toBe(true)
    expect(await handles(post('https://app.test/other'))).toBe(false)
    expect(await handles(new Request('https://app.test/status'))).toBe(false)
    server.use(http.all('https://other.test/*', () => HttpResponse.text('ok')))
    expect(await handles(post('https://other.test/in'))).toBe(true)
  })
})
