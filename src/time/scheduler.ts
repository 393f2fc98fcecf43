import { TwilioDoubleError } from '../errors/twilio-api-error.js'

/** A task the scheduler runs at a point in (virtual or real) time. */
interface Task {
  at: number
  seq: number
  run: (arg: never) => void | Promise<void>
  /** What `run` is called with (a task of a message needs no closure of its own). */
  arg: unknown
  /** `pending` until it is claimed to run or cancelled. */
  state: 'pending' | 'claimed' | 'cancelled'
  timer?: ReturnType<typeof setTimeout>
}

const NOOP = () => {}
/** The largest epoch millisecond a `Date` can hold. */
const MAX_TIME = 8.64e15

/** Handle of a scheduled task, for {@link Scheduler.cancel}. */
export interface TaskHandle {
  readonly at: number
}

/** `virtual`: time moves only through advance()/settle(). `real`: the process timers (and so fake timers). */
export type ClockMode = 'virtual' | 'real'

/**
 * The double's clock and scheduler. The domain never calls `setTimeout` itself: it asks the scheduler
 * to run a task at a time, and the scheduler runs due tasks in time order (ties in the order they were
 * scheduled).
 *
 * - `virtual` (default): time stands still until {@link advance} or {@link settle} moves it; each task runs
 *   with the clock set to its own time.
 * - `real`: `now()` is `Date.now()` and each task is a `setTimeout`, looked up when the task is scheduled,
 *   so a test runner's fake timers (`vi.useFakeTimers()`, `jest.useFakeTimers()`) drive it.
 *
 * A task that throws never stops the others: the error is kept and thrown by the next `advance()` or
 * `settle()`.
 *
 * @example
 * const s = new Scheduler('virtual', Date.UTC(2024, 0, 1))
 * s.schedule(s.now() + 1000, () => console.log('one second later'))
 * await s.advance(1000)
 */
export class Scheduler {
  readonly mode: ClockMode
  private current: number
  private readonly start: number
  private heap: Task[] = []
  private seq = 0
  private running: Promise<void> = Promise.resolve()
  private realTasks = new Set<Task>()
  private errors: unknown[] = []
  private cancelledInHeap = 0

  constructor(mode: ClockMode, startMs: number) {
    if (mode !== 'virtual' && mode !== 'real')
      throw new TwilioDoubleError(`clock must be 'virtual' or 'real' (got '${String(mode)}')`)
    this.mode = mode
    this.start = startMs
    this.current = startMs
  }

  /** Current time in epoch milliseconds. */
  now(): number {
    return this.mode === 'real' ? Date.now() : this.current
  }

  /** Number of tasks still waiting to run. */
  get pending(): number {
    if (this.mode === 'real') return this.realTasks.size
    let n = 0
    for (const t of this.heap) if (t.state === 'pending') n++
    return n
  }

  /** Time of the earliest pending task, if any. */
  nextAt(): number | undefined {
    if (this.mode === 'real') {
      let min: number | undefined
      for (const t of this.realTasks) if (min === undefined || t.at < min) min = t.at
      return min
    }
    this.dropCancelled()
    return this.heap[0]?.at
  }

  /**
   * Runs `run(arg)` at epoch ms `at`. A time in the past runs at the current time: in virtual mode on the next
   * advance()/settle(), in real mode on the next timer tick. Passing what the task works on as `arg` to a
   * function made once keeps a closure per task out of memory (thousands of messages wait at once).
   *
   * @example
   * const remind = (name: string) => console.log(`hello, ${name}`)
   * s.schedule(s.now() + 1000, remind, 'Ada')
   */
  schedule(at: number, run: () => void | Promise<void>): TaskHandle
  schedule<T>(at: number, run: (arg: T) => void | Promise<void>, arg: T): TaskHandle
  schedule<T>(at: number, run: (arg: T) => void | Promise<void>, arg?: T): TaskHandle {
    if (!(Math.abs(at) <= MAX_TIME))
      throw new TwilioDoubleError(`schedule(): ${at} is not a time in epoch milliseconds a Date can hold`)
    const task: Task = { at, seq: this.seq++, run: run as Task['run'], arg, state: 'pending' }
    if (this.mode === 'real') {
      this.realTasks.add(task)
      task.timer = setTimeout(
        () => {
          if (!this.claim(task)) return
          this.running = this.running.then(() => this.runTask(task))
        },
        Math.max(0, at - Date.now()),
      )
    } else {
      this.push(task)
    }
    return task
  }

  /**
   * Cancels a task scheduled earlier; a no-op when it already ran or was cancelled. The task's function is
   * released at once, so whatever it refers to (a dropped message) can be garbage-collected.
   */
  cancel(handle: TaskHandle): void {
    const task = handle as Task
    if (task.state !== 'pending') return
    task.state = 'cancelled'
    task.run = NOOP
    task.arg = undefined
    if (this.mode === 'real') {
      this.realTasks.delete(task)
      clearTimeout(task.timer)
    } else if (++this.cancelledInHeap > 1024 && this.cancelledInHeap * 2 > this.heap.length) {
      this.compact()
    }
  }

