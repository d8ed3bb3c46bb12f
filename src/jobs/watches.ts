// Members' watches (src/app/watches.ts): every half minute the leading process sends the direct messages whose hour
// is over; the ledger keeps each to once, whoever leads after a crash or a restart.
import type { WatchDeliveryReport } from '../app/watches.js';
import type { Job } from './job.js';

export function watchDeliveriesJob(deliveries: { tick(): Promise<WatchDeliveryReport> }): Job {
  return {
    name: 'watch messages',
    every: 30_000,
    // Direct messages belong to no server, hence to no shard: one process sends them.
    leaderOnly: true,
    async run() {
      await deliveries.tick();
    },
  };
}
