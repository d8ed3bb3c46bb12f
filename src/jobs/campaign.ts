// The campaign's live sources polled by the leader: each petition every 15
// minutes (milestones announced), Napo's feed every 30 (new items announced).
import { type AnnouncementStore, announceNapoNews, announcePetitionMilestones } from '../app/announcements.js';
import { type CampaignStore, currentNapoNews, currentPetition } from '../app/campaign.js';
import type { Clock } from '../clock.js';
import type { NetworkPolicy } from '../sources/network.js';
import { type Job, START_SETTLES_MS } from './job.js';

type Store = CampaignStore & AnnouncementStore;

export function petitionJob(
  store: Store,
  petition: {
    id: number;
    ids?: readonly number[];
    /** The petitions to poll, read at each run (those configured and those admins added); default `ids`. */
    followed?: () => readonly number[];
    baseUrl?: string;
    network?: NetworkPolicy;
    localSite?: string;
  },
  clock: Clock,
): Job {
  const now = () => clock.now();
  return {
    name: 'petition check',
    every: 15 * 60_000,
    leaderOnly: true,
    // Not at the very start: members' first answers come first. /petition reads the site itself when it has nothing.
    firstRunIn: () => START_SETTLES_MS,
    async run(signal) {
      // One after the other: the site is asked once at a time. A petition the site cannot give is skipped this round
      // (currentPetition keeps why), the others still polled.
      const ids = petition.followed?.() ?? (petition.ids?.length ? petition.ids : [petition.id]);
      for (const petitionId of ids) {
        if (signal.aborted) return;
        await currentPetition(store, {
          petitionId,
          ...(petition.baseUrl !== undefined && { baseUrl: petition.baseUrl }),
          ...(petition.network !== undefined && { network: petition.network }),
          ...(petition.localSite !== undefined && { localSite: petition.localSite }),
          now,
          freshForMs: 0,
        });
        announcePetitionMilestones(store, petitionId, now().toISOString());
      }
    },
  };
}

export function napoJob(store: Store, napo: { feedUrl: string; network?: NetworkPolicy }, clock: Clock): Job {
  const now = () => clock.now();
  return {
    name: 'Napo check',
    every: 30 * 60_000,
    leaderOnly: true,
    firstRunIn: () => START_SETTLES_MS,
    async run() {
      await currentNapoNews(store, {
        feedUrl: napo.feedUrl,
        ...(napo.network !== undefined && { network: napo.network }),
        now,
        maxAgeMs: 0,
      });
      announceNapoNews(store, napo.feedUrl, now().toISOString());
    },
  };
}
