/**
 * The README's main job, `npm run demo`: it runs to its end and shows each part of the double at work (a broken
 * demo would otherwise pass the suite).
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('npm run demo', () => {
  it('shows every part of the double at work, with signed callbacks and webhooks, and ends', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'demo/demo.ts'],
      { cwd: root, timeout: 60_000 },
    )
    expect(stderr).toBe('')
    const sections = stdout.split('\n').filter((l) => l.startsWith('== '))
    expect(sections.map((l) => l.replace(/ =*$/, ''))).toEqual([
      '== Create (the real twilio client, answered by the double through msw)',
      '== Failed by error code',
      '== Virtual time: settle() runs every pending transition, no waiting',
      '== List with filters and paging',
      '== Redact and delete',
      '== Schedule and cancel',
      '== Inbound messages and replies',
    ])
    expect(stdout).toMatch(/code 21614: To number: \+15005550009, is not a mobile number/)
    expect(stdout).toMatch(/queued -> sending -> sent -> undelivered {2}price=-0\.00790 error=30003/)
    expect(stdout).toMatch(/ undelivered \(30003\) signature valid/)
    expect(stdout).not.toMatch(/INVALID/)
    expect(stdout).toMatch(/fetch after delete -> HTTP 404, code 20404/)
    expect(stdout).toMatch(/status=canceled\n/)
    expect(stdout).toMatch(/two virtual hours later: SM\w{32} {2}status=delivered/)
    expect(stdout).toMatch(
      /outbound-reply to \+15550007777: "We open at 9am, see you tomorrow!" {2}status=delivered/,
    )
    expect(stdout).toMatch(/after STOP -> HTTP 400, code 21610/)
    expect(stdout).toMatch(/\+15550007777: "What time do you open\?" signature valid/)
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      'Done: no request left this process, and nothing waited on a real clock.',
    )
  })
})
