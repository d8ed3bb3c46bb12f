// Scheduled posts in the store: each server's settings, the announcements
// waiting to go out, and the deliveries ledger. A delivery is claimed (a row
// under a unique key) before it is sent and marked sent after; a claim left
// by a crash is taken over only once its lease has run out, and keeps its
// nonce so Discord can tell a resend from a new message.
import type { Db } from './db.js';

export type AnnouncementKind = 'posts' | 'petition' | 'napo';
export const ANNOUNCEMENT_KINDS: readonly AnnouncementKind[] = ['posts', 'petition', 'napo'];
export type DeliveryKind = 'digest' | AnnouncementKind;

export interface GuildSettings {
  guildId: string;
  digest: { channel: string | null; time: string; zone: string; on: boolean };
  announce: Record<AnnouncementKind, { channel: string | null; on: boolean; since: string | null }>;
  /** Deliveries the bot switched off itself, with why. */
  disabled: Partial<Record<DeliveryKind, string>>;
}

interface SettingsRow {
  guild_id: string;
  digest_channel: string | null;
  digest_time: string;
  time_zone: string;
  digest_on: number;
  posts_channel: string | null;
  posts_on: number;
  posts_since: string | null;
  petition_channel: string | null;
  petition_on: number;
  petition_since: string | null;
  napo_channel: string | null;
  napo_on: number;
  napo_since: string | null;
  disabled: string;
}

function fromRow(r: SettingsRow): GuildSettings {
  const announce = (k: AnnouncementKind) => ({
    channel: r[`${k}_channel`],
    on: r[`${k}_on`] === 1,
    since: r[`${k}_since`],
  });
  let disabled: GuildSettings['disabled'] = {};
  try {
    disabled = JSON.parse(r.disabled) as GuildSettings['disabled'];
  } catch {
    disabled = {};
  }
  return {
    guildId: r.guild_id,
    digest: { channel: r.digest_channel, time: r.digest_time, zone: r.time_zone, on: r.digest_on === 1 },
    announce: { posts: announce('posts'), petition: announce('petition'), napo: announce('napo') },
    disabled,
  };
}

export function defaultSettings(guildId: string): GuildSettings {
  return {
    guildId,
    digest: { channel: null, time: '08:00', zone: 'Europe/London', on: true },
    announce: {
      posts: { channel: null, on: true, since: null },
      petition: { channel: null, on: true, since: null },
      napo: { channel: null, on: true, since: null },
    },
    disabled: {},
  };
}

export function guildSettings(db: Db, guildId: string): GuildSettings {
  const row = db.prepare('SELECT * FROM guild_settings WHERE guild_id = ?').get(guildId) as SettingsRow | undefined;
  return row ? fromRow(row) : defaultSettings(guildId);
}

export function allGuildSettings(db: Db): GuildSettings[] {
  return (db.prepare('SELECT * FROM guild_settings ORDER BY guild_id').all() as SettingsRow[]).map(fromRow);
}

export type SettingsChange =
  | { kind: 'digest'; channel?: string | null; time?: string; zone?: string; on?: boolean }
  | { kind: AnnouncementKind; channel?: string | null; on?: boolean };

/**
 * Apply an admin's change. Setting a channel or switching a delivery on clears
 * the bot's own "disabled" note for it; an announcement kind counts as new
 * from now (nothing queued before is sent into a channel just chosen).
 */
