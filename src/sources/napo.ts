// The network edge for Napo news: fetch NAPO_FEED_URL with a timeout and a
// size cap, make sure it is a feed, and parse it. Redirects stay on the feed's
// own host. Every failure is a NapoFeedError whose message is one line an
// operator can act on.
import { ArchiveFormatError } from '../archive/model.js';
import { parseNewsFeed, type ParsedNewsFeed } from '../archive/newsFeed.js';
import {
  BodyTooLarge,
  charsetOf,
  fetchFollowing,
  readCapped,
  RedirectRefused,
  unreachableReason,
  timeoutFor,
} from './http.js';
import { INTERNET, NetworkRefused, type NetworkPolicy } from './network.js';

export type NapoFeedProblem =
  | 'unreachable'
  | 'timeout'
  | 'status'
  | 'not-a-feed'
  | 'too-large'
  | 'redirect'
  | 'refused';

export class NapoFeedError extends Error {
  constructor(
    readonly problem: NapoFeedProblem,
    message: string,
  ) {
    super(message);
    this.name = 'NapoFeedError';
  }
}

export interface FetchNapoOptions {
  /** Default INTERNET: https to public addresses only. */
  network?: NetworkPolicy;
  timeoutMs?: number;
  /** Bytes of body read at most; a feed of news headlines is far smaller. */
  maxBytes?: number;
  userAgent?: string;
}

const FEED_TYPE = /xml|rss|atom/i;

/** Fetch and parse the Napo feed; throws NapoFeedError for anything the network or the server got wrong. */
export async function fetchNapoNews(url: string, options: FetchNapoOptions = {}): Promise<ParsedNewsFeed> {
  const {
    network = INTERNET,
    timeoutMs = 10_000,
    maxBytes = 5 * 1024 * 1024,
    userAgent = 'probation-archive-bot (Napo news)',
  } = options;
  const where = `Napo feed ${url}`;
  const signal = await timeoutFor(network, timeoutMs);
  let response: Response;
  try {
    ({ response } = await fetchFollowing(
      url,
      {
        signal,
        headers: {
          'user-agent': userAgent,
          accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8',
        },
      },
      // The feed's own host, and no other: a moved feed is configured anew.
      { network, hosts: [new URL(url).host] },
    ));
  } catch (error) {
    if (error instanceof RedirectRefused) throw new NapoFeedError('redirect', `${where} ${error.message}`);
    if (error instanceof NetworkRefused) throw new NapoFeedError('refused', `${where} ${error.message}`);
    throw networkError(error, where, timeoutMs);
  }

  if (!response.ok) {
    await response.body?.cancel();
    throw new NapoFeedError('status', `${where} answered ${response.status} ${response.statusText}`.trim());
  }
  const type = response.headers.get('content-type') ?? '';
  // No content type at all: let the parser decide. A stated non-feed type (a login or error page) is refused.
  if (type && !FEED_TYPE.test(type)) {
    await response.body?.cancel();
    throw new NapoFeedError('not-a-feed', `${where} sent ${type.split(';')[0]}, not an RSS or Atom feed`);
  }
  let xml: string;
  try {
    xml = await readCapped(response, maxBytes, charsetOf(type));
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      throw new NapoFeedError(
        'too-large',
        error.declared !== null
          ? `${where} is ${error.declared} bytes, more than the ${maxBytes} allowed`
          : `${where} is more than the ${maxBytes} bytes allowed`,
      );
    }
    throw networkError(error, where, timeoutMs);
  }
  try {
    return parseNewsFeed(xml, url);
  } catch (error) {
    if (error instanceof ArchiveFormatError) throw new NapoFeedError('not-a-feed', error.message);
    throw error;
  }
}

function networkError(error: unknown, where: string, timeoutMs: number): NapoFeedError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new NapoFeedError('timeout', `${where} did not answer within ${timeoutMs / 1000} s`);
  }
  return new NapoFeedError(
    'unreachable',
    `${where} could not be reached (${unreachableReason(error) ?? String(error)})`,
  );
}
