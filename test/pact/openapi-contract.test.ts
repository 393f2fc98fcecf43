/**
 * checkPact() and `twilio-double check-pact`: pacts whose provider is Twilio held against the OpenAPI slice the
 * package ships. The committed pacts pass; pacts expecting what Twilio never does are reported, one line each.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MatchersV3 } from '@pact-foundation/pact'
import { afterAll, describe, expect, it } from 'vitest'
import { type CliIo, runCli } from '../../src/cli-main.js'
import { renderAccount } from '../../src/http/accounts.js'
import type { Account } from '../../src/messaging/accounts.js'
import {
  checkPact,
  errorMatcher,
  formatPactCheck,
  messageMatcher,
  messagePageMatcher,
  type PactDocument,
  pactMatchers,
  twilioMatchers,
} from '../../src/pact/index.js'
import { checkResponse } from '../support/openapi.js'

const PACTS = fileURLToPath(new URL('../../contracts/pacts/', import.meta.url))
const SLICE = fileURLToPath(
  new URL('../../contracts/openapi/twilio_api_v2010.messaging-slice.json', import.meta.url),
)
const ACCOUNT = 'AC00000000000000000000000000000001'
const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`
const MESSAGE = `/2010-04-01/Accounts/${ACCOUNT}/Messages/SM00000000000000000000000000000001.json`
const dir = mkdtempSync(join(tmpdir(), 'twilio-double-check-pact-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const reify = (body: unknown) => MatchersV3.reify(body)

/** A V4 pact of one create interaction; parts replaced by `change`. */
function createPact(
  change: { form?: string; status?: number; body?: unknown; path?: string; method?: string } = {},
): PactDocument {
  return {
    consumer: { name: 'my-app' },
    provider: { name: 'Twilio' },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: 'a request to send an SMS',
        providerStates: [{ name: 'an account exists' }],
        request: {
          method: change.method ?? 'POST',
          path: change.path ?? MESSAGES,
          headers: { 'Content-Type': ['application/x-www-form-urlencoded'] },
          body: {
            content: change.form ?? 'To=%2B15558675310&From=%2B15005550006&Body=Hi',
            contentType: 'application/x-www-form-urlencoded',
            encoded: false,
          },
        },
        response: {
          status: change.status ?? 201,
          body: { content: change.body ?? reify(messageMatcher()), contentType: 'application/json' },
        },
      },
    ],
  } as PactDocument
}

const lines = (pact: PactDocument) =>
  checkPact(pact).findings.map((f) => `${f.where}${f.path ? ` ${f.path}` : ''}: ${f.problem}`)

describe('the committed pacts', () => {
  it('every interaction of contracts/pacts/ is one Twilio declares', () => {
    const report = checkPact(PACTS)
    expect(report.files.map((f) => f.file)).toContain(join(PACTS, 'notifications-app-Twilio.json'))
    expect(report.files.every((f) => f.interactions > 0)).toBe(true)
    expect(formatPactCheck(report).slice(0, -1)).toEqual([])
    expect(report.ok).toBe(true)
  })
})

describe('the matchers of the builders describe what Twilio sends', () => {
  it('a message, a page and an error body reify to valid examples', () => {
    expect(checkResponse('POST', MESSAGES, 201, reify(messageMatcher()), { allProperties: true })).toEqual([])
    expect(checkResponse('GET', MESSAGES, 200, reify(messagePageMatcher({ status: 'delivered' })))).toEqual(
      [],
    )
    expect(checkResponse('GET', MESSAGE, 404, reify(errorMatcher(20404)))).toEqual([])
  })

  it('pactMatchers are the matchers of twilioMatchers under a name of their own', () => {
    const body = reify({
      ...(reify(messageMatcher()) as Record<string, unknown>),
      sid: pactMatchers.messageSid(),
      status: pactMatchers.messageStatus('accepted'),
    })
    expect(checkResponse('POST', MESSAGES, 201, body, { allProperties: true })).toEqual([])
    expect(pactMatchers).toBe(twilioMatchers)
  })
})

