/**
 * Copies of the double with a fast path swapped for the plain way (see swap-hooks.mjs). Each variant is a separate
 * module graph of src/, so module-level state is never shared between the copies measured against each other.
 */
import { register } from 'node:module'
import { pathToFileURL } from 'node:url'

/** A fast path swapped: the declaration `name` renamed away and `plain`, exported by `from`, imported as `name`. */
export interface NameSwap {
  name: string
  plain: string
  /** The module exporting `plain`, as `import.meta.url` of a bench file. */
  from: string
}

/** A text of the compiled module replaced (tsx minifies whitespace: write `memoize(f,64)`, not `memoize(f, 64)`). */
export interface TextSwap {
  find: string
  replace: string
}

export type Swap = NameSwap | TextSwap

/** Where the fast paths are: the one place to change when a module moves. */
export const MODULES = {
  index: 'src/index.ts',
  address: 'src/messaging/address.ts',
  render: 'src/http/render.ts',
} as const

/** The modules of a copy, read by name (their types are those of src/, which the bench does not restate). */
export type Graph = Record<keyof typeof MODULES, any>

const ROOT = new URL('../../', import.meta.url)
const swaps = globalThis as { __benchSwaps?: string[] }

let registered: Record<string, Swap[]> | undefined

/** Registers the hooks with every variant that will be loaded (once, before the first {@link loadGraph}). */
export function registerVariants(variants: Record<string, Swap[]>): void {
  if (registered) throw new Error('variants are registered once')
  registered = { ...variants }
  swaps.__benchSwaps = []
  register(pathToFileURL(new URL('swap-hooks.mjs', import.meta.url).pathname).href, {
    data: { variants: registered },
  })
}

/**
 * Loads the copy of the double of `variant` and checks that each of its swaps was made in
 * exactly one module: a fast path that moved or was removed is reported, never measured against itself.
 */
export async function loadGraph(variant: string): Promise<Graph> {
  const list = registered?.[variant]
  if (!list) throw new Error(`variant ${variant} is not registered`)
  const graph = {} as Graph
  for (const [key, path] of Object.entries(MODULES))
    graph[key as keyof Graph] = await import(`${new URL(path, ROOT).href}?bench-variant=${variant}`)
  const made = swaps.__benchSwaps ?? []
  list.forEach((swap, i) => {
    const times = made.filter((m) => m === `${variant}#${i}`).length
    if (times !== 1) {
      const what = 'name' in swap ? `declaration of ${swap.name}` : `text ${JSON.stringify(swap.find)}`
      throw new Error(
        `variant ${variant}: the ${what} was found in ${times} modules of src/ (expected 1): the fast path moved or changed; update bench/micro`,
      )
    }
  })
  return graph
}
