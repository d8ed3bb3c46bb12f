// Each server's scheduled-post settings: where and when its digest goes, where
// each kind of announcement goes, and what the bot switched off itself (with why).
import { isWeekday, type Weekday } from '../digest/weekly.js';
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

export type AnnouncementKind = 'posts' | 'petition' | 'napo';
export const ANNOUNCEMENT_KINDS: readonly AnnouncementKind[] = ['posts', 'petition', 'napo'];
export type DeliveryKind = 'digest' | 'weekly' | AnnouncementKind;

export interface GuildSettings {
  guildId: string;
  /** `weekly`: the weekday the weekly round-up comes on (at the digest's time, in its channel); null: none. */
  digest: { channel: string | null; time: string; zone: string; on: boolean; weekly: Weekday | null };
  announce: Record<AnnouncementKind, { channel: string | null; on: boolean; since: string | null }>;
  /** Since when each new post's announcement starts a thread (its comments mirrored there); null: it does not. */
  postThreads?: string | null;
  /** Deliveries the bot switched off itself, with why. */
  disabled: Partial<Record<DeliveryKind, string>>;
}

interface SettingsRow {
  guild_id: string;
  digest_channel: string | null;
  digest_time: string;
  time_zone: string;
  digest_on: number;
  digest_weekly: string | null;
  posts_channel: string | null;
  posts_on: number;
  posts_since: string | null;
  petition_channel: string | null;
  petition_on: number;
  petition_since: string | null;
  napo_channel: string | null;
  napo_on: number;
  napo_since: string | null;
  posts_threads: string | null;
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
    digest: {
      channel: r.digest_channel,
      time: r.digest_time,
      zone: r.time_zone,
      on: r.digest_on === 1,
      weekly: r.digest_weekly !== null && isWeekday(r.digest_weekly) ? r.digest_weekly : null,
    },
    announce: { posts: announce('posts'), petition: announce('petition'), napo: announce('napo') },
    postThreads: r.posts_threads,
    disabled,
  };
}

export function defaultSettings(guildId: string): GuildSettings {
  return {
    guildId,
    digest: { channel: null, time: '08:00', zone: 'Europe/London', on: true, weekly: null },
    announce: {
      posts: { channel: null, on: true, since: null },
      petition: { channel: null, on: true, since: null },
      napo: { channel: null, on: true, since: null },
    },
    postThreads: null,
    disabled: {},
  };
}

function guildSettings(db: Db, guildId: string): GuildSettings {
  const row = prepared<SettingsRow>(db, 'SELECT * FROM guild_settings WHERE guild_id = ?').get(guildId);
  return row ? fromRow(row) : defaultSettings(guildId);
}

function allGuildSettings(db: Db): GuildSettings[] {
  return prepared<SettingsRow>(db, 'SELECT * FROM guild_settings ORDER BY guild_id').all().map(fromRow);
}

export type SettingsChange =
  | {
      kind: 'digest';
      channel?: string | null;
      time?: string;
      zone?: string;
      on?: boolean;
      weekly?: Weekday | null;
    }
  /** `threads`: new posts' announcements start threads (posts only). */
  | { kind: AnnouncementKind; channel?: string | null; on?: boolean; threads?: boolean };

/**
 * Apply an admin's change. Setting a channel or switching a delivery on clears
 * the bot's own "disabled" note for it; an announcement kind counts as new
 * from now (nothing queued before is sent into a channel just chosen).
 */