describe('checkPact finds what Twilio never does', () => {
  it('a pact Twilio agrees with has no finding', () => {
    const report = checkPact(createPact())
    expect(report).toMatchObject({ ok: true, findings: [], files: [{ interactions: 1, provider: 'Twilio' }] })
  })

  it('a field Twilio never sends (tags on a message)', () => {
    const body = { ...(reify(messageMatcher()) as object), tags: { campaign: 'spring' } }
    expect(lines(createPact({ body }))).toEqual([
      'response $.tags: unknown field (not declared in the schema)',
    ])
  })

  it('a status Twilio never answers a create with (sent), and a price before sending', () => {
    const body = { ...(reify(messageMatcher()) as object), status: 'sent', price: '-0.00790' }
    expect(lines(createPact({ body }))).toEqual([
      'response $.status: Twilio answers CreateMessage with status "queued", "accepted" or "scheduled", never "sent" (a message is not sent when Twilio answers its create)',
      'response $.price: Twilio answers CreateMessage with price null, not "-0.00790" (a message is not sent when Twilio answers its create)',
    ])
  })

  it('a value outside an enum, a wrong type, a null where Twilio never sends one', () => {
    const body = { ...(reify(messageMatcher()) as object), num_segments: 1, direction: null }
    expect(lines(createPact({ body }))).toEqual([
      'response $.num_segments: expected string or null, got integer 1',
      'response $.direction: null, but Twilio never sends null here (type string, not nullable)',
    ])
    const fetched = { ...(reify(messageMatcher()) as object), status: 'cancelled' }
    const fetch = createPact({ method: 'GET', path: MESSAGE, status: 200, body: fetched })
    fetch.interactions![0]!.request!.body = undefined
    expect(lines(fetch)).toEqual([
      expect.stringMatching(/^response \$\.status: string "cancelled" is not one of "queued", .*"canceled"/),
    ])
  })

  it('a status code Twilio does not declare, and an error code with the wrong HTTP status', () => {
    expect(lines(createPact({ status: 200 }))).toEqual([
      'response: status 200 is not declared for CreateMessage (declared: 201)',
    ])
    expect(
      lines(createPact({ status: 404, body: { ...(reify(errorMatcher(21211)) as object), status: 404 } })),
    ).toEqual(['response $.code: Twilio answers error 21211 with HTTP 400, not 404'])
  })

  it('form parameters: unknown names, a missing required one, enum values, repeated keys', () => {
    expect(lines(createPact({ form: 'Recipient=%2B1555&Body=Hi&From=%2B15005550006' }))).toEqual([
      'request form["Recipient"]: unknown form parameter for CreateMessage',
      'request form["To"]: missing required form parameter',
    ])
    expect(
      lines(
        createPact({
          form: 'To=%2B15558675310&To=%2B15558675311&From=%2B15005550006&Body=Hi&ContentRetention=forever&ValidityPeriod=soon',
        }),
      ),
    ).toEqual([
      'request form["To"]: sent 2 times; Twilio takes one value',
      'request form["ContentRetention"]: string "forever" is not one of "retain", "discard"',
      'request form["ValidityPeriod"]: expected an integer, got "soon"',
    ])
    // MediaUrl is a list: repeated keys are Twilio's way
    expect(
      lines(
        createPact({
          form: 'To=%2B15558675310&From=%2B15005550006&MediaUrl=https%3A%2F%2Fa&MediaUrl=https%3A%2F%2Fb',
        }),
      ),
    ).toEqual([])
  })

  it('an update to a status Twilio does not take, a path parameter of the wrong shape, an unknown path', () => {
    const update = createPact({ path: MESSAGE, form: 'Status=cancelled', status: 200 })
    expect(lines(update)).toEqual(['request form["Status"]: string "cancelled" is not one of "canceled"'])
    expect(lines(createPact({ path: `/2010-04-01/Accounts/AC123/Messages.json` }))).toEqual([
      'request path {AccountSid}: "AC123" does not match pattern ^AC[0-9a-fA-F]{32}$',
      'request path {AccountSid}: length 5 < minLength 34',
    ])
    expect(lines(createPact({ path: `/2010-04-01/Accounts/${ACCOUNT}/Texts.json` }))).toEqual([
      `request: no operation for POST /2010-04-01/Accounts/${ACCOUNT}/Texts.json`,
    ])
    expect(lines(createPact({ method: 'PUT' }))).toEqual([
      `request: no operation for PUT ${MESSAGES} (the path takes GET, POST)`,
    ])
  })

  it('query parameters of a list: unknown names and values out of range', () => {
    const pact = createPact()
    const list = pact.interactions![0]!
    list.request = { method: 'GET', path: MESSAGES, query: { PageSize: ['5000'], Sort: ['asc'] } }
    list.response = { status: 200, body: { content: reify(messagePageMatcher()) } }
    expect(lines(pact)).toEqual([
      'request query["PageSize"]: 5000 > maximum 1000',
      'request query["Sort"]: unknown query parameter for ListMessage',
    ])
  })

  it('reads pacts of specification 2 (query string, raw form text)', () => {
    const v2 = {
      consumer: { name: 'old-app' },
      provider: { name: 'twilio-api' },
      interactions: [
        {
          description: 'a list',
          providerState: 'a message exists',
          request: { method: 'GET', path: MESSAGES, query: 'To=%2B15558675310&PageSize=20&Pagesize=1' },
          response: { status: 200, body: reify(messagePageMatcher()) },
        },
        {
          description: 'a create',
          request: {
            method: 'POST',
            path: MESSAGES,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: 'To=%2B15558675310&From=%2B15005550006&Body=Hi&Body=again',
          },
          response: { status: 201, body: reify(messageMatcher()) },
        },
      ],
    } as PactDocument
    expect(formatPactCheck(checkPact(v2))).toEqual([
      '(pact): a list (given a message exists): request query["Pagesize"]: unknown query parameter for ListMessage',
      '(pact): a create: request form["Body"]: sent 2 times; Twilio takes one value',
      'failed: 2 interactions of 1 pact checked against Twilio - Api (Message and Account slice) 1.0.0: 2 findings',
    ])
  })

  it('skips pacts whose provider is not Twilio (webhook pacts), unless named with provider', () => {
    const webhook = { ...createPact(), consumer: { name: 'Twilio' }, provider: { name: 'my-app' } }
    const report = checkPact(webhook)
    expect(report.ok).toBe(true)
    expect(report.files[0]).toMatchObject({
      interactions: 0,
      skipped: expect.stringContaining('webhook pact'),
    })
    const named: PactDocument = { ...createPact({ status: 200 }), provider: { name: 'sms-gateway' } }
    expect(checkPact(named).files[0]?.skipped).toContain('--provider sms-gateway')
    expect(checkPact(named, { provider: 'sms-gateway' }).findings).toHaveLength(1)
    // a Twilio pact left out by another provider name says which name was given, not that Twilio is not Twilio
    expect(checkPact([createPact(), named], { provider: 'sms-gateway' }).files[0]?.skipped).toBe(
      'its provider Twilio is not sms-gateway, the provider named to check (name Twilio with --provider to check it instead)',
    )
  })

  it('refuses to pass having checked nothing: no pact files, or none of the provider named', () => {
    const empty = mkdtempSync(join(dir, 'empty-'))
    expect(() => checkPact(empty)).toThrow(
      `[twilio-double] no pact files (*.json) in ${empty}: give the directory your consumer tests write their pacts to, or the pact files themselves`,
    )
    expect(() => checkPact([])).toThrow('[twilio-double] no pact files given')
    const webhook = { ...createPact(), consumer: { name: 'Twilio' }, provider: { name: 'my-app' } }
    expect(() => checkPact([createPact(), webhook], { provider: 'sms-gateway' })).toThrow(
      '[twilio-double] no pact has the provider sms-gateway named to check (their providers: Twilio, my-app): name one of those with --provider (the provider option), or leave it out to check the pacts whose provider is named like Twilio',
    )
    // webhook pacts alone, no provider named: nothing to check against Twilio, and nothing wrong either
    expect(checkPact(webhook).ok).toBe(true)
  })

  it('holds pacts against another OpenAPI description when given one', () => {
    const trimmed = JSON.parse(readFileSync(SLICE, 'utf8'))
    delete trimmed.components.schemas['api.v2010.account.message'].properties.num_media
    const report = checkPact(createPact(), { openapi: trimmed })
    expect(report.findings.map((f) => f.path)).toEqual(['$.num_media'])
  })
})

