/**
 * Auth matrix: every endpoint × every kind of wrong credentials answers 401 with code 20003 and never
 * another account's data; the state of the attacked account does not change.
 */
import './no-unhandled.js'
import twilio from 'twilio'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TwilioDouble } from '../../src/double.js'
import { errorSchema } from '../../src/schemas/message.js'
import {
  ACCOUNT_A,
  ACCOUNT_B,
  accountPath,
  basic,
  exchange,
  formPost,
  type TestAccount,
  twoAccountDouble,
} from './support/doubles.js'
import { recordFigure } from './support/scale.js'

const API = 'https://api.twilio.com'
const UNKNOWN_ACCOUNT = 'AC00000000000000000000000000000fff'

interface Seeded {
  /** A delivered MMS with one media item (deletable when authorised). */
  mms: string
  media: string
  sms: string
  sids: string[]
}

async function seed(double: TwilioDouble, a: TestAccount): Promise<Seeded> {
  const auth = basic(a.sid, a.authToken)
  const url = `${API}${accountPath(a.sid)}/Messages.json`
  const mms = await exchange(
    double,
    formPost(
      url,
      { To: '+15550002222', From: a.from, Body: `mms of ${a.sid}`, MediaUrl: 'https://m.test/a.png' },
      auth,
    ),
  )
  const sms = await exchange(
    double,
    formPost(url, { To: '+15550003333', From: a.from, Body: `sms of ${a.sid}` }, auth),
  )
  expect([mms.status, sms.status]).toEqual([201, 201])
  const media = await exchange(
    double,
    new Request(`${API}${accountPath(a.sid)}/Messages/${mms.body.sid}/Media.json`, {
      headers: { authorization: auth },
    }),
  )
  return {
    mms: mms.body.sid,
    sms: sms.body.sid,
    media: media.body.media_list[0].sid,
    sids: [mms.body.sid, sms.body.sid, media.body.media_list[0].sid],
  }
}

/** The nine operations on an account's resources. */
function endpoints(accountSid: string, s: Seeded): { name: string; build(auth: string | null): Request }[] {
  const base = `${API}${accountPath(accountSid)}/Messages`
  const req = (method: string, url: string) => (auth: string | null) =>
    new Request(url, { method, headers: auth === null ? {} : { authorization: auth } })
  return [
    {
      name: 'CreateMessage',
      build: (auth) =>
        formPost(`${base}.json`, { To: '+15550004444', From: ACCOUNT_A.from, Body: 'intruder' }, auth),
    },
    { name: 'ListMessage', build: req('GET', `${base}.json?PageSize=1000`) },
    { name: 'FetchMessage', build: req('GET', `${base}/${s.mms}.json`) },
    { name: 'UpdateMessage', build: (auth) => formPost(`${base}/${s.sms}.json`, { Body: '' }, auth) },
    { name: 'DeleteMessage', build: req('DELETE', `${base}/${s.mms}.json`) },
    { name: 'ListMedia', build: req('GET', `${base}/${s.mms}/Media.json`) },
    { name: 'FetchMedia', build: req('GET', `${base}/${s.mms}/Media/${s.media}.json`) },
    { name: 'DeleteMedia', build: req('DELETE', `${base}/${s.mms}/Media/${s.media}.json`) },
    {
      name: 'CreateMessageFeedback',
      build: (auth) => formPost(`${base}/${s.mms}/Feedback.json`, { Outcome: 'confirmed' }, auth),
    },
  ]
}

/** Credentials that must not open account `victim`'s resources. */
function attacks(victim: TestAccount, other: TestAccount): { name: string; auth: string | null }[] {
  return [
    { name: 'no credentials', auth: null },
    { name: 'empty Basic', auth: 'Basic ' },
    { name: 'Bearer token', auth: `Bearer ${victim.authToken}` },
    { name: 'Basic without a colon', auth: `Basic ${Buffer.from(victim.sid).toString('base64')}` },
    { name: 'Basic that is not base64', auth: 'Basic ***' },
    { name: 'wrong token', auth: basic(victim.sid, 'not-the-token') },
    { name: 'token with a trailing space', auth: basic(victim.sid, `${victim.authToken} `) },
    { name: 'token of another account', auth: basic(victim.sid, other.authToken) },
    { name: 'api key with a wrong secret', auth: basic(victim.keySid, 'not-the-secret') },
    { name: 'api key with the auth token', auth: basic(victim.keySid, victim.authToken) },
    { name: "another account's credentials", auth: basic(other.sid, other.authToken) },
    { name: "another account's API key", auth: basic(other.keySid, other.keySecret) },
    {
      name: "another account's API key SID with this account's secret",
      auth: basic(other.keySid, victim.keySecret),
    },
    { name: 'lower-case account SID', auth: basic(victim.sid.toLowerCase(), victim.authToken) },
  ]
}

/** Sorted snapshot of an account's stored messages, media and feedback. */
function snapshot(double: TwilioDouble, accountSid: string) {
  return double.messages.list({ accountSid }).map((m) => ({
    ...m,
    media: double.messages.mediaUrls(m.sid!),
    feedback: double.backend.findMessage(m.sid!)?.feedback ?? null,
  }))
}

