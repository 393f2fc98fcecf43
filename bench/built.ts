/**
 * The package as users install it: a module of `dist/` (made by `npm run build`, which `npm run bench` runs first),
 * not the sources as a TypeScript loader compiles them (which wraps every function to keep its name, and so runs
 * markedly slower).
 *
 * @example
 * const { createTwilioDouble } = await builtModule<typeof import('../src/index.js')>('index.js', 'create')
 */
export async function builtModule<T>(file: string, benchmark: string): Promise<T> {
  try {
    return (await import(new URL(`../dist/${file}`, import.meta.url).href)) as T
  } catch (err) {
    throw new Error(
      `the ${benchmark} benchmark runs the built package: run npm run build first (${String(err)})`,
    )
  }
}
