// The one list of jobs `npm start` runs, as commands/index.ts is the one list
// of commands: a sync per blog address among the sources, the petition and
// Napo checks, the reconciliation per blog address that follows its deletions
// (RECONCILE_EVERY), the store's retention, the daily backup (BACKUP_DIR), and (with
// Discord) the scheduled posts, the retraction of posted passages taken down since, and members' watch messages.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { OpenArchive } from '../app/archive.js';
import { campaignSources, campaignWeek, followedPetitions } from '../app/campaign.js';
import { backupJob } from './backup.js';
import { type ChannelPoster, createScheduler } from '../app/deliveries.js';
import { createPostThreads } from '../app/postThreads.js';
import { createRetractions } from '../app/retractions.js';
import { createWatchDeliveries, watchMatcher } from '../app/watches.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { napoJob, petitionJob } from './campaign.js';
import { postThreadsJob } from './postThreads.js';
import type { Job } from './job.js';
import { type Leadership, leadership } from './leadership.js';
import { indexRefreshJob } from './indexRefresh.js';
import { reconcileJob } from './reconcile.js';
import { retentionJob } from './retention.js';
import { retractionsJob } from './retractions.js';
import { scheduledPostsJob } from './scheduledPosts.js';
import { syncJob } from './sync.js';
import { watchDeliveriesJob } from './watches.js';

export interface JobDependencies {
  archive: OpenArchive;
  config: Config;
  clock: Clock;
  log: Logger;
  /** Discord, when the bot is connected: scheduled posts need somewhere to go. */
  poster: ChannelPoster | null;
}

/** Every job, and this process's leadership (leader-only jobs run only while it leads). */
export function allJobs({ archive, config, clock, log, poster }: JobDependencies): { jobs: Job[]; leader: Leadership } {
  const { store } = archive;
  const leader = leadership(store, `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`, clock, log);
  const blogs = config.ARCHIVE_SOURCES.filter((s) => /^https?:\/\//i.test(s));
  const { petition, napo } = campaignSources(config);
  const reconcileEvery = config.RECONCILE_EVERY_MS;
  // The weekly round-up's petition and news: what the petition and Napo jobs stored.
  const week = campaignWeek(store, petition.id);
  const jobs = [
    leader.job,
    ...blogs.map((blogUrl) =>
      syncJob({
        store,
        archive,
        blogUrl,
        every: config.SYNC_INTERVAL_MS,
        clock,
        log,
        sync: { blogUrls: [config.BLOG_URL, ...blogs] },
        watches: () => watchMatcher(store),
      }),
    ),
    ...(reconcileEvery === null
      ? []
      : blogs.map((blogUrl) =>
          reconcileJob({
            store,
            archive,
            blogUrl,
            every: reconcileEvery,
            clock,
            log,
            feeds: { blogUrls: [config.BLOG_URL, ...blogs] },
          }),
        )),
    petitionJob(store, { ...petition, followed: () => followedPetitions(store, petition.ids ?? [petition.id]) }, clock),
    retentionJob(store, clock, log),
    indexRefreshJob(archive, log),
    ...(napo.feedUrl ? [napoJob(store, { feedUrl: napo.feedUrl }, clock)] : []),
    ...(config.BACKUP_DIR ? [backupJob(store, config.BACKUP_DIR, clock, log)] : []),
    ...(poster
      ? [
          scheduledPostsJob(createScheduler({ store, archive, poster, campaignWeek: week, clock, log })),
          retractionsJob(createRetractions({ store, archive, poster, campaignWeek: week, clock, log })),
          watchDeliveriesJob(createWatchDeliveries({ store, poster, clock, log })),
          postThreadsJob(
            createPostThreads({ store, archive, poster, clock, log, mirrorDays: config.POST_THREAD_DAYS }),
          ),
        ]
      : []),
  ];
  return { jobs, leader };
}
