/**
 * The one way the repository's browser tests and scripts find and start Chromium, with no system package
 * and no browser download:
 *
 * 1. `CHROMIUM_PATH` when it is set (any Chromium or Chrome binary);
 * 2. `/usr/bin/chromium` when it is an executable file (Debian's `chromium` package);
 * 3. else the headless Chromium shipped inside the devDependency `@sparticuz/chromium` (installed by
 *    `npm ci` as a plain file of the package: no install script, no download).
 *
 * The third is unpacked once per version into the temporary folder, with the NSS libraries it is linked
 * against (`libnss3`, `libnspr4`, … from the package's `al2023.tar.br`, put on `LD_LIBRARY_PATH` for the
 * browser alone, so that a machine without them runs it too) and its fonts (used only when the machine has
 * no fontconfig). The package's own `executablePath()` is not used: it unpacks into a fixed
 * `<tmp>/chromium` that parallel test files race on (one may start a half-written binary), that a
 * different version of the package left behind is taken as it is, and it unpacks the libraries only on AWS.
 * Here a version's folder appears whole by a rename, or not at all.
 */
import { spawn } from 'node:child_process'
import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  statSync,
} from 'node:fs'
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createBrotliDecompress } from 'node:zlib'
import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium, taken when it is there and `CHROMIUM_PATH` is not set. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium'

/** Flags of a headless Chromium that stays off the network (no updates, sync or QUIC probes). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Switches of `@sparticuz/chromium`'s `args` left out: Playwright starts the browser headless itself and
 * keeps its own `--disable-features` list (a second one would replace it); one process and the weakened
 * web security are for AWS Lambda and would make pages behave unlike a user's browser; the GPU is off
 * (`--disable-gpu`), so its SwiftShader flags have nothing to do.
 */
const SPARTICUZ_ARGS_LEFT_OUT = new Set([
  '--headless',
  '--single-process',
  '--disable-features',
  '--enable-features',
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
  '--use-gl',
  '--use-angle',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--in-process-gpu',
])

/** A Chromium to start: its binary, its flags, and what its environment needs besides the process's. */
export interface ChromiumBuild {
  /** Where it was found: the `CHROMIUM_PATH` variable, Debian's package, or the npm devDependency. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium'
  executablePath: string
  args: string[]
  /** Variables added to the browser's environment (the NSS libraries' folder, fonts). */
  env: Record<string, string>
}

/** Where to look; the defaults are the process's environment and Debian's path. */
export interface FindChromiumOptions {
  env?: NodeJS.ProcessEnv
  systemPath?: string
}

