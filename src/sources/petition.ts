// Fetch the campaign petition's public JSON from petition.parliament.uk. The
// edge: network, timeouts and retries live here; reading the JSON is pure
// (src/digest/petition.ts). Every failure is a PetitionFetchError with one line to show.
// Redirects are followed only within petition.parliament.uk (or the
// configured baseUrl's host): a closed petition moves to /archived/, never elsewhere.
import { PetitionFormatError, type PetitionSnapshotData } from '../digest/petition.js';
import { parsePetition } from '../digest/petitionJson.js';
import { type PetitionGeography, parseGeography } from '../digest/petitionGeography.js';
import { BodyTooLarge, fetchFollowing, readCapped, RedirectRefused, unreachableReason, timeoutFor } from './http.js';
import { INTERNET, NetworkRefused, type NetworkPolicy } from './network.js';

export interface FetchPetitionOptions {
  baseUrl?: string;
  /** Default INTERNET: https to public addresses only. */
  network?: NetworkPolicy;
  /** Per attempt, body included. */
  timeoutMs?: number;
  userAgent?: string;
  /** Attempts after the first, for 5xx answers, timeouts and unreachable hosts. */
  retries?: number;
  /** Waits between attempts; injectable so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
  maxBytes?: number;
}

export interface FetchedPetition {
  snapshot: PetitionSnapshotData;
  /** Signatures by constituency, country and region; null when the JSON has no constituency list. */
  geography: PetitionGeography | null;
  /** Where the JSON finally came from: /archived/petitions/{id}.json once a petition is archived. */
  url: string;
}

export class PetitionFetchError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'PetitionFetchError';
  }
}

/**
 * The petition exists but is not published yet: the site sends its JSON
 * address on to a page saying it is gathering supporters or being checked.
 */
export class PetitionNotPublished extends PetitionFetchError {
  constructor(
    id: string,
    readonly stage: 'gathering support' | 'in moderation',
  ) {
    super(`petition ${id} is waiting to be published (${stage})`, null);
    this.name = 'PetitionNotPublished';
  }
}

/** Where the site sends a petition's address before it is published (petitions_controller: gathering_support, moderation_info). */
const UNPUBLISHED_PAGE = /\/petitions\/\d+\/(gathering-support|moderation-info)\/?$/;

/** A failure worth another try: the site was down or slow, not wrong. */
class Transient extends Error {}

const BACKOFF_MS = 1_000;
const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
const PETITION_SITE = 'https://petition.parliament.uk';

export async function fetchPetition(id: number | string, options: FetchPetitionOptions = {}): Promise<FetchedPetition> {
  const retries = options.retries ?? 2;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const url = `${(options.baseUrl ?? PETITION_SITE).replace(/\/+$/, '')}/petitions/${id}.json`;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(String(id), url, options);
    } catch (error) {
      if (!(error instanceof Transient)) throw error;
      if (attempt >= retries)
        throw new PetitionFetchError(`petition ${id}: ${error.message} (tried ${attempt + 1} times)`);
      await sleep(BACKOFF_MS * 2 ** attempt);
    }
  }
}

async function fetchOnce(id: string, url: string, options: FetchPetitionOptions): Promise<FetchedPetition> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signal = await timeoutFor(options.network, timeoutMs);
  const hosts = [new URL(url).host, new URL(PETITION_SITE).host];
  try {
    const { response, url: finalUrl } = await fetchFollowing(
      url,
      {
        signal,
        headers: {
          accept: 'application/json',
          'user-agent': options.userAgent ?? 'probation-archive-bot (petition tracker)',
        },
      },
      { network: options.network ?? INTERNET, hosts },
    );
    const unpublished = UNPUBLISHED_PAGE.exec(new URL(finalUrl).pathname);
    if (unpublished) {
      await response.body?.cancel();
      throw new PetitionNotPublished(
        id,
        unpublished[1] === 'gathering-support' ? 'gathering support' : 'in moderation',
      );
    }
    if (response.status === 404) throw new PetitionFetchError(`petition ${id} not found`, 404);
    if (response.status >= 500)
      throw new Transient(`the site answered ${response.status} ${response.statusText}`.trim());
    if (!response.ok)
      throw new PetitionFetchError(
        `petition ${id}: the site answered ${response.status} ${response.statusText}`.trim(),
        response.status,
      );
    const type = response.headers.get('content-type') ?? '';
    // An error or maintenance page can come with a 200; only JSON is a petition.
    if (!/\bjson\b/i.test(type))
      throw new PetitionFetchError(
        `petition ${id}: expected JSON but the site sent ${type.split(';')[0] || 'no content type'}`,
      );
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    let text: string;
    try {
      text = await readCapped(response, maxBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge)
        throw new PetitionFetchError(`petition ${id}: the answer is larger than ${Math.round(maxBytes / 1024)} KB`);
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PetitionFetchError(`petition ${id}: the site sent JSON that does not parse`);
    }
    return { snapshot: parsePetition(json), geography: parseGeography(json), url: finalUrl };
  } catch (error) {
    if (error instanceof PetitionFetchError || error instanceof Transient) throw error;
    if (error instanceof RedirectRefused) throw new PetitionFetchError(`petition ${id}: the site ${error.message}`);
    if (error instanceof NetworkRefused) throw new PetitionFetchError(`petition ${id}: ${url} ${error.message}`);
    if (error instanceof PetitionFormatError) throw new PetitionFetchError(`petition ${id}: ${error.message}`);
    if (signal.aborted) throw new Transient(`no answer within ${timeoutMs / 1000} s`);
    const reason = unreachableReason(error);
    throw new Transient(`could not reach ${new URL(url).host}${reason ? ` (${reason})` : ''}`);
  }
}
