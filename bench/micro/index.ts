/**
 * `npm run bench -- micro [id…] [--cold] [--quick]`: every fast path against the plain way it replaces, on its
 * own and in the whole calls users make (see README.md). A fast path is kept when it gains at least 20% on the
 * best of the user-facing figures it targets.
 */
import { FIGURES, type Figure, userCalls } from './figures.js'
import { measureJestPreset } from './jest-preset.js'
import { compareAsync, compareSync, type Pair, type TimingOptions, use } from './measure.js'
import type { Micro } from './micro.js'
import { phone } from './phone.js'
import { renderCache } from './render-cache.js'
import { loadGraph, registerVariants } from './variants.js'

/** The fast paths kept, each measured against the plain way it replaces. */
const FAST_PATHS: Micro[] = [phone, renderCache]

/** The user-facing figures some fast path targets. */
const TARGETED: Figure[] = [...new Set(FAST_PATHS.flatMap((m) => m.targets))]

/**
 * No swap at all: the two copies differ in nothing, so its ratios (on every figure a fast path targets) show how
 * far from 1.00 noise alone goes.
 */
const control: Micro = {
  id: 'control',
  fastPath: 'none (control)',
  plainWay: 'the same code in a second copy',
  swaps: [],
  targets: TARGETED,
}

export const MICROS: Micro[] = [control, ...FAST_PATHS]

/**
 * The figures of `FIGURES` that no fast path targets: none may stay (a figure goes with the last fast path that
 * targets it), else the run stops saying which.
 *
 * @example
 * untargetedFigures() // [] while every figure has a fast path
 */
export function untargetedFigures(): Figure[] {
  return (Object.keys(FIGURES) as Figure[]).filter((f) => !TARGETED.includes(f))
}

/** The gain a fast path must show on a user-facing figure to stay. */
export const KEEP_RATIO = 1.2

export interface MicroRow {
  id: string
  fastPath: string
  plainWay: string
  /** Figures measured: label → fast, plain (ms per call, or `unit`), ratio plain / fast. */
  figures: { label: string; user: boolean; unit: string; pair: Pair }[]
  verdict: 'KEEP' | 'REMOVE'
  best: number
}

const fmt = (x: number, unit: string) =>
  unit === 'ms' ? (x * 1000).toFixed(x < 0.01 ? 3 : 1).padStart(9) : x.toFixed(0).padStart(9)

