/**
 * Screenshots of the inbox for the README: the empty state, the list with messages, one message with its
 * timeline and callbacks, a conversation, and the list at a phone's width. Runs the standalone server on a free loopback
 * port with a demo app answering in-process (nothing leaves the machine) and drives headless Chromium.
 *
 * Usage: `npm run screenshots` (writes docs/inbox-*.png). Chromium: CHROMIUM_PATH, Debian's
 * /usr/bin/chromium, or the one inside the devDependency @sparticuz/chromium (test/inbox/browser.ts).
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { startServer } from '../src/adapters/server.js'
import { DEFAULT_FROM } from '../src/config.js'
import { createTwilioDouble } from '../src/double.js'
import { launchChromium } from '../test/inbox/browser.js'
import { demoAccount, demoApp, seedDemo } from '../test/inbox/demo-data.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outDir = path.resolve(root, process.argv[2] ?? 'docs')
const APP_URL = 'https://app.example.com/twilio'

async function shot(page: Page, name: string): Promise<void> {
  // no caret, no transition: the same pixels on every run
  await page.addStyleTag({ content: '*{caret-color:transparent!important;animation:none!important}' })
  const file = path.join(outDir, `inbox-${name}.png`)
  await page.screenshot({ path: file })
  process.stdout.write(`wrote ${path.relative(root, file)}\n`)
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true })
  const double = createTwilioDouble({ accounts: [demoAccount(APP_URL)] })
  double.callbacks.handle(APP_URL, demoApp)
  const server = await startServer({ double, port: 0 })
  const browser = await launchChromium()
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 820 },
      colorScheme: 'light',
      reducedMotion: 'reduce',
      bypassCSP: true,
    })
    const page = await context.newPage()
    page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`))
    await page.goto(server.url)
    await page.locator('#empty:not([hidden]) [data-testid=curl]').waitFor()
    await shot(page, 'empty')

    await seedDemo(server, APP_URL)
    await page.locator('#message-rows tr').nth(11).waitFor()
    await shot(page, 'list')

    const delivered = double.messages.list({ to: '+15558675310', status: 'delivered' }).at(-1)!
    await page.goto(`${server.url}/#/messages/${delivered.sid}`)
    await page.locator('.deliveries li').nth(1).waitFor()
    await page.locator('.deliveries li summary').nth(1).click()
    await page.setViewportSize({ width: 1280, height: 1400 })
    await page.evaluate(() => {
      window.scrollTo(0, 0)
      document.querySelector('#pane')?.scrollTo(0, 0)
    })
    await shot(page, 'message')

    await page.setViewportSize({ width: 1280, height: 820 })
    await page.goto(
      `${server.url}/#/conversations/${encodeURIComponent(DEFAULT_FROM)}/${encodeURIComponent('+15558675310')}`,
    )
    await page.locator('#conversation-view .thread > li').nth(4).waitFor()
    await shot(page, 'conversation')

    const narrow = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 1,
      colorScheme: 'light',
      reducedMotion: 'reduce',
      bypassCSP: true,
    })
    const phone = await narrow.newPage()
    await phone.goto(server.url)
    await phone.locator('#message-rows tr').nth(3).waitFor()
    await shot(phone, 'narrow')
  } finally {
    await browser.close()
    await server.close()
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`)
  process.exit(1)
})
