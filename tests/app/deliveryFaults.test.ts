// Exactly once, under faults: the real scheduler and ledger (one store per
// process, on one data directory) posting through the bot's discord.js client
// into the fake Discord. For every fault at every step of a delivery — claim,
// send, record — for a single announcement and for a summary after downtime,
// with one process and with three, run to quiescence: each key ends as exactly
// one message in its channel, or as a terminal failure told once to the
// server's admins. Never zero without a notice, never two.
import { join } from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelPoster, createScheduler, DeliveryError, markerOf } from '../../src/app/deliveries.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { carriesMarker, channelPoster } from '../../src/discord/poster.js';
import type { DeliveryKey } from '../../src/store/deliveries.js';
import { connectionOf, openStore, type Store } from '../../src/store/store.js';
import { faults } from '../discord/fakeDiscord.js';
import { type Harness, startHarness } from '../discord/harness.js';
import { BLOG_URL, tempDir } from '../helpers.js';

const log = pino({ level: 'silent' });
const MINUTE = 60_000;
let archive: OpenArchive;
let harness: Harness;

beforeAll(async () => {
  archive = openArchive(join(tempDir(), 'bot'), BLOG_URL);
  harness = await startHarness(archive);
});
afterAll(async () => {
  await harness.stop();
  archive.close();
});

type Fault =
  | 'claim: database busy'
  | 'send: 5xx'
  | 'send: timeout'
  | 'send: reset after Discord created it'
  | 'send: crash before sending'
  | 'send: crash after sending'
  | 'record: database busy'
  | 'record: crash'
  | 'send: 400 invalid form body'
  | 'send: 403 missing access'
  | 'send: 404 unknown channel';
const TERMINAL: readonly Fault[] = [
  'send: 400 invalid form body',
  'send: 403 missing access',
  'send: 404 unknown channel',
];
const FAULTS: readonly Fault[] = [
  'claim: database busy',
  'send: 5xx',
  'send: timeout',
  'send: reset after Discord created it',
  'send: crash before sending',
  'send: crash after sending',
  'record: database busy',
  'record: crash',
  ...TERMINAL,
];

class Crash extends Error {}
const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

/** One "process": its own store connection and scheduler, with faults to inject once. */
interface Process {
  name: string;
  store: Store;
  faults: Fault[];
}

function processOn(dataDir: string, name: string): Process {
  return { name, store: openStore(dataDir), faults: [] };
}

