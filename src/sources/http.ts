// What every fetch of a live source needs: the body read with a size cap (a
// server's length header may be absent or wrong, and a 2 GB answer must not
// be held), redirects followed one by one (so a loop, a hop to a host the
// source has no business on, or one the network policy refuses is named and
// refused), and the reason an unreachable host gave.
import { hostAllowed, INTERNET, NetworkRefused, type NetworkPolicy, refusalIn, shownUrl } from './network.js';

/** The body was larger than allowed; `declared` is the server's own length when it said so up front. */
export class BodyTooLarge extends Error {
  constructor(
    readonly maxBytes: number,
    readonly declared: number | null,
  ) {
    super(`larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** The body as text, refused (and cancelled) as soon as it is known to pass `maxBytes`. */
export async function readCapped(response: Response, maxBytes: number, charset = 'utf-8'): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new BodyTooLarge(maxBytes, declared);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new BodyTooLarge(maxBytes, null);
    }
    chunks.push(value);
  }
  return new TextDecoder(charset).decode(Buffer.concat(chunks));
}

/** A redirect that was not followed (a loop, too many hops, no address); `message` says why in words an operator can act on. */
export class RedirectRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedirectRefused';
  }
}

export interface RequestPolicy {
  /** Which addresses may be contacted at all, and the transport that keeps to it (default: INTERNET). */
  network?: NetworkPolicy;
  /** The hosts this source may be fetched from, every hop included (see hostAllowed). */
  hosts: readonly string[];
  /** Hops followed at most (default 5: a moved feed or an archived petition takes one or two). */
  max?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A request's timeout, started once the network's transport is loaded: the first request of a process must not
 * spend its time loading it.
 */
export async function timeoutFor(network: NetworkPolicy | undefined, timeoutMs: number): Promise<AbortSignal> {
  await (network ?? INTERNET).ready?.();
  return AbortSignal.timeout(timeoutMs);
}

/**
 * Why the request to `to` (hop 0, or a redirect's hop) may not be made, as
 * the end of a line that starts with what was asked; null when it may.
 */
export function hopProblem(to: URL, hop: number, network: NetworkPolicy, hosts: readonly string[]): string | null {
  if (to.protocol !== 'https:' && to.protocol !== 'http:')
    return hop === 0 ? `is not a web address` : `redirected to a ${to.protocol} address: not followed`;
  if (!hostAllowed(to, hosts))
    return hop === 0
      ? `is not contacted: ${to.host} is not a host this source may use`
      : `redirected to another site (${to.host}): not followed`;
  const refused = network.refuse(to);
  if (refused === null) return null;
  return hop === 0 ? `is not contacted: ${refused}` : `redirected to ${shownUrl(to)}: not followed (${refused})`;
}

/**
 * GET `url`, following redirects here rather than inside fetch, which only
 * says "fetch failed" for a loop and follows any host: every hop is checked
 * against the source's hosts and the network policy before it is asked. The
 * answer's `url` is where it came from after the hops.
 */
export async function fetchFollowing(
  url: string,
  init: Omit<RequestInit, 'redirect'>,
  policy: RequestPolicy,
): Promise<{ response: Response; url: string }> {
  const network = policy.network ?? INTERNET;
  const max = policy.max ?? 5;
  const visited = new Set<string>();
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const problem = hopProblem(current, hop, network, policy.hosts);
    if (problem) throw new NetworkRefused(problem);
    let response: Response;
    try {
      response = await network.fetch(current.href, { ...init, redirect: 'manual' });
    } catch (error) {
      // The name resolved to an address the policy refuses: said as plainly as a refused hop.
      const refused = refusalIn(error);
      if (!refused) throw error;
      throw new NetworkRefused(
        hop === 0
          ? `is not contacted: ${refused.message}`
          : `redirected to ${shownUrl(current)}: not followed (${refused.message})`,
      );
    }
    const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
    if (location === null) return { response, url: current.href };
    await response.body?.cancel().catch(() => {});
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new RedirectRefused(`redirected to "${location.slice(0, 100)}", which is not an address`);
    }
    visited.add(current.href);
    if (visited.has(next.href)) throw new RedirectRefused(`redirects in a loop (back to ${next.pathname})`);
    if (hop >= max) throw new RedirectRefused(`redirected more than ${max} times: not followed further`);
    current = next;
  }
}

/** Why fetch could not reach a host: the system's code (ECONNREFUSED, ENOTFOUND) that fetch hides in `cause`, else its message. */
export function unreachableReason(error: unknown): string | null {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return cause instanceof Error ? cause.message.split('\n')[0]! : null;
}

/** `unreadable`: the answer came whole but could not be read (a feed page cut off, or nested too deep). */
export type FetchProblem =
  | 'unreachable'
  | 'timeout'
  | 'status'
  | 'wrong-type'
  | 'too-large'
  | 'unreadable'
  | 'redirect'
  | 'refused';

/** A live source could not be read; `message` is one line an operator can act on. */
export class SourceFetchError extends Error {
  constructor(
    readonly problem: FetchProblem,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'SourceFetchError';
  }
}

export interface FetchTextOptions {
  /** Default INTERNET: https to public addresses only. */
  network?: NetworkPolicy;
  /** Hosts the answer may come from, every redirect included (default: the address's own host). */
  hosts?: readonly string[];
  /** Per attempt, body included. */
  timeoutMs?: number;
  userAgent?: string;
  accept?: string;
  /** Content types taken as the answer; a 200 with another one (an error or login page) is refused. */
  types?: RegExp;
  maxBytes?: number;
  /** Attempts after the first, for 5xx, 408, 429, timeouts and unreachable hosts; 4xx is not retried. */
  retries?: number;
  /** Waits between attempts (1 s, 2 s, 4 s… or what Retry-After asks, up to a minute); injectable so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Names the source in messages ("posts feed"). */
  what?: string;
}

export interface FetchedText {
  text: string;
  /** Where the answer came from after redirects. */
  url: string;
  contentType: string;
  /** Requests made, retries included. */
  attempts: number;
}

const BACKOFF_MS = 1_000;
const MAX_WAIT_MS = 60_000;

/** GET a text resource politely: a User-Agent, a timeout, a size cap, retries with backoff on what is worth retrying. */
export async function fetchText(url: string, options: FetchTextOptions = {}): Promise<FetchedText> {
  const retries = options.retries ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    const outcome = await fetchOnce(url, options);
    if (!('retry' in outcome)) return { ...outcome, attempts: attempt + 1 };
    if (attempt >= retries)
      throw new SourceFetchError(
        outcome.retry.problem,
        `${outcome.retry.message} (tried ${attempt + 1} times)`,
        outcome.retry.status,
      );
    await sleep(Math.min(MAX_WAIT_MS, outcome.waitMs ?? BACKOFF_MS * 2 ** attempt));
  }
}

type Attempt = Omit<FetchedText, 'attempts'> | { retry: SourceFetchError; waitMs: number | null };

async function fetchOnce(url: string, options: FetchTextOptions): Promise<Attempt> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const where = `${options.what ?? 'source'} ${url}`;
  const signal = await timeoutFor(options.network, timeoutMs);
  const failed = (error: unknown): Attempt => {
    if (signal.aborted)
      return {
        retry: new SourceFetchError('timeout', `${where} did not answer within ${timeoutMs / 1000} s`),
        waitMs: null,
      };
    const reason = unreachableReason(error) ?? String(error);
    const unreachable = new SourceFetchError('unreachable', `${where} could not be reached (${reason})`);
    // A name that does not resolve will not resolve in a second either (no network, or a mistyped address).
    if (reason === 'ENOTFOUND') throw unreachable;
    return { retry: unreachable, waitMs: null };
  };
  let response: Response;
  let finalUrl: string;
  try {
    ({ response, url: finalUrl } = await fetchFollowing(
      url,
      {
        signal,
        headers: {
          'user-agent': options.userAgent ?? 'probation-archive-bot',
          ...(options.accept ? { accept: options.accept } : {}),
        },
      },
      { network: options.network ?? INTERNET, hosts: options.hosts ?? [new URL(url).host] },
    ));
  } catch (error) {
    // A loop stays a loop, and a refused address stays refused: neither is worth another try.
    if (error instanceof RedirectRefused) throw new SourceFetchError('redirect', `${where} ${error.message}`);
    if (error instanceof NetworkRefused) throw new SourceFetchError('refused', `${where} ${error.message}`);
    return failed(error);
  }
  const status = `${response.status} ${response.statusText}`.trim();
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    const error = new SourceFetchError('status', `${where} answered ${status}`, response.status);
    if (response.status >= 500 || response.status === 408 || response.status === 429)
      return { retry: error, waitMs: retryAfterMs(response) };
    throw error;
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (options.types && contentType && !options.types.test(contentType)) {
    await response.body?.cancel().catch(() => {});
    throw new SourceFetchError('wrong-type', `${where} sent ${contentType.split(';')[0]}, not what was asked for`);
  }
  try {
    return { text: await readCapped(response, maxBytes, charsetOf(contentType)), url: finalUrl, contentType };
  } catch (error) {
    if (error instanceof BodyTooLarge)
      throw new SourceFetchError('too-large', `${where} is more than the ${maxBytes} bytes allowed`);
    return failed(error);
  }
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
function retryAfterMs(response: Response): number | null {
  const value = response.headers.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/** The charset the server names, when this runtime knows it; UTF-8 otherwise. */
export function charsetOf(contentType: string): string {
  const named = /charset=["']?([\w.:-]+)/i.exec(contentType)?.[1];
  if (!named) return 'utf-8';
  try {
    new TextDecoder(named);
    return named;
  } catch {
    return 'utf-8';
  }
}
