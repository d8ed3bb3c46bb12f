// Keeps the store the size a year of running should leave it: old petition
// snapshots thinned, old deliveries, announcements and Napo news removed.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Repositories } from '../store/store.js';
import type { Job } from './job.js';

export function retentionJob(store: Pick<Repositories, 'retention'>, clock: Clock, log: Logger): Job {
  return {
    name: 'retention',
    every: 6 * 3_600_000,
    leaderOnly: true,
    firstRunIn: () => 5 * 60_000,
    async run() {
      const removed = store.retention.prune(clock.now().toISOString());
      if (Object.values(removed).some((n) => n > 0)) log.info(removed, 'old rows removed');
    },
  };
}
