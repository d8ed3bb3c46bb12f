// The bot as tests run it: a fake Discord on 127.0.0.1, the bot's own
// startBot with the real command list, and its log lines captured.
import { Writable } from 'node:stream';
import type { ClientOptions } from 'discord.js';
import type { Logger } from 'pino';
import { commands, type CommandContext } from '../../commands/index.js';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { campaignViews } from '../../src/app/campaign.js';
import { serverSettings } from '../../src/app/serverSettings.js';
import type { Admission } from '../../src/discord/admission.js';
import { startBot, type RunningBot } from '../../src/discord/bot.js';
import { searchSessions } from '../../src/discord/sessions.js';
import { createLogger } from '../../src/log.js';
import { BLOG_URL, refusingUrl, SEEDS, tempDir } from '../helpers.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './fakeDiscord.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

/** The seeds' archive for a test file: ingested and indexed before its tests, closed after them. */
export function seedsArchive(): { readonly archive: OpenArchive } {
  let archive: OpenArchive | null = null;
  beforeAll(async () => {
    archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
    await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
    archive.index();
  });
  afterAll(() => archive?.close());
  return {
    get archive() {
      if (!archive) throw new Error('the seeds archive is opened in beforeAll: use it inside a test');
      return archive;
    },
  };
}

export const TOKEN = 'fake-harness-token-for-tests-only';

/** The petition site as the harness's bot sees it: an address on loopback where nothing listens. */
const PETITION_OFFLINE = await refusingUrl();

export interface Harness {
  fake: FakeDiscord;
  bot: RunningBot;
  context: CommandContext;
  logLines: Record<string, unknown>[];
  /** What onFatal was told, if anything. */
  fatal: string[];
  stop(): Promise<void>;
}

/** The context the harness's bot answers with: fixed clocks, a petition site that is not there. */
export function harnessContext(archive: OpenArchive, log: Logger, more: Partial<CommandContext> = {}): CommandContext {
  return {
    archive,
    today: () => '2023-11-23',
    now: () => new Date('2026-11-23T09:00:00Z'),
    blogUrl: BLOG_URL,
    campaign: campaignViews(
      archive.store,
      {
        petition: { network: TEST_NETWORK, id: 900001, baseUrl: PETITION_OFFLINE, changeOrgUrl: null },
        napo: { network: TEST_NETWORK, feedUrl: null, blogUrl: BLOG_URL },
      },
      () => new Date('2026-11-23T09:00:00Z'),
    ),
    settings: serverSettings(archive.store, { now: () => new Date('2026-11-23T09:00:00Z') }),
    sessions: searchSessions(),
    log,
    posted: { record: (m) => archive.store.posted.record(m, '2026-11-23T09:00:00.000Z') },
    ...more,
  };
}

export async function startHarness(
  archive: OpenArchive,
  more: Partial<CommandContext> = {},
  setup: { fake?: FakeDiscordOptions; rest?: ClientOptions['rest']; admission?: Admission } = {},
): Promise<Harness> {
  const fake = await startFakeDiscord({ token: TOKEN, ...setup.fake });
  const logLines: Record<string, unknown>[] = [];
  const fatal: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const context = harnessContext(archive, createLogger('debug', sink), more);
  const bot = await startBot({
    token: TOKEN,
    commands,
    context,
    log: context.log,
    rest: { api: fake.restApi, ...setup.rest },
    onFatal: (m) => fatal.push(m),
    ...(setup.admission && { admission: setup.admission }),
  });
  return {
    fake,
    bot,
    context,
    logLines,
    fatal,
    async stop() {
      await bot.stop();
      await fake.close();
    },
  };
}
