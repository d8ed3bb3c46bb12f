// A thread per new post, where a server asked for one (/config announce posts
// threads:on): once a new post's announcement is out, its thread is started
// (on the message in a text channel; in a forum the announcement is the
// thread), and the blog's new comments on the post, queued by the sync, are
// mirrored into it in batches: at most one message a thread per BATCH_GAP_MS,
// while the post is recent. Both go through the deliveries ledger, so each
// thread and each batch goes out once across restarts and processes; a batch
// is held before it is claimed, so one taken over after a crash is the same
// batch. A comment hidden (in this server or everywhere) or removed by the
// blog is never mirrored. A thread deleted stops its post's mirroring.
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { localDateAt } from '../digest/schedule.js';
import type { Claim, DeliveryKey } from '../store/deliveries.js';
import type { GuildSettings } from '../store/settings.js';
import type { Repositories } from '../store/store.js';
import {
  type ChannelPoster,
  DeliveryError,
  type Dispatch,
  claimsBy,
  markerOf,
  type ScopedArchive,
  seenBy,
} from './deliveries.js';

/** At most one message a thread in this long (a busy post's comments wait and go together). */
export const BATCH_GAP_MS = 5 * 60_000;
/** Comments in one message at most (one embed each, Discord's ten); more wait for the next batch. */
export const BATCH_MAX = 10;
/** A post's comments are mirrored for this many days from its date (POST_THREAD_DAYS). */
export const MIRROR_DAYS = 30;

export type PostThreadStore = Pick<Repositories, 'settings' | 'deliveries' | 'postThreads' | 'posted'>;

export interface PostThreadOptions {
  store: PostThreadStore;
  archive: ScopedArchive;
  poster: ChannelPoster;
  clock: Pick<Clock, 'now'>;
  log: Logger;
  instance?: string;
  /** Default BATCH_GAP_MS. */
  batchGapMs?: number;
  /** Default MIRROR_DAYS. */
  mirrorDays?: number;
  concurrency?: number;
}

export interface PostThreadReport {
  threadsStarted: number;
  batchesSent: number;
  /** Comments mirrored in the batches sent. */
  commentsSent: number;
  /** Posts whose mirroring stopped (the thread gone, or closed to the bot). */
  stopped: number;
  retryLater: number;
}

/** A thread's name: the post's title within Discord's 100 characters. */
export function threadName(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim() || 'New post';
  return clean.length <= 100 ? clean : `${clean.slice(0, 99).trimEnd()}…`;
}

