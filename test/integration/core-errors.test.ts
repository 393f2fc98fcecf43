import twilio from 'twilio'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ACCOUNT_SID, DEFAULT_FROM, DEFAULT_MESSAGING_SERVICE_SID } from '../../src/config.js'
import { type CheckedDouble, createCheckedDouble } from '../support/checked-double.js'
import { DOORS, useDoor } from '../support/doors.js'

const TO = '+15550001111'
const UNKNOWN_SM = `SM${'0'.repeat(32)}`

/** Runs `fn`, expecting it to reject with the client's RestException; returns it. */
async function restError(fn: () => Promise<unknown>): Promise<InstanceType<typeof twilio.RestException>> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(twilio.RestException)
  return err as InstanceType<typeof twilio.RestException>
}

describe.each(DOORS)('the twilio client through the %s door: errors', (kind) => {
  const door = useDoor(kind)
  let checked: CheckedDouble
  let client: twilio.Twilio
  beforeEach(() => {
    checked = createCheckedDouble()
    client = door.connect(checked.double)
  })
  afterEach(async () => {
    await checked.expectClean(1)
  })

  it('a create error surfaces with status, code, message and moreInfo', async () => {
    const e = await restError(() => client.messages.create({ from: DEFAULT_FROM, to: '+1asd', body: 'hi' }))
    expect(e).toMatchObject({
      status: 400,
      code: 21211,
      message: "The 'To' number +1asd is not a valid phone number.",
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
    })
  })

  it.each([
    [{ to: TO, body: 'hi' }, 21603],
    [{ to: TO, from: DEFAULT_FROM }, 21602],
    [{ to: TO, from: DEFAULT_FROM, body: 'x'.repeat(1601) }, 21617],
    [{ to: TO, from: DEFAULT_FROM, body: 'hi', validityPeriod: 0 }, 21624],
    [{ to: TO, from: DEFAULT_FROM, body: 'hi', statusCallback: 'nope' }, 21609],
    [{ to: TO, messagingServiceSid: `MG${'f'.repeat(32)}`, body: 'hi' }, 21701],
    [
      { to: TO, messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID, body: 'hi', scheduleType: 'fixed' },
      35111,
    ],
    [{ to: '+15005550002', from: DEFAULT_FROM, body: 'hi' }, 21612],
    [{ to: TO, from: '+15005550001', body: 'hi' }, 21212],
  ] as const)('create %j → %i', async (params, code) => {
    const e = await restError(() => client.messages.create(params as any))
    expect(e.status).toBe(400)
    expect(e.code).toBe(code)
    expect(e.moreInfo).toBe(`https://www.twilio.com/docs/errors/${code}`)
    expect(e.message.length).toBeGreaterThan(0)
  })

  it('a scheduled time out of the window → 35114', async () => {
    const e = await restError(() =>
      client.messages.create({
        messagingServiceSid: DEFAULT_MESSAGING_SERVICE_SID,
        to: TO,
        body: 'hi',
        scheduleType: 'fixed',
        sendAt: new Date(Date.UTC(2024, 0, 1, 0, 30)),
      }),
    )
    expect(e).toMatchObject({ status: 400, code: 35114 })
  })

  it('fetch, update, remove and media of an unknown message → 404 20404', async () => {
    for (const call of [
      () => client.messages(UNKNOWN_SM).fetch(),
      () => client.messages(UNKNOWN_SM).update({ body: '' }),
      () => client.messages(UNKNOWN_SM).remove(),
      () => client.messages(UNKNOWN_SM).media.list(),
      () => client.messages(UNKNOWN_SM).feedback.create({ outcome: 'confirmed' }),
    ]) {
      const e = await restError(call)
      expect(e).toMatchObject({
        status: 404,
        code: 20404,
        moreInfo: 'https://www.twilio.com/docs/errors/20404',
      })
      expect(e.message).toContain(UNKNOWN_SM)
    }
  })

  it('wrong credentials → 401 20003 Authenticate', async () => {
    const wrong = door.connect(checked.double, { authToken: 'wrong-token' })
    const e = await restError(() => wrong.messages.create({ from: DEFAULT_FROM, to: TO, body: 'hi' }))
    expect(e).toMatchObject({
      status: 401,
      code: 20003,
      message: 'Authenticate',
      moreInfo: 'https://www.twilio.com/docs/errors/20003',
    })
    expect((await restError(() => wrong.messages.list())).code).toBe(20003)
    // an account SID the double has not seen is taken on first use with the token it came with (no `accounts`
    // declared: the app's own credentials work), and its token is fixed from then on
    const other = door.connect(checked.double, { accountSid: `AC${'b'.repeat(32)}` })
    expect(await other.messages.list()).toEqual([])
    const otherWrong = door.connect(checked.double, {
      accountSid: `AC${'b'.repeat(32)}`,
      authToken: 'wrong-token',
    })
    expect((await restError(() => otherWrong.messages.list())).status).toBe(401)
  })

  it('an API key SID and secret authenticate for the account', async () => {
    const viaKey = door.connect(checked.double, {
      accountSid: 'SK00000000000000000000000000000001',
      authToken: 'twilio-double-api-key-secret-001',
      clientOptions: { accountSid: DEFAULT_ACCOUNT_SID },
    })
    const m = await viaKey.messages.create({ from: DEFAULT_FROM, to: TO, body: 'hi' })
    expect(m.accountSid).toBe(DEFAULT_ACCOUNT_SID)
  })

  it('cancel of a queued message → 30409; remove before delivery → 20009; an invalid update is rejected', async () => {
    const m = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'hi' })
    expect(await restError(() => client.messages(m.sid).update({ status: 'canceled' }))).toMatchObject({
      status: 400,
      code: 30409,
    })
    expect(await restError(() => client.messages(m.sid).remove())).toMatchObject({ status: 400, code: 20009 })
    expect((await restError(() => client.messages(m.sid).update({ body: 'new text' }))).status).toBe(400)
    await checked.double.settle()
    expect(await client.messages(m.sid).remove()).toBe(true)
  })

  it('parameter values no form holds as such (a lone surrogate, null, an object) reach the double as the twilio client encodes them', async () => {
    // the client's own form encoding: a lone surrogate becomes U+FFFD, null an empty value, an object Key[field]
    const lone = await client.messages.create({ from: DEFAULT_FROM, to: TO, body: 'a\uD800b' })
    expect(lone.body).toBe('a\uFFFDb')
    const media = await client.messages.create({
      from: DEFAULT_FROM,
      to: TO,
      mediaUrl: [null as unknown as string, 'https://example.com/a.png'],
    })
    expect(media.numMedia).toBe('1')
    const object = await restError(() =>
      client.messages.create({ from: DEFAULT_FROM, to: TO, body: { text: 'hi' } as unknown as string }),
    )
    expect(object).toMatchObject({ status: 400, code: 21602 })
  })

  it('a page size over 1000 → 20007', async () => {
    const e = await restError(() => client.messages.page({ pageSize: 1001 }))
    expect(e).toMatchObject({ status: 400, code: 20007 })
  })

  it('an unknown path answers a Twilio 404, never the network', async () => {
    const res = await client.request({
      method: 'get',
      uri: `https://api.twilio.com/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Calls.json`,
    })
    expect(res.statusCode).toBe(404)
    const body = typeof res.body === 'string' ? JSON.parse(res.body) : res.body
    expect(body).toMatchObject({ code: 20404, status: 404 })
  })
})
