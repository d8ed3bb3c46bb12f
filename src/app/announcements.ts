// What stored changes announce: a new post (written with the post, by the
// sync), petition milestones crossed since the last check, Napo news first
// seen since announcing began. Each check writes its announcements and its
// checkpoint in one transaction, so a crash repeats a check rather than
// losing or doubling what it found.
import type { Post } from '../archive/model.js';
import { petitionMilestones } from '../digest/milestones.js';
import { petitionLink } from '../digest/petition.js';
import type { Repositories } from '../store/store.js';

/** A new post's announcement: its title, its opening lines and its link. */
export function postAnnouncement(post: Pick<Post, 'title' | 'text' | 'url'>): {
  title: string;
  body: string;
  link: string | null;
} {
  const opening = post.text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 3)
    .join('\n');
  return { title: post.title, body: opening, link: post.url };
}

export type AnnouncementStore = Pick<Repositories, 'petition' | 'news' | 'deliveries' | 'meta' | 'transaction'>;

/** A petition milestone's key in the ledger: the petition's number, then the milestone's (`651215:threshold:10000`). */
export function petitionMilestoneKey(petitionId: number, milestoneKey: string): string {
  return `${petitionId}:${milestoneKey}`;
}

/**
 * Petition milestones since the last snapshot this check looked at (a
 * /petition in between stores snapshots too, and must not hide a crossing).
 */
export function announcePetitionMilestones(store: AnnouncementStore, petitionId: number, now: string): number {
  return store.transaction(() => {
    const latest = store.petition.latest(petitionId);
    if (!latest) return 0;
    const metaKey = `petition_milestones_checked:${petitionId}`;
    const checked = store.meta.get(metaKey);
    const previous = checked
      ? (store.petition.since(petitionId, checked).find((s) => s.takenAt === checked) ?? null)
      : null;
    let added = 0;
    if (!checked || previous) {
      const link = petitionLink(petitionId);
      for (const m of petitionMilestones(previous, latest)) {
        // News said under a key it had before is not news again: keys were once the milestone's alone (one petition
        // was followed), so those with this petition's link stand for it.
        if (store.deliveries.announcedUnder('petition', [m.key, ...(m.formerly ?? [])], link)) continue;
        const body = m.quote ? `${m.text} The government said: “${m.quote}”` : m.text;
        const key = petitionMilestoneKey(petitionId, m.key);
        if (store.deliveries.announce({ kind: 'petition', key, title: latest.title, body, link }, now)) {
          added++;
        }
      }
    }
    store.meta.set(metaKey, latest.takenAt);
    return added;
  });
}

/** Where the time of a feed's first successful read is kept: what that read found is history, not news. */
export function napoHistoryKey(feedUrl: string): string {
  return `napo_history:${feedUrl}`;
}

/**
 * Napo items of this feed first seen after its first successful read (that
 * read is history, not news; a failed first read marks nothing, and a new
 * feed address starts its own history) and not yet announced.
 */
export function announceNapoNews(store: AnnouncementStore, feedUrl: string, now: string): number {
  return store.transaction(() => {
    const from = store.meta.get(napoHistoryKey(feedUrl));
    if (!from) return 0;
    let added = 0;
    for (const item of store.news.unannounced(from, feedUrl)) {
      const announcement = { kind: 'napo' as const, key: item.id, title: item.title, body: item.summary ?? '' };
      if (store.deliveries.announce({ ...announcement, link: item.link }, now)) added++;
    }
    return added;
  });
}
