import { afterEach, describe, expect, it, vi } from 'vitest'
import { Scheduler } from './scheduler.js'

const T0 = Date.UTC(2024, 0, 1)

describe('Scheduler (virtual clock)', () => {
  it('stands still until advanced, then runs due tasks in time order, each at its own time', async () => {
    const s = new Scheduler('virtual', T0)
    const seen: [string, number][] = []
    s.schedule(T0 + 3000, () => void seen.push(['c', s.now() - T0]))
    s.schedule(T0 + 1000, () => void seen.push(['a', s.now() - T0]))
    s.schedule(T0 + 2000, () => void seen.push(['b', s.now() - T0]))
    expect(s.now()).toBe(T0)
    expect(s.pending).toBe(3)
    await s.advance(2500)
    expect(seen).toEqual([
      ['a', 1000],
      ['b', 2000],
    ])
    expect(s.now()).toBe(T0 + 2500)
    expect(s.nextAt()).toBe(T0 + 3000)
    await s.advance(500)
    expect(seen.map((x) => x[0])).toEqual(['a', 'b', 'c'])
    expect(s.pending).toBe(0)
  })

  it('runs tasks due at the same time in the order they were scheduled', async () => {
    const s = new Scheduler('virtual', T0)
    const seen: number[] = []
    for (let i = 0; i < 20; i++) s.schedule(T0 + 1000, () => void seen.push(i))
    await s.advance(1000)
    expect(seen).toEqual([...Array(20).keys()])
  })

  it('runs tasks scheduled by a running task when they fall inside the advance', async () => {
    const s = new Scheduler('virtual', T0)
    const seen: number[] = []
    s.schedule(T0 + 100, () => {
      seen.push(s.now() - T0)
      s.schedule(s.now() + 100, () => void seen.push(s.now() - T0))
      s.schedule(s.now() + 10_000, () => void seen.push(s.now() - T0))
    })
    await s.advance(1000)
    expect(seen).toEqual([100, 200])
    await s.settle()
    expect(seen).toEqual([100, 200, 10_100])
  })

  it('runs a task scheduled in the past at the current time on the next advance', async () => {
    const s = new Scheduler('virtual', T0)
    await s.advance(5000)
    let at = 0
    s.schedule(T0, () => {
      at = s.now()
    })
    expect(at).toBe(0)
    await s.advance(0)
    expect(at).toBe(T0 + 5000)
  })

  it('cancels a pending task, and ignores cancelling one that already ran', async () => {
    const s = new Scheduler('virtual', T0)
    const seen: string[] = []
    const a = s.schedule(T0 + 1000, () => void seen.push('a'))
    const b = s.schedule(T0 + 2000, () => void seen.push('b'))
    s.cancel(b)
    expect(s.pending).toBe(1)
    await s.settle()
    s.cancel(a)
    expect(seen).toEqual(['a'])
    expect(s.now()).toBe(T0 + 1000)
  })

  it('calls a task with its argument, and lets go of the argument of a cancelled task', async () => {
    const s = new Scheduler('virtual', T0)
    const seen: string[] = []
    const greet = (name: string) => void seen.push(`${name} at ${s.now() - T0}`)
    s.schedule(T0 + 2000, greet, 'Grace')
    s.schedule(T0 + 1000, greet, 'Ada')
    const dropped = s.schedule(T0 + 1500, greet, 'Alan')
    s.cancel(dropped)
    expect((dropped as unknown as { arg: unknown }).arg).toBeUndefined()
    await s.settle()
    expect(seen).toEqual(['Ada at 1000', 'Grace at 2000'])
  })

  it('calls a task with its argument in real mode too', async () => {
    const s = new Scheduler('real', T0)
    const seen: number[] = []
    s.schedule(Date.now(), (n: number) => void seen.push(n), 7)
    await s.settle()
    expect(seen).toEqual([7])
  })
  it('keeps time order after many cancellations (the heap is compacted)', async () => {
    const s = new Scheduler('virtual', T0)
    const seen: number[] = []
    const handles = Array.from({ length: 3000 }, (_, i) =>
      s.schedule(T0 + ((i * 7919) % 3000), () => void seen.push(i)),
    )
    handles.forEach((h, i) => {
      if (i % 3 !== 0) s.cancel(h)
    })
    expect(s.pending).toBe(1000)
    await s.settle()
    const expected = [...Array(3000).keys()]
      .filter((i) => i % 3 === 0)
      .sort((a, b) => ((a * 7919) % 3000) - ((b * 7919) % 3000))
    expect(seen).toEqual(expected)
  })

  it('settles by moving time to the last task and awaits async tasks', async () => {
    const s = new Scheduler('virtual', T0)
    const seen: string[] = []
    s.schedule(T0 + 86_400_000, async () => {
      await Promise.resolve()
      seen.push('tomorrow')
    })
    s.schedule(T0 + 60_000, () => void seen.push('in a minute'))
    await s.settle()
    expect(seen).toEqual(['in a minute', 'tomorrow'])
    expect(s.now()).toBe(T0 + 86_400_000)
  })

  it('stops a task that reschedules forever at the settle limit', async () => {
    const s = new Scheduler('virtual', T0)
    const again = () => void s.schedule(s.now() + 1, again)
    s.schedule(T0, again)
    await expect(s.settle(50)).rejects.toThrow(/\[twilio-double\] settle\(\) ran more tasks than its limit/)
  })

  it('keeps running the other tasks when one throws, and reports the error afterwards', async () => {
    const s = new Scheduler('virtual', T0)
    const seen: string[] = []
    s.schedule(T0 + 1, () => {
      throw new Error('boom')
    })
    s.schedule(T0 + 2, () => void seen.push('after'))
    await expect(s.advance(10)).rejects.toThrow('boom')
    expect(seen).toEqual(['after'])
    expect(s.now()).toBe(T0 + 10)
    await expect(s.settle()).resolves.toBeUndefined()
  })

  it('resets to its start time with nothing pending', async () => {
    const s = new Scheduler('virtual', T0)
    const run = vi.fn()
    s.schedule(T0 + 1000, run)
    await s.advance(500)
    s.reset()
    expect(s.now()).toBe(T0)
    expect(s.pending).toBe(0)
    await s.advance(5000)
    expect(run).not.toHaveBeenCalled()
  })

  it('rejects a negative advance and an unknown mode', async () => {
    const s = new Scheduler('virtual', T0)
    await expect(s.advance(-1)).rejects.toThrow(/\[twilio-double\] advance\(\) needs a duration >= 0/)
    await expect(s.advance(1e308)).rejects.toThrow(/past the last date JavaScript can represent/)
    expect(s.now()).toBe(T0)
    expect(() => new Scheduler('fake' as 'real', T0)).toThrow(/clock must be 'virtual' or 'real'/)
  })
})

