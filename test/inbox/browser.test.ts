/**
 * How the browser tests find Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the one inside
 * the devDependency @sparticuz/chromium, which must start on a machine with no system Chromium.
 */
import { execFileSync } from 'node:child_process'
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium, launchChromium, untar } from './browser.js'

// an executable file that is not Chromium: enough to see which path is chosen, never started
const anExecutable = process.execPath

describe('findChromium()', () => {
  it('takes CHROMIUM_PATH first, and says what to do when it names no executable file', async () => {
    const build = await findChromium({ env: { CHROMIUM_PATH: anExecutable }, systemPath: anExecutable })
    expect(build).toEqual({
      source: 'CHROMIUM_PATH',
      executablePath: anExecutable,
      args: CHROMIUM_ARGS,
      env: {},
    })
    await expect(findChromium({ env: { CHROMIUM_PATH: '/nonexistent/chromium' } })).rejects.toThrow(
      /^\[twilio-double\] CHROMIUM_PATH is \/nonexistent\/chromium, which is not an executable file: .*@sparticuz\/chromium/,
    )
    // a folder is not a binary
    await expect(findChromium({ env: { CHROMIUM_PATH: import.meta.dirname } })).rejects.toThrow(
      /not an executable file/,
    )
  })

  it("takes the system's Chromium when it is an executable file", async () => {
    const build = await findChromium({ env: {}, systemPath: anExecutable })
    expect(build).toMatchObject({ source: 'system', executablePath: anExecutable, env: {} })
  })

  it('else unpacks the Chromium of @sparticuz/chromium with its NSS libraries, and it renders a page', async () => {
    const build = await findChromium({
      env: { LD_LIBRARY_PATH: '/opt/x' },
      systemPath: '/nonexistent/chromium',
    })
    expect(build.source).toBe('@sparticuz/chromium')
    accessSync(build.executablePath, constants.X_OK)
    const libs = join(build.executablePath, '..', 'lib')
    expect(build.env.LD_LIBRARY_PATH).toBe(`${libs}:/opt/x`)
    for (const lib of ['libnss3.so', 'libnspr4.so', 'libnssutil3.so'])
      expect(existsSync(join(libs, lib))).toBe(true)
    // the network-off flags stay; the AWS Lambda ones that change how pages behave are left out
    expect(build.args).toEqual(expect.arrayContaining(CHROMIUM_ARGS))
    for (const arg of build.args)
      expect(arg).not.toMatch(/^--(single-process|disable-web-security|headless=|disable-features)/)
    // unpacked once: a second look finds the same file, not a new copy
    const again = await findChromium({ env: {}, systemPath: '/nonexistent/chromium' })
    expect(again.executablePath).toBe(build.executablePath)
    expect(statSync(again.executablePath).mtimeMs).toBe(statSync(build.executablePath).mtimeMs)

    const browser = await launchChromium(build)
    try {
      const page = await browser.newPage()
      await page.setContent('<label>Code <input id="code"></label><script>document.title = "ready"</script>')
      await page.getByLabel('Code').fill('123456')
      expect(await page.title()).toBe('ready')
      expect(await page.inputValue('#code')).toBe('123456')
    } finally {
      await browser.close()
    }
  }, 120_000)

  it('unpacks a tarball whose end mark is followed by padding, which tar leaves unread', async () => {
    const work = mkdtempSync(join(tmpdir(), 'twilio-double-untar-'))
    try {
      writeFileSync(join(work, 'hello.txt'), 'hi')
      // 8 MiB of zeros after the archive: more than a pipe holds, so tar has stopped reading long before the end
      const archive = Buffer.concat([
        execFileSync('tar', ['-c', '-C', work, 'hello.txt']),
        Buffer.alloc(8 * 1024 * 1024),
      ])
      writeFileSync(join(work, 'hello.tar.br'), brotliCompressSync(archive))
      const into = join(work, 'into')
      mkdirSync(into)
      await untar(join(work, 'hello.tar.br'), into)
      expect(readFileSync(join(into, 'hello.txt'), 'utf8')).toBe('hi')
      // nothing of the unpacking is left beside what the archive holds
      expect(readdirSync(into)).toEqual(['hello.txt'])
      // a file that is no tarball: tar's own words, behind the prefix
      writeFileSync(join(work, 'not.tar.br'), brotliCompressSync(Buffer.from('not a tarball')))
      await expect(untar(join(work, 'not.tar.br'), into)).rejects.toThrow(
        /^\[twilio-double\] unpacking .*not\.tar\.br with tar failed \(exit 2\): .+/,
      )
      expect(readdirSync(into)).toEqual(['hello.txt'])
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })
})