export function updateGuildSettings(db: Db, guildId: string, change: SettingsChange, now: string): GuildSettings {
  return db.transaction(() => {
    const current = guildSettings(db, guildId);
    const next: GuildSettings = structuredClone(current);
    if (change.kind === 'digest') {
      if (change.channel !== undefined) next.digest.channel = change.channel;
      if (change.time !== undefined) next.digest.time = change.time;
      if (change.zone !== undefined) next.digest.zone = change.zone;
      if (change.on !== undefined) next.digest.on = change.on;
    } else {
      const a = next.announce[change.kind];
      const was = a.channel !== null && a.on;
      if (change.channel !== undefined) a.channel = change.channel;
      if (change.on !== undefined) a.on = change.on;
      if (!was && a.channel !== null && a.on) a.since = now;
    }
    if (change.channel !== undefined || change.on === true) delete next.disabled[change.kind];
    db.prepare(
      `INSERT INTO guild_settings (guild_id, digest_channel, digest_time, time_zone, digest_on,
         posts_channel, posts_on, posts_since, petition_channel, petition_on, petition_since, napo_channel, napo_on, napo_since, disabled, updated_at)
       VALUES (@guildId, @digestChannel, @time, @zone, @digestOn, @postsChannel, @postsOn, @postsSince,
         @petitionChannel, @petitionOn, @petitionSince, @napoChannel, @napoOn, @napoSince, @disabled, @now)
       ON CONFLICT(guild_id) DO UPDATE SET digest_channel = excluded.digest_channel, digest_time = excluded.digest_time,
         time_zone = excluded.time_zone, digest_on = excluded.digest_on, posts_channel = excluded.posts_channel,
         posts_on = excluded.posts_on, posts_since = excluded.posts_since, petition_channel = excluded.petition_channel,
         petition_on = excluded.petition_on, petition_since = excluded.petition_since, napo_channel = excluded.napo_channel,
         napo_on = excluded.napo_on, napo_since = excluded.napo_since, disabled = excluded.disabled, updated_at = excluded.updated_at`,
    ).run({
      guildId,
      digestChannel: next.digest.channel,
      time: next.digest.time,
      zone: next.digest.zone,
      digestOn: next.digest.on ? 1 : 0,
      postsChannel: next.announce.posts.channel,
      postsOn: next.announce.posts.on ? 1 : 0,
      postsSince: next.announce.posts.since,
      petitionChannel: next.announce.petition.channel,
      petitionOn: next.announce.petition.on ? 1 : 0,
      petitionSince: next.announce.petition.since,
      napoChannel: next.announce.napo.channel,
      napoOn: next.announce.napo.on ? 1 : 0,
      napoSince: next.announce.napo.since,
      disabled: JSON.stringify(next.disabled),
      now,
    });
    return next;
  })();
}

/** The bot switches a delivery off (its channel is gone or closed to it). True only the first time, so admins are told once. */
export function disableDelivery(db: Db, guildId: string, kind: DeliveryKind, reason: string, now: string): boolean {
  return db.transaction(() => {
    const current = guildSettings(db, guildId);
    if (current.disabled[kind]) return false;
    const disabled = { ...current.disabled, [kind]: reason };
    db.prepare(
      `INSERT INTO guild_settings (guild_id, disabled, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(guild_id) DO UPDATE SET disabled = excluded.disabled, updated_at = excluded.updated_at`,
    ).run(guildId, JSON.stringify(disabled), now);
    return true;
  })();
}

export interface Announcement {
  id: number;
  kind: AnnouncementKind;
  key: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
}

