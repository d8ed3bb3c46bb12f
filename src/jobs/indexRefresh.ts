// Every process keeps its loaded index in step with the store, not only the
// leader whose syncs write it: a follower answering members catches up with
// the journal each minute (cheap when nothing changed), and loads the file
// another process rebuilt.
import type { Logger } from 'pino';
import type { ArchiveService } from '../app/archive.js';
import type { Job } from './job.js';

export function indexRefreshJob(archive: Pick<ArchiveService, 'refresh'>, log: Logger): Job {
  return {
    name: 'index refresh',
    every: 60_000,
    leaderOnly: false,
    firstRunIn: () => 60_000,
    async run() {
      const { changedPosts } = archive.refresh();
      if (changedPosts > 0) log.info({ changedPosts }, 'search index caught up');
    },
  };
}