const SUBACCOUNT = 'AC00000000000000000000000000000002'

/** Twilio's account JSON for the subaccount, as the double answers it (renderAccount). */
function accountBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...renderAccount({
      sid: SUBACCOUNT,
      authToken: '0123456789abcdef0123456789abcdef',
      friendlyName: 'ci worker 1',
      ownerSid: ACCOUNT,
      status: 'active',
      dateCreated: Date.UTC(2024, 0, 1),
      dateUpdated: Date.UTC(2024, 0, 1),
    } as Account),
    ...overrides,
  }
}

/** A V4 pact of Accounts interactions: create, fetch, list by FriendlyName and Status, update. */
function accountsPact(fetched: Record<string, unknown> = accountBody()): PactDocument {
  const form = (content: string) => ({
    content,
    contentType: 'application/x-www-form-urlencoded',
    encoded: false,
  })
  const json = (content: unknown) => ({ content, contentType: 'application/json' })
  const list = '/2010-04-01/Accounts.json?FriendlyName=ci+worker+1&Status=active&PageSize=50&Page=0'
  return {
    consumer: { name: 'fleet-manager' },
    provider: { name: 'Twilio' },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: 'a request to create a subaccount',
        request: {
          method: 'POST',
          path: '/2010-04-01/Accounts.json',
          body: form('FriendlyName=ci+worker+1'),
        },
        response: { status: 201, body: json(accountBody()) },
      },
      {
        type: 'Synchronous/HTTP',
        description: 'a request for a subaccount',
        request: { method: 'GET', path: `/2010-04-01/Accounts/${SUBACCOUNT}.json` },
        response: { status: 200, body: json(fetched) },
      },
      {
        type: 'Synchronous/HTTP',
        description: 'a request for the active subaccounts of a name',
        request: {
          method: 'GET',
          path: '/2010-04-01/Accounts.json',
          query: { FriendlyName: ['ci worker 1'], Status: ['active'] },
        },
        response: {
          status: 200,
          body: json({
            accounts: [accountBody()],
            end: 0,
            first_page_uri: list,
            next_page_uri: null,
            page: 0,
            page_size: 50,
            previous_page_uri: null,
            start: 0,
            uri: list,
          }),
        },
      },
      {
        type: 'Synchronous/HTTP',
        description: 'a request to close a subaccount',
        request: {
          method: 'POST',
          path: `/2010-04-01/Accounts/${SUBACCOUNT}.json`,
          body: form('Status=closed'),
        },
        response: { status: 200, body: json(accountBody({ status: 'closed' })) },
      },
    ],
  } as PactDocument
}

