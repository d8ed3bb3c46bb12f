// The daily backup (BACKUP_DIR): once a day the leader writes a checked copy
// of the database, archive-YYYY-MM-DD.sqlite (UTC date), and removes those
// older than a week. Asked hourly, so a bot that was down at midnight still
// writes today's soon after it starts; the copy runs in a child process.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Repositories } from '../store/store.js';
import type { Job } from './job.js';

export const BACKUP_DAYS_KEPT = 7;

export function backupJob(store: Pick<Repositories, 'backups'>, dir: string, clock: Clock, log: Logger): Job {
  return {
    name: 'backup',
    every: 3_600_000,
    leaderOnly: true,
    // Not in the first minute: members and a first sync go first.
    firstRunIn: () => 60_000,
    async run() {
      const today = clock.now().toISOString().slice(0, 10);
      const { written, removed } = await store.backups.daily(dir, today, BACKUP_DAYS_KEPT);
      if (written) log.info({ file: written.file, bytes: written.bytes, posts: written.posts }, 'daily backup written');
      if (removed.length > 0) log.info({ removed }, 'old daily backups removed');
    },
  };
}
