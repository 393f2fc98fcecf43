/** What jest gives a transform besides the source and its path (the part this transform reads). */
interface TransformOptions {
  /** True in ESM mode: files are then left as they are. */
  supportsStaticESM?: boolean
}

/**
 * The jest transform of twilio-double alone: in CommonJS mode, ES modules of node_modules (`.mjs`, or `.js` in
 * a package of `"type": "module"`) become CommonJS; every other file is left as it is.
 *
 * @example
 * // jest.config.js
 * const { esmTransform, transformIgnorePatterns } = require('twilio-double/jest-transform')
 * module.exports = { transform: { ...esmTransform, '\\.tsx?$': 'ts-jest' }, transformIgnorePatterns }
 */
declare const transform: {
  /** Jest's transform entry point. */
  process(sourceText: string, sourcePath: string, options?: TransformOptions): { code: string; map?: unknown }
  /** Jest's cache key of a transformed file. */
  getCacheKey(sourceText: string, sourcePath: string, options?: TransformOptions): string
  /** `transform` entry (`{ pattern: path }`): the JavaScript files of node_modules go to this transform. */
  esmTransform: Record<string, string>
  /** `transformIgnorePatterns` to use with it: node_modules is not skipped. */
  transformIgnorePatterns: string[]
  /** Whether Node loads `file` as an ES module: `.mjs`, or `.js` in a package of `"type": "module"`. */
  isEsModuleFile(file: string): boolean
}
export = transform