/** The poster and the ledger as this process sees them, each failing once where its fault says. */
function faulty(p: Process, real: ChannelPoster) {
  const take = (fault: Fault) => {
    const i = p.faults.indexOf(fault);
    if (i < 0) return false;
    p.faults.splice(i, 1);
    return true;
  };
  const poster: ChannelPoster = {
    ...real,
    async send(channelId, dispatch, delivery) {
      if (take('send: 5xx')) throw new DeliveryError('transient', 'Discord: 503 Service Unavailable');
      if (take('send: timeout')) throw new DeliveryError('transient', 'Request aborted (timeout)');
      if (take('send: crash before sending')) throw new Crash('process died before sending');
      const rest = (fault: Fault, status: ReturnType<typeof faults.serverError>) => {
        if (take(fault)) harness.fake.failNext({ method: 'POST', path: `/channels/${channelId}/messages` }, status);
      };
      rest('send: 400 invalid form body', { status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
      rest('send: 403 missing access', faults.missingAccess());
      rest('send: 404 unknown channel', faults.unknownChannel());
      const sent = await real.send(channelId, dispatch, delivery);
      if (take('send: reset after Discord created it')) throw new DeliveryError('transient', 'socket hang up');
      if (take('send: crash after sending')) throw new Crash('process died after sending');
      return sent;
    },
  };
  const deliveries = {
    ...p.store.deliveries,
    claim: (...args: Parameters<Store['deliveries']['claim']>) => {
      if (take('claim: database busy')) throw busy();
      return p.store.deliveries.claim(...args);
    },
    markDelivered: (...args: Parameters<Store['deliveries']['markDelivered']>) => {
      if (take('record: database busy')) throw busy();
      if (take('record: crash')) throw new Crash('process died before recording');
      return p.store.deliveries.markDelivered(...args);
    },
  };
  return { poster, store: { settings: p.store.settings, deliveries, posted: p.store.posted } };
}

interface Case {
  shape: 'single' | 'burst';
  processes: number;
  /** Faults per step number of the run: [tick, process, fault]. */
  schedule: [number, number, Fault][];
}

interface Outcome {
  /** Messages in the channel carrying each delivery key's marker. */
  messages: Map<string, number>;
  /** Final ledger state of each key. */
  states: Map<string, string | null>;
  notices: number;
  ticks: number;
}

/** Set a server up with `items` new posts to announce in a fresh channel, then tick every live process each minute until nothing is claimed. */
async function run(c: Case): Promise<Outcome> {
  const { fake, bot } = harness;
  const dataDir = tempDir();
  const processes = Array.from({ length: c.processes }, (_, i) => processOn(dataDir, `P${i}`));
  const first = processes[0]!.store;
  const channel = fake.addChannel({ name: `faults-${Math.random().toString(36).slice(2, 8)}` });
  let now = Date.parse('2025-06-01T09:00:00Z');
  const clock = { now: () => new Date(now) };
  first.settings.update(fake.guild.id, { kind: 'posts', channel: channel.id }, clock.now().toISOString());
  now += MINUTE;
  const count = c.shape === 'single' ? 1 : 7;
  const keys = Array.from({ length: count }, (_, i) => `fake-${c.shape}-${i}`);
  for (const key of keys) {
    first.deliveries.announce(
      { kind: 'posts', key, title: `Fake post ${key}`, body: 'Made-up.', link: null },
      clock.now().toISOString(),
    );
  }
  const noticesBefore = fake.channelMessages(fake.guild.textChannel.id).length;
  const real = channelPoster(bot.client, BLOG_URL);
  let ticks = 0;
  const open = () =>
    connectionOf(first)
      .prepare("SELECT count(*) FROM deliveries WHERE state IN ('claimed', 'held')")
      .pluck()
      .get() as number;
  for (; ticks < 30; ticks++) {
    for (const [at, who, fault] of c.schedule) if (at === ticks) processes[who % processes.length]!.faults.push(fault);
    // Each tick is a fresh scheduler (a new instance name): a process that crashed is a new process after it.
    await Promise.all(
      processes.map(async (p, i) => {
        const { poster, store } = faulty(p, real);
        const scheduler = createScheduler({ store, archive, poster, clock, log, instance: `${p.name}-${ticks}-${i}` });
        try {
          await scheduler.tick();
        } catch (error) {
          if (!(error instanceof Crash)) throw error;
        }
      }),
    );
    // Discord forgets nonces within minutes; forgetting them every minute, nothing here leans on its de-duplication.
    fake.expireNonces();
    now += MINUTE;
    if (ticks > 3 && open() === 0 && processes.every((p) => p.faults.length === 0)) break;
  }
  const summaries = connectionOf(first)
    .prepare("SELECT key FROM deliveries WHERE kind = 'summary'")
    .pluck()
    .all() as string[];
  const all: DeliveryKey[] = [
    ...keys.map((key) => ({ guildId: fake.guild.id, kind: 'posts' as const, key })),
    ...summaries.map((key) => ({ guildId: fake.guild.id, kind: 'summary' as const, key })),
  ];
  const posted = fake.channelMessages(channel.id).filter((m) => m.author.id === fake.botUser.id);
  const messages = new Map(
    all.map((d) => [`${d.kind}:${d.key}`, posted.filter((m) => carriesMarker(m, markerOf(d))).length]),
  );
  const states = new Map(all.map((d) => [`${d.kind}:${d.key}`, first.deliveries.state(d)]));
  for (const p of processes) p.store.close();
  const notices = fake.channelMessages(fake.guild.textChannel.id).length - noticesBefore;
  return { messages, states, notices, ticks };
}

/** What the README promises: every key once, or failed for good with one notice; nothing left open. */
function expectExactlyOnce(outcome: Outcome, terminal: boolean) {
  const items = [...outcome.states].filter(([key]) => key.startsWith('posts:'));
  const summaries = [...outcome.states].filter(([key]) => key.startsWith('summary:'));
  expect([...outcome.states.values()].filter((s) => s === 'claimed' || s === 'held')).toEqual([]);
  if (terminal) {
    expect([...outcome.messages.values()].every((n) => n === 0)).toBe(true);
    expect(items.every(([, state]) => state === 'failed')).toBe(true);
    expect(outcome.notices).toBe(1);
    return;
  }
  expect(outcome.notices).toBe(0);
  expect(items.every(([, state]) => state === 'sent')).toBe(true);
  if (summaries.length > 0) {
    // Folded into one summary: the summary posted once, no item on its own.
    expect(summaries.map(([key]) => outcome.messages.get(key))).toEqual([1]);
    expect(items.every(([key]) => outcome.messages.get(key) === 0)).toBe(true);
  } else {
    expect(items.every(([key]) => outcome.messages.get(key) === 1)).toBe(true);
  }
}

describe('deliveries under faults (step × fault × shape × processes)', () => {
  const matrix = FAULTS.flatMap((fault) =>
    (['single', 'burst'] as const).flatMap((shape) => [1, 3].map((processes) => ({ fault, shape, processes }))),
  );
  it.each(matrix)('$fault, $shape, $processes process(es): exactly once, or failed with one notice', async (c) => {
    const outcome = await run({ shape: c.shape, processes: c.processes, schedule: [[0, 0, c.fault]] });
    expectExactlyOnce(outcome, TERMINAL.includes(c.fault));
  });
});

describe('deliveries under random fault schedules (property)', () => {
  it('never posts a key twice, and never leaves one unposted without a notice', async () => {
    const transient = FAULTS.filter((f) => !TERMINAL.includes(f));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'single' | 'burst'>('single', 'burst'),
        fc.integer({ min: 1, max: 3 }),
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom(...transient)),
          {
            maxLength: 6,
          },
        ),
        async (shape, processes, schedule) => {
          expectExactlyOnce(await run({ shape, processes, schedule }), false);
        },
      ),
      { seed: 20261202, numRuns: 25 },
    );
  }, 120_000);
});