const isExecutableFile = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Finds Chromium: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`, else `@sparticuz/chromium`'s. */
export async function findChromium(options: FindChromiumOptions = {}): Promise<ChromiumBuild> {
  const env = options.env ?? process.env
  const systemPath = options.systemPath ?? SYSTEM_CHROMIUM
  const fromEnv = env.CHROMIUM_PATH
  if (fromEnv) {
    if (!isExecutableFile(fromEnv))
      throw new Error(
        `[twilio-double] CHROMIUM_PATH is ${fromEnv}, which is not an executable file: point it at a Chromium or ` +
          `Chrome binary, or unset it to use ${systemPath} or the Chromium of the devDependency @sparticuz/chromium (npm ci installs it).`,
      )
    return { source: 'CHROMIUM_PATH', executablePath: fromEnv, args: CHROMIUM_ARGS, env: {} }
  }
  if (isExecutableFile(systemPath))
    return { source: 'system', executablePath: systemPath, args: CHROMIUM_ARGS, env: {} }
  return sparticuzChromium(env)
}

/** Starts headless Chromium (found by findChromium() unless given) through playwright-core. */
export async function launchChromium(build?: ChromiumBuild): Promise<Browser> {
  const { executablePath, args, env } = build ?? (await findChromium())
  return chromium.launch({ executablePath, args, env: { ...process.env, ...env } })
}

/** The headless Chromium inside `@sparticuz/chromium`, unpacked once per version. */
async function sparticuzChromium(env: NodeJS.ProcessEnv): Promise<ChromiumBuild> {
  const require = createRequire(import.meta.url)
  let entry: string
  try {
    entry = require.resolve('@sparticuz/chromium')
  } catch {
    throw new Error(
      `[twilio-double] no Chromium: CHROMIUM_PATH is not set, ${SYSTEM_CHROMIUM} is not there, and the devDependency ` +
        '@sparticuz/chromium is not installed: run `npm ci`, or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    )
  }
  // build/cjs/index.cjs → the package folder, which holds bin/*.br
  const packageDir = join(dirname(entry), '..', '..')
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string
  }
  const dir = await unpacked(join(packageDir, 'bin'), join(tmpdir(), `twilio-double-chromium-${version}`))
  const { default: sparticuz } = await import('@sparticuz/chromium')
  const switchName = (arg: string) => arg.split('=')[0]!
  const ours = new Set(CHROMIUM_ARGS.map(switchName))
  const theirs = sparticuz.args.filter(
    (arg) => !SPARTICUZ_ARGS_LEFT_OUT.has(switchName(arg)) && !ours.has(switchName(arg)),
  )
  const libs = join(dir, 'lib')
  const browserEnv: Record<string, string> = {
    LD_LIBRARY_PATH: env.LD_LIBRARY_PATH ? `${libs}:${env.LD_LIBRARY_PATH}` : libs,
  }
  if (!env.FONTCONFIG_FILE && !existsSync('/etc/fonts/fonts.conf'))
    browserEnv.FONTCONFIG_FILE = join(dir, 'fonts.conf')
  return {
    source: '@sparticuz/chromium',
    executablePath: join(dir, 'chromium'),
    args: [...CHROMIUM_ARGS, ...theirs],
    env: browserEnv,
  }
}

/**
 * The folder holding `chromium`, `lib/` and the fonts, made from the package's `bin/` unless a whole one
 * is there already (and belongs to this user: a file of the shared temporary folder is run).
 */
async function unpacked(bin: string, dir: string): Promise<string> {
  const uid = process.getuid?.()
  const whole = () => existsSync(join(dir, 'chromium')) && (uid === undefined || statSync(dir).uid === uid)
  if (whole()) return dir
  const staging = await mkdtemp(`${dir}-`)
  try {
    await unbrotli(join(bin, 'chromium.br'), join(staging, 'chromium'), 0o755)
    await untar(join(bin, 'al2023.tar.br'), staging) // lib/: the NSS libraries the binary is linked against
    await untar(join(bin, 'fonts.tar.br'), staging) // fonts/: Open Sans
    await writeFile(
      join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    )
    await rename(staging, dir)
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    // another process renamed its whole folder into place first
    if (whole()) return dir
    throw error
  }
  return dir
}

/** Writes the brotli-compressed `file` decompressed to `to` (made with `mode`). */
function unbrotli(file: string, to: string, mode?: number): Promise<void> {
  return pipeline(createReadStream(file), createBrotliDecompress(), createWriteStream(to, { mode }))
}

/**
 * Unpacks a brotli-compressed tarball into a folder with the system's `tar`. The tarball is decompressed to a file
 * first and `tar` reads that: `tar` stops reading at the archive's end mark, so a pipe into it fails (EPIPE,
 * "Premature close") whenever padding after that mark is still being written, as it is on a loaded machine.
 *
 * @example
 * await untar('node_modules/@sparticuz/chromium/bin/fonts.tar.br', folder) // folder/fonts/…
 */
export async function untar(file: string, into: string): Promise<void> {
  const tarFile = join(into, '.unpacking.tar')
  await unbrotli(file, tarFile)
  try {
    const tar = spawn('tar', ['-x', '--no-same-owner', '-f', tarFile, '-C', into], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    tar.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const code = await new Promise<number | null>((resolve, reject) => {
      tar.on('error', reject)
      tar.on('close', resolve)
    })
    if (code !== 0)
      throw new Error(`[twilio-double] unpacking ${file} with tar failed (exit ${code}): ${stderr.trim()}`)
  } finally {
    await rm(tarFile, { force: true })
  }
}
