/**
 * Module hooks of the micro-benchmarks: `…/src/index.ts?bench-variant=NAME` loads a separate copy of the double
 * (every file it imports outside node_modules carries the same query), in which the swaps of variant NAME are made
 * to the compiled source: a fast path renamed away and the plain way imported under its name, or a text replaced.
 * A swap that finds nothing to replace is reported by the variant's loader (see variants.ts), so a fast path that
 * moved or went away is never measured against itself.
 */
const PARAM = 'bench-variant'
/** @type {Record<string, Array<{ name?: string, plain?: string, from?: string, find?: string, replace?: string }>>} */
let variants = {}

export function initialize(data) {
  variants = data.variants
}

const variantOf = (url) => {
  if (!url?.startsWith('file:')) return null
  return new URL(url).searchParams.get(PARAM)
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  const variant = variantOf(context.parentURL)
  if (!variant || !resolved.url.startsWith('file:') || resolved.url.includes('/node_modules/'))
    return resolved
  const url = new URL(resolved.url)
  url.searchParams.set(PARAM, variant)
  return { ...resolved, url: url.href }
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export async function load(url, context, next) {
  const loaded = await next(url, context)
  const variant = variantOf(url)
  // the swaps are made in the double's own files only (the bench's files are copied along, as they are)
  if (
    !variant ||
    !new URL(url).pathname.includes('/src/') ||
    loaded.format !== 'module' ||
    loaded.source == null
  )
    return loaded
  let source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8')
  const head = []
  const tail = []
  for (const [i, swap] of (variants[variant] ?? []).entries()) {
    const mark = `globalThis.__benchSwaps?.push(${JSON.stringify(`${variant}#${i}`)});`
    if (swap.name) {
      // tsx's output: minified whitespace, declarations after `;` or `}`, exports listed at the end
      const declaration = new RegExp(
        `(^|[;}\\n])((?:async )?function\\*? ?${escapeRegExp(swap.name)} ?\\(|(?:const|let|var) ${escapeRegExp(swap.name)} ?=)`,
      )
      const m = declaration.exec(source)
      if (!m) continue
      const renamed = m[2].replace(swap.name, `${swap.name}__fast`)
      source = source.slice(0, m.index) + m[1] + renamed + source.slice(m.index + m[0].length)
      head.push(`import { ${swap.plain} as ${swap.name} } from ${JSON.stringify(swap.from)};`)
      tail.push(mark)
    } else if (swap.find) {
      if (!source.includes(swap.find)) continue
      source = source.split(swap.find).join(swap.replace)
      tail.push(mark)
    }
  }
  if (head.length === 0 && tail.length === 0) return { ...loaded, source }
  return { ...loaded, source: `${head.join('\n')}\n${source}\n${tail.join('\n')}\n` }
}
