/**
 * The unhandled-rejection watch of no-unhandled.ts, on a stand-in for `process`; and the process-wide
 * watch, which must have seen nothing so far in this worker.
 */
import './no-unhandled.js'
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { describeUnhandled, processWatch, watchUnhandled } from './no-unhandled.js'

describe('watchUnhandled', () => {
  it('records unhandled rejections and uncaught exceptions, and forgets what was taken', () => {
    const emitter = new EventEmitter()
    const watch = watchUnhandled(emitter)
    const errors = console.error
    console.error = () => {}
    try {
      emitter.emit('unhandledRejection', new Error('late rejection'), Promise.resolve())
      emitter.emit('uncaughtException', new TypeError('thrown in a timer'))
    } finally {
      console.error = errors
    }
    expect(watch.total).toBe(2)
    const taken = watch.take()
    expect(taken.map((e) => e.kind)).toEqual(['unhandledRejection', 'uncaughtException'])
    expect(describeUnhandled(taken)).toMatch(/late rejection[\s\S]*thrown in a timer/)
    expect(watch.seen).toEqual([])
    watch.dispose()
    expect(emitter.listenerCount('unhandledRejection')).toBe(0)
    expect(emitter.listenerCount('uncaughtException')).toBe(0)
  })

  it('is installed once per process, however many files import it', () => {
    expect(processWatch()).toBe(processWatch())
    expect(process.listeners('unhandledRejection').length).toBeGreaterThan(0)
    expect(processWatch().seen).toEqual([])
  })
})
