/**
 * Module hooks of the server benchmark's plain variant: in the built package (dist/), the one place the
 * standalone server defers its answers to the end of the turn (`AnswerWriter`, src/server/wire.ts) is made to
 * write each answer at once, as a server without the write batching does. The changed module counts itself in
 * `globalThis.__serverPlainSwaps` when it runs, so that a swap that found nothing (the code moved) is reported by
 * the benchmark, never measured against itself.
 */
const FIND = 'setImmediate(this.flush)'
const REPLACE = 'this.flush()'

export async function load(url, context, next) {
  const loaded = await next(url, context)
  if (!url.includes('/dist/') || loaded.format !== 'module' || loaded.source == null) return loaded
  const source =
    typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8')
  const times = source.split(FIND).length - 1
  if (times === 0) return loaded
  const mark = `globalThis.__serverPlainSwaps = (globalThis.__serverPlainSwaps ?? 0) + ${times};`
  return { ...loaded, source: `${mark}${source.replaceAll(FIND, REPLACE)}` }
}
