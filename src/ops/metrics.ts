// The operator's metrics in Prometheus's text format (prom-client): every
// interaction by command and outcome with its answer time, the deliveries
// ledger by state, each blog's last sync (age and result) and reconciliation
// (result), what the blog deleted since it was archived, the index's size
// and journal, whether the bot is healthy, and prom-client's own process
// metrics (event-loop delay, memory, CPU, handles). Store figures are read at
// scrape time, so nothing runs between scrapes.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { InteractionMetrics, InteractionOutcome } from '../discord/interactionMetrics.js';
import type { Repositories } from '../store/store.js';

const PREFIX = 'archive_bot_';
/** Answer times: Discord wants the first answer within 3 s; a full answer past 10 s is already a failure to a member. */
const ANSWER_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];
const DELIVERY_STATES = ['claimed', 'held', 'sent', 'skipped', 'failed'];

export interface MetricsSources {
  store: Pick<Repositories, 'operations' | 'syncs' | 'index' | 'deletions'>;
  /** The blog addresses synced (ARCHIVE_SOURCES' URLs). */
  blogs: readonly string[];
  now: () => Date;
  /** Why the bot is not healthy now; empty when it is (the same reasons /healthz gives). */
  problems: () => string[];
}

export interface Metrics {
  registry: Registry;
  interactions: InteractionMetrics;
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { store } = sources;
  /** A store figure for a scrape; a store closing under the scrape gives no value rather than a failed scrape. */
  const read = <T>(get: () => T): T | null => {
    if (!store.operations.isOpen()) return null;
    try {
      return get();
    } catch {
      return null;
    }
  };

  const interactions = new Counter({
    name: `${PREFIX}interactions_total`,
    help: 'Interactions (commands, autocomplete, buttons) by command and how they ended',
    labelNames: ['command', 'outcome'],
    registers: [registry],
  });
  const answerTime = new Histogram({
    name: `${PREFIX}interaction_duration_seconds`,
    help: 'Time from an interaction arriving to its answer sent (or its failure), by command and outcome',
    labelNames: ['command', 'outcome'],
    buckets: ANSWER_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: `${PREFIX}deliveries`,
    help: 'Scheduled posts in the deliveries ledger by state (kept 90 days)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const byState = read(() => store.operations.deliveriesByState());
      this.reset();
      if (!byState) return;
      for (const state of new Set([...DELIVERY_STATES, ...Object.keys(byState)]))
        this.set({ state }, byState[state] ?? 0);
    },
  });
  const syncs = () => sources.blogs.map((blog) => ({ blog, state: read(() => store.syncs.get(blog)) }));
  new Gauge({
    name: `${PREFIX}last_sync_age_seconds`,
    help: 'Seconds since each blog was last synced to the end (absent before the first complete sync)',
    labelNames: ['blog'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { blog, state } of syncs()) {
        if (state?.lastSuccess) this.set({ blog }, (sources.now().getTime() - Date.parse(state.lastSuccess)) / 1000);
      }
    },
  });
  new Gauge({
    name: `${PREFIX}last_sync_ok`,
    help: "1 when each blog's last sync attempt read its feeds to the end, 0 when it failed (absent before any attempt)",
    labelNames: ['blog'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { blog, state } of syncs()) if (state?.lastAttempt) this.set({ blog }, state.lastError ? 0 : 1);
    },
  });
  new Gauge({
    name: `${PREFIX}last_reconcile_ok`,
    help: "1 when each blog's last reconciliation read its feeds to the end and compared them, 0 when it failed (absent before any)",
    labelNames: ['blog'],
    registers: [registry],
    collect() {
      this.reset();
      for (const blog of sources.blogs) {
        const record = read(() => store.deletions.record(blog));
        if (record?.lastAttempt) this.set({ blog }, record.lastError ? 0 : 1);
      }
    },
  });
  new Gauge({
    name: `${PREFIX}blog_deleted`,
    help: 'Posts and comments the blog deleted since they were archived (found by reconciliation, not restored)',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = read(() => store.deletions.counts());
      if (!counts) return;
      this.set({ kind: 'post' }, counts.posts);
      this.set({ kind: 'comment' }, counts.comments);
    },
  });
  new Gauge({
    name: `${PREFIX}index_file_bytes`,
    help: 'Size of the saved search index (absent when there is none)',
    registers: [registry],
    collect() {
      this.reset();
      const bytes = read(() => store.index.fileBytes());
      if (bytes !== null) this.set(bytes);
    },
  });
  new Gauge({
    name: `${PREFIX}index_journal_entries`,
    help: 'Changes stored since the index was last rebuilt (a rebuild folds them in past 5,000 passages)',
    registers: [registry],
    collect() {
      this.reset();
      const entries = read(() => store.operations.journalLength());
      if (entries !== null) this.set(entries);
    },
  });
  new Gauge({
    name: `${PREFIX}healthy`,
    help: '1 when /healthz answers 200 (store open, index loaded, Discord connected), else 0',
    registers: [registry],
    collect() {
      this.set(sources.problems().length === 0 ? 1 : 0);
    },
  });

  const counters = new Map<string, Counter>();
  return {
    registry,
    interactions: {
      observe(command: string, outcome: InteractionOutcome, ms: number) {
        interactions.inc({ command, outcome });
        answerTime.observe({ command, outcome }, ms / 1000);
      },
      count(name: string, labels: Record<string, string> = {}) {
        let counter = counters.get(name);
        if (!counter) {
          counter = new Counter({
            name: `${PREFIX}${name}_total`,
            help: `${name.replace(/_/g, ' ')} (counted by the bot)`,
            labelNames: Object.keys(labels),
            registers: [registry],
          });
          counters.set(name, counter);
        }
        counter.inc(labels);
      },
    },
  };
}
