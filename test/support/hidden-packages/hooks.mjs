/** Resolve hook of ./register.mjs: a hidden package is resolved from a folder where nothing is installed. */
let hidden = []
let nowhere = ''

export function initialize(data) {
  hidden = data.hidden
  nowhere = data.nowhere
}

export function resolve(specifier, context, next) {
  if (hidden.some((name) => specifier === name || specifier.startsWith(`${name}/`)))
    return next(specifier, { ...context, parentURL: new URL(`file://${nowhere}`).href })
  return next(specifier, context)
}
