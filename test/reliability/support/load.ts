/**
 * Load and memory helpers for the standalone server tests: autocannon in a child process, forced garbage
 * collection, memory sampling.
 */
import { fileURLToPath } from 'node:url'
import v8 from 'node:v8'
import vm from 'node:vm'
import { runNodeChild } from './node-child.js'

export interface LoadResult {
  requests: number
  perSecond: number
  latencyP50: number
  latencyP99: number
  latencyMax: number
  errors: number
  timeouts: number
  non2xx: number
  resets: number
  mismatches: number
  statusCodes: Record<string, number>
  durationSeconds: number
}

const RUNNER = fileURLToPath(new URL('./load-runner.mjs', import.meta.url))

/** Runs autocannon with `options` (its programmatic options) in a child process. */
export function runLoad(options: Record<string, unknown>): Promise<LoadResult> {
  return runNodeChild<LoadResult>(RUNNER, options, { label: 'autocannon', exitCodeFails: true })
}

/** Runs a full garbage collection (exposing `gc` on the fly) and returns the heap in use, in bytes. */
export function heapAfterGc(): number {
  v8.setFlagsFromString('--expose_gc')
  const gc = vm.runInNewContext('gc') as () => void
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

/** Samples resident memory every `everyMs` until stopped; returns the peak. */
export function sampleRss(everyMs = 100): { stop(): { peak: number; samples: number } } {
  let peak = process.memoryUsage().rss
  let samples = 1
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
    samples++
  }, everyMs)
  return {
    stop: () => {
      clearInterval(timer)
      return { peak, samples }
    },
  }
}

export const MB = 1024 * 1024
