/**
 * A tenant of a shared standalone server: a subaccount of its own, created through Twilio's Accounts API, with its
 * credentials, a `twilio` client aimed at the server, and the control API scoped to it.
 */
import type { Twilio } from 'twilio'
import type { CallbackDelivery } from '../callbacks/outbox.js'
import { type TwilioModule, twilioClientForUrl } from '../server/twilio-client.js'
import {
  ControlApiError,
  type ControlClient,
  type ControlMessage,
  createControlClient,
  type ReceivedMessage,
} from './control.js'

/**
 * The key of the method that reads a remote tenant for the matchers of `twilio-double/matchers`: they call it and
 * read the snapshot it answers as they read a double (so `await expect(tenant).toHaveSentMessage(…)` works).
 *
 * @example
 * const snapshot = await tenant[MATCHER_SNAPSHOT]() // what the matchers read
 */
export const MATCHER_SNAPSHOT: unique symbol = Symbol.for('twilio-double.matcher-snapshot') as never

/** What the matchers read of a tenant at one moment: the shape of the double's inspection they use. */
export interface MatcherSnapshot {
  messages: {
    list(): ControlMessage[]
    get(sid: string): ControlMessage | undefined
    mediaUrls(sid: string): string[]
    count(): number
  }
  callbacks: {
    list(filter?: { messageSid?: string; status?: string; kind?: 'status' | 'inbound' }): CallbackDelivery[]
  }
  /** Work still to happen: messages moving through their lifecycle (`transitions`). */
  backend: { scheduler: { pending: number }; outbox: { pending: number } }
}

/** An account's credentials. */
export interface TenantCredentials {
  accountSid: string
  authToken: string
}

/**
 * One tenant of a shared server: the control API's calls act on it alone (it is a {@link ControlClient} scoped to
 * its account), plus its credentials and a `twilio` client aimed at the server.
 */
export interface ServerTenant extends ControlClient, TenantCredentials {
  /** A real `twilio` client with the tenant's credentials, whose requests go to the server. */
  readonly client: Twilio
  /** Closes the subaccount (with its parent's credentials): the server drops its state. */
  close(): Promise<void>
  /** For the matchers (see {@link MATCHER_SNAPSHOT}). */
  [MATCHER_SNAPSHOT](): Promise<MatcherSnapshot>
}

/** Options of {@link createTenant} and {@link useTenant}. */
export interface TenantOptions {
  /** The `fetch` to call; default: the global one. */
  fetch?: typeof fetch
  /** The `twilio` module to build `client` with (default: `import('twilio')`, an optional peer dependency). */
  twilio?: TwilioModule
}

/** Options of {@link createTenant}. */
export interface CreateTenantOptions extends TenantOptions {
  /** The subaccount's `FriendlyName`. */
  friendlyName?: string
  /** The account to create it under; default: the server's first account (read from `GET /__double/credentials`). */
  parent?: TenantCredentials
}

const basic = ({ accountSid, authToken }: TenantCredentials) => `Basic ${btoa(`${accountSid}:${authToken}`)}`

