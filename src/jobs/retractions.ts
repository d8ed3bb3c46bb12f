// Posted passages retracted (src/app/retractions.ts): every process looks for the messages of the servers it
// serves that show something taken down since, every half minute; the ledger lets one edit each.
import type { RetractionReport } from '../app/retractions.js';
import type { Job } from './job.js';

export function retractionsJob(retractions: { tick(): Promise<RetractionReport> }): Job {
  return {
    name: 'retractions',
    every: 30_000,
    leaderOnly: false,
    async run() {
      await retractions.tick();
    },
  };
}
