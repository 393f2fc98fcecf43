/**
 * Protection against DNS rebinding: a web page whose name is made to resolve to 127.0.0.1 reaches the server
 * from the user's browser with its own name in `Host` (and in `Origin`), so the server answers only the names
 * that can only be its own: loopback names, IP addresses (a page cannot have one as its name and reach this
 * server), the name it is bound to, and the names the user allows.
 */
import { TwilioDoubleError } from '../errors/twilio-api-error.js'

/** Names allowed besides the built-in ones: exact names, `.example.test` for a name and its subdomains, or true for any. */
export type AllowedHosts = readonly string[] | true

/** Whether `host` (a name or address the server binds) is a loopback one. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '')
  return (
    name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name)
  )
}

/** The host name of a `Host` header (no port; lower case; an IPv6 address in brackets), or undefined. */
function hostName(header: string): string | undefined {
  try {
    return new URL(`http://${header}`).hostname.replace(/\.$/, '')
  } catch {
    return undefined
  }
}

const IP_ADDRESS = /^(\d+\.\d+\.\d+\.\d+|\[[\da-f:.]+\])$/

/**
 * An allowed name as a `Host` header names it (lower case, an international name in its ASCII form, no trailing
 * dot), its leading `.` kept; a name written with a scheme, a port, a path or a space is refused, as it would never
 * match.
 */
function allowedName(written: string): string {
  const dot = written.startsWith('.') ? '.' : ''
  const name = /[:/?#@\s\\[\]]/.test(written) ? undefined : hostName(written.slice(dot.length))
  if (!name)
    throw new TwilioDoubleError(
      `allowedHosts: '${written}' is not a host name; give the name alone, such as 'app.test' (or '.app.test' for it and its subdomains), without scheme, port or path`,
    )
  return `${dot}${name}`
}

/** Decides which `Host` headers a server bound to `boundHost` answers. */
export interface HostGuard {
  /** Whether a request with this `Host` header is answered (no header: an HTTP/1.0 client, never a browser). */
  allows(header: string | undefined): boolean
  /** Whether `header` names a host at all (a malformed one is a bad request, not a refused name). */
  wellFormed(header: string): boolean
  /** What the refusal of `header` says: why, and how to allow the name. */
  refusal(header: string): string
  /**
   * Whether Twilio's paths are guarded too: bound to loopback, yes; bound to another interface (as in a
   * container), they answer any name (its clients use names such as a compose service's), the control API and
   * the inbox still only the names above.
   */
  readonly guardsTwilioPaths: boolean
}

/**
 * The guard of a server bound to `boundHost` that also answers `allowed` names.
 *
 * @example
 * const guard = hostGuard('127.0.0.1', ['.dev.test'])
 * guard.allows('localhost:4010') // true
 * guard.allows('app.dev.test:4010') // true
 * guard.allows('evil.example:4010') // false
 */
export function hostGuard(boundHost: string, allowed: AllowedHosts = []): HostGuard {
  const bound = hostName(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost)
  const names =
    allowed === true
      ? []
      : allowed
          .map((n) => n.trim())
          .filter(Boolean)
          .map(allowedName)
  const allows = (header: string | undefined): boolean => {
    if (header === undefined || allowed === true) return true
    const name = hostName(header)
    if (name === undefined) return false
    if (isLoopback(name) || IP_ADDRESS.test(name) || name === bound) return true
    return names.some((n) => (n.startsWith('.') ? name === n.slice(1) || name.endsWith(n) : name === n))
  }
  // bound to loopback, the guard keeps every path; bound to another interface, the control API and the inbox
  const guardsTwilioPaths = bound !== undefined && isLoopback(bound)
  const refusal = (header: string): string => {
    const name = hostName(header) ?? header
    const answered = [
      'localhost',
      'an IP address',
      ...(bound && !isLoopback(bound) && !IP_ADDRESS.test(bound)
        ? [`${bound} (the name it is bound to)`]
        : []),
      ...names.map((n) => (n.startsWith('.') ? `${n.slice(1)} with its subdomains` : n)),
    ]
    const list = [...names, name]
    return (
      `requests for host '${name}' are refused (protection against DNS rebinding): ` +
      `${guardsTwilioPaths ? 'the server answers' : "the server's control API and inbox answer"} only requests ` +
      `addressed to ${answered.slice(0, -1).join(', ')} or ${answered.at(-1)}; to reach it by this name, start it ` +
      `with --allowed-hosts ${list.join(',')}, startServer({ allowedHosts: [${list.map((n) => `'${n}'`).join(', ')}] }) ` +
      `or "allowedHosts": [${list.map((n) => `"${n}"`).join(', ')}] in its config file`
    )
  }
  return { allows, refusal, guardsTwilioPaths, wellFormed: (header) => hostName(header) !== undefined }
}
