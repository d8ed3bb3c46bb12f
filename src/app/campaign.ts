// What `/petition` and `/napo` show, on Discord and in the console: the live
// figure or feed when it can be had quickly, else what the store last saw and why.
import { postLink } from '../archive/links.js';
import { petitionLink, petitionProgress } from '../digest/petition.js';
import { petitionClosing, petitionMomentum } from '../digest/petitionMomentum.js';
import { type CampaignRoundUp, petitionWeek, type Week, weekInstants } from '../digest/weekly.js';
import { napoHistoryKey } from './announcements.js';
import type { NetworkPolicy } from '../sources/network.js';
import type { PetitionNotPublished } from '../sources/petition.js';
import type { MetaRepository } from '../store/meta.js';
import type { NapoNewsItem } from '../store/news.js';
import type { Repositories } from '../store/store.js';
import { UserProblem } from './userProblem.js';
import type { PetitionLinkOffer } from '../store/petitionLinks.js';
import type { PetitionFigures, PetitionView, PetitionWaiting } from './petitionFigures.js';
import { type GeographyViews, geographyViews } from './petitionGeography.js';
import { type DrawChart, type PetitionChart, petitionChart } from './petitionChart.js';

export type { PetitionFigures, PetitionView, PetitionWaiting };

/** What the campaign views read and keep. */
export type CampaignStore = Pick<Repositories, 'petition' | 'news' | 'meta' | 'transaction'>;
/** The campaign views, and the constituency members chose (/petition mine). */
export type CampaignViewStore = CampaignStore & Pick<Repositories, 'members' | 'petitionLinks'>;

export interface PetitionOptions {
  petitionId: number;
  baseUrl?: string;
  /** Default INTERNET: https to public addresses only. */
  network?: NetworkPolicy;
  /** Without `network`: INTERNET and this site on this machine, named by its loopback address (see withLocalSite). */
  localSite?: string;
  /** Default 4000: a member is waiting for the answer. */
  timeoutMs?: number;
  now: () => Date;
  changeOrgUrl?: string | null;
  /** A snapshot younger than this is shown without fetching (default 60 s), so a burst of /petition costs one request. */
  freshForMs?: number;
}

/** A Napo item as shown: every one links somewhere; a blog post with no permalink of its own links to its month's archive. */
export type NapoViewItem = NapoNewsItem & { linksToMonth: boolean };

export interface NapoView {
  items: NapoViewItem[];
  /** `feed`: items read from NAPO_FEED_URL; `archive`: the blog's "Latest From Napo" posts. */
  source: 'feed' | 'archive';
  /** Why the feed could not be read (one line), when it could not. */
  problem: string | null;
  /** ISO time of the last successful read of the feed; null without a feed or before the first. */
  fetchedAt: string | null;
}

