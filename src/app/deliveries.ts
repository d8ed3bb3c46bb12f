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
import type { OnThisDay } from '../digest/onThisDay.js';
import { dueDigest } from '../digest/schedule.js';
import type { Announcement, DeliveryKey } from '../store/deliveries.js';
import { ANNOUNCEMENT_KINDS, type AnnouncementKind, type DeliveryKind, type GuildSettings } from '../store/settings.js';
import type { Repositories } from '../store/store.js';

/** What goes out, before a front end renders it. */
export type Dispatch =
  | { type: 'digest'; digest: OnThisDay }
  | { type: 'announcement'; announcement: Announcement }
  | { type: 'summary'; kind: AnnouncementKind; announcements: Announcement[] }
  | { type: 'notice'; text: string };

/** Why a channel refused a message. */
export class DeliveryError extends Error {
  constructor(
    readonly problem: 'gone' | 'forbidden' | 'transient',
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** What the scheduler needs of Discord; `src/discord/poster.ts` implements it with the bot's client. */
export interface ChannelPoster {
  /**
   * Post with `nonce` and `enforce_nonce`, so a resend within Discord's window
   * returns the first message; `marker` goes in the message's footer.
   */
  send(channelId: string, dispatch: Dispatch, delivery: { nonce: string; marker: string }): Promise<{ id: string }>;
  /** A recent message of the bot's in the channel whose footer carries `marker`. */
  findMarker(channelId: string, marker: string): Promise<string | null>;
  /** Tell a server's admins something (its system channel); false when there is nowhere to say it. */
  notifyAdmins(guildId: string, dispatch: Dispatch): Promise<boolean>;
}

/** What deliveries read and write in the store. */
export type DeliveryStore = Pick<Repositories, 'settings' | 'deliveries'>;

export interface SchedulerOptions {
  store: DeliveryStore;
  /** The digest's content for a local date. */
  archive: { onThisDay(date: string): OnThisDay };
  poster: ChannelPoster;
  clock: Pick<Clock, 'now'>;
  log: Logger;
  /** Servers served at once in a tick. */
  concurrency?: number;
  /** Names this process in claims (two processes by mistake never both send). */
  instance?: string;
  /** Announcements of one kind beyond this many at once go out as one summary. */
  burstCap?: number;
}

/** A claim older than this is taken to be from a process that died. */
export const LEASE_MS = 2 * 60_000;
/** Discord de-duplicates `enforce_nonce` sends for a few minutes; past this the channel is searched instead. */
export const NONCE_WINDOW_MS = 4 * 60_000;
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

  async function deliver(
    d: DeliveryKey & { kind: DeliveryKind | 'summary' },
    channelId: string,
    build: () => Dispatch,
    report: TickReport,
  ): Promise<void> {
    const claim = store.deliveries.claim({
      ...d,
      channelId,
      nonce: randomBytes(12).toString('base64url'),
      by: instance,
      now: iso(),
      leaseMs: LEASE_MS,
    });
    if (!claim.claimed) {
      report.alreadyDone++;
      return;
    }
    const marker = markerOf(d);
    try {
      if (claim.recovering && options.clock.now().getTime() - Date.parse(claim.claimedAt) > NONCE_WINDOW_MS) {
        // It may have gone out before the crash, too long ago for Discord's nonce to catch a resend.
        const found = await poster.findMarker(channelId, marker);
        if (found) {
          store.deliveries.markDelivered(d, found, iso());
          log.info({ delivery: d, messageId: found }, 'delivery found already posted');
          report.alreadyDone++;
          return;
        }
      }
      const { id } = await poster.send(channelId, build(), { nonce: claim.nonce, marker });
      store.deliveries.markDelivered(d, id, iso());
      report.sent++;
    } catch (error) {
      if (error instanceof DeliveryError && error.problem !== 'transient') {
        store.deliveries.close(d, 'skipped', iso());
        await switchOff(d.guildId, d.kind === 'summary' ? kindOfSummary(d.key) : d.kind, channelId, error);
        report.disabled++;
        return;
      }
      // Left claimed: the next tick after the lease takes it over with the same nonce.
      log.warn({ err: error, delivery: d }, 'delivery failed; will retry');
      report.retryLater++;
    }
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
    const what = kind === 'digest' ? 'The daily "on this day" digest' : `Announcements of ${kindName(kind)}`;
    const told = await poster
      .notifyAdmins(guildId, {
        type: 'notice',
        text: `${what} stopped: ${reason}. An admin can choose another channel with /config (see /config show).`,
      })
      .catch(() => false);
    if (!told) log.warn({ guildId, kind }, 'could not tell the server admins that a delivery stopped');
  }

  async function digest(s: GuildSettings, report: TickReport): Promise<void> {
    if (!s.digest.on || !s.digest.channel || s.disabled.digest) return;
    const due = dueDigest({ time: s.digest.time, zone: s.digest.zone }, options.clock.now());
    if (!due) return;
    await deliver(
      { guildId: s.guildId, kind: 'digest', key: due.localDate },
      s.digest.channel,
      () => ({ type: 'digest', digest: archive.onThisDay(due.localDate) }),
      report,
    );
  }

  async function announcements(s: GuildSettings, report: TickReport): Promise<void> {
    const now = options.clock.now().getTime();
    for (const kind of ANNOUNCEMENT_KINDS) {
      const a = s.announce[kind];
      if (!a.on || !a.channel || !a.since || s.disabled[kind]) continue;
      const since = new Date(Math.max(Date.parse(a.since), now - ANNOUNCE_MAX_AGE_MS)).toISOString();
      const pending = store.deliveries.pending(s.guildId, kind, since);
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
      await announcements(s, report);
    } catch (error) {
      report.failedServers++;
      log.error({ err: error, guildId: s.guildId }, 'scheduled posts failed for this server; the others go on');
    }
  }

  /** After downtime, many at once: one message listing them oldest first, each then counted as delivered. */
  async function burst(
    guildId: string,
    kind: AnnouncementKind,
    channelId: string,
    items: Announcement[],
    report: TickReport,
  ): Promise<void> {
    const key = `${kind}:${items[0]!.id}-${items[items.length - 1]!.id}`;
    const d = { guildId, kind: 'summary' as const, key };
    store.deliveries.closeAll(
      items.map((item) => ({ guildId, kind, key: item.key })),
      'skipped',
      iso(),
    );
    await deliver(d, channelId, () => ({ type: 'summary', kind, announcements: items }), report);
  }

  return {
    /** One pass over every server: due digests, then waiting announcements. Safe to run from several processes at once. */
    async tick(): Promise<TickReport> {
      const report: TickReport = { sent: 0, alreadyDone: 0, retryLater: 0, disabled: 0, failedServers: 0 };
      await Promise.all(store.settings.all().map((s) => limit(() => serve(s, report))));
      return report;
    },
  };
}

/** Goes in the footer of every scheduled message: how a later run recognises it in the channel. */
export function markerOf(d: DeliveryKey): string {
  return `ref ${d.kind}:${d.key}`;
}

function kindOfSummary(key: string): AnnouncementKind {
  return key.split(':')[0] as AnnouncementKind;
}

export function kindName(kind: AnnouncementKind): string {
  return kind === 'posts' ? 'new blog posts' : kind === 'petition' ? 'petition milestones' : 'Napo news';
}
