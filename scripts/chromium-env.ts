/**
 * Prints, as `NAME=value` lines for `env`, what a browser test outside the repository's own suite (the
 * web-login example under Playwright Test) needs to start the Chromium that the suite's tests find:
 * CHROMIUM_PATH, and LD_LIBRARY_PATH when it is the one of @sparticuz/chromium (unpacked on first use).
 *
 * Usage: `env $(node --import tsx scripts/chromium-env.ts) npx playwright test`
 */
import { findChromium } from '../test/inbox/browser.js'

const build = await findChromium()
for (const [name, value] of Object.entries({ CHROMIUM_PATH: build.executablePath, ...build.env }))
  process.stdout.write(`${name}=${value}\n`)