export interface NapoOptions {
  feedUrl: string | null;
  /** The blog the "Latest From Napo" posts come from: their links when they have no permalink (a text dump's). */
  blogUrl?: string;
  /** Default INTERNET: https to public addresses only. */
  network?: NetworkPolicy;
  /** Default 4000: a member is waiting for the answer. */
  timeoutMs?: number;
  now: () => Date;
  /** Items shown at most (default 5). */
  limit?: number;
  /** Don't refetch the feed more often than this (default 15 min); the last successful fetch time is kept in `meta`. */
  maxAgeMs?: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DEFAULT_TIMEOUT_MS = 4 * SECOND;
/**
 * After a failed fetch, members asking again within this time are shown the
 * same problem at once rather than each waiting out another timeout: an
 * outage would otherwise make every /petition in a burst slow.
 */
const RETRY_AFTER_FAILURE_MS = MINUTE;
/** petitionProgress looks 12–36 h back for the day's baseline. */
const BASELINE_LOOKBACK_MS = 36 * HOUR;
/** The pace is measured over the last week. */
const MOMENTUM_LOOKBACK_MS = 7 * 24 * HOUR;

/** The petition as it stands: live when the site answers in time, else the last stored snapshot. Never throws for network trouble. */
export async function currentPetition(store: CampaignStore, options: PetitionOptions): Promise<PetitionFigures> {
  const { petitionId } = options;
  const freshForMs = options.freshForMs ?? MINUTE;
  const nowMs = options.now().getTime();
  const failureKey = `petition_fetch_failed:${petitionId}`;

  const before = store.petition.latest(petitionId);
  const failure = readFailure(store.meta, failureKey);
  let live: boolean;
  let problem: string | null;
  if (before && nowMs - Date.parse(before.takenAt) < freshForMs) {
    live = true;
    problem = null;
  } else if (failure && nowMs - Date.parse(failure.at) < Math.min(freshForMs, RETRY_AFTER_FAILURE_MS)) {
    live = false;
    problem = failure.problem;
  } else {
    problem = await once(store.meta, `petition:${petitionId}`, () => refreshPetition(store, options, failureKey));
    live = problem === null;
  }

  const latest = store.petition.latest(petitionId);
  const waiting = live ? null : readFailure(store.meta, failureKey)?.waiting;
  if (!latest && waiting) return { waiting: { petitionId, stage: waiting, link: petitionLink(petitionId) } };
  if (!latest)
    return { unavailable: `No petition figures to show: ${problem ?? 'nothing stored'}, and none was stored earlier.` };
  // The day's change is worked out as of the snapshot, not as of now: for a
  // figure hours old, "+N in the last day" must mean the day before that figure.
  const takenAtMs = Date.parse(latest.takenAt);
  const week = store.petition.since(petitionId, new Date(takenAtMs - MOMENTUM_LOOKBACK_MS).toISOString());
  const earlier = week.filter((s) => Date.parse(s.takenAt) >= takenAtMs - BASELINE_LOOKBACK_MS);
  const progress = petitionProgress(latest, earlier, new Date(takenAtMs));
  return {
    petitionId,
    progress,
    momentum: petitionMomentum(latest, week, [progress.response, progress.debate]),
    closing: petitionClosing(latest, options.now()),
    live,
    takenAt: latest.takenAt,
    problem: live ? null : problem,
    changeOrgUrl: options.changeOrgUrl ?? null,
  };
}

/**
 * Fetch once (no retries: a member is waiting) and store the snapshot; the problem in one line, or null. The reader
 * and the network policy (ipaddr.js, node:dns) are loaded with the first read (10 s after start, or a member's
 * /petition), not with every start.
 */
async function refreshPetition(
  store: CampaignStore,
  options: PetitionOptions,
  failureKey: string,
): Promise<string | null> {
  const at = options.now().toISOString();
  const [{ fetchPetition, PetitionFetchError, PetitionNotPublished }, { withLocalSite }] = await Promise.all([
    import('../sources/petition.js'),
    import('../sources/network.js'),
  ]);
  const network = options.network ?? (options.localSite !== undefined ? withLocalSite(options.localSite) : undefined);
  try {
    const { snapshot, geography } = await fetchPetition(options.petitionId, {
      ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
      ...(network !== undefined && { network }),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retries: 0,
    });
    store.transaction(() => {
      store.petition.store(options.petitionId, snapshot, at);
      // One row a day, the day's latest reading: the snapshots stay small, the breakdowns do not grow per poll.
      if (geography) store.petition.storeBreakdown(options.petitionId, geography, at);
      store.meta.delete(failureKey);
    });
    return null;
  } catch (error) {
    if (!(error instanceof PetitionFetchError)) throw error;
    // With one attempt, "(tried 1 times)" says nothing a member needs.
    const problem = error.message.replace(/ \(tried 1 times?\)$/, '');
    const failure: Failure = { at, problem, ...(error instanceof PetitionNotPublished && { waiting: error.stage }) };
    store.meta.set(failureKey, JSON.stringify(failure));
    return problem;
  }
}

/** Items with no link of their own: a blog post links to its month's archive, as search hits do. */
function linked(items: NapoNewsItem[], blogUrl: string | undefined): NapoViewItem[] {
  return items.map((item) => {
    if (item.link !== null || item.from !== 'archive' || blogUrl === undefined) return { ...item, linksToMonth: false };
    const link = postLink({ title: item.title, date: item.published, url: null }, blogUrl);
    return { ...item, link, linksToMonth: item.published !== null };
  });
}

/** Napo news: the feed, read at most every `maxAgeMs`, else what is stored, else the blog's Napo posts. Never throws for network trouble. */
export async function currentNapoNews(store: CampaignStore, options: NapoOptions): Promise<NapoView> {
  const limit = options.limit ?? 5;
  const { feedUrl } = options;
  if (feedUrl === null) {
    return {
      items: linked(store.news.napo({ feedConfigured: false, limit }), options.blogUrl),
      source: 'archive',
      problem: null,
      fetchedAt: null,
    };
  }
  const maxAgeMs = options.maxAgeMs ?? 15 * MINUTE;
  const nowMs = options.now().getTime();
  const fetchedKey = `napo_feed_fetched_at:${feedUrl}`;
  const failureKey = `napo_feed_failed:${feedUrl}`;

  const fetchedAt = store.meta.get(fetchedKey);
  const failure = readFailure(store.meta, failureKey);
  let problem: string | null = null;
  if (fetchedAt !== null && nowMs - Date.parse(fetchedAt) < maxAgeMs) {
    problem = null;
  } else if (failure && nowMs - Date.parse(failure.at) < Math.min(maxAgeMs, RETRY_AFTER_FAILURE_MS)) {
    problem = failure.problem;
  } else {
    problem = await once(store.meta, `napo:${feedUrl}`, () =>
      refreshNapo(store, feedUrl, options, fetchedKey, failureKey),
    );
  }

  const items = linked(store.news.napo({ feedConfigured: true, limit }), options.blogUrl);
  // napoNews falls back to the archive when no feed item is stored yet.
  const source = items.some((i) => i.from === 'feed') ? 'feed' : 'archive';
  return { items, source, problem, fetchedAt: store.meta.get(fetchedKey) };
}

/** Read the feed once and store its items; the problem in one line, or null. The reader (htmlparser2) is loaded with the first read, as the petition's. */
async function refreshNapo(
  store: CampaignStore,
  feedUrl: string,
  options: NapoOptions,
  fetchedKey: string,
  failureKey: string,
): Promise<string | null> {
  const at = options.now().toISOString();
  const { fetchNapoNews, NapoFeedError } = await import('../sources/napo.js');
  try {
    const { items } = await fetchNapoNews(feedUrl, {
      ...(options.network !== undefined && { network: options.network }),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    store.transaction(() => {
      store.news.store(items, at);
      store.meta.set(fetchedKey, at);
      store.meta.delete(failureKey);
      // The first successful read of this address is the feed's history: none of it is announced.
      store.meta.setIfAbsent(napoHistoryKey(feedUrl), at);
    });
    return null;
  } catch (error) {
    if (!(error instanceof NapoFeedError)) throw error;
    store.meta.set(failureKey, JSON.stringify({ at, problem: error.message } satisfies Failure));
    return error.message;
  }
}

/** A failed fetch, remembered in `meta` so every process sharing the store backs off. */
interface Failure {
  at: string;
  problem: string;
  /** The petition is not published yet: the site said which stage it is at. */
  waiting?: PetitionNotPublished['stage'];
}

function readFailure(meta: MetaRepository, key: string): Failure | null {
  const value = meta.get(key);
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as Partial<Failure>;
    if (typeof parsed.at !== 'string' || typeof parsed.problem !== 'string') return null;
    const waiting =
      parsed.waiting === 'gathering support' || parsed.waiting === 'in moderation' ? parsed.waiting : null;
    return { at: parsed.at, problem: parsed.problem, ...(waiting && { waiting }) };
  } catch {
    return null; // an unreadable record only costs a fresh attempt
  }
}

/** Fetches under way, per store: members asking at the same moment share one request rather than racing. */
const inFlight = new WeakMap<MetaRepository, Map<string, Promise<string | null>>>();

function once(meta: MetaRepository, key: string, refresh: () => Promise<string | null>): Promise<string | null> {
  let running = inFlight.get(meta);
  if (!running) inFlight.set(meta, (running = new Map()));
  const existing = running.get(key);
  if (existing) return existing;
  const byKey = running;
  const started = refresh().finally(() => byKey.delete(key));
  byKey.set(key, started);
  return started;
}

/**
 * The campaign's part of a weekly round-up, from what is stored (no fetch: a scheduled post never waits on a
 * site): the petition's readings before the week began and ended, and the week's Napo news.
 */
export function campaignWeek(
  store: Pick<Repositories, 'petition' | 'news'>,
  petitionId: number | null,
): (week: Week, zone: string) => CampaignRoundUp {
  return (week, zone) => {
    const { from, to } = weekInstants(week, zone);
    const petition =
      petitionId === null || !Number.isFinite(petitionId)
        ? null
        : petitionWeek(
            store.petition.before(petitionId, from.toISOString()),
            store.petition.before(petitionId, to.toISOString()),
            from,
          );
    const napo = store.news
      .between({ fromIso: from.toISOString(), toIso: to.toISOString(), fromDate: week.from, toDate: week.to })
      .map((item) => ({ title: item.title, link: item.link, published: item.published }));
    return { petition, napo };
  };
}

/** A petition the bot follows, as offered when a member types in the `petition` option. */
export interface PetitionChoice {
  id: number;
  /** Its title as last read; null before the first reading. */
  title: string | null;
  signatureCount: number | null;
}

/** /petition and /napo as the commands ask for them. */
export interface CampaignViews {
  /** The figures of the petition named (its number, or words of its title), else of the first configured. */
  petition(which?: string): Promise<PetitionFigures>;
  /** The petitions the bot follows matching what was typed (number or title), from the store alone: at most `limit`. */
  petitions(typed: string, limit: number): PetitionChoice[];
  /** /petition where, top, nations and mine. */
  geography: GeographyViews;
  napo(): Promise<NapoView>;
  /** The petition's week and the week's Napo news, from what is stored (/digest week:). */
  week(week: Week, zone: string): CampaignRoundUp;
  /** The figures' history as a picture; null before there are two readings, or with nothing to draw it. Throws what drawing throws. */
  chart(view: PetitionView): Promise<PetitionChart | null>;
  /** Petition links found in new blog posts and not followed: offered to server admins (/config petition). */
  offeredPetitions(): PetitionLinkOffer[];
  /** Follow a petition offered (`typed`: its number); a UserProblem when it was not offered. It, and the petitions followed after. */
  addPetition(typed: string, by: string): { added: number; followed: number[] };
}

/** The petitions followed: PETITION_ID's, then those admins added from links in posts. */
export function followedPetitions(store: Pick<Repositories, 'petitionLinks'>, configured: readonly number[]): number[] {
  return [...configured, ...store.petitionLinks.added().filter((id) => !configured.includes(id))];
}

export interface CampaignSources {
  petition: {
    /** The default petition: the first configured. */
    id: number;
    /** Every petition followed, the default first; absent: the default alone. */
    ids?: number[];
    baseUrl?: string;
    changeOrgUrl: string | null;
    network?: NetworkPolicy;
    /** See PetitionOptions. */
    localSite?: string;
  };
  napo: { feedUrl: string | null; blogUrl: string; network?: NetworkPolicy };
}

/** "a petition number" → 651215, "#651215", a petition.parliament.uk link → its number; null for anything else. */
function petitionNumber(typed: string): number | null {
  const found = /^#?(\d{1,12})$/.exec(typed) ?? /\/petitions\/(\d{1,12})\b/.exec(typed);
  return found ? Number(found[1]) : null;
}

/**
 * The petition a member named, among those the bot follows: by its number (a
 * suggestion's value is one), else by words of its stored title; nothing
 * typed is the default. A UserProblem names the petitions followed otherwise.
 */
export function choosePetition(
  store: Pick<Repositories, 'petition'>,
  ids: readonly number[],
  typed: string | undefined,
): number {
  const text = typed?.trim() ?? '';
  if (!text) return ids[0]!;
  const followed = `the bot follows ${ids.length === 1 ? 'petition' : 'petitions'} ${ids.join(', ')}`;
  const number = petitionNumber(text);
  if (number !== null) {
    if (ids.includes(number)) return number;
    throw new UserProblem(`Petition ${number} is not one the bot follows: ${followed}.`);
  }
  const words = text.toLowerCase();
  const matching = ids.filter((id) => store.petition.latest(id)?.title.toLowerCase().includes(words));
  if (matching.length === 1) return matching[0]!;
  throw new UserProblem(
    matching.length === 0
      ? `No petition the bot follows has "${text.slice(0, 80)}" in its title: ${followed}; pick one of the suggestions.`
      : `Several petitions the bot follows have "${text.slice(0, 80)}" in their titles (${matching.join(', ')}): pick one of the suggestions.`,
  );
}

/** The petitions followed that match what was typed (a number's digits, or words of the title), in the configured order. */
export function petitionChoices(
  store: Pick<Repositories, 'petition'>,
  ids: readonly number[],
  typed: string,
  limit: number,
): PetitionChoice[] {
  const words = typed.trim().toLowerCase().replace(/^#/, '');
  return ids
    .map((id) => {
      const latest = store.petition.latest(id);
      return { id, title: latest?.title ?? null, signatureCount: latest?.signatureCount ?? null };
    })
    .filter((c) => !words || String(c.id).startsWith(words) || c.title?.toLowerCase().includes(words))
    .slice(0, Math.max(0, limit));
}

export function campaignViews(
  store: CampaignViewStore,
  sources: CampaignSources,
  now: () => Date,
  draw: DrawChart | null = null,
): CampaignViews {
  const configured = sources.petition.ids?.length ? sources.petition.ids : [sources.petition.id];
  // Read at each use: an admin adding a petition offered makes it followed at once, in every process.
  const followed = () => followedPetitions(store, configured);
  const figuresOf = (petitionId: number) =>
    currentPetition(store, {
      petitionId,
      ...(sources.petition.baseUrl !== undefined && { baseUrl: sources.petition.baseUrl }),
      ...(sources.petition.network !== undefined && { network: sources.petition.network }),
      ...(sources.petition.localSite !== undefined && { localSite: sources.petition.localSite }),
      // The change.org petition is the campaign's, beside its own (the default): not beside every petition followed.
      changeOrgUrl: petitionId === configured[0] ? sources.petition.changeOrgUrl : null,
      now,
    });
  const choose = (which: string | undefined) => choosePetition(store, followed(), which);
  const offered = () => store.petitionLinks.offered().filter((o) => !configured.includes(o.petitionId));
  return {
    petition: async (which) => figuresOf(choose(which)),
    petitions: (typed, limit) => petitionChoices(store, followed(), typed, limit),
    geography: geographyViews(store, choose, figuresOf, now),
    napo: () =>
      currentNapoNews(store, {
        feedUrl: sources.napo.feedUrl,
        blogUrl: sources.napo.blogUrl,
        ...(sources.napo.network !== undefined && { network: sources.napo.network }),
        now,
      }),
    week: campaignWeek(store, sources.petition.id),
    chart: async (view) =>
      draw &&
      petitionChart(
        store,
        {
          petitionId: view.petitionId ?? view.progress.petitionId,
          takenAt: view.takenAt,
          response: view.progress.response,
          debate: view.progress.debate,
        },
        draw,
      ),
    offeredPetitions: offered,
    addPetition(typed, by) {
      const number = petitionNumber(typed.trim());
      const offer = offered().find((o) => o.petitionId === number);
      if (number !== null && followed().includes(number))
        throw new UserProblem(`Petition ${number} is followed already.`);
      if (!offer || !store.petitionLinks.add(offer.petitionId, by, now().toISOString())) {
        throw new UserProblem(
          `Only a petition offered can be added: "${typed.slice(0, 40)}" is not one of the petition links found in new posts (/config petition lists them).`,
        );
      }
      return { added: offer.petitionId, followed: followed() };
    },
  };
}

/** Where the campaign's figures come from, as configured. */
export function campaignSources(config: {
  PETITION_ID: string;
  PETITION_SITE_URL?: string | undefined;
  CHANGE_ORG_URL?: string | undefined;
  NAPO_FEED_URL?: string | undefined;
  BLOG_URL: string;
}): CampaignSources {
  // PETITION_ID is checked and normalised by the configuration: numbers separated by commas, the default first.
  const ids = config.PETITION_ID.split(',').map(Number);
  return {
    petition: {
      id: ids[0]!,
      ids,
      ...(config.PETITION_SITE_URL !== undefined && {
        baseUrl: config.PETITION_SITE_URL,
        // The operator's own mirror or test server on this machine, named by its address, may be read.
        localSite: config.PETITION_SITE_URL,
      }),
      changeOrgUrl: config.CHANGE_ORG_URL ?? null,
    },
    napo: { feedUrl: config.NAPO_FEED_URL ?? null, blogUrl: config.BLOG_URL },
  };
}
