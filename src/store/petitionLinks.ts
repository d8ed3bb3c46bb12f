// Petition links found in new blog posts: each petition once, with the post it
// was first found in. Offered to server admins (/config petition), and followed
// only once one of them adds it: a link in a post is never followed by itself.
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

export interface PetitionLinkOffer {
  petitionId: number;
  /** The post it was first found in: its id and title (archive text). */
  postId: string;
  postTitle: string;
  /** ISO time it was found. */
  foundAt: string;
}

/** Record petition `petitionId` as found in `post`, unless it was found before: true when it is new. */
export function recordPetitionLink(
  db: Db,
  petitionId: number,
  post: { id: string; title: string },
  now: string,
): boolean {
  return (
    prepared(
      db,
      `INSERT INTO petition_links (petition_id, post_id, post_title, found_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (petition_id) DO NOTHING`,
    ).run(petitionId, post.id, post.title, new Date(now).toISOString()).changes === 1
  );
}

export interface PetitionLinkRepository {
  /** Petitions found in posts and not added yet, the newest first. */
  offered(): PetitionLinkOffer[];
  /** Petitions an admin added, in the order they were added. */
  added(): number[];
  /** Follow a petition offered: false when it was not offered (never found, or added already). */
  add(petitionId: number, by: string, now: string): boolean;
}

export function petitionLinkRepository(db: Db): PetitionLinkRepository {
  return guarded(db, {
    offered: () =>
      prepared<PetitionLinkOffer>(
        db,
        `SELECT petition_id AS petitionId, post_id AS postId, post_title AS postTitle, found_at AS foundAt
         FROM petition_links WHERE added_at IS NULL ORDER BY found_at DESC, petition_id`,
      ).all(),
    added: () =>
      prepared<number>(
        db,
        'SELECT petition_id FROM petition_links WHERE added_at IS NOT NULL ORDER BY added_at, petition_id',
      )
        .pluck()
        .all(),
    add: (petitionId: number, by: string, now: string) =>
      prepared(
        db,
        'UPDATE petition_links SET added_at = ?, added_by = ? WHERE petition_id = ? AND added_at IS NULL',
      ).run(new Date(now).toISOString(), by, petitionId).changes === 1,
  });
}
