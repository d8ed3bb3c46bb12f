// Scheduled posts' ledger: the announcements waiting to go out (each once) and
// every delivery, unique per (server, kind, key). A delivery is claimed (a row
// under a unique key) before it is sent and marked sent after; a claim left
// by a crash is taken over only once its lease has run out, and keeps its
// nonce so Discord can tell a resend from a new message.
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

/** Announcements of a kind made since `since` and not yet delivered (or skipped) for this server, oldest first. */
function pendingAnnouncements(db: Db, guildId: string, kind: AnnouncementKind, since: string): Announcement[] {
  return prepared<Announcement>(
    db,
    `SELECT a.id, a.kind, a.key, a.title, a.body, a.link, a.created_at AS createdAt FROM announcements a
     WHERE a.kind = ? AND a.created_at >= ?
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.guild_id = ? AND d.kind = a.kind AND d.key = a.key AND d.state != 'claimed')
     ORDER BY a.created_at, a.id`,
  ).all(kind, since, guildId);
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
function claimDelivery(
  db: Db,
  d: DeliveryKey & { channelId: string | null; nonce: string; by: string; now: string; leaseMs: number },
): Claim {
  return db.transaction((): Claim => {
    const inserted =
      prepared(
        db,
        `INSERT INTO deliveries (guild_id, kind, key, channel_id, state, nonce, claimed_at, claimed_by)
       VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(d.guildId, d.kind, d.key, d.channelId, d.nonce, d.now, d.by).changes === 1;
    if (inserted) return { claimed: true, nonce: d.nonce, attempts: 1, recovering: false, claimedAt: d.now };
    const row = prepared<{ state: string; nonce: string; claimed_at: string; attempts: number }>(
      db,
      'SELECT state, nonce, claimed_at, attempts FROM deliveries WHERE guild_id = ? AND kind = ? AND key = ?',
    ).get(d.guildId, d.kind, d.key)!;
    if (row.state !== 'claimed' || Date.parse(row.claimed_at) + d.leaseMs > Date.parse(d.now))
      return { claimed: false, state: row.state };
    const taken =
      prepared(
        db,
        `UPDATE deliveries SET claimed_at = ?, claimed_by = ?, attempts = attempts + 1
       WHERE guild_id = ? AND kind = ? AND key = ? AND state = 'claimed' AND claimed_at = ?`,
      ).run(d.now, d.by, d.guildId, d.kind, d.key, row.claimed_at).changes === 1;
    if (!taken) return { claimed: false, state: 'claimed' };
    return { claimed: true, nonce: row.nonce, attempts: row.attempts + 1, recovering: true, claimedAt: row.claimed_at };
  })();
}

/** The delivery went out (or was found already out): never again. */
function markDelivered(db: Db, d: DeliveryKey, messageId: string | null, now: string): void {
  prepared(
    db,
    "UPDATE deliveries SET state = 'sent', sent_at = ?, message_id = ? WHERE guild_id = ? AND kind = ? AND key = ?",
  ).run(now, messageId, d.guildId, d.kind, d.key);
}

/** Will not be sent: `skipped` (folded into a summary, or its channel is gone), `failed` (given up). */
function closeDelivery(db: Db, d: DeliveryKey, state: 'skipped' | 'failed', now: string): void {
  prepared(
    db,
    `INSERT INTO deliveries (guild_id, kind, key, state, nonce, claimed_at, claimed_by) VALUES (?, ?, ?, ?, '', ?, '')
     ON CONFLICT(guild_id, kind, key) DO UPDATE SET state = excluded.state`,
  ).run(d.guildId, d.kind, d.key, state, now);
}

/** Let a claim go without sending (a failure worth retrying on the next tick). */
function releaseDelivery(db: Db, d: DeliveryKey): void {
  prepared(db, "DELETE FROM deliveries WHERE guild_id = ? AND kind = ? AND key = ? AND state = 'claimed'").run(
    d.guildId,
    d.kind,
    d.key,
  );
}

function deliveryState(db: Db, d: DeliveryKey): string | null {
  return (
    prepared<string>(db, 'SELECT state FROM deliveries WHERE guild_id = ? AND kind = ? AND key = ?')
      .pluck()
      .get(d.guildId, d.kind, d.key) ?? null
  );
}

export interface DeliveryRepository {
  /** Queue an announcement once: the same (kind, key) again is ignored. True when it is new. */
  announce(a: Omit<Announcement, 'id' | 'createdAt'>, now: string): boolean;
  pending(guildId: string, kind: AnnouncementKind, since: string): Announcement[];
  claim(d: Parameters<typeof claimDelivery>[1]): Claim;
  markDelivered(d: DeliveryKey, messageId: string | null, now: string): void;
  close(d: DeliveryKey, state: 'skipped' | 'failed', now: string): void;
  /** Close several at once, in one transaction (the items a summary stands for). */
  closeAll(ds: readonly DeliveryKey[], state: 'skipped' | 'failed', now: string): void;
  release(d: DeliveryKey): void;
  state(d: DeliveryKey): string | null;
}

export function deliveryRepository(db: Db): DeliveryRepository {
  return guarded(db, {
    announce: (a: Omit<Announcement, 'id' | 'createdAt'>, now: string) => addAnnouncement(db, a, now),
    pending: (guildId: string, kind: AnnouncementKind, since: string) => pendingAnnouncements(db, guildId, kind, since),
    claim: (d: Parameters<typeof claimDelivery>[1]) => claimDelivery(db, d),
    markDelivered: (d: DeliveryKey, messageId: string | null, now: string) => markDelivered(db, d, messageId, now),
    close: (d: DeliveryKey, state: 'skipped' | 'failed', now: string) => closeDelivery(db, d, state, now),
    closeAll: (ds: readonly DeliveryKey[], state: 'skipped' | 'failed', now: string) =>
      db.transaction(() => {
        for (const d of ds) closeDelivery(db, d, state, now);
      })(),
    release: (d: DeliveryKey) => releaseDelivery(db, d),
    state: (d: DeliveryKey) => deliveryState(db, d),
  });
}
