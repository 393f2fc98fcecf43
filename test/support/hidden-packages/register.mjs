/**
 * `node --import ./register.mjs`: the packages named in HIDDEN_PACKAGES (comma-separated) cannot be found,
 * as when they are not installed. Node itself resolves them, from a folder where nothing is installed, so
 * the error is Node's own (ERR_MODULE_NOT_FOUND for `import`, MODULE_NOT_FOUND for `require`).
 */
import Module, { register } from 'node:module'

const hidden = (process.env.HIDDEN_PACKAGES ?? '').split(',').filter(Boolean)
const isHidden = (specifier) => hidden.some((name) => specifier === name || specifier.startsWith(`${name}/`))
const NOWHERE = '/nonexistent-folder/x.js'

register('./hooks.mjs', import.meta.url, { data: { hidden, nowhere: NOWHERE } })

const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, parent, ...rest) {
  if (!isHidden(request)) return resolveFilename.call(this, request, parent, ...rest)
  const nowhere = new Module(NOWHERE)
  nowhere.filename = NOWHERE
  nowhere.paths = ['/nonexistent-folder/node_modules']
  return resolveFilename.call(this, request, nowhere, ...rest)
}
