// Posts that go out on their own: each server's daily digest at its local
// time, and announcements (new posts, petition milestones, Napo news) in the
// channels chosen for them. Every delivery goes through the ledger in the
// store: claimed, sent with a nonce Discord de-duplicates, recorded. After a
// crash between send and record, a recovering claim resends with the same
// nonce while Discord still remembers it, and after that first looks for the
// delivery's marker among the channel's recent messages. Each server's part
// of a tick stands alone: one server's failure is logged and the others are
// served, a few servers at a time. The scheduling rules live in src/digest.
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { type Digest, dailyDigest, type OnThisDay } from '../digest/onThisDay.js';
import { dueDigest } from '../digest/schedule.js';
import {
  type ArchiveRoundUp,
  type CampaignRoundUp,
  dueWeekly,
  type Week,
  type WeeklyRoundUp,
  weeklyRoundUp,
} from '../digest/weekly.js';
import type { WatchBatch } from '../search/watch.js';
import type { Announcement, Claim, DeliveryKey } from '../store/deliveries.js';
import type { PostedWhat, ShownPassage } from '../store/posted.js';
import type { QueuedComment } from '../store/postThreads.js';
import { ANNOUNCEMENT_KINDS, type AnnouncementKind, type DeliveryKind, type GuildSettings } from '../store/settings.js';
import type { Repositories } from '../store/store.js';

/** What goes out, before a front end renders it. */
export type Dispatch =
  | { type: 'digest'; digest: Digest }
  /** `zone`: the server's, which the week's days are read in (kept so a retraction can rebuild the same week). */
  | { type: 'weekly'; roundUp: WeeklyRoundUp; zone: string }
  | { type: 'announcement'; announcement: Announcement }
  | { type: 'summary'; kind: AnnouncementKind; announcements: Announcement[] }
  | { type: 'notice'; text: string }
  /** A batch of the blog's new comments on a post, mirrored into the post's thread (src/app/postThreads.ts). */
  | { type: 'comments'; post: { title: string; url: string | null }; comments: QueuedComment[] }
  /** What a message showed was taken out of the archive (a quote or an announcement). */
  | { type: 'retracted'; what: 'quote' | 'announcement' }
  /** A member's hourly direct message: what matched their watches (src/app/watches.ts). */
  | { type: 'watch'; batch: WatchBatch };

