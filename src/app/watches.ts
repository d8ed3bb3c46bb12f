// Topic watches: a member keeps up to five queries in the search syntax (/watch); every post or comment the sync
// stores as new is matched against them in the very transaction that stores it (matched well: every word, the
// phrase, nothing left out), and what matched waits for the member's direct message. Once an hour at most each
// member with matches gets one message holding every match since the last, through the deliveries ledger (claimed
// with its matches in one transaction, sent with a nonce, recorded): exactly once across processes and restarts.
// What is hidden or deleted by the time it is sent is left out. A member whose direct messages are closed (Discord's
// 50007) has their watches paused, not retried, and is told once, privately, the next time they use the bot.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Post } from '../archive/model.js';
import { passagesOf } from '../archive/passages.js';
import type { Clock } from '../clock.js';
import { excerptFor } from '../search/excerpt.js';
import { cachedTermOf } from '../search/terms.js';
import {
  matchesWell,
  readWatchQuery,
  termsIn,
  type WatchBatch,
  type WatchItem,
  type WatchQuery,
} from '../search/watch.js';
import type { ArchiveItem } from '../store/archive.js';
import type { DeliveryKey } from '../store/deliveries.js';
import type { Repositories } from '../store/store.js';
import type { MatchedItem, Watch, WatchPause } from '../store/watches.js';
import { type ChannelPoster, DeliveryError, LEASE_MS, markerOf } from './deliveries.js';
import { hiddenReader } from './takedowns.js';
import { UserProblem } from './userProblem.js';

/** Watches a member may keep. */
export const MOST_WATCHES = 5;
/** Characters of a watch's query kept (as /search takes them). */
export const WATCH_QUERY_MAX = 200;
/** Items one direct message shows at most; the rest are counted. */
export const ITEMS_SHOWN = 10;
/** Characters of a passage each item shows. */
const EXCERPT_CHARS = 200;

export type WatchStore = Pick<Repositories, 'watches' | 'deliveries' | 'takedowns' | 'archive'>;

/** What /watch answers with. */
export type WatchAnswer =
  | { done: 'added'; watch: Watch; count: number; resumed: boolean }
  | { done: 'removed'; watch: Watch; count: number }
  | { done: 'cleared'; count: number }
  | { done: 'resumed'; resumed: boolean; count: number }
  | { done: 'list'; watches: Watch[]; pause: WatchPause | null };

/** The line a member whose watches were paused reads (once) the next time they use the bot. */
export const PAUSED_NOTICE =
  'Your watches are paused: Discord would not let the bot send you a direct message (your direct messages are closed to it). Allow direct messages from this server’s members (the server’s Privacy Settings), then /watch resume turns them back on; /watch list shows them.';

/** The member's side of /watch: their own watches only, always answered privately. */
export function watchService(store: Pick<Repositories, 'watches'>, clock: Pick<Clock, 'now'>) {
  const now = () => clock.now().toISOString();
  const count = (userId: string) => store.watches.list(userId).length;
  return {
    add(userId: string, typed: string): WatchAnswer {
      const query = typed.trim().replace(/\s+/g, ' ');
      if (!query) throw new UserProblem('Give the words to watch for, as you would search for them.');
      const read = readWatchQuery(query);
      if ('problem' in read) throw new UserProblem(read.problem);
      const result = store.watches.add(userId, query, now(), MOST_WATCHES);
      if ('exists' in result) throw new UserProblem(`You already watch ${quoted(query)}.`);
      if ('full' in result) {
        throw new UserProblem(
          `You already have ${MOST_WATCHES} watches, the most a member can keep: remove one first (/watch remove, or /watch clear for all).`,
        );
      }
      // Adding a watch is asking for messages again: a pause ends with it.
      const resumed = store.watches.resume(userId);
      return { done: 'added', watch: result.added, count: count(userId), resumed };
    },
    list(userId: string): WatchAnswer {
      const pause = store.watches.pauseOf(userId);
      // They see it here: no need to tell them again.
      if (pause) store.watches.markTold(userId, now());
      return { done: 'list', watches: store.watches.list(userId), pause };
    },
    /** `which`: a watch's id (a suggestion's value) or its query as typed. */
    remove(userId: string, which: string): WatchAnswer {
      const typed = which.trim();
      const own = store.watches.list(userId);
      const watch =
        own.find((w) => `w:${w.id}` === typed) ??
        own.find((w) => w.query === typed.replace(/\s+/g, ' ')) ??
        own.find((w) => w.query.toLowerCase() === typed.toLowerCase());
      if (!watch || !store.watches.remove(userId, watch.id)) {
        throw new UserProblem(
          own.length === 0
            ? 'You have no watches to remove.'
            : `You have no watch ${quoted(typed)}: pick one of the suggestions, or see them with /watch list.`,
        );
      }
      return { done: 'removed', watch, count: own.length - 1 };
    },
    clear: (userId: string): WatchAnswer => ({ done: 'cleared', count: store.watches.clear(userId) }),
    resume: (userId: string): WatchAnswer => ({
      done: 'resumed',
      resumed: store.watches.resume(userId),
      count: count(userId),
    }),
    /** The member's watches whose query holds what they are typing (for /watch remove). */
    suggest: (userId: string, typed: string): Watch[] =>
      store.watches.list(userId).filter((w) => w.query.toLowerCase().includes(typed.trim().toLowerCase())),
    /** The pause notice, the first time only (any process): null when there is nothing to tell. */
    pauseNotice(userId: string): string | null {
      const pause = store.watches.pauseOf(userId);
      if (!pause || pause.toldAt !== null) return null;
      return store.watches.markTold(userId, now()) ? PAUSED_NOTICE : null;
    },
  };
}

