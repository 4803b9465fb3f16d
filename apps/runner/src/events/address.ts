import { lookup } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Addresses a company's webhook must not reach: loopback, private, link-local, shared (CGNAT),
 * multicast and reserved ranges, IPv6's equivalents. A webhook URL is set through the API, so
 * without this a company key could make the runner call its own network (SSRF).
 */
const INTERNAL = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6')
}

/** True for an address a webhook may not reach (an IPv4-mapped IPv6 address is judged as IPv4). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return INTERNAL.check(mapped[1]!, 'ipv4')
  const family = isIP(address)
  if (family === 0) return true
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** Why a webhook URL is refused, or null: https only, no credentials, no internal address. */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'is not a URL'
  }
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:']
  if (!schemes.includes(parsed.protocol)) return 'must be an https:// URL'
  if (parsed.username || parsed.password) return 'must not carry a user name or password'
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost')))
    return 'must not point at this machine'
  if (!allowPrivate && isIP(host) !== 0 && isInternalAddress(host))
    return 'must not point at a loopback, private or link-local address'
  return null
}

/** The error a connection to an internal address fails with; its message names only the host. */
export class InternalAddressError extends Error {
  override readonly name = 'InternalAddressError'
}

/**
 * A DNS lookup for http.request that refuses internal addresses: the check and the connection use
 * the same answer, so a name that resolves elsewhere a second time (DNS rebinding) gains nothing.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0)
    const refused = addresses.find((entry) => isInternalAddress(entry.address))
    if (refused || addresses.length === 0) {
      return callback(
        new InternalAddressError(`${hostname} resolves to an internal address, which webhooks may not reach`),
        '',
        0,
      )
    }
    if (options.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses)
    const [first] = addresses
    callback(null, first!.address, first!.family)
  })
}