/** Why a channel refused a message. */
export class DeliveryError extends Error {
  constructor(
    /** gone: the channel was deleted; forbidden: the bot may not post there; rejected: Discord refused this message for good (400, 413); transient: worth retrying. */
    readonly problem: 'gone' | 'forbidden' | 'rejected' | 'transient',
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** What the scheduler needs of Discord; `src/discord/poster.ts` implements it with the bot's client. */
export interface ChannelPoster {
  /**
   * Whether this process delivers for the server: with sharding, each shard's process delivers for the servers
   * on its shard and leaves the others alone (the ledger would stop a double, not the wasted claims).
   */
  serves(guildId: string): boolean;
  /**
   * Post with `nonce` and `enforce_nonce`, so a resend within Discord's window
   * returns the first message; `marker` goes in the message's footer.
   */
  send(channelId: string, dispatch: Dispatch, delivery: { nonce: string; marker: string }): Promise<{ id: string }>;
  /** A message of the bot's posted in the channel since `since` (ISO) that carries exactly `marker`. */
  findMarker(channelId: string, marker: string, since: string): Promise<string | null>;
  /** Replace a message the bot posted (a retraction); DeliveryError 'gone' when the message or channel is no more. */
  edit(channelId: string, messageId: string, dispatch: Dispatch): Promise<void>;
  /**
   * The thread of a post announced in `channelId` by message `messageId`: in a text channel a thread started on the
   * message (the one already started there, after a crash); in a forum the post the announcement made. Its id.
   */
  startThread?(channelId: string, messageId: string, name: string): Promise<{ id: string }>;
  /** Tell a server's admins something (its system channel); false when there is nowhere to say it. */
  notifyAdmins(guildId: string, dispatch: Dispatch): Promise<boolean>;
  /**
   * The direct-message channel with a member (Discord gives the same one each time), for their watches' messages;
   * DeliveryError as `send` when Discord refuses. Absent where the process cannot send direct messages.
   */
  openDm?(userId: string): Promise<string>;
}

/** What scheduled posts read of the archive, as a server sees it when `forServer` is there. */
export interface ScopedArchive {
  onThisDay(date: string): OnThisDay;
  /** The archive's part of a week's round-up; where it is missing, no round-up is posted. */
  week?(week: Week): ArchiveRoundUp;
  hidesPost?(postId: string): boolean;
  /** Whether a comment is taken down (hidden itself, its post, or its author): it is not mirrored. */
  hidesComment?(comment: { postId: string; commentId: string; author: string | null }): boolean;
  forServer?(guildId: string): ScopedArchive;
}

/** The archive as this server sees it (what its admins hid there left out), where the archive can say. */
export function seenBy(archive: ScopedArchive, guildId: string | null): ScopedArchive {
  return guildId && archive.forServer ? archive.forServer(guildId) : archive;
}

/** What deliveries read and write in the store. */
export type DeliveryStore = Pick<Repositories, 'settings' | 'deliveries' | 'posted'>;

export interface SchedulerOptions {
  store: DeliveryStore;
  /**
   * The digest's content for a local date; whether a post is taken down (its announcement is not posted); each as
   * the server sees the archive, when it can say (what its admins hid there left out).
   */
  archive: ScopedArchive;
  poster: ChannelPoster;
  /** The petition's week and the week's Napo news for a round-up (in a zone); without it the round-up has neither. */
  campaignWeek?: (week: Week, zone: string) => CampaignRoundUp;
  clock: Pick<Clock, 'now'>;
  log: Logger;
  /** Servers served at once in a tick. */
  concurrency?: number;
  /** Names this process in claims (two processes by mistake never both send). */
  instance?: string;
  /** Announcements of one kind beyond this many at once go out as one summary. */
  burstCap?: number;
}

/**
 * A claim older than this is taken to be from a process that died. At least
 * as long as Discord's nonce window (a few minutes, taken as 2): a claim taken
 * over is past it, so the taker looks in the channel before sending again.
 */
export const LEASE_MS = 2 * 60_000;

/** How this process claims a delivery in the ledger: with a fresh nonce (Discord's de-duplication), its name and the lease. */
export function claimsBy(instance: string, iso: () => string) {
  return (d: DeliveryKey, channelId: string) => ({
    ...d,
    channelId,
    nonce: randomBytes(12).toString('base64url'),
    by: instance,
    now: iso(),
    leaseMs: LEASE_MS,
  });
}
/** Announcements older than this are not sent at all (a server that switched them on late gets no backlog). */
const ANNOUNCE_MAX_AGE_MS = 7 * 24 * 3_600_000;

export interface TickReport {
  sent: number;
  alreadyDone: number;
  retryLater: number;
  disabled: number;
  /** Servers whose part of the tick failed (logged); the others were served. */
  failedServers: number;
}

export function createScheduler(options: SchedulerOptions) {
  const { archive, poster, log, store } = options;
  const instance = options.instance ?? `${process.pid}-${randomBytes(3).toString('hex')}`;
  const burstCap = options.burstCap ?? 5;
  const iso = () => options.clock.now().toISOString();
  const limit = pLimit(options.concurrency ?? 4);

  const claimOf = claimsBy(instance, iso);

  async function deliver(
    d: DeliveryKey & { kind: DeliveryKind | 'summary' },
    channelId: string,
    build: () => Dispatch,
    report: TickReport,
    claimed?: Claim,
  ): Promise<void> {
    const claim = claimed ?? store.deliveries.claim(claimOf(d, channelId));
    if (!claim.claimed) {
      report.alreadyDone++;
      return;
    }
    let built: Dispatch | null = null;
    const dispatch = () => {
      built ??= build();
      return built;
    };
    try {
      const messageId = await sendOnce(d, channelId, dispatch, claim);
      // What it shows of the archive first: a takedown must find the message even if the process dies now.
      const shown = shownIn(dispatch());
      if (shown) {
        store.posted.record({ guildId: d.guildId, channelId, messageId, ...shown, key: shown.key ?? d.key }, iso());
      }
      if (!store.deliveries.markDelivered(d, instance, messageId, iso())) {
        log.warn({ delivery: d }, 'delivery sent, but another process had taken the claim over');
      }
      log.info({ delivery: d, channelId, messageId }, 'scheduled post sent');
      report.sent++;
    } catch (error) {
      await failed(d, channelId, error, report);
    }
  }

  /** Send, unless a recovering claim finds its message already in the channel. Returns the message id. */
  async function sendOnce(
    d: DeliveryKey,
    channelId: string,
    build: () => Dispatch,
    claim: Claim & { claimed: true },
  ): Promise<string> {
    const marker = markerOf(d);
    if (claim.recovering) {
      // It may have gone out before. The nonce catches a resend only inside Discord's window, which a lease
      // (as long as the window) has always reached by now: look for it in the channel first.
      const found = await poster.findMarker(channelId, marker, claim.firstAttemptAt);
      if (found) {
        log.info({ delivery: d, messageId: found }, 'delivery found already posted');
        return found;
      }
    }
    return (await poster.send(channelId, build(), { nonce: claim.nonce, marker })).id;
  }

  /** A failed send: given up (with one word to the server's admins) when retrying cannot help, else left to retry. */
  async function failed(d: DeliveryKey, channelId: string, error: unknown, report: TickReport): Promise<void> {
    if (!(error instanceof DeliveryError) || error.problem === 'transient') {
      // Left claimed: a later tick, past the lease, takes it over with the same nonce.
      log.warn({ err: error, delivery: d }, 'delivery failed; will retry');
      report.retryLater++;
      return;
    }
    const kind = d.kind === 'summary' ? kindOfSummary(d.key) : (d.kind as DeliveryKind);
    if (!store.deliveries.fail(d, instance, error.message, iso())) return;
    report.disabled++;
    if (error.problem === 'rejected') {
      log.warn({ delivery: d, reason: error.message }, 'Discord refused a scheduled post: given up');
      await tellAdmins(d.guildId, `${whatOf(kind)} could not be posted: Discord refused it (${error.message}).`);
      return;
    }
    await switchOff(d.guildId, kind, channelId, error);
  }

  async function tellAdmins(guildId: string, text: string): Promise<void> {
    const told = await poster.notifyAdmins(guildId, { type: 'notice', text }).catch(() => false);
    if (!told) log.warn({ guildId }, 'could not tell the server admins about a delivery');
  }

  async function switchOff(
    guildId: string,
    kind: DeliveryKind,
    channelId: string,
    error: DeliveryError,
  ): Promise<void> {
    const reason =
      error.problem === 'gone' ? `channel ${channelId} no longer exists` : `the bot may not post in <#${channelId}>`;
    if (!store.settings.disable(guildId, kind, reason, iso())) return;
    log.warn({ guildId, kind, channelId, problem: error.problem }, 'delivery switched off');
    await tellAdmins(
      guildId,
      `${whatOf(kind)} stopped: ${reason}. An admin can choose another channel with /config (see /config show).`,
    );
  }

  async function digest(s: GuildSettings, report: TickReport): Promise<void> {
    if (!s.digest.on || !s.digest.channel || s.disabled.digest) return;
    const due = dueDigest({ time: s.digest.time, zone: s.digest.zone }, options.clock.now());
    if (!due) return;
    await deliver(
      { guildId: s.guildId, kind: 'digest', key: due.localDate },
      s.digest.channel,
      () => ({ type: 'digest', digest: dailyDigest(seenBy(archive, s.guildId).onThisDay(due.localDate)) }),
      report,
    );
  }

  /** The weekly round-up, on its weekday at the digest's local time, in the digest's channel; once per posting day. */
  async function weekly(s: GuildSettings, report: TickReport): Promise<void> {
    const weekday = s.digest.weekly;
    if (!weekday || !s.digest.channel || s.disabled.weekly || s.disabled.digest) return;
    const scoped = seenBy(archive, s.guildId);
    if (!scoped.week) return;
    const due = dueWeekly({ time: s.digest.time, zone: s.digest.zone, weekday }, options.clock.now());
    if (!due) return;
    const week = scoped.week.bind(scoped);
    // Built only once claimed: the rest of the day's ticks find it delivered and read nothing.
    const build = (): Dispatch => {
      const campaign = options.campaignWeek?.(due.week, s.digest.zone) ?? { petition: null, napo: [] };
      return { type: 'weekly', roundUp: weeklyRoundUp(week(due.week), campaign), zone: s.digest.zone };
    };
    await deliver({ guildId: s.guildId, kind: 'weekly', key: due.localDate }, s.digest.channel, build, report);
  }

  async function announcements(s: GuildSettings, report: TickReport): Promise<void> {
    const now = options.clock.now().getTime();
    for (const kind of ANNOUNCEMENT_KINDS) {
      const a = s.announce[kind];
      if (!a.on || !a.channel || !a.since || s.disabled[kind]) continue;
      // A summary not yet sent goes first (its items wait for it); newer items wait their turn.
      const open = store.deliveries.openSummary(s.guildId, kind);
      if (open) {
        await summary(s.guildId, kind, open.channelId ?? a.channel, open.key, open.announcements, report);
        continue;
      }
      const since = new Date(Math.max(Date.parse(a.since), now - ANNOUNCE_MAX_AGE_MS)).toISOString();
      // A new post taken down before its announcement went out stays unannounced while it is hidden.
      const pending = store.deliveries
        .pending(s.guildId, kind, since)
        .filter((item) => kind !== 'posts' || !seenBy(archive, s.guildId).hidesPost?.(item.key));
      if (pending.length > burstCap) {
        await burst(s.guildId, kind, a.channel, pending, report);
        continue;
      }
      for (const item of pending) {
        await deliver(
          { guildId: s.guildId, kind, key: item.key },
          a.channel,
          () => ({ type: 'announcement', announcement: item }),
          report,
        );
      }
    }
  }

  /** One server's digest, then its waiting announcements; a failure here is this server's alone. */
  async function serve(s: GuildSettings, report: TickReport): Promise<void> {
    try {
      await digest(s, report);
      await weekly(s, report);
      await announcements(s, report);
    } catch (error) {
      report.failedServers++;
      log.error({ err: error, guildId: s.guildId }, 'scheduled posts failed for this server; the others go on');
    }
  }

  /**
   * After downtime, many at once: one message listing them oldest first. The
   * items are held by the summary and closed only when it is sent.
   */
  async function burst(
    guildId: string,
    kind: AnnouncementKind,
    channelId: string,
    items: Announcement[],
    report: TickReport,
  ): Promise<void> {
    const key = `${kind}:${items[0]!.id}-${items[items.length - 1]!.id}`;
    const d = { guildId, kind: 'summary' as const, key };
    const claim = store.deliveries.claimSummary({
      ...claimOf(d, channelId),
      kind: 'summary',
      items: items.map((item) => ({ guildId, kind, key: item.key })),
    });
    // Another process is sending some of them, or holds them in its summary: the next tick looks again.
    if (!claim) {
      report.alreadyDone++;
      return;
    }
    await deliver(d, channelId, () => ({ type: 'summary', kind, announcements: items }), report, claim);
  }

  /** A summary left unsent (a failed send, a crash): carried on once its lease is out. */
  async function summary(
    guildId: string,
    kind: AnnouncementKind,
    channelId: string,
    key: string,
    items: Announcement[],
    report: TickReport,
  ): Promise<void> {
    const d = { guildId, kind: 'summary' as const, key };
    await deliver(d, channelId, () => ({ type: 'summary', kind, announcements: items }), report);
  }

  return {
    /**
     * One pass over every server this process serves: due digests, then waiting announcements. Safe to run
     * from several processes at once.
     */
    async tick(): Promise<TickReport> {
      const report: TickReport = { sent: 0, alreadyDone: 0, retryLater: 0, disabled: 0, failedServers: 0 };
      const mine = store.settings.all().filter((s) => poster.serves(s.guildId));
      await Promise.all(mine.map((s) => limit(() => serve(s, report))));
      return report;
    },
  };
}

/** How a posted round-up is recorded (`week:<first day>:<zone>`), so a retraction can rebuild its week. */
export function weeklyRecordKey(from: string, zone: string): string {
  return `week:${from}:${zone}`;
}

/** The week and zone of a recorded round-up's key, or null when the key is a daily digest's (a date). */
export function weeklyOfRecordKey(key: string): { from: string; zone: string } | null {
  const match = /^week:(\d{4}-\d{2}-\d{2}):(.+)$/.exec(key);
  return match ? { from: match[1]!, zone: match[2]! } : null;
}

/** Carried by every scheduled message (where members do not read it): how a later run recognises it in the channel. */
export function markerOf(d: DeliveryKey): string {
  return `${d.kind}:${d.key}`;
}

function kindOfSummary(key: string): AnnouncementKind {
  return key.split(':')[0] as AnnouncementKind;
}

function whatOf(kind: DeliveryKind): string {
  if (kind === 'digest') return 'The daily "on this day" digest';
  if (kind === 'weekly') return 'The weekly round-up';
  return `Announcements of ${kindName(kind)}`;
}

export function kindName(kind: AnnouncementKind): string {
  return kind === 'posts' ? 'new blog posts' : kind === 'petition' ? 'petition milestones' : 'Napo news';
}

/**
 * What a scheduled post shows of the archive: a digest's posts, a round-up's posts (new and discussed), a new post
 * announced (one or in a summary). A round-up is recorded as a digest: a takedown replaces it with its week again.
 */
export function shownIn(dispatch: Dispatch): { what: PostedWhat; shows: ShownPassage[]; key?: string } | null {
  if (dispatch.type === 'weekly') {
    const { posts, discussed, week } = dispatch.roundUp;
    const shows = [...posts, ...discussed].map((p) => ({ postId: p.postId, commentId: null, author: p.author }));
    return shows.length ? { what: 'digest', shows, key: weeklyRecordKey(week.from, dispatch.zone) } : null;
  }
  if (dispatch.type === 'digest') {
    const shows = dispatch.digest.items.map((i) => ({ postId: i.postId, commentId: null, author: i.author }));
    return { what: 'digest', shows };
  }
  const posts =
    dispatch.type === 'announcement' && dispatch.announcement.kind === 'posts'
      ? [dispatch.announcement]
      : dispatch.type === 'summary' && dispatch.kind === 'posts'
        ? dispatch.announcements
        : [];
  if (posts.length === 0) return null;
  return { what: 'announcement', shows: posts.map((a) => ({ postId: a.key, commentId: null, author: null })) };
}
