/**
 * fast-check arbitraries of requests to the double: every endpoint (the Messages resource and its media and
 * feedback, the Accounts resource) and unknown paths, any method, good and bad credentials, bad
 * percent-encoding, wrong content types, huge, empty and non-UTF-8 bodies, duplicated and unknown parameters. A generated request is a small description; `buildRequest` turns
 * it into a Fetch `Request` against the double's current state (so it can name stored SIDs).
 */
import fc from 'fast-check'
import { type TwilioDouble, tenantsOf } from '../../../src/double.js'
import { ACCOUNT_A, ACCOUNT_B, basic, type TestAccount } from './doubles.js'

export type Principal = 'A' | 'B'
export type AuthKind =
  | 'token'
  | 'key'
  | 'none'
  | 'wrong'
  | 'other-token'
  | 'other-key'
  | 'bearer'
  | 'garbage'
  | 'no-colon'
  | 'unicode'
export type AccountPick = 'own' | 'other' | 'unknown' | 'malformed' | 'encoded' | 'lower' | 'empty'
export type SidPick =
  | { kind: 'existing'; index: number }
  | { kind: 'encoded'; index: number }
  | { kind: 'other-account'; index: number }
  | { kind: 'unknown' }
  | { kind: 'raw'; text: string }
export type Shape =
  | 'messages'
  | 'message'
  | 'media'
  | 'media-item'
  | 'feedback'
  | 'accounts'
  | 'account'
  | { unknown: string }
/**
 * The account an Accounts request names (`/2010-04-01/Accounts/{target}.json`): the principal itself, one of its
 * subaccounts, the other main account or one of its subaccounts, an unknown or malformed SID, or any text.
 */
export type AccountTarget =
  | 'self'
  | 'sub'
  | 'other'
  | 'other-sub'
  | 'unknown'
  | 'malformed'
  | 'lower'
  | 'encoded'
  | 'empty'
  | { raw: string }
export type BodySpec =
  | { kind: 'none' }
  | { kind: 'form'; pairs: [string, string][]; encoding: 'proper' | 'raw' | 'broken'; breakAt: number[] }
  | { kind: 'bytes'; prefix: string; bytes: number[] }
  | { kind: 'json'; text: string }
  | { kind: 'huge'; size: number; fill: 'form' | 'binary' }

export interface FuzzRequest {
  method: string
  host: string
  principal: Principal
  auth: AuthKind
  account: AccountPick
  shape: Shape
  /** The account of an Accounts instance path (shape `account`). */
  target: AccountTarget
  sid: SidPick
  media: SidPick
  suffix: string
  query: [string, string][]
  queryEncoding: 'proper' | 'raw' | 'broken'
  contentType: string | null
  body: BodySpec
  contentLength: string | null
}

export const ACCOUNTS: Record<Principal, TestAccount> = { A: ACCOUNT_A, B: ACCOUNT_B }

const BROKEN_ESCAPES = [
  '%',
  '%%',
  '%G1',
  '%zz',
  '%E0%A4',
  '%E0%A4%A',
  '%FF',
  '%C3%28',
  '%ED%A0%80',
  '%00',
  '%2',
  '%u0041',
]
const LONE = ['\uD800', '\uDFFF', '\uFFFE', '\u0000', '\u202E', '\r\n', '&', '=', '+', '%', ';', '#', '?']

const HOSTS = [
  'https://api.twilio.com',
  'https://api.sydney.au1.twilio.com',
  'https://api.dublin.ie1.twilio.com',
  'http://api.twilio.com',
  'http://127.0.0.1:4010',
  'https://example.test',
]

const METHOD = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST', 'DELETE'), weight: 12 },
  {
    arbitrary: fc.constantFrom('PUT', 'PATCH', 'HEAD', 'OPTIONS', 'post', 'Get', 'delete', 'FOO', 'M-SEARCH'),
    weight: 2,
  },
)

