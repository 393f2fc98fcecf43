import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { AnswerWriter } from './wire.js'

/** A `ServerResponse` stand-in that records what is written to it. */
function fakeResponse(name: string, log: string[], destroyed = false): ServerResponse {
  const res = Object.assign(new EventEmitter(), {
    headersSent: false,
    destroyed,
    writeHead(status: number, headers: Record<string, string>) {
      log.push(`${name} ${status} ${headers['content-length']}`)
      res.headersSent = true
    },
    end(body?: string) {
      log.push(`${name} body ${body ?? ''}`)
    },
  })
  return res as unknown as ServerResponse
}

describe('AnswerWriter', () => {
  it('writes the answers of a turn after it, in the order they were made', async () => {
    const log: string[] = []
    const writer = new AnswerWriter()
    writer.write(fakeResponse('a', log), { status: 201, body: '{"a":1}' })
    writer.write(fakeResponse('b', log), { status: 204, body: null })
    expect(log).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(log).toEqual(['a 201 7', 'a body {"a":1}', 'b 204 0', 'b body '])
  })

  it('skips an answer whose connection closed meanwhile, and writes the next turn again', async () => {
    const log: string[] = []
    const writer = new AnswerWriter()
    writer.write(fakeResponse('gone', log, true), { status: 200, body: '{}' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(log).toEqual([])
    writer.write(fakeResponse('next', log), { status: 200, body: '{}' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(log).toEqual(['next 200 2', 'next body {}'])
  })

  it('cuts a connection after the answers asked for before it', async () => {
    const log: string[] = []
    const writer = new AnswerWriter()
    writer.write(fakeResponse('first', log), { status: 201, body: '{}' })
    writer.cut({ destroy: () => log.push('cut') } as unknown as Socket)
    expect(log).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(log).toEqual(['first 201 2', 'first body {}', 'cut'])
  })

  it('closes the connection of an answer Node refuses to write, and still writes the answers after it', async () => {
    const log: string[] = []
    const writer = new AnswerWriter()
    const refused = Object.assign(fakeResponse('refused', log), {
      writeHead() {
        throw new TypeError('Invalid character in header content')
      },
      destroy() {
        log.push('refused closed')
      },
    })
    writer.write(refused, { status: 200, body: '{}' })
    writer.write(fakeResponse('next', log), { status: 200, body: '{}' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(log).toEqual(['refused closed', 'next 200 2', 'next body {}'])
  })
})
