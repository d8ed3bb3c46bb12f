// Posts that go out on their own: each server's daily digest at its local
// time, and announcements (new posts, petition milestones, Napo news) in the
// channels chosen for them. Every delivery goes through the ledger in the
// store: claimed, sent with a nonce Discord de-duplicates, recorded. After a
// crash between send and record, a recovering claim resends with the same
// nonce while Discord still remembers it, and after that first looks for the
// delivery's marker among the channel's recent messages. The clock and the
// timers are injected; the scheduling rules live in src/digest.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ArchiveService } from './archiveService.js';
import { petitionMilestones } from './digest/milestones.js';
import { dueDigest } from './digest/schedule.js';
import { digestMessage, announcementMessage, burstMessage, type BotMessage } from './discord/messages.js';
import { latestSnapshot, snapshotsSince } from './store/petition.js';
import {
  ANNOUNCEMENT_KINDS,
  addAnnouncement,
  allGuildSettings,
  claimDelivery,
  closeDelivery,
  disableDelivery,
  markDelivered,
  pendingAnnouncements,
  type Announcement,
  type AnnouncementKind,
  type DeliveryKey,
  type DeliveryKind,
} from './store/schedule.js';

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
  /** Post with `nonce` and `enforce_nonce`, so a resend within Discord's window returns the first message. */
  send(channelId: string, message: BotMessage, nonce: string): Promise<{ id: string }>;
  /** A recent message of the bot's in the channel whose footer carries `marker`. */
  findMarker(channelId: string, marker: string): Promise<string | null>;
  /** Tell a server's admins something (its system channel); false when there is nowhere to say it. */
  notifyAdmins(guildId: string, message: BotMessage): Promise<boolean>;
}

export interface SchedulerOptions {
  archive: ArchiveService;
  poster: ChannelPoster;
  now: () => Date;
  log: Logger;
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
}

