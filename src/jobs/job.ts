// What a job declares, as a command does: its name, how often it runs,
// whether only the leader process runs it, and the work itself.

export interface Job {
  name: string;
  /** Time between the starts of two runs, in ms. */
  every: number;
  /** Only the process that leads (syncs, polls the petition and Napo) runs it; every process runs the others. */
  leaderOnly: boolean;
  /** How long after start the first run comes (default at once); asked once, at start. */
  firstRunIn?: () => number;
  /** One run. `signal` is aborted when the bot stops: finish soon, leaving things resumable. */
  run(signal: AbortSignal): Promise<void>;
}

/**
 * How long a job that reads the network waits after the bot starts: the start settles first (the index loaded,
 * members' first answers given) before a feed or the petition site is read and undici loaded (~50 ms).
 */
export const START_SETTLES_MS = 10_000;

/**
 * When a periodic job's first run comes, from its last one (an ISO time, or null for never): once its interval is
 * up since then, after `startDelayMs` (the start settles first); else when the interval is up.
 */
export function firstRunFrom(last: string | null, every: number, nowMs: number, startDelayMs: number): number {
  const age = last === null ? Number.POSITIVE_INFINITY : nowMs - Date.parse(last);
  return age >= every ? startDelayMs : every - age;
}
