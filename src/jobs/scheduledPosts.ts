// Digests and announcements, every half minute in every process: the ledger
// makes a second process harmless, and each delivers for its own servers.
import type { TickReport } from '../app/deliveries.js';
import type { Job } from './job.js';

export function scheduledPostsJob(scheduler: { tick(): Promise<TickReport> }): Job {
  return {
    name: 'scheduled posts',
    every: 30_000,
    leaderOnly: false,
    async run() {
      await scheduler.tick();
    },
  };
}
