// Scheduled posts' ledger: the announcements waiting to go out (each once) and
// every delivery, unique per (server, kind, key). A delivery is claimed (a row
// under a unique key) before it is sent and marked sent after; a claim left
// by a crash is taken over only once its lease has run out, and keeps its
// nonce and the time of its first attempt, so a resend inside Discord's nonce
// window is recognised and one past it looks for the message first. Every
// change is conditional on who holds the claim, and nothing overwrites `sent`.
// Announcements folded into a summary are `held` by it and closed with it.
import type { Db } from './db.js';
import type { AnnouncementKind, DeliveryKind } from './settings.js';
import { guarded, prepared } from './statements.js';

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
    prepared(
      db,
      'INSERT INTO announcements (kind, key, title, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ).run(a.kind, a.key, a.title, a.body, a.link, now).changes === 1
  );
}

/** Whether an announcement of `kind` linking to `link` was made under any of `keys`: news announced under a former key. */
export function announcedUnder(db: Db, kind: AnnouncementKind, keys: readonly string[], link: string): boolean {
  if (keys.length === 0) return false;
  return (
    prepared<number>(
      db,
      'SELECT count(*) FROM announcements WHERE kind = ? AND link = ? AND key IN (SELECT value FROM json_each(?))',
    )
      .pluck()
      .get(kind, link, JSON.stringify(keys))! > 0
  );
}

/** Announcements of a kind made since `since` and not delivered, held or given up for this server, oldest first. */
function pendingAnnouncements(db: Db, guildId: string, kind: AnnouncementKind, since: string): Announcement[] {
  return prepared<Announcement>(
    db,
    `SELECT a.id, a.kind, a.key, a.title, a.body, a.link, a.created_at AS createdAt FROM announcements a
     WHERE a.kind = ? AND a.created_at >= ?
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.guild_id = ? AND d.kind = a.kind AND d.key = a.key AND d.state != 'claimed')
     ORDER BY a.created_at, a.id`,
  ).all(kind, since, guildId);
}

function announcementsByKeys(db: Db, kind: AnnouncementKind, keys: readonly string[]): Announcement[] {
  return prepared<Announcement>(
    db,
    `SELECT id, kind, key, title, body, link, created_at AS createdAt FROM announcements
     WHERE kind = ? AND key IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`,
  ).all(kind, JSON.stringify(keys));
}

export interface DeliveryKey {
  guildId: string;
  /** `thread`: a new post's thread started; `comments`: a batch of its comments mirrored there; `watch`: a member's hourly direct message. */
  kind: DeliveryKind | 'notice' | 'summary' | 'retraction' | 'thread' | 'comments' | 'watch';
  key: string;
}

export interface ClaimRequest extends DeliveryKey {
  channelId: string | null;
  nonce: string;
  /** The process claiming (claims are conditional on it). */
  by: string;
  now: string;
  leaseMs: number;
}

export type Claim =
  | { claimed: true; nonce: string; attempts: number; recovering: boolean; firstAttemptAt: string }
  | { claimed: false; state: string };

interface DeliveryRow {
  state: string;
  nonce: string;
  claimed_at: string;
  claimed_by: string;
  first_attempt_at: string;
  attempts: number;
}

const rowOf = (db: Db, d: DeliveryKey) =>
  prepared<DeliveryRow>(
    db,
    'SELECT state, nonce, claimed_at, claimed_by, first_attempt_at, attempts FROM deliveries WHERE guild_id = ? AND kind = ? AND key = ?',
  ).get(d.guildId, d.kind, d.key);

/**
 * Claim a delivery before sending it. Fresh: the row is new. Recovering: an
 * earlier claim (a crash between send and record, a process that died, a send
 * that failed) whose lease ran out; it may have been sent already, and keeps
 * its nonce and first attempt.
 */