function updateGuildSettings(db: Db, guildId: string, change: SettingsChange, now: string): GuildSettings {
  return db.transaction(() => {
    const current = guildSettings(db, guildId);
    const next: GuildSettings = structuredClone(current);
    if (change.kind === 'digest') {
      if (change.channel !== undefined) next.digest.channel = change.channel;
      if (change.time !== undefined) next.digest.time = change.time;
      if (change.zone !== undefined) next.digest.zone = change.zone;
      if (change.on !== undefined) next.digest.on = change.on;
      if (change.weekly !== undefined) next.digest.weekly = change.weekly;
      // The round-up goes where the digest goes: a channel chosen again puts it back too.
      if (change.channel !== undefined || (change.weekly ?? null) !== null) delete next.disabled.weekly;
    } else {
      const a = next.announce[change.kind];
      const was = a.channel !== null && a.on;
      if (change.channel !== undefined) a.channel = change.channel;
      if (change.on !== undefined) a.on = change.on;
      if (!was && a.channel !== null && a.on) a.since = now;
      // Threads from now on: posts announced before they were switched on keep none.
      if (change.kind === 'posts' && change.threads !== undefined)
        next.postThreads = change.threads ? (current.postThreads ?? now) : null;
    }
    if (change.channel !== undefined || change.on === true) delete next.disabled[change.kind];
    prepared(
      db,
      `INSERT INTO guild_settings (guild_id, digest_channel, digest_time, time_zone, digest_on, digest_weekly,
         posts_channel, posts_on, posts_since, petition_channel, petition_on, petition_since, napo_channel, napo_on, napo_since, posts_threads, disabled, updated_at)
       VALUES (@guildId, @digestChannel, @time, @zone, @digestOn, @weekly, @postsChannel, @postsOn, @postsSince,
         @petitionChannel, @petitionOn, @petitionSince, @napoChannel, @napoOn, @napoSince, @postThreads, @disabled, @now)
       ON CONFLICT(guild_id) DO UPDATE SET digest_channel = excluded.digest_channel, digest_time = excluded.digest_time,
         time_zone = excluded.time_zone, digest_on = excluded.digest_on, digest_weekly = excluded.digest_weekly, posts_channel = excluded.posts_channel,
         posts_on = excluded.posts_on, posts_since = excluded.posts_since, petition_channel = excluded.petition_channel,
         petition_on = excluded.petition_on, petition_since = excluded.petition_since, napo_channel = excluded.napo_channel,
         napo_on = excluded.napo_on, napo_since = excluded.napo_since, posts_threads = excluded.posts_threads, disabled = excluded.disabled, updated_at = excluded.updated_at`,
    ).run({
      guildId,
      digestChannel: next.digest.channel,
      time: next.digest.time,
      zone: next.digest.zone,
      digestOn: next.digest.on ? 1 : 0,
      weekly: next.digest.weekly,
      postsChannel: next.announce.posts.channel,
      postsOn: next.announce.posts.on ? 1 : 0,
      postsSince: next.announce.posts.since,
      petitionChannel: next.announce.petition.channel,
      petitionOn: next.announce.petition.on ? 1 : 0,
      petitionSince: next.announce.petition.since,
      napoChannel: next.announce.napo.channel,
      napoOn: next.announce.napo.on ? 1 : 0,
      napoSince: next.announce.napo.since,
      postThreads: next.postThreads ?? null,
      disabled: JSON.stringify(next.disabled),
      now,
    });
    return next;
  })();
}

/** The bot switches a delivery off (its channel is gone or closed to it). True only the first time, so admins are told once. */
function disableDelivery(db: Db, guildId: string, kind: DeliveryKind, reason: string, now: string): boolean {
  return db.transaction(() => {
    const current = guildSettings(db, guildId);
    if (current.disabled[kind]) return false;
    const disabled = { ...current.disabled, [kind]: reason };
    prepared(
      db,
      `INSERT INTO guild_settings (guild_id, disabled, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(guild_id) DO UPDATE SET disabled = excluded.disabled, updated_at = excluded.updated_at`,
    ).run(guildId, JSON.stringify(disabled), now);
    return true;
  })();
}

export interface SettingsRepository {
  get(guildId: string): GuildSettings;
  all(): GuildSettings[];
  update(guildId: string, change: SettingsChange, now: string): GuildSettings;
  /** The bot switches a delivery off (its channel is gone or closed to it). True only the first time, so admins are told once. */
  disable(guildId: string, kind: DeliveryKind, reason: string, now: string): boolean;
}

export function settingsRepository(db: Db): SettingsRepository {
  return guarded(db, {
    get: (guildId: string) => guildSettings(db, guildId),
    all: () => allGuildSettings(db),
    update: (guildId: string, change: SettingsChange, now: string) => updateGuildSettings(db, guildId, change, now),
    disable: (guildId: string, kind: DeliveryKind, reason: string, now: string) =>
      disableDelivery(db, guildId, kind, reason, now),
  });
}
