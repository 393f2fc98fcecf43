/**
 * The public API as users meet it in their editor: every value an entry exports carries JSDoc with an `@example`,
 * every type it exports carries JSDoc (read with the TypeScript compiler, as an editor reads them).
 */
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { entries } from '../tsup.config.js'

const root = join(import.meta.dirname, '..')

/** What each entry exports that lacks its documentation, as `name (file): what is missing`. */
function undocumented(): string[] {
  const files = Object.entries(entries)
    .filter(([entry]) => entry !== 'cli')
    .map(([, file]) => join(root, file))
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
  })
  const checker = program.getTypeChecker()
  const found = new Set<string>()
  for (const file of files) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)
    for (const exported of module ? checker.getExportsOfModule(module) : []) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      const declaration = symbol.declarations?.[0]
      if (!declaration) continue
      const where = `${symbol.name} (${declaration.getSourceFile().fileName.slice(root.length + 1)})`
      const documented = symbol.getDocumentationComment(checker).length > 0
      const isValue =
        symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable)
      // a variable's JSDoc sits on its statement
      const commented = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration
      const example = ts.getJSDocTags(commented).some((tag) => tag.tagName.text === 'example')
      if (!documented) found.add(`${where}: no JSDoc`)
      else if (isValue && !example) found.add(`${where}: no @example`)
    }
  }
  return [...found].sort()
}

describe('the public API', () => {
  it('documents every exported value with an example, and every exported type', () => {
    expect(undocumented()).toEqual([])
  }, 60_000)
})