/** Queue an announcement once: the same (kind, key) again is ignored. True when it is new. */
export function addAnnouncement(db: Db, a: Omit<Announcement, 'id' | 'createdAt'>, now: string): boolean {
  return (
    db
      .prepare(
        'INSERT INTO announcements (kind, key, title, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(a.kind, a.key, a.title, a.body, a.link, now).changes === 1
  );
}

/** Announcements of a kind made since `since` and not yet delivered (or skipped) for this server, oldest first. */
export function pendingAnnouncements(db: Db, guildId: string, kind: AnnouncementKind, since: string): Announcement[] {
  return db
    .prepare(
      `SELECT a.id, a.kind, a.key, a.title, a.body, a.link, a.created_at AS createdAt FROM announcements a
     WHERE a.kind = ? AND a.created_at >= ?
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.guild_id = ? AND d.kind = a.kind AND d.key = a.key AND d.state != 'claimed')
     ORDER BY a.created_at, a.id`,
    )
    .all(kind, since, guildId) as Announcement[];
}

export interface DeliveryKey {
  guildId: string;
  kind: DeliveryKind | 'notice' | 'summary';
  key: string;
}

export type Claim =
  | { claimed: true; nonce: string; attempts: number; recovering: boolean; claimedAt: string }
  | { claimed: false; state: string };

/**
 * Claim a delivery before sending it. Fresh: the row is new. Recovering: an
 * earlier claim (a crash between send and record, or a process that died)
 * whose lease ran out; it may have been sent already, and keeps its nonce.
 */
export function claimDelivery(
  db: Db,
  d: DeliveryKey & { channelId: string | null; nonce: string; by: string; now: string; leaseMs: number },
): Claim {
  return db.transaction((): Claim => {
    const inserted =
      db
        .prepare(
          `INSERT INTO deliveries (guild_id, kind, key, channel_id, state, nonce, claimed_at, claimed_by)
       VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(d.guildId, d.kind, d.key, d.channelId, d.nonce, d.now, d.by).changes === 1;
    if (inserted) return { claimed: true, nonce: d.nonce, attempts: 1, recovering: false, claimedAt: d.now };
    const row = db
      .prepare('SELECT state, nonce, claimed_at, attempts FROM deliveries WHERE guild_id = ? AND kind = ? AND key = ?')
      .get(d.guildId, d.kind, d.key) as { state: string; nonce: string; claimed_at: string; attempts: number };
    if (row.state !== 'claimed' || Date.parse(row.claimed_at) + d.leaseMs > Date.parse(d.now))
      return { claimed: false, state: row.state };
    const taken =
      db
        .prepare(
          `UPDATE deliveries SET claimed_at = ?, claimed_by = ?, attempts = attempts + 1
       WHERE guild_id = ? AND kind = ? AND key = ? AND state = 'claimed' AND claimed_at = ?`,
        )
        .run(d.now, d.by, d.guildId, d.kind, d.key, row.claimed_at).changes === 1;
    if (!taken) return { claimed: false, state: 'claimed' };
    return { claimed: true, nonce: row.nonce, attempts: row.attempts + 1, recovering: true, claimedAt: row.claimed_at };
  })();
}

/** The delivery went out (or was found already out): never again. */
export function markDelivered(db: Db, d: DeliveryKey, messageId: string | null, now: string): void {
  db.prepare(
    "UPDATE deliveries SET state = 'sent', sent_at = ?, message_id = ? WHERE guild_id = ? AND kind = ? AND key = ?",
  ).run(now, messageId, d.guildId, d.kind, d.key);
}

/** Will not be sent: `skipped` (folded into a summary, or its channel is gone), `failed` (given up). */
export function closeDelivery(db: Db, d: DeliveryKey, state: 'skipped' | 'failed', now: string): void {
  db.prepare(
    `INSERT INTO deliveries (guild_id, kind, key, state, nonce, claimed_at, claimed_by) VALUES (?, ?, ?, ?, '', ?, '')
     ON CONFLICT(guild_id, kind, key) DO UPDATE SET state = excluded.state`,
  ).run(d.guildId, d.kind, d.key, state, now);
}

/** Let a claim go without sending (a failure worth retrying on the next tick). */
export function releaseDelivery(db: Db, d: DeliveryKey): void {
  db.prepare("DELETE FROM deliveries WHERE guild_id = ? AND kind = ? AND key = ? AND state = 'claimed'").run(
    d.guildId,
    d.kind,
    d.key,
  );
}

export function deliveryState(db: Db, d: DeliveryKey): string | null {
  return (
    (db
      .prepare('SELECT state FROM deliveries WHERE guild_id = ? AND kind = ? AND key = ?')
      .pluck()
      .get(d.guildId, d.kind, d.key) as string | undefined) ?? null
  );
}