describe('checkPact checks Accounts interactions', () => {
  it('a pact of create, fetch, list by FriendlyName and Status, and update agrees with Twilio', () => {
    const report = checkPact(accountsPact())
    expect(formatPactCheck(report)).toEqual([
      'ok: 4 interactions of 1 pact checked against Twilio - Api (Message and Account slice) 1.0.0: 0 findings',
    ])
  })

  it('a field Twilio never sends on an account, a status it never has, a parameter it does not take', () => {
    const fetched = accountBody({ balance: '20.00', status: 'deleted' })
    const pact = accountsPact(fetched)
    pact.interactions![3]!.request!.body = {
      content: 'Status=closed&AuthToken=new',
      contentType: 'application/x-www-form-urlencoded',
    }
    expect(lines(pact)).toEqual([
      'response $.status: string "deleted" is not one of "active", "suspended", "closed"',
      'response $.balance: unknown field (not declared in the schema)',
      'request form["AuthToken"]: unknown form parameter for UpdateAccount',
    ])
  })

  it('a created subaccount Twilio never answers: not active, or its own owner', () => {
    const because = '(a created account is a new, active subaccount of the account that creates it)'
    for (const status of ['suspended', 'closed']) {
      const pact = accountsPact()
      pact.interactions![0]!.response!.body = {
        content: accountBody({ status }),
        contentType: 'application/json',
      }
      expect(lines(pact)).toEqual([
        `response $.status: Twilio answers CreateAccount with status "active", never "${status}" ${because}`,
      ])
    }
    const pact = accountsPact()
    pact.interactions![0]!.response!.body = {
      content: accountBody({ owner_account_sid: SUBACCOUNT }),
      contentType: 'application/json',
    }
    expect(lines(pact)).toEqual([
      `response $.owner_account_sid: Twilio answers CreateAccount with owner_account_sid other than its sid, never both "${SUBACCOUNT}" ${because}`,
    ])
    // the rules are Create Account's: a fetched account may be suspended, and a main account is its own owner
    expect(lines(accountsPact(accountBody({ status: 'suspended', owner_account_sid: SUBACCOUNT })))).toEqual(
      [],
    )
  })

  it('an Accounts path Twilio does not have, and a method it does not take', () => {
    const pact = accountsPact()
    pact.interactions = [
      {
        ...pact.interactions![1]!,
        request: { method: 'DELETE', path: `/2010-04-01/Accounts/${SUBACCOUNT}.json` },
      },
      { ...pact.interactions![1]!, request: { method: 'GET', path: '/2010-04-01/Accounts/AC123.json' } },
    ]
    expect(lines(pact)).toEqual([
      `request: no operation for DELETE /2010-04-01/Accounts/${SUBACCOUNT}.json (the path takes GET, POST)`,
      'request path {Sid}: "AC123" does not match pattern ^AC[0-9a-fA-F]{32}$',
      'request path {Sid}: length 5 < minLength 34',
    ])
  })
})