const weirdString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...LONE, ...BROKEN_ESCAPES),
  fc
    .array(fc.constantFrom(...LONE, ...BROKEN_ESCAPES, 'a', 'é', '😀'), { maxLength: 8 })
    .map((a) => a.join('')),
)

const sidPick: fc.Arbitrary<SidPick> = fc.oneof(
  { arbitrary: fc.nat(1000).map((index) => ({ kind: 'existing' as const, index })), weight: 10 },
  { arbitrary: fc.nat(1000).map((index) => ({ kind: 'encoded' as const, index })), weight: 1 },
  { arbitrary: fc.nat(1000).map((index) => ({ kind: 'other-account' as const, index })), weight: 2 },
  { arbitrary: fc.constant({ kind: 'unknown' as const }), weight: 2 },
  { arbitrary: weirdString.map((text) => ({ kind: 'raw' as const, text })), weight: 2 },
)

const UNKNOWN_PATHS = [
  '/',
  '',
  '/2010-04-01',
  '/2010-04-01/Accounts.xml',
  '/2010-04-01/Accounts/{acc}.json/',
  '/2010-04-01/Accounts',
  '/2010-04-01/Accounts.json/',
  '/2010-04-01/accounts.json',
  '/2010-04-01/Accounts/{acc}',
  '/2010-04-01/Accounts/{acc}.xml',
  '/2010-04-01/Accounts/{acc}/{acc}.json',
  '/2010-04-01/Accounts/{acc}/Calls.json',
  '/2010-04-01/Accounts/{acc}/Messages',
  '/2010-04-01/Accounts/{acc}/Messages.json/',
  '/2010-04-01/Accounts/{acc}/Messages.xml',
  '/2010-04-01/Accounts/{acc}/Messages.csv',
  '/2010-04-01/accounts/{acc}/messages.json',
  '/2010-04-01/Accounts/{acc}//Messages.json',
  '/2010-04-01/Accounts/{acc}/Messages/../Messages.json',
  '/2010-04-01/Accounts/{acc}/Messages/%2e%2e/x.json',
  '/2010-04-01/Accounts/{acc}/Messages/{sid}/Feedback',
  '/2010-04-01/Accounts/{acc}/Messages/{sid}/Media/{me}/Extra.json',
  '/2010-04-01/Accounts/{acc}/Messages/{sid}.json/Media.json',
  '/2010-04-01/Accounts/{acc}/Messages%2F{sid}.json',
  '/v1/Services',
  '/__double/messages',
]

const shape: fc.Arbitrary<Shape> = fc.oneof(
  { arbitrary: fc.constantFrom<Shape>('messages', 'message', 'media', 'media-item', 'feedback'), weight: 12 },
  { arbitrary: fc.constantFrom<Shape>('accounts', 'account', 'account'), weight: 3 },
  {
    arbitrary: fc
      .oneof(
        fc.constantFrom(...UNKNOWN_PATHS),
        weirdString.map((s) => `/${s}`),
      )
      .map((unknown) => ({
        unknown,
      })),
    weight: 2,
  },
)

const accountTarget: fc.Arbitrary<AccountTarget> = fc.oneof(
  { arbitrary: fc.constantFrom<AccountTarget>('self', 'sub', 'sub'), weight: 8 },
  {
    arbitrary: fc.constantFrom<AccountTarget>(
      'other',
      'other-sub',
      'unknown',
      'malformed',
      'lower',
      'encoded',
      'empty',
    ),
    weight: 3,
  },
  { arbitrary: weirdString.map((raw) => ({ raw })), weight: 1 },
)

