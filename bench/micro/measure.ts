/**
 * Timing of the micro-benchmarks: a fast path and the plain way it replaces, timed in many short samples taken in
 * turn (fast, plain, plain, fast, …) so that a machine busy with other work slows both alike; the figure is the
 * median of the ratios of neighbouring samples. With `cold`, a buffer larger than the CPU caches is swept before every call and
 * the sweep is not timed: the state of a server under load, where each request finds the caches cold.
 */

export interface Pair {
  /** Milliseconds per call, median over samples. */
  fast: number
  plain: number
  /** plain / fast: above 1 the fast path gains. */
  ratio: number
}

export interface TimingOptions {
  /** Calls timed together in one sample (1 for whole requests; more for calls shorter than the timer's grain). */
  batch: number
  /** Samples of each side, taken in turn: fast, plain, plain, fast, … */
  samples: number
  cold: boolean
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** 32 MiB: past the last-level cache of the machines this runs on. */
const SWEEP = new Uint8Array(32 * 1024 * 1024)
let sink = 0
/** Evicts the CPU caches by touching one byte of every cache line of {@link SWEEP}. */
function sweep(): void {
  for (let i = 0; i < SWEEP.length; i += 64) sink = (sink + SWEEP[i]! + i) | 0
  SWEEP[sink & 0xffff] = sink & 0xff
}

type Run = (i: number) => unknown

/**
 * Medians of each side, and the median of the ratios of samples taken one after the other (a slow phase of the
 * machine slows both of a pair alike).
 */
function summarize(f: number[], p: number[]): Pair {
  return { fast: median(f), plain: median(p), ratio: median(p.map((x, i) => x / f[i]!)) }
}

function sampleSync(fn: Run, start: number, { batch, cold }: TimingOptions): number {
  if (cold) sweep()
  const t = performance.now()
  for (let i = 0; i < batch; i++) fn(start + i)
  return (performance.now() - t) / batch
}

async function sampleAsync(fn: Run, start: number, { batch, cold }: TimingOptions): Promise<number> {
  if (cold) sweep()
  const t = performance.now()
  for (let i = 0; i < batch; i++) await fn(start + i)
  return (performance.now() - t) / batch
}

/**
 * A synchronous fast path against its plain way, after a warm-up: the medians of many short samples taken in
 * turn (a sample slowed by another process is an outlier the median drops), and their ratio.
 */
export function compareSync(fast: Run, plain: Run, options: TimingOptions): Pair {
  const warm = { ...options, cold: false }
  for (let w = 0; w < 20; w++) {
    sampleSync(fast, w * options.batch, warm)
    sampleSync(plain, w * options.batch, warm)
  }
  const f: number[] = []
  const p: number[] = []
  for (let r = 0; r < options.samples; r++) {
    const start = r * options.batch
    if (r % 2 === 0) {
      f.push(sampleSync(fast, start, options))
      p.push(sampleSync(plain, start, options))
    } else {
      p.push(sampleSync(plain, start, options))
      f.push(sampleSync(fast, start, options))
    }
  }
  return summarize(f, p)
}

/** {@link compareSync} for calls that answer a promise (the double's doors). */
export async function compareAsync(fast: Run, plain: Run, options: TimingOptions): Promise<Pair> {
  const warm = { ...options, cold: false }
  for (let w = 0; w < 300; w++) {
    await sampleAsync(fast, w * options.batch, warm)
    await sampleAsync(plain, w * options.batch, warm)
  }
  const f: number[] = []
  const p: number[] = []
  for (let r = 0; r < options.samples; r++) {
    const start = r * options.batch
    if (r % 2 === 0) {
      f.push(await sampleAsync(fast, start, options))
      p.push(await sampleAsync(plain, start, options))
    } else {
      p.push(await sampleAsync(plain, start, options))
      f.push(await sampleAsync(fast, start, options))
    }
  }
  return summarize(f, p)
}

/** Keeps a result alive so that the compiler cannot drop the call that made it. */
export function use(value: unknown): void {
  if (value === sink) sink++
}
