import type { Figure } from './figures.js'
import type { Graph, Swap } from './variants.js'

/** An isolated function figure: the fast path's own call against the plain way's, on realistic inputs. */
export interface Isolated {
  label: string
  fast: (i: number) => unknown
  plain: (i: number) => unknown
}

/** One fast path: what it replaces, how the plain way is swapped in, and the figures it targets. */
export interface Micro {
  id: string
  /** The fast path and where it is. */
  fastPath: string
  /** The plain way measured against it. */
  plainWay: string
  /** The swaps that make the plain copy of the double (variant `id`). */
  swaps: Swap[]
  /** The user-facing figures it targets; its verdict is taken on the best of them. */
  targets: Figure[]
  isolated?: (fast: Graph, plain: Graph) => Isolated[]
  /** A figure of its own instead of call times (e.g. heap per stored message), as fast and plain values. */
  custom?: (
    fast: Graph,
    plain: Graph,
  ) => Promise<{ label: string; fast: number; plain: number; unit: string }>
}