function futureIso(hours: number): string {
  return new Date(Date.UTC(2024, 0, 1) + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Values by parameter name: plausible, edge and broken ones. `$SID` stands for a stored SID. */
const VALUES: Record<string, string[]> = {
  To: [
    '+15550001111',
    '+15550002222',
    '+447700900123',
    'whatsapp:+15550003333',
    ' +1 (555) 000-1111 ',
    '+15005550001',
    '+15005550009',
    '+15005550004',
    '',
    'abc',
    '+1' + '9'.repeat(40),
    'whatsapp:',
    'messenger:123',
  ],
  From: [
    ACCOUNT_A.from,
    `whatsapp:${ACCOUNT_A.from}`,
    ACCOUNT_A.serviceSid,
    ACCOUNT_B.serviceSid,
    '+15005550001',
    'ALPHA',
    '12345',
    '',
    '+15550001111',
  ],
  MessagingServiceSid: [
    ACCOUNT_A.serviceSid,
    ACCOUNT_B.serviceSid,
    'MG123',
    'MGzz000000000000000000000000000000',
    '',
  ],
  Body: ['hi', '', 'é😀', 'x'.repeat(1600), 'x'.repeat(1601), '€'.repeat(200), '\uD800', 'a&b=c', '%zz'],
  MediaUrl: ['https://media.test/a.png', 'https://media.test/b.pdf', 'ftp://media.test/x', 'not a url', ''],
  StatusCallback: [
    'https://hooks.app.test/status',
    'http://under_score.test/x',
    'nope',
    `https://x.test/${'a'.repeat(4000)}`,
  ],
  ApplicationSid: ['AP00000000000000000000000000000001', 'AP1'],
  ValidityPeriod: ['1', '14400', '14401', '0', '-5', '1e3', 'abc', '99999999999999999999'],
  MaxPrice: ['0.5', '0.00001', '1e3', '-1', '99999999999999999999999'],
  Attempt: ['1', '-1', 'x'],
  ProvideFeedback: ['true', 'false', 'TRUE', 'yes'],
  SmartEncoded: ['true', 'false', 'maybe'],
  ForceDelivery: ['true', 'no'],
  ShortenUrls: ['true', '1'],
  SendAsMms: ['true', 'nah'],
  ContentRetention: ['retain', 'discard', 'keep'],
  AddressRetention: ['retain', 'obfuscate', 'x'],
  TrafficType: ['free', 'paid'],
  RiskCheck: ['enable', 'disable', 'maybe'],
  PersistentAction: ['mailto:x@y.test', 'geo:1,2'],
  ContentSid: ['HX00000000000000000000000000000001', 'HX1', ''],
  ContentVariables: ['{"1":"x"}', '[]', '{', 'null'],
  ScheduleType: ['fixed', 'whenever', ''],
  SendAt: [futureIso(2), futureIso(24 * 8), futureIso(0.1), '2024-01-01', 'tomorrow', ''],
  Status: ['canceled', 'delivered', '', 'active', 'suspended', 'closed', 'Closed', '1'],
  FriendlyName: ['ci worker 1', 'worker', '', 'é😀', 'x'.repeat(65), 'x'.repeat(4000), 'a&b=c'],
  Outcome: ['confirmed', 'unconfirmed', 'maybe', ''],
  PageSize: ['1', '3', '50', '1000', '1001', '0', '-1', '1e3', ' 7', 'abc', '99999999999999999999'],
  Page: ['0', '1', '2', '-1', 'x', '99999999999999999999', '9007199254740993'],
  PageToken: ['PA$SID', 'PB$SID', 'PA', 'PAjunk', 'PASM00000000000000000000000000000404', '$SID'],
  DateSent: ['2024-01-01', '2024-01-01T00:00:00Z', '2024-13-45', 'Mon, 01 Jan 2024 00:00:00 +0000', 'x', ''],
  'DateSent<': ['2024-01-02', '2024-01-01T00:00:05Z', '2023-12-31', 'nope'],
  'DateSent>': ['2023-12-31', '2024-01-01T00:00:00Z', '2025-01-01', '0000-00-00'],
}
const KNOWN_KEYS = Object.keys(VALUES)

const pair: fc.Arbitrary<[string, string]> = fc.oneof(
  {
    arbitrary: fc
      .constantFrom(...KNOWN_KEYS)
      .chain((k) =>
        fc.tuple(
          fc.constant(k),
          fc.oneof(
            { arbitrary: fc.constantFrom(...VALUES[k]!), weight: 5 },
            { arbitrary: weirdString, weight: 1 },
          ),
        ),
      ),
    weight: 8,
  },
  { arbitrary: fc.tuple(weirdString, weirdString), weight: 1 },
  {
    arbitrary: fc.tuple(
      fc.constantFrom(...KNOWN_KEYS.map((k) => k.toLowerCase()), 'to[]', 'To ', ''),
      weirdString,
    ),
    weight: 1,
  },
)

const encoding = fc.constantFrom<'proper' | 'raw' | 'broken'>('proper', 'proper', 'proper', 'raw', 'broken')

const body: fc.Arbitrary<BodySpec> = fc.oneof(
  { arbitrary: fc.constant<BodySpec>({ kind: 'none' }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('form' as const),
      pairs: fc.array(pair, { maxLength: 14 }),
      encoding,
      breakAt: fc.array(fc.nat(400), { maxLength: 3 }),
    }),
    weight: 12,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      prefix: fc.constantFrom(
        '',
        'Body=',
        `To=%2B15550001111&From=${encodeURIComponent(ACCOUNT_A.from)}&Body=`,
      ),
      bytes: fc.oneof(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 120 }),
        fc
          .constantFrom(
            [0xff, 0xfe],
            [0xc3, 0x28],
            [0xed, 0xa0, 0x80],
            [0xe2, 0x82],
            [0xf4, 0x90, 0x80, 0x80],
            [0xc0, 0xaf],
          )
          .map((b) => [...b]),
      ),
    }),
    weight: 2,
  },
  {
    arbitrary: fc
      .oneof(
        fc.json(),
        fc.constantFrom('{"To":"+15550001111","From":"+15005550006","Body":"hi"}', '{', '[]', 'null'),
      )
      .map((text) => ({ kind: 'json' as const, text })),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      size: fc.constantFrom(64 * 1024, 1_048_576 - 1, 1_048_576, 1_048_577, 2 * 1_048_576),
      fill: fc.constantFrom<'form' | 'binary'>('form', 'binary'),
    }),
    weight: 1,
  },
)

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'APPLICATION/X-WWW-FORM-URLENCODED',
  'application/json',
  'multipart/form-data; boundary=xyz',
  'text/plain',
  'text/xml',
  'garbage/;;;',
  '',
]

