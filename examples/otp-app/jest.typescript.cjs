// A TypeScript transform for jest in CommonJS mode. Any works (ts-jest, @swc/jest, babel-jest with
// @babel/preset-typescript); this one uses esbuild.
const { transformSync } = require('esbuild')

module.exports = {
  process(sourceText, sourcePath) {
    const { code, map } = transformSync(sourceText, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: sourcePath,
      sourcemap: 'external',
    })
    return { code, map }
  },
}
