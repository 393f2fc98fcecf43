import type { PhoneNumberOptions } from '../../config.js'
import type { CallbackInspector, TwilioDouble, TwilioTenant } from '../../double.js'
import type { Account } from '../../messaging/accounts.js'
import { createdOnDoubleClock } from '../../messaging/double-clock.js'
import type { InboundOptions, InboundResult } from '../../messaging/inbound.js'
import type { MessageFilter, MessageRecord } from '../../messaging/types.js'
import type { TenantRegistry } from '../../tenants/registry.js'
import type { Tenant } from '../../tenants/tenant.js'
import { BadRequest } from './route.js'

/** What a control request inspects and moves: the whole double, or one account's tenant. */
export type ScopeView = Pick<
  TwilioDouble,
  'messages' | 'scenarios' | 'now' | 'advance' | 'settle' | 'reset' | 'subscribe'
> & { callbacks: Pick<CallbackInspector, 'list'> }

/**
 * The part of the double a control request acts on: every account (no account named), or the account named by
 * `?account=AC…` or the `X-Twilio-Double-Account` header, whose tenant alone it reads, resets, settles and moves.
 */
export interface ControlScope {
  /** The account named; undefined for the whole double. */
  readonly accountSid: string | undefined
  readonly view: ScopeView
  /** The open accounts in scope, oldest first. */
  accounts(): Account[]
  /** Stored messages in scope, each account's newest first. */
  records(filter?: MessageFilter & { accountSid?: string }): MessageRecord[]
  findMessage(sid: string): MessageRecord | undefined
  /**
   * When a message was created on the scope's clock (`view.now()`): the double's for every account (each message
   * by the double's time when it was made, whichever account's clock leads or lags), the account's own for one.
   */
  createdAt(record: MessageRecord): number
  /** Messages still moving through their lifecycle. */
  inFlight(): number
  /** Where a message's status callbacks go (its StatusCallback, its messaging service's, its application's). */
  statusCallbackUrl(record: MessageRecord): string | undefined
  /** The form an address is compared in (`whatsapp:+1 555…` → `whatsapp:+1555…`), as the store's filters do. */
  addressKey(address: string): string
  /** Sets a number's inbound webhooks (in the account named by the body, else the one that has the number). */
  setNumberWebhooks(
    settings: PhoneNumberOptions,
    accountSid?: string,
  ): { accountSid: string } & PhoneNumberOptions
  clearNumberWebhooks(number: string, accountSid?: string): boolean
  inbound(spec: InboundOptions): Promise<InboundResult>
}

/**
 * The scope of a control request: the whole double when `accountSid` is undefined, else that account's tenant
 * (the caller has checked it is open).
 *
 * @example
 * const scope = controlScope(double, registry, 'AC…')
 * await scope.view.settle() // that account's alone
 */
export function controlScope(
  double: TwilioDouble,
  registry: TenantRegistry,
  accountSid: string | undefined,
): ControlScope {
  if (accountSid === undefined) {
    const numberTenant = (number: string, sid?: string): Tenant =>
      registry.tenantForNumber(number, sid, 'numbers')
    return {
      accountSid,
      view: double,
      accounts: () => registry.tenants().map((t) => t.account),
      records: (filter) => registry.records(filter),
      findMessage: (sid) => registry.findMessage(sid),
      createdAt: createdOnDoubleClock,
      inFlight: () => registry.tenants().reduce((n, t) => n + t.backend.inFlight, 0),
      statusCallbackUrl: (r) => registry.backendOf(r.accountSid)?.callbackUrl(r),
      addressKey: (address) => registry.first.backend.addresses.addressKey(address),
      setNumberWebhooks: (settings, sid) =>
        numberTenant(settings.number, sid).backend.setNumberWebhooks(settings),
      clearNumberWebhooks: (number, sid) => numberTenant(number, sid).backend.clearNumberWebhooks(number),
      inbound: (spec) => double.inbound(spec),
    }
  }
  const view: TwilioTenant = double.tenant(accountSid)
  const tenant = (): Tenant => registry.requireTenant(accountSid)
  /** An `accountSid` field of a body or query, which may only name the scope's own account. */
  const same = (sid: string | undefined): void => {
    if (sid !== undefined && sid !== accountSid)
      throw new BadRequest(
        `accountSid ${sid} is not the account this request names (${accountSid}): leave accountSid out, or name that account instead`,
      )
  }
  return {
    accountSid,
    view,
    accounts: () => [tenant().account],
    records: (filter = {}) => {
      same(filter.accountSid)
      return tenant().backend.allMessages({ ...filter, accountSid })
    },
    findMessage: (sid) => tenant().backend.findMessage(sid),
    createdAt: (r) => r.dateCreated,
    inFlight: () => tenant().backend.inFlight,
    statusCallbackUrl: (r) => tenant().backend.callbackUrl(r),
    addressKey: (address) => tenant().backend.addresses.addressKey(address),
    setNumberWebhooks: (settings, sid) => {
      same(sid)
      return tenant().backend.setNumberWebhooks(settings, accountSid)
    },
    clearNumberWebhooks: (number, sid) => {
      same(sid)
      return tenant().backend.clearNumberWebhooks(number, accountSid)
    },
    inbound: ({ accountSid: sid, ...spec }) => {
      same(sid)
      return view.inbound(spec)
    },
  }
}