/** A random request description. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: METHOD,
  host: fc.oneof(
    { arbitrary: fc.constant(HOSTS[0]!), weight: 6 },
    { arbitrary: fc.constantFrom(...HOSTS), weight: 2 },
  ),
  principal: fc.constantFrom<Principal>('A', 'A', 'B'),
  auth: fc.oneof(
    { arbitrary: fc.constantFrom<AuthKind>('token', 'key'), weight: 12 },
    {
      arbitrary: fc.constantFrom<AuthKind>(
        'none',
        'wrong',
        'other-token',
        'other-key',
        'bearer',
        'garbage',
        'no-colon',
        'unicode',
      ),
      weight: 3,
    },
  ),
  account: fc.oneof(
    { arbitrary: fc.constant<AccountPick>('own'), weight: 12 },
    {
      arbitrary: fc.constantFrom<AccountPick>('other', 'unknown', 'malformed', 'encoded', 'lower', 'empty'),
      weight: 2,
    },
  ),
  shape,
  target: accountTarget,
  sid: sidPick,
  media: sidPick,
  suffix: fc.oneof(
    { arbitrary: fc.constant(''), weight: 20 },
    { arbitrary: fc.constantFrom(...BROKEN_ESCAPES, '/', '.json', ' '), weight: 1 },
  ),
  query: fc.oneof(
    { arbitrary: fc.constant<[string, string][]>([]), weight: 2 },
    { arbitrary: fc.array(pair, { maxLength: 8 }), weight: 3 },
  ),
  queryEncoding: encoding,
  contentType: fc.oneof(
    { arbitrary: fc.constant(CONTENT_TYPES[0]!), weight: 8 },
    { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 3 },
    { arbitrary: fc.constant(null), weight: 1 },
  ),
  body,
  contentLength: fc.oneof(
    { arbitrary: fc.constant(null), weight: 25 },
    { arbitrary: fc.constantFrom('0', 'abc', '-1', '99999999999', '1048577', '1e9'), weight: 1 },
  ),
})

/** A random request to the Accounts resource (its list or one account), with the rest as random as any. */
export const accountsRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fuzzRequest, fc.constantFrom<Shape>('accounts', 'account', 'account'))
  .map(([request, shape]) => ({ ...request, shape }))