describe('Scheduler (real clock under vitest fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('fires tasks on the process timers, so advancing fake timers runs them in order', async () => {
    vi.useFakeTimers({ now: T0 })
    const s = new Scheduler('real', Date.now())
    const seen: [string, number][] = []
    s.schedule(T0 + 2000, () => void seen.push(['b', s.now() - T0]))
    s.schedule(T0 + 1000, () => void seen.push(['a', s.now() - T0]))
    s.schedule(T0 + 1000, () => void seen.push(['a2', s.now() - T0]))
    expect(s.pending).toBe(3)
    await vi.advanceTimersByTimeAsync(1500)
    expect(seen).toEqual([
      ['a', 1000],
      ['a2', 1000],
    ])
    expect(s.pending).toBe(1)
    await vi.advanceTimersByTimeAsync(500)
    expect(seen.map((x) => x[0])).toEqual(['a', 'a2', 'b'])
    expect(s.now()).toBe(T0 + 2000)
  })

  it('chains tasks scheduled by tasks on the timers', async () => {
    vi.useFakeTimers({ now: T0 })
    const s = new Scheduler('real', Date.now())
    const seen: number[] = []
    s.schedule(T0 + 100, async () => {
      await Promise.resolve()
      seen.push(Date.now() - T0)
      s.schedule(Date.now() + 100, () => void seen.push(Date.now() - T0))
    })
    await vi.advanceTimersByTimeAsync(250)
    expect(seen).toEqual([100, 200])
  })

  it('cancels a task by clearing its timer', async () => {
    vi.useFakeTimers({ now: T0 })
    const s = new Scheduler('real', Date.now())
    const run = vi.fn()
    const h = s.schedule(T0 + 100, run)
    s.cancel(h)
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(1000)
    expect(run).not.toHaveBeenCalled()
  })

  it('settles by running the waiting tasks at once, each once', async () => {
    vi.useFakeTimers({ now: T0 })
    const s = new Scheduler('real', Date.now())
    const seen: string[] = []
    s.schedule(T0 + 60_000, () => {
      seen.push('later')
      s.schedule(T0 + 120_000, () => void seen.push('even later'))
    })
    s.schedule(T0 + 1000, () => void seen.push('soon'))
    await s.settle()
    expect(seen).toEqual(['soon', 'later', 'even later'])
    expect(s.pending).toBe(0)
    await vi.advanceTimersByTimeAsync(200_000)
    expect(seen).toHaveLength(3)
  })

  it('refuses advance() and points at the fake timers', async () => {
    const s = new Scheduler('real', Date.now())
    await expect(s.advance(1000)).rejects.toThrow(/vi\.advanceTimersByTimeAsync/)
  })

  it('keeps the timer chain alive after a task throws, and reports the error on settle', async () => {
    vi.useFakeTimers({ now: T0 })
    const s = new Scheduler('real', Date.now())
    const seen: string[] = []
    s.schedule(T0 + 10, () => {
      throw new Error('task failed')
    })
    s.schedule(T0 + 20, () => void seen.push('still runs'))
    await vi.advanceTimersByTimeAsync(30)
    expect(seen).toEqual(['still runs'])
    await expect(s.settle()).rejects.toThrow('task failed')
  })
})
