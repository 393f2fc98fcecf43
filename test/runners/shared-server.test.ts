/**
 * The setup entries' shared-server mode: a vitest suite (./shared-server/) run with TWILIO_DOUBLE_URL set uses one
 * tenant per test file of the server started here (closed after the file), through the real `twilio` client of the app and the matchers; and
 * createTenant() of twilio-double/client makes such a tenant by hand.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TwilioDoubleServer } from '../../src/adapters/server.js'
import { ControlApiError, createTenant } from '../../src/client/index.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_START_TIME } from '../../src/config.js'
import { tenantsOf } from '../../src/double.js'
import { toHaveSentMessage, toHaveSentMessages } from '../../src/testing/matchers.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
let server: TwilioDoubleServer

beforeAll(async () => {
  server = await startServer({ port: 0, doubleOptions: { startTime: DEFAULT_START_TIME } })
})
afterAll(async () => {
  await server.close()
})

function runSuite(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/runners/shared-server/vitest.config.ts'],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    child.stdout.on('data', (c) => {
      output += c
    })
    child.stderr.on('data', (c) => {
      output += c
    })
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

describe('the vitest setup entry with TWILIO_DOUBLE_URL', () => {
  it('gives each test file a tenant of the shared server, closed after it: the app, the matchers and resets reach it alone', async () => {
    const { code, output } = await runSuite({ TWILIO_DOUBLE_URL: server.url })
    expect(code, output).toBe(0)
    expect(output).toMatch(/6 passed/)
    // one tenant per test file (vitest runs each file in a process of its own), made on the server and named
    // after its worker, and closed after the file's last test: the server keeps none of the suite's state
    const registry = tenantsOf(server.double)!
    const tenants = registry.accounts().filter((a) => a.friendlyName.startsWith('test worker '))
    expect(tenants).toHaveLength(2)
    for (const account of tenants) {
      expect(account.ownerSid).toBe(DEFAULT_ACCOUNT_SID)
      expect(account.status).toBe('closed')
      expect(() => server.double.tenant(account.sid)).toThrow(/is closed/)
    }
    // and nothing reached the server's own account
    expect(server.double.tenant(DEFAULT_ACCOUNT_SID).messages.count()).toBe(0)
  }, 60_000)
})

describe('createTenant() of twilio-double/client', () => {
  it('makes a subaccount with a twilio client aimed at the server and the control API on it alone; close() frees it', async () => {
    const one = await createTenant(server.url, { friendlyName: 'by hand' })
    const two = await createTenant(server.url)
    expect(one.accountSid).not.toBe(two.accountSid)
    expect(one.account).toBe(one.accountSid)
    const sent = await one.client.messages.create({
      to: '+15558675310',
      from: DEFAULT_FROM,
      body: 'code 4242',
    })
    expect(sent.accountSid).toBe(one.accountSid)
    expect((await one.waitForMessage({ to: '+15558675310' })).code).toBe('4242')
    expect(await two.messages()).toEqual([])
    await one.settle()
    expect((await one.messages())[0]?.status).toBe('delivered')
    expect((await two.health()).messages).toBe(0)
    // the matchers read a tenant through the control API (a promise to await)
    expect((await toHaveSentMessage.call({}, one, { body: 'code 4242', status: 'delivered' })).pass).toBe(
      true,
    )
    expect((await toHaveSentMessages.call({}, two, 0)).pass).toBe(true)
    expect((await toHaveSentMessage.call({}, two, { body: 'code 4242' })).pass).toBe(false)

    // the feedback the app left on a message of the tenant; another tenant knows no such message
    await one.client.messages(sent.sid).feedback.create({ outcome: 'confirmed' })
    expect(await one.feedback(sent.sid)).toMatchObject({
      account_sid: one.accountSid,
      message_sid: sent.sid,
      outcome: 'confirmed',
    })
    await expect(two.feedback(sent.sid)).rejects.toMatchObject({
      status: 404,
      error: 'not_found',
      message: `[twilio-double] no message with SID ${sent.sid} in account ${two.accountSid}: check the SID returned by messages.create(), or list the messages with messages()`,
    })

    await one.close()
    expect(tenantsOf(server.double)!.tenant(one.accountSid)).toBeUndefined()
    await expect(one.health()).rejects.toMatchObject({ status: 404, error: 'unknown_account' })
    await expect(one.client.messages.list()).rejects.toMatchObject({ status: 403, code: 20005 })
    await two.close()
  })

  it('says what went wrong when the server is not there', async () => {
    await expect(createTenant('http://127.0.0.1:1')).rejects.toBeInstanceOf(ControlApiError)
  })
})