function claimDelivery(db: Db, d: ClaimRequest): Claim {
  return db
    .transaction((): Claim => {
      const inserted =
        prepared(
          db,
          `INSERT INTO deliveries (guild_id, kind, key, channel_id, state, nonce, claimed_at, claimed_by, first_attempt_at)
         VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        ).run(d.guildId, d.kind, d.key, d.channelId, d.nonce, d.now, d.by, d.now).changes === 1;
      if (inserted) return { claimed: true, nonce: d.nonce, attempts: 1, recovering: false, firstAttemptAt: d.now };
      return takeOver(db, d);
    })
    .immediate();
}

/** A claim whose lease ran out, taken over only if nobody took it meanwhile. */
function takeOver(db: Db, d: ClaimRequest): Claim {
  const row = rowOf(db, d)!;
  if (row.state !== 'claimed' || Date.parse(row.claimed_at) + d.leaseMs > Date.parse(d.now))
    return { claimed: false, state: row.state };
  const taken =
    prepared(
      db,
      `UPDATE deliveries SET claimed_at = ?, claimed_by = ?, attempts = attempts + 1
       WHERE guild_id = ? AND kind = ? AND key = ? AND state = 'claimed' AND claimed_at = ? AND claimed_by = ?`,
    ).run(d.now, d.by, d.guildId, d.kind, d.key, row.claimed_at, row.claimed_by).changes === 1;
  if (!taken) return { claimed: false, state: 'claimed' };
  return {
    claimed: true,
    nonce: row.nonce,
    attempts: row.attempts + 1,
    recovering: true,
    firstAttemptAt: row.first_attempt_at,
  };
}

/**
 * Fold announcements into one summary, claimed by `by`: the summary row lists
 * what it covers, each item is `held` by it. Null, with nothing written, when
 * any item already has a row (another process is sending it or holds it).
 */
function claimSummary(db: Db, d: ClaimRequest & { kind: 'summary'; items: readonly DeliveryKey[] }): Claim | null {
  return db
    .transaction((): Claim | null => {
      const taken = prepared<number>(
        db,
        `SELECT count(*) FROM deliveries WHERE guild_id = ? AND kind = ? AND key IN (SELECT value FROM json_each(?))`,
      );
      const kind = d.items[0]?.kind ?? 'posts';
      const keys = d.items.map((i) => i.key);
      if (taken.pluck().get(d.guildId, kind, JSON.stringify(keys))! > 0) return null;
      const inserted =
        prepared(
          db,
          `INSERT INTO deliveries (guild_id, kind, key, channel_id, state, nonce, claimed_at, claimed_by, first_attempt_at, covers)
         VALUES (?, 'summary', ?, ?, 'claimed', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        ).run(d.guildId, d.key, d.channelId, d.nonce, d.now, d.by, d.now, JSON.stringify({ kind, keys })).changes === 1;
      if (!inserted) return null;
      const hold = prepared(
        db,
        `INSERT INTO deliveries (guild_id, kind, key, channel_id, state, nonce, claimed_at, claimed_by, first_attempt_at, summary_key)
       VALUES (?, ?, ?, ?, 'held', '', ?, ?, ?, ?)`,
      );
      for (const item of d.items) hold.run(d.guildId, item.kind, item.key, d.channelId, d.now, d.by, d.now, d.key);
      return { claimed: true, nonce: d.nonce, attempts: 1, recovering: false, firstAttemptAt: d.now };
    })
    .immediate();
}

/** A summary not yet sent (or given up), with what it covers: the next tick carries it on. */
export interface OpenSummary {
  key: string;
  channelId: string | null;
  announcements: Announcement[];
}

function openSummary(db: Db, guildId: string, kind: AnnouncementKind): OpenSummary | null {
  const rows = prepared<{ key: string; channel_id: string | null; covers: string }>(
    db,
    `SELECT key, channel_id, covers FROM deliveries WHERE guild_id = ? AND kind = 'summary' AND state = 'claimed'`,
  ).all(guildId);
  for (const row of rows) {
    const covers = JSON.parse(row.covers) as { kind: AnnouncementKind; keys: string[] };
    if (covers.kind !== kind) continue;
    return { key: row.key, channelId: row.channel_id, announcements: announcementsByKeys(db, kind, covers.keys) };
  }
  return null;
}

/** How a claim ends: sent (with the message), or failed for good (with why). */
type Outcome = { state: 'sent'; messageId: string | null } | { state: 'failed'; reason: string };

/**
 * Close a claim held by `by`, and the items a summary holds, in one
 * transaction. False when the claim is not `by`'s any more (another process
 * took it over): nothing is written, and `sent` is never overwritten.
 */
function finish(db: Db, d: DeliveryKey, by: string, outcome: Outcome, now: string): boolean {
  return db
    .transaction((): boolean => {
      const messageId = outcome.state === 'sent' ? outcome.messageId : null;
      const reason = outcome.state === 'failed' ? outcome.reason : null;
      const closed =
        prepared(
          db,
          `UPDATE deliveries SET state = ?, sent_at = ?, message_id = ?, reason = ?
         WHERE guild_id = ? AND kind = ? AND key = ? AND state = 'claimed' AND claimed_by = ?`,
        ).run(outcome.state, now, messageId, reason, d.guildId, d.kind, d.key, by).changes === 1;
      if (closed && d.kind === 'summary') {
        prepared(
          db,
          `UPDATE deliveries SET state = ?, sent_at = ?, message_id = ?, reason = ?
         WHERE guild_id = ? AND summary_key = ? AND state = 'held'`,
        ).run(outcome.state, now, messageId, reason, d.guildId, d.key);
      }
      return closed;
    })
    .immediate();
}

function deliveryState(db: Db, d: DeliveryKey): string | null {
  return rowOf(db, d)?.state ?? null;
}

/** A delivery given up on, as /config show lists it. */
export interface FailedDelivery {
  kind: string;
  key: string;
  at: string;
  reason: string;
}

function recentFailures(db: Db, guildId: string, limit: number): FailedDelivery[] {
  return prepared<FailedDelivery>(
    db,
    `SELECT kind, key, sent_at AS at, coalesce(reason, 'no reason recorded') AS reason FROM deliveries
     WHERE guild_id = ? AND state = 'failed' AND summary_key IS NULL ORDER BY sent_at DESC LIMIT ?`,
  ).all(guildId, limit);
}

export interface DeliveryRepository {
  /** Queue an announcement once: the same (kind, key) again is ignored. True when it is new. */
  announce(a: Omit<Announcement, 'id' | 'createdAt'>, now: string): boolean;
  /** Whether an announcement of `kind` linking to `link` was made under any of `keys` (news announced under former keys). */
  announcedUnder(kind: AnnouncementKind, keys: readonly string[], link: string): boolean;
  pending(guildId: string, kind: AnnouncementKind, since: string): Announcement[];
  claim(d: ClaimRequest): Claim;
  /** Fold `items` into the summary `d.key`; null when any of them is taken already. */
  claimSummary(d: ClaimRequest & { kind: 'summary'; items: readonly DeliveryKey[] }): Claim | null;
  openSummary(guildId: string, kind: AnnouncementKind): OpenSummary | null;
  /** Sent (or found sent): false when the claim is no longer `by`'s. */
  markDelivered(d: DeliveryKey, by: string, messageId: string | null, now: string): boolean;
  /** Given up for good, with why: false when the claim is no longer `by`'s. */
  fail(d: DeliveryKey, by: string, reason: string, now: string): boolean;
  state(d: DeliveryKey): string | null;
  recentFailures(guildId: string, limit: number): FailedDelivery[];
}

export function deliveryRepository(db: Db): DeliveryRepository {
  return guarded(db, {
    announce: (a: Omit<Announcement, 'id' | 'createdAt'>, now: string) => addAnnouncement(db, a, now),
    announcedUnder: (kind: AnnouncementKind, keys: readonly string[], link: string) =>
      announcedUnder(db, kind, keys, link),
    pending: (guildId: string, kind: AnnouncementKind, since: string) => pendingAnnouncements(db, guildId, kind, since),
    claim: (d: ClaimRequest) => claimDelivery(db, d),
    claimSummary: (d: ClaimRequest & { kind: 'summary'; items: readonly DeliveryKey[] }) => claimSummary(db, d),
    openSummary: (guildId: string, kind: AnnouncementKind) => openSummary(db, guildId, kind),
    markDelivered: (d: DeliveryKey, by: string, messageId: string | null, now: string) =>
      finish(db, d, by, { state: 'sent', messageId }, now),
    fail: (d: DeliveryKey, by: string, reason: string, now: string) =>
      finish(db, d, by, { state: 'failed', reason }, now),
    state: (d: DeliveryKey) => deliveryState(db, d),
    recentFailures: (guildId: string, limit: number) => recentFailures(db, guildId, limit),
  });
}