export function createPostThreads(options: PostThreadOptions) {
  const { store, poster, log } = options;
  const instance = options.instance ?? `${process.pid}-${randomBytes(3).toString('hex')}`;
  const gapMs = options.batchGapMs ?? BATCH_GAP_MS;
  const days = options.mirrorDays ?? MIRROR_DAYS;
  const limit = pLimit(options.concurrency ?? 4);
  const iso = () => options.clock.now().toISOString();

  const claimOf = claimsBy(instance, iso);

  async function tellAdmins(guildId: string, text: string): Promise<void> {
    const told = await poster.notifyAdmins(guildId, { type: 'notice', text }).catch(() => false);
    if (!told) log.warn({ guildId }, 'could not tell the server admins about a thread');
  }

  /** Threads for the posts announced here since threads were switched on. */
  async function startThreads(s: GuildSettings, report: PostThreadReport): Promise<void> {
    const startThread = poster.startThread?.bind(poster);
    if (!s.postThreads || !startThread) return;
    const scoped = seenBy(options.archive, s.guildId);
    for (const post of store.postThreads.awaitingThread(s.guildId, s.postThreads)) {
      if (scoped.hidesPost?.(post.postId)) continue;
      const d: DeliveryKey = { guildId: s.guildId, kind: 'thread', key: post.postId };
      const claim = store.deliveries.claim(claimOf(d, post.channelId));
      if (!claim.claimed) continue;
      try {
        const thread = await startThread(post.channelId, post.messageId, threadName(post.title));
        // The thread first: a crash now finds it recorded, and the ledger's claim taken over finds it again.
        store.postThreads.open(
          { guildId: s.guildId, postId: post.postId, channelId: post.channelId, threadId: thread.id },
          iso(),
        );
        store.deliveries.markDelivered(d, instance, thread.id, iso());
        report.threadsStarted++;
        log.info({ guildId: s.guildId, postId: post.postId, threadId: thread.id }, "new post's thread started");
      } catch (error) {
        if (!(error instanceof DeliveryError) || error.problem === 'transient') {
          log.warn({ err: error, delivery: d }, "a new post's thread could not be started; will retry");
          report.retryLater++;
          continue;
        }
        if (!store.deliveries.fail(d, instance, error.message, iso())) continue;
        log.warn({ delivery: d, reason: error.message }, "a new post's thread could not be started: given up");
        await tellAdmins(
          s.guildId,
          // No archive text in a notice (it is not made inert): the channel and Discord's reason say enough.
          `A new post's thread could not be started in <#${post.channelId}> (${error.message}). ` +
            'The bot needs Create Public Threads and Send Messages in Threads there (Send Messages in a forum).',
        );
      }
    }
  }

  /** One batch of each live thread's waiting comments, where the last one went long enough ago. */
  async function mirror(s: GuildSettings, report: PostThreadReport): Promise<void> {
    // Threads switched off: the threads already started are left as they are.
    if (!s.postThreads) return;
    const now = options.clock.now();
    // Posts are dated by the blog's day (London), so the window's first day is London's too.
    const since = localDateAt('Europe/London', new Date(now.getTime() - days * 86_400_000));
    const scoped = seenBy(options.archive, s.guildId);
    for (const thread of store.postThreads.live(s.guildId, since)) {
      const { guildId, postId, threadId } = thread;
      if (scoped.hidesPost?.(postId)) continue;
      const from = thread.mirroredTo;
      let upTo = thread.batchTo;
      if (upTo === null) {
        if (thread.lastBatchAt && now.getTime() - Date.parse(thread.lastBatchAt) < gapMs) continue;
        const end = store.postThreads.nextBatchEnd(postId, from, BATCH_MAX);
        if (end === null) continue;
        upTo = store.postThreads.holdBatch(guildId, postId, end);
      }
      const d: DeliveryKey = { guildId, kind: 'comments', key: `${postId}:${from}` };
      const claim = store.deliveries.claim(claimOf(d, threadId));
      if (!claim.claimed) {
        // Sent (or given up) by a run that stopped before moving the thread on: moved on now, never sent again.
        if (claim.state !== 'claimed') store.postThreads.batchDone(guildId, postId, upTo, iso());
        continue;
      }
      const comments = store.postThreads
        .queued(postId, from, upTo)
        .filter((c) => !c.deleted && !scoped.hidesComment?.({ postId, commentId: c.commentId, author: c.author }));
      if (comments.length === 0) {
        store.deliveries.markDelivered(d, instance, null, iso());
        store.postThreads.batchDone(guildId, postId, upTo, iso());
        continue;
      }
      const dispatch: Dispatch = {
        type: 'comments',
        post: { title: thread.postTitle ?? postId, url: thread.postUrl },
        comments,
      };
      try {
        const messageId = await sendOnce(d, threadId, dispatch, claim);
        store.posted.record(
          {
            guildId,
            channelId: threadId,
            messageId,
            what: 'announcement',
            key: d.key,
            shows: comments.map((c) => ({ postId, commentId: c.commentId, author: c.author })),
          },
          iso(),
        );
        store.deliveries.markDelivered(d, instance, messageId, iso());
        store.postThreads.batchDone(guildId, postId, upTo, iso());
        report.batchesSent++;
        report.commentsSent += comments.length;
        log.info({ guildId, postId, threadId, comments: comments.length }, "comments mirrored into a post's thread");
      } catch (error) {
        await failed({ guildId, postId, threadId, upTo }, d, error, report);
      }
    }
  }

  async function sendOnce(d: DeliveryKey, threadId: string, dispatch: Dispatch, claim: Claim & { claimed: true }) {
    const marker = markerOf(d);
    if (claim.recovering) {
      const found = await poster.findMarker(threadId, marker, claim.firstAttemptAt);
      if (found) return found;
    }
    return (await poster.send(threadId, dispatch, { nonce: claim.nonce, marker })).id;
  }

  async function failed(
    { guildId, postId, threadId, upTo }: { guildId: string; postId: string; threadId: string; upTo: number },
    d: DeliveryKey,
    error: unknown,
    report: PostThreadReport,
  ): Promise<void> {
    if (!(error instanceof DeliveryError) || error.problem === 'transient') {
      // Left claimed and held: past the lease, the same batch is taken over (looked for in the thread first).
      log.warn({ err: error, delivery: d }, 'comments not mirrored yet; will retry');
      report.retryLater++;
      return;
    }
    store.deliveries.fail(d, instance, error.message, iso());
    if (error.problem === 'rejected') {
      // This batch is refused for good: the next one goes on.
      store.postThreads.batchDone(guildId, postId, upTo, iso());
      log.warn({ delivery: d, reason: error.message }, 'Discord refused a batch of comments: skipped');
      return;
    }
    // The thread was deleted, or closed to the bot: this post's comments are mirrored no more.
    const reason =
      error.problem === 'gone' ? `thread ${threadId} no longer exists` : `the bot may not post in <#${threadId}>`;
    store.postThreads.stop(guildId, postId, reason);
    report.stopped++;
    log.warn({ guildId, postId, threadId, problem: error.problem }, "a post's comments are no longer mirrored");
    if (error.problem === 'forbidden') {
      await tellAdmins(guildId, `New comments are no longer mirrored into <#${threadId}>: ${reason}.`);
    }
  }

  async function serve(s: GuildSettings, report: PostThreadReport): Promise<void> {
    try {
      await startThreads(s, report);
      await mirror(s, report);
    } catch (error) {
      log.error({ err: error, guildId: s.guildId }, 'post threads failed for this server; the others go on');
    }
  }

  return {
    /** One pass over every server this process serves: threads to start, then batches of comments due. */
    async tick(): Promise<PostThreadReport> {
      const report: PostThreadReport = {
        threadsStarted: 0,
        batchesSent: 0,
        commentsSent: 0,
        stopped: 0,
        retryLater: 0,
      };
      const mine = store.settings.all().filter((s) => poster.serves(s.guildId));
      await Promise.all(mine.map((s) => limit(() => serve(s, report))));
      return report;
    },
  };
}