export type WatchService = ReturnType<typeof watchService>;

function quoted(text: string): string {
  return `“${text.length > 80 ? `${text.slice(0, 79)}…` : text}”`;
}

/** A new post or comment as the sync stores it, queued for each member whose watch it matches. */
export type WatchMatcher = (item: ArchiveItem, now: string) => number;

/**
 * The matcher a sync uses: the active watches read once, their queries read once. Called inside the transaction that
 * stores the new item, so the item and what it causes are written together.
 */
export function watchMatcher(store: Pick<Repositories, 'watches'>): WatchMatcher {
  const watches = store.watches.active().flatMap((w) => {
    const read = readWatchQuery(w.query);
    return 'problem' in read ? [] : [{ watch: w, query: read }];
  });
  return (item, now) => {
    if (watches.length === 0) return 0;
    const texts = textsOf(item).map((text) => ({ text, held: termsIn(text, cachedTermOf) }));
    if (texts.length === 0) return 0;
    const postId = item.kind === 'post' ? item.post.id : item.comment.postId;
    const commentId = item.kind === 'comment' ? item.comment.id : null;
    let queued = 0;
    for (const { watch, query } of watches) {
      if (!texts.some(({ text, held }) => matchesWell(text, query, cachedTermOf, held))) continue;
      if (store.watches.queue({ userId: watch.userId, watchId: watch.id, postId, commentId }, now)) queued++;
    }
    return queued;
  };
}

/** A comment's text; a post's title and each of its own passages (a watch matches one passage, not a scattered post). */
function textsOf(item: ArchiveItem): string[] {
  if (item.kind === 'comment') return item.comment.deleted || !item.comment.text.trim() ? [] : [item.comment.text];
  return [item.post.title, ...postPassages(item.post).map((p) => p.text)];
}

const postPassages = (post: Post) => passagesOf(post, []);

/** The hour a batch closes at: matches before it go out in it (an ISO time on the hour, UTC). */
export function batchHour(now: Date): string {
  const hour = new Date(now);
  hour.setUTCMinutes(0, 0, 0);
  return hour.toISOString();
}

export interface WatchDeliveryReport {
  sent: number;
  /** Batches whose every match was hidden or deleted before it could be sent. */
  empty: number;
  paused: number;
  retryLater: number;
  alreadyDone: number;
}

export interface WatchDeliveryOptions {
  store: WatchStore;
  poster: ChannelPoster;
  clock: Pick<Clock, 'now'>;
  log: Logger;
  /** Names this process in claims. */
  instance?: string;
}