/** A well-formed create (so that state builds up), under a valid principal. */
export const validCreate: fc.Arbitrary<FuzzRequest> = fc
  .record({
    principal: fc.constantFrom<Principal>('A', 'A', 'B'),
    auth: fc.constantFrom<AuthKind>('token', 'key'),
    to: fc.constantFrom(...VALUES.To!.slice(0, 5), '+15550004444', '+15550005555', '+33612345678'),
    via: fc.constantFrom('from', 'service', 'whatsapp'),
    text: fc.string({ maxLength: 200 }),
    media: fc.array(fc.constantFrom('https://media.test/a.png', 'https://media.test/b.pdf'), {
      maxLength: 3,
    }),
    callback: fc.boolean(),
    schedule: fc.boolean(),
  })
  .map(({ principal, auth, to, via, text, media, callback, schedule }) => {
    const a = ACCOUNTS[principal]
    const pairs: [string, string][] = [
      ['To', via === 'whatsapp' && !to.startsWith('whatsapp:') ? `whatsapp:${to.trim()}` : to],
    ]
    if (via === 'from') pairs.push(['From', a.from])
    else if (via === 'whatsapp') pairs.push(['From', `whatsapp:${a.from}`])
    else pairs.push(['MessagingServiceSid', a.serviceSid])
    pairs.push(['Body', text || 'hello'])
    for (const m of media) pairs.push(['MediaUrl', m])
    if (callback) pairs.push(['StatusCallback', 'https://hooks.app.test/status'])
    if (schedule && via === 'service') pairs.push(['ScheduleType', 'fixed'], ['SendAt', futureIso(3)])
    return {
      method: 'POST',
      host: HOSTS[0]!,
      principal,
      auth,
      account: 'own',
      shape: 'messages',
      target: 'self',
      sid: { kind: 'unknown' },
      media: { kind: 'unknown' },
      suffix: '',
      query: [],
      queryEncoding: 'proper',
      contentType: CONTENT_TYPES[0]!,
      body: { kind: 'form', pairs, encoding: 'proper', breakAt: [] },
      contentLength: null,
    } satisfies FuzzRequest
  })

function encodePairs(
  pairs: [string, string][],
  mode: 'proper' | 'raw' | 'broken',
  breakAt: number[],
): string {
  const text = pairs
    .map(([k, v]) =>
      mode === 'raw' ? `${k}=${v}` : `${encodeURIComponent(safe(k))}=${encodeURIComponent(safe(v))}`,
    )
    .join('&')
  if (mode !== 'broken') return text
  let out = text
  for (const [i, at] of breakAt.entries()) {
    const pos = Math.min(at, out.length)
    out = out.slice(0, pos) + BROKEN_ESCAPES[i % BROKEN_ESCAPES.length] + out.slice(pos)
  }
  return out.length === text.length ? `${text}&x=%E0%A4%A` : out
}

