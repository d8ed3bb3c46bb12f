// What the bot keeps about a member, and only at their asking: the
// constituency they chose with `/petition mine` (a name and its ONS code,
// never a postcode), kept until they clear it.
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

export interface MemberConstituency {
  name: string;
  onsCode: string;
  /** ISO time it was chosen. */
  setAt: string;
}

export interface MemberRepository {
  constituencyOf(userId: string): MemberConstituency | null;
  setConstituency(userId: string, constituency: { name: string; onsCode: string }, at: string): void;
  /** True when there was one to clear. */
  clearConstituency(userId: string): boolean;
}

export function memberRepository(db: Db): MemberRepository {
  return guarded(db, {
    constituencyOf: (userId: string) =>
      prepared<MemberConstituency>(
        db,
        'SELECT name, ons_code AS onsCode, set_at AS setAt FROM member_constituencies WHERE user_id = ?',
      ).get(userId) ?? null,
    setConstituency(userId: string, constituency: { name: string; onsCode: string }, at: string) {
      prepared(
        db,
        `INSERT INTO member_constituencies (user_id, name, ons_code, set_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, ons_code = excluded.ons_code, set_at = excluded.set_at`,
      ).run(userId, constituency.name, constituency.onsCode, new Date(at).toISOString());
    },
    clearConstituency: (userId: string) =>
      prepared(db, 'DELETE FROM member_constituencies WHERE user_id = ?').run(userId).changes > 0,
  });
}