/** The hourly direct messages: each member's matches since their last, once. Safe to run from several processes. */
export function createWatchDeliveries(options: WatchDeliveryOptions) {
  const { store, poster, log } = options;
  const instance = options.instance ?? `${process.pid}-${randomBytes(3).toString('hex')}`;
  const iso = () => options.clock.now().toISOString();
  const hidden = hiddenReader(store);

  /** What can still be shown: nothing hidden (everywhere: a direct message is in no server) or deleted. */
  const shown = (items: MatchedItem[]): WatchBatch => {
    const now = hidden();
    const out: WatchItem[] = [];
    for (const item of items) {
      if (item.removed || !item.text.trim()) continue;
      const read = readWatchQuery(item.query);
      if ('problem' in read) continue;
      const passage = passageOf(item, read);
      if (!passage) continue;
      if (now.passage({ postId: item.postId, commentId: item.commentId, author: passage.author })) continue;
      out.push({
        kind: item.commentId ? 'comment' : 'post',
        postTitle: item.postTitle,
        author: passage.author ?? item.author,
        date: item.date,
        time: item.time,
        url: item.url,
        excerpt: excerptFor(passage.text, new Set(read.terms), EXCERPT_CHARS, read.syntax.phrases),
        query: item.query,
      });
    }
    return { items: out };
  };

  async function deliver(userId: string, key: string, hour: string | null, report: WatchDeliveryReport) {
    const d: DeliveryKey = { guildId: '', kind: 'watch', key };
    const now = iso();
    // The claim and the matches it takes, together: a match stored after it waits for the next hour.
    const claim = store.watches.claimBatch(
      { ...d, channelId: null, nonce: randomBytes(12).toString('base64url'), by: instance, now, leaseMs: LEASE_MS },
      userId,
      hour,
    );
    if (!claim.claimed) {
      report.alreadyDone++;
      return;
    }
    try {
      const batch = shown(store.watches.batch(key));
      if (batch.items.length === 0) {
        // Everything it held was hidden or deleted meanwhile: closed with nothing sent.
        store.deliveries.markDelivered(d, instance, null, iso());
        report.empty++;
        return;
      }
      if (!poster.openDm) throw new DeliveryError('transient', 'this process cannot send direct messages');
      // A member Discord will not open a conversation with (400, 403, 404) is as good as closed to the bot.
      const channelId = await poster.openDm(userId).catch((error: unknown) => {
        throw error instanceof DeliveryError && error.problem === 'rejected'
          ? new DeliveryError('forbidden', error.message)
          : error;
      });
      const marker = markerOf(d);
      const found = claim.recovering ? await poster.findMarker(channelId, marker, claim.firstAttemptAt) : null;
      const messageId =
        found ?? (await poster.send(channelId, { type: 'watch', batch }, { nonce: claim.nonce, marker })).id;
      if (!store.deliveries.markDelivered(d, instance, messageId, iso())) {
        log.warn({ delivery: d }, 'watch message sent, but another process had taken the claim over');
      }
      log.info({ delivery: d, items: batch.items.length }, 'watch message sent');
      report.sent++;
    } catch (error) {
      if (!(error instanceof DeliveryError) || error.problem === 'transient') {
        log.warn({ err: error, delivery: d }, 'watch message failed; will retry');
        report.retryLater++;
        return;
      }
      store.deliveries.fail(d, instance, error.message, iso());
      if (error.problem === 'rejected') {
        log.warn({ delivery: d, reason: error.message }, 'Discord refused a watch message: given up');
        return;
      }
      // Closed direct messages (50007), or a member Discord no longer knows: never retried, the watches paused.
      store.watches.pause(userId, error.message, iso());
      log.info({ delivery: d, reason: error.message }, 'direct messages closed: watches paused');
      report.paused++;
    }
  }

  return {
    async tick(): Promise<WatchDeliveryReport> {
      const report: WatchDeliveryReport = { sent: 0, empty: 0, paused: 0, retryLater: 0, alreadyDone: 0 };
      store.watches.sweep();
      // Batches a crash or a failed send left open: carried on once their lease is out.
      for (const open of store.watches.openBatches()) {
        await deliver(open.userId, open.key, null, report);
      }
      const hour = batchHour(options.clock.now());
      for (const userId of store.watches.membersWaiting(hour)) {
        await deliver(userId, `${userId}:${hour}`, hour, report);
      }
      return report;
    },
  };
}

/** The passage of the item that matched (a post's first that does, else its opening); null when none is left. */
function passageOf(item: MatchedItem, query: WatchQuery): { text: string; author: string | null } | null {
  if (item.commentId) return { text: item.text, author: item.author };
  const post: Post = {
    id: item.postId,
    title: item.postTitle,
    date: item.postDate,
    time: item.time,
    author: item.author,
    url: item.postUrl,
    labels: [],
    text: item.text,
  };
  const passages = postPassages(post);
  const best = passages.find((p) => matchesWell(p.text, query, cachedTermOf)) ?? passages[0];
  return best ? { text: best.text, author: best.author } : null;
}