export function createScheduler(options: SchedulerOptions) {
  const { archive, poster, log } = options;
  const db = archive.db;
  const instance = options.instance ?? `${process.pid}-${randomBytes(3).toString('hex')}`;
  const burstCap = options.burstCap ?? 5;
  const iso = () => options.now().toISOString();

  async function deliver(
    d: DeliveryKey & { kind: DeliveryKind | 'summary' },
    channelId: string,
    build: () => BotMessage,
    report: TickReport,
  ): Promise<void> {
    const claim = claimDelivery(db, {
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
      if (claim.recovering && options.now().getTime() - Date.parse(claim.claimedAt) > NONCE_WINDOW_MS) {
        // It may have gone out before the crash, too long ago for Discord's nonce to catch a resend.
        const found = await poster.findMarker(channelId, marker);
        if (found) {
          markDelivered(db, d, found, iso());
          log.info({ delivery: d, messageId: found }, 'delivery found already posted');
          report.alreadyDone++;
          return;
        }
      }
      const { id } = await poster.send(channelId, withMarker(build(), marker), claim.nonce);
      markDelivered(db, d, id, iso());
      report.sent++;
    } catch (error) {
      if (error instanceof DeliveryError && error.problem !== 'transient') {
        closeDelivery(db, d, 'skipped', iso());
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
    if (!disableDelivery(db, guildId, kind, reason, iso())) return;
    log.warn({ guildId, kind, channelId, problem: error.problem }, 'delivery switched off');
    const what = kind === 'digest' ? 'The daily "on this day" digest' : `Announcements of ${kindName(kind)}`;
    const told = await poster
      .notifyAdmins(guildId, {
        content: `${what} stopped: ${reason}. An admin can choose another channel with /config (see /config show).`,
        embeds: [],
        allowedMentions: { parse: [] },
      })
      .catch(() => false);
    if (!told) log.warn({ guildId, kind }, 'could not tell the server admins that a delivery stopped');
  }

  async function digests(report: TickReport): Promise<void> {
    const now = options.now();
    for (const s of allGuildSettings(db)) {
      if (!s.digest.on || !s.digest.channel || s.disabled.digest) continue;
      const due = dueDigest({ time: s.digest.time, zone: s.digest.zone }, now);
      if (!due) continue;
      await deliver(
        { guildId: s.guildId, kind: 'digest', key: due.localDate },
        s.digest.channel,
        () => digestMessage(archive.onThisDay(due.localDate)),
        report,
      );
    }
  }

  async function announcements(report: TickReport): Promise<void> {
    const now = options.now().getTime();
    for (const s of allGuildSettings(db)) {
      for (const kind of ANNOUNCEMENT_KINDS) {
        const a = s.announce[kind];
        if (!a.on || !a.channel || !a.since || s.disabled[kind]) continue;
        const since = new Date(Math.max(Date.parse(a.since), now - ANNOUNCE_MAX_AGE_MS)).toISOString();
        const pending = pendingAnnouncements(db, s.guildId, kind, since);
        if (pending.length > burstCap) {
          await burst(s.guildId, kind, a.channel, pending, report);
          continue;
        }
        for (const item of pending) {
          await deliver(
            { guildId: s.guildId, kind, key: item.key },
            a.channel,
            () => announcementMessage(item),
            report,
          );
        }
      }
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
    db.transaction(() => {
      for (const item of items) closeDelivery(db, { guildId, kind, key: item.key }, 'skipped', iso());
    })();
    await deliver(d, channelId, () => burstMessage(kind, items), report);
  }

  return {
    /** One pass: due digests, then waiting announcements. Safe to run from several processes at once. */
    async tick(): Promise<TickReport> {
      const report: TickReport = { sent: 0, alreadyDone: 0, retryLater: 0, disabled: 0 };
      await digests(report);
      await announcements(report);
      return report;
    },
  };
}

/** What a new post found by the sync announces. */
export function announcePost(
  archive: ArchiveService,
  post: { id: string; title: string; text: string; url: string | null },
  now: string,
): boolean {
  const opening = post.text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 3)
    .join('\n');
  return addAnnouncement(
    archive.db,
    { kind: 'posts', key: post.id, title: post.title, body: opening, link: post.url },
    now,
  );
}

/**
 * Petition milestones since the last snapshot this check looked at (a
 * /petition in between stores snapshots too, and must not hide a crossing).
 */
export function announcePetitionMilestones(archive: ArchiveService, petitionId: number, now: string): number {
  const db = archive.db;
  const latest = latestSnapshot(db, petitionId);
  if (!latest) return 0;
  const metaKey = `petition_milestones_checked:${petitionId}`;
  const checked = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(metaKey) as string | undefined;
  const previous = checked
    ? (snapshotsSince(db, petitionId, checked).find((s) => s.takenAt === checked) ?? null)
    : null;
  let added = 0;
  if (!checked || previous) {
    for (const m of petitionMilestones(previous, latest)) {
      if (
        addAnnouncement(
          db,
          {
            kind: 'petition',
            key: m.key,
            title: latest.title,
            body: m.text,
            link: `https://petition.parliament.uk/petitions/${petitionId}`,
          },
          now,
        )
      )
        added++;
    }
  }
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    metaKey,
    latest.takenAt,
  );
  return added;
}

/**
 * Napo items first seen since announcements began (the first fetch ever is
 * history, not news) and not yet announced.
 */
export function announceNapoNews(archive: ArchiveService, now: string): number {
  const db = archive.db;
  const metaKey = 'napo_announce_from';
  let from = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(metaKey) as string | undefined;
  if (!from) {
    from = now;
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(metaKey, from);
    return 0;
  }
  const items = db
    .prepare(
      `SELECT id, title, link, summary FROM news_items n WHERE first_seen > ?
       AND NOT EXISTS (SELECT 1 FROM announcements a WHERE a.kind = 'napo' AND a.key = n.id) ORDER BY first_seen, id`,
    )
    .all(from) as { id: string; title: string; link: string | null; summary: string | null }[];
  let added = 0;
  for (const item of items) {
    if (
      addAnnouncement(
        db,
        { kind: 'napo', key: item.id, title: item.title, body: item.summary ?? '', link: item.link },
        now,
      )
    )
      added++;
  }
  return added;
}

/** Goes in the footer of every scheduled message: how a later run recognises it in the channel. */
export function markerOf(d: DeliveryKey): string {
  return `ref ${d.kind}:${d.key}`;
}

function withMarker(message: BotMessage, marker: string): BotMessage {
  const [first, ...rest] = message.embeds;
  if (!first) return { ...message, content: `${message.content ?? ''}\n-# ${marker}`.trim() };
  const footer = first.footer?.text ? `${first.footer.text} · ${marker}` : marker;
  return { ...message, embeds: [{ ...first, footer: { ...first.footer, text: footer.slice(0, 2048) } }, ...rest] };
}

function kindOfSummary(key: string): AnnouncementKind {
  return key.split(':')[0] as AnnouncementKind;
}

export function kindName(kind: AnnouncementKind): string {
  return kind === 'posts' ? 'new blog posts' : kind === 'petition' ? 'petition milestones' : 'Napo news';
}
