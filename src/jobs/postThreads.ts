// New posts' threads and their comments, every half minute in every process,
// just as scheduled posts: the ledger makes a second process harmless, and each
// serves its own servers; the batches themselves keep their few minutes apart.
import type { PostThreadReport } from '../app/postThreads.js';
import type { Job } from './job.js';

export function postThreadsJob(threads: { tick(): Promise<PostThreadReport> }): Job {
  return {
    name: 'post threads',
    every: 30_000,
    leaderOnly: false,
    async run() {
      await threads.tick();
    },
  };
}