export async function runMicro(args: string[] = []): Promise<MicroRow[]> {
  const orphans = untargetedFigures()
  if (orphans.length > 0)
    throw new Error(
      `bench/micro/figures.ts lists figures no micro-benchmark targets (${orphans.join(', ')}): remove them from FIGURES and userCalls, or add the fast path that targets them to FAST_PATHS in bench/micro/index.ts`,
    )
  const cold = args.includes('--cold')
  const quick = args.includes('--quick')
  const only = args.filter((a) => !a.startsWith('--'))
  const micros = MICROS.filter((m) => only.length === 0 || only.includes(m.id))
  const jestPreset = only.length === 0 || only.includes('jest-preset')
  // each fast path is measured between two fresh copies of the double, loaded and warmed alike: the copy as it
  // is and the copy with the plain way swapped in
  registerVariants(
    Object.fromEntries(micros.flatMap((m) => [[`${m.id}.fast`, []] as const, [m.id, m.swaps] as const])),
  )
  const callOptions: TimingOptions = { batch: 1, samples: quick ? 100 : 400, cold }
  const fnOptions: TimingOptions = { batch: cold ? 1 : 500, samples: quick ? 41 : 201, cold }
  const rows: MicroRow[] = []
  console.log(
    `micro-benchmarks: medians of ${callOptions.samples} interleaved samples${cold ? ', CPU caches swept before every call' : ''}; µs per call (fast, plain), ratio plain/fast`,
  )
  for (const micro of micros) {
    const fast = await loadGraph(`${micro.id}.fast`)
    const plain = await loadGraph(micro.id)
    const row: MicroRow = {
      id: micro.id,
      fastPath: micro.fastPath,
      plainWay: micro.plainWay,
      figures: [],
      verdict: 'REMOVE',
      best: 0,
    }
    console.log(`\n${micro.id}: ${micro.fastPath} vs ${micro.plainWay}`)
    const report = (label: string, user: boolean, unit: string, pair: Pair) => {
      row.figures.push({ label, user, unit, pair })
      console.log(
        `  ${user ? 'user' : 'fn  '}  ${label.padEnd(52)} ${fmt(pair.fast, unit)} ${fmt(pair.plain, unit)} ${unit === 'ms' ? 'µs' : unit}  ${pair.ratio.toFixed(2).padStart(6)}x`,
      )
    }
    for (const isolated of micro.isolated?.(fast, plain) ?? []) {
      const pair = compareSync(
        (i) => use(isolated.fast(i)),
        (i) => use(isolated.plain(i)),
        fnOptions,
      )
      report(isolated.label, false, 'ms', pair)
    }
    if (micro.custom) {
      const c = await micro.custom(fast, plain)
      const pair = { fast: c.fast, plain: c.plain, ratio: c.plain / c.fast }
      report(c.label, true, c.unit, pair)
      row.best = Math.max(row.best, pair.ratio)
    }
    const fastCalls = await userCalls(fast)
    const plainCalls = await userCalls(plain)
    for (const figure of micro.targets) {
      const pair = await compareAsync(fastCalls[figure], plainCalls[figure], callOptions)
      report(FIGURES[figure], true, 'ms', pair)
      row.best = Math.max(row.best, pair.ratio)
    }
    row.verdict = row.best >= KEEP_RATIO ? 'KEEP' : 'REMOVE'
    console.log(
      `  => ${row.verdict} (best user-facing ratio ${row.best.toFixed(2)}x, keep at >= ${KEEP_RATIO}x)`,
    )
    rows.push(row)
  }
  if (jestPreset) rows.push(jestPresetRow())
  return rows
}

/** The jest preset's transform, as jest runs it (see jest-preset.ts): its cost, and its test before parsing. */
function jestPresetRow(): MicroRow {
  console.log('\njest-preset: the Babel transform of jest-preset.cjs, a CommonJS test loading msw/node')
  const j = measureJestPreset()
  const row: MicroRow = {
    id: 'jest-preset',
    fastPath: 'test before parsing (`MAYBE_ESM`) of the preset transform (jest-preset.cjs)',
    plainWay: 'every matched file parsed by Babel',
    figures: [],
    verdict: 'REMOVE',
    best: j.parseAllMs / j.withPrecheckMs,
  }
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(58)} ${value}`)
  line('files the preset transforms / rewrites', `${j.files} / ${j.rewritten}`)
  line(
    'jest run, empty cache / cache of that run',
    `${j.coldRunMs.toFixed(0)} / ${j.warmRunMs.toFixed(0)} ms`,
  )
  line('time in the transform during the first run', `${j.transformMs.toFixed(0)} ms`)
  line(
    'all files in process: with the test / every file parsed',
    `${j.withPrecheckMs.toFixed(0)} / ${j.parseAllMs.toFixed(0)} ms`,
  )
  row.figures.push({
    label: 'transform of the files of a first jest run',
    user: true,
    unit: 'ms',
    pair: { fast: j.withPrecheckMs, plain: j.parseAllMs, ratio: row.best },
  })
  row.verdict = row.best >= KEEP_RATIO ? 'KEEP' : 'REMOVE'
  console.log(
    `  => test before parsing: ${row.verdict} (${row.best.toFixed(2)}x on the transform time, keep at >= ${KEEP_RATIO}x); the transform itself has no plain counterpart in jest's CommonJS mode`,
  )
  return row
}
