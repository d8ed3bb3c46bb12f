// Where the bot may connect, and the one transport that keeps to it. In
// production: https only, and never this machine or a private network. A
// name is checked after it is resolved, inside the connection's own lookup,
// so the addresses checked are the very ones connected to: a name cannot
// answer a public address to the check and a private one to the connection.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Agent } from 'undici';

/** What the bot may ask, and how it asks. Production code uses INTERNET; tests pass their own. */
export interface NetworkPolicy {
  /** Why this address may not be asked at all (its scheme, or an address written as digits), or null when it may. */
  refuse(url: URL): string | null;
  /** One request, redirects not followed, connecting only to addresses the policy allows. */
  fetch: typeof globalThis.fetch;
  /** Load the transport (once), so a request's timeout is not spent loading it. */
  ready?: () => Promise<unknown>;
}

/** A request the policy refused: nothing was sent. `message` says what was refused and why. */
export class NetworkRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkRefused';
  }
}

const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address (this machine)',
  private: 'a private-network address',
  uniqueLocal: 'a private-network address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
  unspecified: 'an unspecified address',
};

/**
 * What kind of address the bot may not connect to this one is ("a loopback
 * address (this machine)"), or null for an ordinary public one. Everything but
 * ordinary unicast is refused: loopback, private, link-local, CGNAT,
 * unique-local, unspecified, multicast, documentation and the rest of the
 * special-purpose registries (ipaddr.js keeps the list), and an IPv4 address
 * written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 one.
 */
export function nonPublicAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return null;
  return RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
}

/** Which addresses a transport may connect to: null for allowed, else what kind of address it is. */
export type AddressRule = (address: string) => string | null;

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a name resolves to, as the system resolver gives them. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true });

/**
 * A lookup for net/tls connections: the name resolved, every address
 * checked, and the checked addresses alone handed to the connection. One bad
 * address refuses the name: a connection may try any of them.
 */
export function checkedLookup(resolve: Resolve, rule: AddressRule): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const { address } of addresses) {
          const kind = rule(address);
          if (kind !== null) return callback(new NetworkRefused(`${hostname} resolves to ${address}, ${kind}`), '', 0);
        }
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family === 0 ? addresses : addresses.filter((a) => a.family === family);
        const first = usable[0];
        if (!first)
          return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        // `all` is what Node asks when it tries several addresses (autoSelectFamily).
        if (options.all) return (callback as (e: null, all: ResolvedAddress[]) => void)(null, usable);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

export interface GuardedFetchOptions {
  /** Default: the system resolver (dns.lookup, every address). Tests name their own hosts. */
  resolve?: Resolve;
  /** Default: nonPublicAddress, which refuses everything but public addresses. */
  addresses?: AddressRule;
}

/**
 * fetch through a connection pool of its own whose every connection is made
 * by checkedLookup. An address written as digits is never looked up, so the
 * policy's `refuse` checks those before the request.
 */
export function guardedFetch(
  options: GuardedFetchOptions = {},
): typeof globalThis.fetch & { ready: () => Promise<unknown> } {
  const lookup = checkedLookup(options.resolve ?? systemResolve, options.addresses ?? nonPublicAddress);
  // Loaded on the first request: the CLI's search and stats never pay for it.
  let transport: Promise<{ agent: Agent; fetch: typeof import('undici').fetch }> | null = null;
  const ready = () =>
    (transport ??= import('undici').then(({ Agent, fetch }) => ({ agent: new Agent({ connect: { lookup } }), fetch })));
  const guarded = async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
    const { agent, fetch } = await ready();
    // undici's own fetch, so the pool and the fetch are one version (Node's built-in fetch bundles another).
    return fetch(input as string, { ...init, dispatcher: agent } as never) as unknown as Promise<Response>;
  };
  return Object.assign(guarded, { ready }) as typeof globalThis.fetch & { ready: () => Promise<unknown> };
}

/** The address as written in the URL, when it is digits rather than a name ([::1] without its brackets). */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : null;
}

/** Production: https to public addresses only. */
export function internetPolicy(options: GuardedFetchOptions = {}): NetworkPolicy {
  const rule = options.addresses ?? nonPublicAddress;
  return {
    refuse(url) {
      if (url.protocol !== 'https:') return 'the bot contacts https addresses only';
      const literal = literalAddress(url);
      const kind = literal === null ? null : rule(literal);
      return kind === null ? null : `${literal} is ${kind}`;
    },
    ...transport(guardedFetch(options)),
  };
}

/** A guarded fetch as a policy's transport: the fetch, and loading it ahead of a timed request. */
export function transport(fetch: ReturnType<typeof guardedFetch>): Pick<NetworkPolicy, 'fetch' | 'ready'> {
  return { fetch, ready: fetch.ready };
}

/** The policy every source uses unless told otherwise. */
export const INTERNET: NetworkPolicy = internetPolicy();

/** The NetworkRefused behind a failed fetch (fetch wraps what the lookup said in `cause`), if that was why. */
export function refusalIn(error: unknown): NetworkRefused | null {
  if (error instanceof NetworkRefused) return error;
  return error instanceof Error && error.cause instanceof NetworkRefused ? error.cause : null;
}

/**
 * Whether `url` may be fetched from a source allowed these hosts: exact
 * hosts as URLs give them (`example.org`, `127.0.0.1:8080`, port included
 * when not the default), or `*.example.org` for any name under it on the default port.
 */
export function hostAllowed(url: URL, hosts: readonly string[]): boolean {
  return hosts.some((allowed) =>
    allowed.startsWith('*.') ? url.port === '' && url.hostname.endsWith(allowed.slice(1)) : url.host === allowed,
  );
}

/** An address to show in a problem line: no query string, fragment or credentials, and not endless. */
export function shownUrl(url: URL): string {
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  return shown.length > 100 ? `${shown.slice(0, 99)}…` : shown;
}

/**
 * `base`, and besides it the one site the operator named on this machine by
 * its address (`PETITION_SITE_URL=http://127.0.0.1:8080`: a local mirror or a
 * test server), http or https: that origin only. An address written as digits
 * is never looked up, so nothing else on this machine becomes reachable, and a
 * redirect from it to anywhere else is judged by `base`. A site that is not a
 * loopback address gets `base` unchanged.
 */
export function withLocalSite(siteUrl: string, base: NetworkPolicy = INTERNET): NetworkPolicy {
  let site: URL;
  try {
    site = new URL(siteUrl);
  } catch {
    return base;
  }
  const literal = literalAddress(site);
  if (literal === null || nonPublicAddress(literal) !== RANGE_WORDS['loopback']) return base;
  if (site.protocol !== 'http:' && site.protocol !== 'https:') return base;
  return {
    ...base,
    refuse: (url) => (url.origin === site.origin ? null : base.refuse(url)),
  };
}