/** Calls Twilio's Accounts API on the server; a refusal rejects with a {@link ControlApiError} carrying Twilio's message. */
async function accountsApi(
  doFetch: typeof fetch,
  base: string,
  path: string,
  auth: TenantCredentials,
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  let res: Response
  try {
    res = await doFetch(`${base}/2010-04-01/${path}`, {
      method: 'POST',
      headers: { authorization: basic(auth), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
  } catch (err) {
    throw new ControlApiError(
      0,
      'unreachable',
      `cannot reach the double's server at ${base} (${(err as Error).message}): start it with \`npx twilio-double serve\` or startServer(), or check the URL`,
    )
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>
  if (!res.ok)
    throw new ControlApiError(
      res.status,
      'twilio_error',
      `POST /2010-04-01/${path} answered ${res.status} ${String(body.code ?? '')} ${String(body.message ?? '')}`.trim(),
    )
  return body
}

/**
 * Creates a tenant on the standalone server at `url`: a new subaccount (of the server's first account unless
 * `parent` says otherwise) with its own messages, scenarios, clock and reset, its credentials, a `twilio` client
 * aimed at the server (the `twilio` package is loaded then) and the control API scoped to it. Close it when done to
 * free its state.
 *
 * @example
 * import { createTenant } from 'twilio-double/client'
 *
 * const tenant = await createTenant('http://127.0.0.1:4010', { friendlyName: 'worker 3' })
 * await tenant.client.messages.create({ to: '+15558675310', from: '+15005550006', body: 'Hi' })
 * await tenant.settle() // this tenant's messages alone
 * await expect(tenant).toHaveSentMessage({ to: '+15558675310' }) // the matchers, awaited
 * await tenant.close()
 */
export async function createTenant(
  url: string | URL,
  options: CreateTenantOptions = {},
): Promise<ServerTenant> {
  const base = String(url).replace(/\/+$/, '')
  const doFetch = options.fetch ?? globalThis.fetch
  let parent = options.parent
  if (!parent) {
    const everything = createControlClient(base, { fetch: doFetch })
    const [first] = (await everything.credentials()).accounts
    if (!first?.authToken)
      throw new ControlApiError(
        0,
        'no_account',
        `the server at ${base} names no account to create tenants under`,
      )
    parent = { accountSid: first.sid, authToken: first.authToken }
  }
  const created = await accountsApi(
    doFetch,
    base,
    'Accounts.json',
    parent,
    options.friendlyName ? { FriendlyName: options.friendlyName } : {},
  )
  return useTenant(
    base,
    { accountSid: String(created.sid), authToken: String(created.auth_token) },
    { ...options, parent },
  )
}

/**
 * A tenant of the server at `url` for an account that exists already (one made by {@link createTenant} in another
 * process, a declared account): its `twilio` client and the control API scoped to it. `close()` needs `parent`.
 *
 * @example
 * const tenant = await useTenant('http://127.0.0.1:4010', { accountSid, authToken })
 */
export async function useTenant(
  url: string | URL,
  credentials: TenantCredentials,
  options: TenantOptions & { parent?: TenantCredentials } = {},
): Promise<ServerTenant> {
  const base = String(url).replace(/\/+$/, '')
  const doFetch = options.fetch ?? globalThis.fetch
  const { accountSid, authToken } = credentials
  const control = createControlClient(base, { fetch: doFetch, account: accountSid })
  // the twilio package (an optional peer) is loaded here, not when the client entry loads
  const client = await twilioClientForUrl(base, { accountSid, authToken, twilio: options.twilio })
  return {
    ...control,
    accountSid,
    authToken,
    client,
    close: async () => {
      const parent = options.parent
      if (!parent)
        throw new ControlApiError(
          0,
          'no_parent',
          `closing ${accountSid} takes its parent's credentials: pass parent to useTenant()`,
        )
      await accountsApi(doFetch, base, `Accounts/${accountSid}.json`, parent, { Status: 'closed' })
    },
    [MATCHER_SNAPSHOT]: async () => {
      const [messages, deliveries, health] = await Promise.all([
        control.messages(),
        control.callbacks(),
        control.health(),
      ])
      const media = new Map<string, string[]>()
      await Promise.all(
        messages
          .filter((m) => Number(m.num_media) > 0)
          .map(async (m) => media.set(m.sid!, (await control.message(m.sid!)).mediaUrls)),
      )
      return snapshotOf(messages, deliveries, media, health.inFlight)
    },
  }
}

function snapshotOf(
  messages: ReceivedMessage[],
  deliveries: CallbackDelivery[],
  media: Map<string, string[]>,
  inFlight: number,
): MatcherSnapshot {
  return {
    messages: {
      list: () => messages,
      get: (sid) => messages.find((m) => m.sid === sid),
      mediaUrls: (sid) => media.get(sid) ?? [],
      count: () => messages.length,
    },
    callbacks: {
      list: (filter = {}) =>
        deliveries.filter(
          (d) =>
            (filter.messageSid === undefined || d.messageSid === filter.messageSid) &&
            (filter.status === undefined || d.status === filter.status) &&
            (filter.kind === undefined || d.kind === filter.kind),
        ),
    },
    backend: { scheduler: { pending: inFlight }, outbox: { pending: 0 } },
  }
}