let double: TwilioDouble
const seeded = new Map<string, Seeded>()
let cases = 0

beforeAll(async () => {
  double = twoAccountDouble()
  seeded.set(ACCOUNT_A.sid, await seed(double, ACCOUNT_A))
  seeded.set(ACCOUNT_B.sid, await seed(double, ACCOUNT_B))
  await double.settle()
})

describe.each([
  ['A', ACCOUNT_A, ACCOUNT_B],
  ['B', ACCOUNT_B, ACCOUNT_A],
] as const)('the resources of account %s', (_label, victim, other) => {
  it('answer every endpoint × wrong credentials with 401/20003 and no data of either account', async () => {
    const before = snapshot(double, victim.sid)
    const secrets = [
      ...seeded.get(ACCOUNT_A.sid)!.sids,
      ...seeded.get(ACCOUNT_B.sid)!.sids,
      ACCOUNT_A.authToken,
      ACCOUNT_B.authToken,
      ACCOUNT_A.keySecret,
      ACCOUNT_B.keySecret,
    ]
    const failures: string[] = []
    for (const attack of attacks(victim, other))
      for (const endpoint of endpoints(victim.sid, seeded.get(victim.sid)!)) {
        const res = await exchange(double, endpoint.build(attack.auth))
        cases++
        const label = `${endpoint.name} with ${attack.name}`
        if (res.status !== 401 || res.body?.code !== 20003)
          failures.push(`${label}: ${res.status} ${res.text}`)
        if (!errorSchema.safeParse(res.body).success)
          failures.push(`${label}: not a Twilio error: ${res.text}`)
        for (const s of secrets) if (res.text.includes(s)) failures.push(`${label}: answer contains ${s}`)
      }
    expect(failures).toEqual([])
    expect(snapshot(double, victim.sid)).toEqual(before)
  })

  it('answer a path of an account the caller does not own (or that does not exist) with 401/20003', async () => {
    const failures: string[] = []
    const own = basic(other.sid, other.authToken)
    const ownKey = basic(other.keySid, other.keySecret)
    for (const accountSid of [victim.sid, UNKNOWN_ACCOUNT])
      for (const auth of [own, ownKey])
        for (const endpoint of endpoints(accountSid, seeded.get(victim.sid)!)) {
          const res = await exchange(double, endpoint.build(auth))
          cases++
          if (res.status !== 401 || res.body?.code !== 20003)
            failures.push(`${endpoint.name} on ${accountSid}: ${res.status} ${res.text}`)
          for (const s of seeded.get(victim.sid)!.sids)
            if (res.text.includes(s)) failures.push(`${endpoint.name}: leaks ${s}`)
        }
    expect(failures).toEqual([])
  })

  it("through the twilio client: another account's API key is refused on every operation", async () => {
    const s = seeded.get(victim.sid)!
    const client = twilio(other.keySid, other.keySecret, {
      accountSid: victim.sid,
      httpClient: double.httpClient(),
    })
    const calls: [string, () => Promise<unknown>][] = [
      ['create', () => client.messages.create({ to: '+15550004444', from: victim.from, body: 'intruder' })],
      ['list', () => client.messages.list({ limit: 5 })],
      ['fetch', () => client.messages(s.mms).fetch()],
      ['update', () => client.messages(s.sms).update({ body: '' })],
      ['remove', () => client.messages(s.mms).remove()],
      ['media list', () => client.messages(s.mms).media.list()],
      ['media fetch', () => client.messages(s.mms).media(s.media).fetch()],
      ['media remove', () => client.messages(s.mms).media(s.media).remove()],
      ['feedback', () => client.messages(s.mms).feedback.create({ outcome: 'confirmed' })],
    ]
    for (const [name, call] of calls) {
      await expect(call(), name).rejects.toMatchObject({ status: 401, code: 20003 })
      cases++
    }
  })
})

describe('the control case', () => {
  it('the right credentials (auth token or API key) open every endpoint of their own account', async () => {
    for (const a of [ACCOUNT_A, ACCOUNT_B]) {
      const s = await seed(double, a)
      const statuses = []
      for (const auth of [basic(a.sid, a.authToken), basic(a.keySid, a.keySecret)]) {
        const eps = endpoints(a.sid, s).filter((e) => !e.name.startsWith('Delete'))
        for (const e of eps) statuses.push((await exchange(double, e.build(auth))).status)
      }
      expect(statuses).toEqual([201, 200, 200, 200, 200, 200, 200, 201, 200, 200, 200, 200, 200, 200])
      await double.settle()
      const auth = basic(a.sid, a.authToken)
      const eps = endpoints(a.sid, s)
      expect((await exchange(double, eps.find((e) => e.name === 'DeleteMedia')!.build(auth))).status).toBe(
        204,
      )
      expect((await exchange(double, eps.find((e) => e.name === 'DeleteMessage')!.build(auth))).status).toBe(
        204,
      )
    }
    recordFigure('Auth matrix', 'requests with wrong credentials answered 401/20003', cases)
  })
})
