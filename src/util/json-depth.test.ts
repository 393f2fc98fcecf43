import { describe, expect, it } from 'vitest'
import { nestsDeeperThan } from './json-depth.js'

describe('nestsDeeperThan()', () => {
  it('counts arrays and objects, not the values in them', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false)
    expect(nestsDeeperThan({}, 0)).toBe(true)
    expect(nestsDeeperThan({ a: [1, { b: null }] }, 3)).toBe(false)
    expect(nestsDeeperThan({ a: [1, { b: null }] }, 2)).toBe(true)
  })

  it('walks a value nested far deeper than the stack allows', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)
    expect(nestsDeeperThan(deep, 32)).toBe(true)
  })
})