function cli(args: string[]) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (t) => {
      stdout += t
    },
    stderr: (t) => {
      stderr += t
    },
    onStopSignal: () => () => {},
  }
  return runCli(['node', 'twilio-double', 'check-pact', ...args], io).then((code) => ({
    code,
    stdout,
    stderr,
  }))
}

describe('twilio-double check-pact', () => {
  const write = (name: string, pact: PactDocument) => {
    const file = join(dir, name)
    writeFileSync(file, JSON.stringify(pact))
    return file
  }

  it('exits 0 with a summary for pacts Twilio agrees with (files and directories)', async () => {
    const run = await cli([PACTS])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toMatch(/^ok: \d+ interactions of 1 pact checked against Twilio .*: 0 findings\n$/)
  })

  it('prints one line per finding and exits 1', async () => {
    const body = { ...(reify(messageMatcher()) as object), tags: {}, status: 'sent' }
    const file = write('wrong-Twilio.json', createPact({ body }))
    const run = await cli([file])
    expect(run.code).toBe(1)
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      `${file}: a request to send an SMS (given an account exists): response $.tags: unknown field (not declared in the schema)`,
      `${file}: a request to send an SMS (given an account exists): response $.status: Twilio answers CreateMessage with status "queued", "accepted" or "scheduled", never "sent" (a message is not sent when Twilio answers its create)`,
      expect.stringMatching(/^failed: 1 interaction of 1 pact checked against .*: 2 findings$/),
    ])
  })

  it('--json prints the report for machines', async () => {
    const file = write('status-Twilio.json', createPact({ status: 200 }))
    const run = await cli([file, '--json'])
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout)
    expect(report.ok).toBe(false)
    expect(report.findings).toEqual([
      {
        file,
        interaction: 'a request to send an SMS (given an account exists)',
        where: 'response',
        path: '',
        problem: 'status 200 is not declared for CreateMessage (declared: 201)',
      },
    ])
  })

  it('--openapi and --provider; exit 2 for a file it cannot read', async () => {
    const file = write('gateway.json', { ...createPact(), provider: { name: 'sms-gateway' } })
    const run = await cli([file, '--provider', 'sms-gateway', '--openapi', SLICE])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('1 interaction of 1 pact checked')
    const typo = await cli([file, '--provider', 'sms-gatway'])
    expect(typo).toMatchObject({ code: 2, stdout: '' })
    expect(typo.stderr).toBe(
      'twilio-double: no pact has the provider sms-gatway named to check (their providers: sms-gateway): name one of those with --provider (the provider option), or leave it out to check the pacts whose provider is named like Twilio\n',
    )
    const missing = await cli([join(dir, 'none.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe(`twilio-double: cannot read pact file ${join(dir, 'none.json')}: ENOENT\n`)
  })
})
