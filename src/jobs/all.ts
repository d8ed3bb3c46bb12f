// The one list of jobs `npm start` runs, as commands/index.ts is the one list
// of commands: a sync per blog address among the sources, the petition and
// Napo checks, the store's retention, and (with Discord) the scheduled posts.
import type { Logger } from 'pino';
import type { OpenArchive } from '../app/archive.js';
import { type ChannelPoster, createScheduler } from '../app/deliveries.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { napoJob, petitionJob } from './campaign.js';
import type { Job } from './job.js';
import { retentionJob } from './retention.js';
import { scheduledPostsJob } from './scheduledPosts.js';
import { syncJob } from './sync.js';

export interface JobDependencies {
  archive: OpenArchive;
  config: Config;
  clock: Clock;
  log: Logger;
  /** Discord, when the bot is connected: scheduled posts need somewhere to go. */
  poster: ChannelPoster | null;
}

export function allJobs({ archive, config, clock, log, poster }: JobDependencies): Job[] {
  const { store } = archive;
  const blogs = config.ARCHIVE_SOURCES.filter((s) => /^https?:\/\//i.test(s));
  const napoFeed = config.NAPO_FEED_URL;
  return [
    ...blogs.map((blogUrl) => syncJob({ store, archive, blogUrl, every: config.SYNC_INTERVAL_MS, clock, log })),
    petitionJob(store, { id: Number(config.PETITION_ID) }, clock),
    retentionJob(store, clock, log),
    ...(napoFeed ? [napoJob(store, { feedUrl: napoFeed }, clock)] : []),
    ...(poster ? [scheduledPostsJob(createScheduler({ store, archive, poster, clock, log }))] : []),
  ];
}