  /**
   * Moves virtual time forward by `ms`, running every task that falls due, in time order, each at its
   * own time. In `real` mode, move time with your test runner's fake timers instead.
   */
  async advance(ms: number): Promise<void> {
    if (this.mode === 'real')
      throw new TwilioDoubleError(
        "advance() moves virtual time, but this double uses clock: 'real'. Use vi.advanceTimersByTimeAsync() / jest.advanceTimersByTimeAsync(), or settle().",
      )
    if (!Number.isFinite(ms) || ms < 0)
      throw new TwilioDoubleError(`advance() needs a duration >= 0 (got ${ms})`)
    const target = this.current + ms
    if (target > MAX_TIME)
      throw new TwilioDoubleError(
        `advance(${ms}) would move the clock past the last date JavaScript can represent (year 275760); advance by less`,
      )
    await this.runUntil(target)
    this.current = Math.max(this.current, target)
    this.throwErrors()
  }

  /**
   * Lets `ms` of the double's time pass while a call runs (a scenario's latency): virtual time advances (due tasks
   * run), a real clock is waited on (a process timer, so fake timers drive it).
   *
   * @example
   * await scheduler.sleep(2000)
   */
  sleep(ms: number): Promise<void> {
    if (this.mode === 'virtual') return this.advance(ms)
    return new Promise((resolve) => setTimeout(resolve, ms))
  }

  /**
   * Runs everything pending, advancing virtual time as far as needed (real mode: runs the waiting timers'
   * tasks now, in time order, without waiting for them). Returns when no task is left. `limit` guards
   * against tasks that reschedule forever.
   */
  async settle(limit = 1_000_000): Promise<void> {
    let n = 0
    const tooMany = () =>
      new TwilioDoubleError(
        'settle() ran more tasks than its limit: does a scenario or handler reschedule forever?',
      )
    if (this.mode === 'real') {
      await this.running
      while (this.realTasks.size > 0) {
        const tasks = [...this.realTasks].sort((a, b) => a.at - b.at || a.seq - b.seq)
        for (const t of tasks) {
          if (!this.claim(t)) continue
          const pending = this.runTask(t)
          if (pending) await pending
          if (++n > limit) throw tooMany()
        }
        await this.running
      }
      this.throwErrors()
      return
    }
    for (;;) {
      this.dropCancelled()
      const next = this.heap[0]
      if (!next) break
      await this.runUntil(next.at)
      if (++n > limit) throw tooMany()
    }
    this.throwErrors()
  }

  /** Sets virtual time back to its start and drops every pending task. */
  reset(): void {
    for (const t of this.realTasks) {
      t.state = 'cancelled'
      clearTimeout(t.timer)
    }
    for (const t of this.heap) t.state = 'cancelled'
    this.realTasks.clear()
    this.heap = []
    this.cancelledInHeap = 0
    this.errors = []
    this.current = this.start
  }

  /** Marks a real-mode task as running; false when it already ran or was cancelled. */
  private claim(task: Task): boolean {
    if (task.state !== 'pending') return false
    task.state = 'claimed'
    this.realTasks.delete(task)
    clearTimeout(task.timer)
    return true
  }

  private async runUntil(target: number): Promise<void> {
    for (;;) {
      this.dropCancelled()
      const next = this.heap[0]
      if (!next || next.at > target) return
      this.pop()
      next.state = 'claimed'
      if (next.at > this.current) this.current = next.at
      const pending = this.runTask(next)
      if (pending) await pending
    }
  }

  /** Runs a task; awaits it only when it returns a promise (most tasks are synchronous). */
  private runTask(task: Task): void | Promise<void> {
    const run = task.run as (arg: unknown) => void | Promise<void>
    const arg = task.arg
    task.run = NOOP
    task.arg = undefined
    try {
      const out = run(arg)
      if (out && typeof (out as Promise<void>).then === 'function')
        return (out as Promise<void>).then(undefined, (err: unknown) => void this.errors.push(err))
    } catch (err) {
      this.errors.push(err)
    }
  }

  private throwErrors(): void {
    if (this.errors.length === 0) return
    const [first] = this.errors
    this.errors = []
    throw first
  }

  private dropCancelled(): void {
    while (this.heap[0] && this.heap[0].state !== 'pending') {
      this.pop()
      if (this.cancelledInHeap > 0) this.cancelledInHeap--
    }
  }

  /** Rebuilds the heap without its cancelled tasks. */
  private compact(): void {
    const live = this.heap.filter((t) => t.state === 'pending')
    this.heap = []
    this.cancelledInHeap = 0
    for (const t of live) this.push(t)
  }

  private less(a: Task, b: Task): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq)
  }

  private push(task: Task): void {
    const h = this.heap
    h.push(task)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(h[i]!, h[p]!)) break
      ;[h[i], h[p]] = [h[p]!, h[i]!]
      i = p
    }
  }

  private pop(): Task | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (h.length > 0 && last) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m]!, h[i]!]
        i = m
      }
    }
    return top
  }
}
