// One leader per data directory: the process holding the lease syncs, polls
// the petition and Napo, and prunes; every process answers members and
// delivers. The holder renews its lease every 15 s; when it dies, another
// takes over within a minute (the 45 s lease plus one heartbeat).
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { LEADER_LEASE as LEASE } from '../store/leases.js';
import type { Repositories } from '../store/store.js';
import type { Job } from './job.js';

export const LEADER_LEASE_MS = 45_000;
const HEARTBEAT_MS = 15_000;

export interface Leadership {
  /** Whether this process leads now (its lease renewed and not yet run out). */
  isLeader(): boolean;
  /** The heartbeat, run by the job runner like any job, in every process. */
  job: Job;
  /** Give the lease up on a clean stop, so another process leads at once. */
  release(): void;
}

export function leadership(store: Pick<Repositories, 'leases'>, holder: string, clock: Clock, log: Logger): Leadership {
  let until = 0;
  const beat = () => {
    const now = clock.now().getTime();
    const was = until > now;
    const leads = store.leases.acquire(LEASE, holder, new Date(now).toISOString(), LEADER_LEASE_MS);
    until = leads ? now + LEADER_LEASE_MS : 0;
    if (leads !== was) log.info({ holder }, leads ? 'leading: this process syncs and polls' : 'no longer leading');
  };
  return {
    isLeader: () => until > clock.now().getTime(),
    job: {
      name: 'leadership',
      every: HEARTBEAT_MS,
      leaderOnly: false,
      async run() {
        beat();
      },
    },
    release() {
      store.leases.release(LEASE, holder);
      until = 0;
    },
  };
}
