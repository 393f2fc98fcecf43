import { TwilioDoubleError } from '../errors/twilio-api-error.js'

/** A task the scheduler runs at a point in (virtual or real) time. */
type Task = { at: number; seq: number; run: () => void | Promise<void>; cancelled: boolean; timer?: unknown }

/** Handle of a scheduled task, for {@link Scheduler.cancel}. */
export interface TaskHandle {
  readonly at: number
}

/** `virtual`: time moves only through advance()/settle(). `real`: the process timers (and so fake timers). */
export type ClockMode = 'virtual' | 'real'

/**
 * The double's clock and scheduler. The domain never calls `setTimeout` itself: it asks the scheduler
 * to run a task at a time, and the scheduler runs due tasks in time order.
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

  constructor(mode: ClockMode, startMs: number) {
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
    return this.mode === 'real' ? this.realTasks.size : this.heap.filter((t) => !t.cancelled).length
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

  /** Runs `run` at epoch ms `at` (immediately-due tasks run on the next advance/settle or timer tick). */
  schedule(at: number, run: () => void | Promise<void>): TaskHandle {
    const task: Task = { at, seq: this.seq++, run, cancelled: false }
    if (this.mode === 'real') {
      this.realTasks.add(task)
      task.timer = setTimeout(
        () => {
          if (task.cancelled) return
          this.realTasks.delete(task)
          this.running = this.running.then(() => this.runTask(task))
        },
        Math.max(0, at - Date.now()),
      )
    } else {
      this.push(task)
    }
    return task
  }

  /** Cancels a task scheduled earlier; a no-op when it already ran. */
  cancel(handle: TaskHandle): void {
    const task = handle as Task
    task.cancelled = true
    if (this.mode === 'real') {
      this.realTasks.delete(task)
      clearTimeout(task.timer as ReturnType<typeof setTimeout>)
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
    const target = this.current + ms
    await this.runUntil(target)
    this.current = Math.max(this.current, target)
  }

  /**
   * Runs everything pending, advancing virtual time as far as needed (real mode: runs the pending timers'
   * tasks now). Returns when no task is left. `limit` guards against tasks that reschedule forever.
   */
  async settle(limit = 1_000_000): Promise<void> {
    let n = 0
    if (this.mode === 'real') {
      await this.running
      while (this.realTasks.size > 0) {
        const tasks = [...this.realTasks].sort((a, b) => a.at - b.at || a.seq - b.seq)
        for (const t of tasks) {
          this.cancel(t)
          await this.runTask(t)
          if (++n > limit)
            throw new TwilioDoubleError(
              'settle() ran more tasks than its limit: a scenario reschedules forever?',
            )
        }
      }
      return
    }
    for (;;) {
      this.dropCancelled()
      const next = this.heap[0]
      if (!next) return
      await this.runUntil(next.at)
      if (++n > limit)
        throw new TwilioDoubleError('settle() ran more tasks than its limit: a scenario reschedules forever?')
    }
  }

  /** Sets virtual time back to its start and drops every pending task. */
  reset(): void {
    for (const t of this.realTasks) clearTimeout(t.timer as ReturnType<typeof setTimeout>)
    this.realTasks.clear()
    this.heap = []
    this.current = this.start
  }

  private async runUntil(target: number): Promise<void> {
    for (;;) {
      this.dropCancelled()
      const next = this.heap[0]
      if (!next || next.at > target) return
      this.pop()
      if (next.at > this.current) this.current = next.at
      await this.runTask(next)
    }
  }

  private async runTask(task: Task): Promise<void> {
    if (task.cancelled && this.mode === 'virtual') return
    task.cancelled = true
    await task.run()
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) this.pop()
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