/** encodeURIComponent throws on lone surrogates: send them as U+FFFD, as a UTF-8 encoder would. */
function safe(s: string): string {
  return Buffer.from(s, 'utf-8').toString('utf-8')
}

function percentEncodeAll(s: string): string {
  return [...Buffer.from(s)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')
}

/** Stored records of an account, oldest first (read without rendering them). */
function records(double: TwilioDouble, accountSid: string) {
  return double.tenant(accountSid).backend.stores.get(accountSid)?.values() ?? []
}

function pickSid(
  double: TwilioDouble,
  own: string,
  other: string,
  pick: SidPick,
  media: boolean,
  messageSid?: string,
): string {
  if (pick.kind === 'unknown')
    return media ? 'ME00000000000000000000000000000404' : 'SM00000000000000000000000000000404'
  if (pick.kind === 'raw') return pick.text
  const accountSid = pick.kind === 'other-account' ? other : own
  let candidates: string[]
  if (media) {
    const rec = messageSid ? double.tenant(accountSid).backend.findMessage(messageSid) : undefined
    candidates = (rec?.media ?? []).map((m) => m.sid)
    if (candidates.length === 0)
      candidates = records(double, accountSid).flatMap((m) => m.media?.map((x) => x.sid) ?? [])
  } else candidates = records(double, accountSid).map((m) => m.sid)
  if (candidates.length === 0)
    return media ? 'ME00000000000000000000000000000405' : 'SM00000000000000000000000000000405'
  const sid = candidates[pick.index % candidates.length]!
  return pick.kind === 'encoded' ? percentEncodeAll(sid) : sid
}

function authHeader(r: FuzzRequest): string | null {
  const me = ACCOUNTS[r.principal]
  const other = ACCOUNTS[r.principal === 'A' ? 'B' : 'A']
  switch (r.auth) {
    case 'token':
      return basic(me.sid, me.authToken)
    case 'key':
      return basic(me.keySid, me.keySecret)
    case 'none':
      return null
    case 'wrong':
      return basic(me.sid, 'wrong-token')
    case 'other-token':
      return basic(me.sid, other.authToken)
    case 'other-key':
      return basic(other.keySid, me.keySecret)
    case 'bearer':
      return `Bearer ${me.authToken}`
    case 'garbage':
      return 'Basic %%%***'
    case 'no-colon':
      return `Basic ${Buffer.from(me.sid).toString('base64')}`
    case 'unicode':
      return `Basic ${Buffer.from(`${me.sid}:tökén😀`).toString('base64')}`
  }
}

/** The subaccounts of an account, oldest first (none for a double whose accounts cannot be read). */
export function subaccountsOf(double: TwilioDouble, owner: string): string[] {
  return (tenantsOf(double)?.accounts() ?? [])
    .filter((a) => a.ownerSid === owner && a.sid !== owner)
    .map((a) => a.sid)
}

/** Whether the request carries the principal's valid credentials. */
export function isAuthorised(r: FuzzRequest): boolean {
  return r.auth === 'token' || r.auth === 'key'
}

function bodyBytes(spec: BodySpec): Uint8Array | undefined {
  switch (spec.kind) {
    case 'none':
      return undefined
    case 'form':
      return new TextEncoder().encode(encodePairs(spec.pairs, spec.encoding, spec.breakAt))
    case 'bytes':
      return Buffer.concat([Buffer.from(spec.prefix), Buffer.from(spec.bytes)])
    case 'json':
      return new TextEncoder().encode(spec.text)
    case 'huge': {
      if (spec.fill === 'binary') return new Uint8Array(spec.size).fill(0xff)
      const head = `To=%2B15550001111&From=${encodeURIComponent(ACCOUNT_A.from)}&Body=`
      const buf = Buffer.alloc(spec.size, 0x61)
      buf.write(head, 0)
      return buf
    }
  }
}

/** Builds the Fetch `Request` of a description, against the double's current state. */
export function buildRequest(double: TwilioDouble, r: FuzzRequest): { request: Request; path: string } {
  const me = ACCOUNTS[r.principal]
  const other = ACCOUNTS[r.principal === 'A' ? 'B' : 'A']
  const acc = {
    own: me.sid,
    other: other.sid,
    unknown: 'AC00000000000000000000000000000fff',
    malformed: 'AC123',
    encoded: percentEncodeAll(me.sid),
    lower: me.sid.toLowerCase(),
    empty: '',
  }[r.account]
  const sid = pickSid(double, me.sid, other.sid, r.sid, false)
  const plainSid = r.sid.kind === 'encoded' ? decodeURIComponent(sid) : sid
  const me2 = pickSid(double, me.sid, other.sid, r.media, true, plainSid)
  const base = `/2010-04-01/Accounts/${acc}/Messages`
  const pickSub = (owner: string) => {
    const subs = subaccountsOf(double, owner)
    const index = r.sid.kind === 'raw' || r.sid.kind === 'unknown' ? 0 : r.sid.index
    return subs.length > 0 ? subs[index % subs.length]! : 'AC00000000000000000000000000000405'
  }
  const target =
    typeof r.target === 'object'
      ? r.target.raw
      : {
          self: me.sid,
          sub: pickSub(me.sid),
          other: other.sid,
          'other-sub': pickSub(other.sid),
          unknown: 'AC00000000000000000000000000000fff',
          malformed: 'AC123',
          lower: me.sid.toLowerCase(),
          encoded: percentEncodeAll(me.sid),
          empty: '',
        }[r.target]
  const path =
    typeof r.shape === 'object'
      ? r.shape.unknown.replaceAll('{acc}', acc).replaceAll('{sid}', sid).replaceAll('{me}', me2)
      : {
          messages: `${base}.json`,
          message: `${base}/${sid}${r.suffix}.json`,
          media: `${base}/${sid}/Media.json`,
          'media-item': `${base}/${sid}/Media/${me2}${r.suffix}.json`,
          feedback: `${base}/${sid}/Feedback.json`,
          accounts: '/2010-04-01/Accounts.json',
          account: `/2010-04-01/Accounts/${target}${r.suffix}.json`,
        }[r.shape]
  const stored = records(double, me.sid)
  const someSid =
    stored.length > 0 ? stored[(r.sid.kind === 'existing' ? r.sid.index : 0) % stored.length]!.sid : 'SM0'
  const query = r.query.map(([k, v]) => [k, v.replaceAll('$SID', someSid)] as [string, string])
  const qs = query.length > 0 ? `?${encodePairs(query, r.queryEncoding, [3])}` : ''
  const headers = new Headers()
  const auth = authHeader(r)
  if (auth !== null) headers.set('authorization', auth)
  if (r.contentType !== null) headers.set('content-type', r.contentType)
  if (r.contentLength !== null) headers.set('content-length', r.contentLength)
  const method = r.method
  const upper = method.toUpperCase()
  const bytes = upper === 'GET' || upper === 'HEAD' ? undefined : bodyBytes(r.body)
  // A URL the WHATWG parser rejects (e.g. a raw space in the host) is not a request anyone can send.
  let url: string
  try {
    url = new URL(`${r.host}${path.startsWith('/') || path === '' ? path : `/${path}`}${qs}`).href
  } catch {
    url = `${r.host}/`
  }
  return { request: new Request(url, { method, headers, body: bytes as BodyInit | undefined }), path }
}

/** Short text of a description for failure messages (huge bodies abbreviated). */
export function describeRequest(r: FuzzRequest): string {
  return JSON.stringify(r, (_k, v) =>
    typeof v === 'string' && v.length > 200 ? `${v.slice(0, 60)}…(${v.length} chars)` : v,
  )
}
