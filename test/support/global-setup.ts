import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { ASSETS_MODULE, renderAssetsModule } from '../../src/inbox/build-assets.js'

/** Generates src/inbox/assets.ts (the inbox files embedded as strings) before the suite, as the build does. */
export default function setup(): void {
  const source = renderAssetsModule()
  if (!existsSync(ASSETS_MODULE) || readFileSync(ASSETS_MODULE, 'utf8') !== source)
    writeFileSync(ASSETS_MODULE, source)
}
