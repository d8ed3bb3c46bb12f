// `npm run preview`: every command's answer for the archive under DATA_DIR,
// and the scheduled posts, written as Discord-like pages to DATA_DIR/preview/.
// Only wiring: fixed dates, no Discord, and campaign sources that fail at once
// so nothing reaches the network (the stored or offline answers are shown).
import 'dotenv/config';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../commands/index.js';
import { openArchive, type OpenArchive } from './app/archive.js';
import { campaignSources, campaignViews, type CampaignSources } from './app/campaign.js';
import { serverSettings } from './app/serverSettings.js';
import { prepareArchive } from './app/startup.js';
import { systemClock } from './clock.js';
import { type Config, loadConfig } from './config.js';
import { previewAnswers } from './console/previewCases.js';
import type { CommandContext } from './discord/command.js';
import { previewIndex, previewPage, type PreviewAnswer } from './discord/preview.js';
import { searchSessions } from './discord/sessions.js';
import { createLogger } from './log.js';
import { orExplain } from './process.js';
import type { NetworkPolicy } from './sources/network.js';

/** The day the preview is set on: the digest's date and /onthisday's "today". */
const DATE = '2023-11-23';
const NOW = new Date(`${DATE}T08:00:00Z`);
/** A made-up member and server: /config needs a server to show. */
const CALLER = { userId: '100000000000000001', guildId: '200000000000000002' };

/** Refuses every address before anything is sent. */
const offline: NetworkPolicy = {
  refuse: () => 'the preview does not reach the network',
  fetch: () => Promise.reject(new Error('the preview does not reach the network')),
};

function withoutNetwork(sources: CampaignSources): CampaignSources {
  return { petition: { ...sources.petition, network: offline }, napo: { ...sources.napo, network: offline } };
}

function previewContext(config: Config, archive: OpenArchive): CommandContext {
  const clock = { now: () => new Date(NOW) };
  return {
    archive,
    today: () => DATE,
    now: clock.now,
    blogUrl: config.BLOG_URL,
    campaign: campaignViews(archive.store, withoutNetwork(campaignSources(config)), clock.now),
    settings: serverSettings(archive.store, clock),
    sessions: searchSessions(),
    // Errors only: /petition's "no figures" warning is expected here, and its page shows it.
    log: createLogger('error'),
  };
}

/** The pages, replacing the ones an earlier run wrote (an answer dropped from the list must not linger). */
function writePages(dir: string, answers: readonly PreviewAnswer[], note: string): void {
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir)) if (/^(\d\d-[\w-]*|index)\.html$/.test(old)) rmSync(join(dir, old));
  for (const answer of answers) writeFileSync(join(dir, `${answer.slug}.html`), previewPage(answer));
  writeFileSync(join(dir, 'index.html'), previewIndex(answers, note));
}

/** An empty archive is filled from ARCHIVE_SOURCES as on a first start, but from files only: never the blog's address. */
async function fillFromFiles(config: Config, archive: OpenArchive): Promise<boolean> {
  const urls = config.ARCHIVE_SOURCES.filter((s) => /^https?:/i.test(s));
  if (archive.stats().posts === 0 && urls.length > 0) {
    process.stderr.write(
      `The archive in ${config.DATA_DIR} is empty, and the preview does not reach the network to fill it from ${urls.join(', ')}.\n  → set ARCHIVE_SOURCES to files (ARCHIVE_SOURCES=../shared/seeds), or ingest first: npm run cli -- ingest <source>\n`,
    );
    return false;
  }
  const tell = (line: string) => process.stderr.write(`${line}\n`);
  const { store } = archive;
  const sources = config.ARCHIVE_SOURCES;
  const log = createLogger('warn');
  await prepareArchive({ store, archive, sources, blogUrl: config.BLOG_URL, clock: systemClock, log, tell });
  return true;
}

async function main(): Promise<number> {
  const config = loadConfig(process.env, (line) => process.stderr.write(`${line}\n`));
  if (!config) return 1;
  const archive = orExplain(() => openArchive(config.DATA_DIR, config.BLOG_URL));
  if (!archive) return 1;
  try {
    if (!(await fillFromFiles(config, archive))) return 1;
    const answers = await previewAnswers(commands, previewContext(config, archive), { date: DATE, caller: CALLER });
    const dir = join(config.DATA_DIR, 'preview');
    const { posts, comments } = archive.stats();
    const note = `${posts} posts and ${comments} comments from ${config.DATA_DIR}, as on ${DATE} at 08:00; /petition and /napo without the network.`;
    writePages(dir, answers, note);
    process.stdout.write(`Wrote ${answers.length} answers to ${dir}: open ${join(dir, 'index.html')}\n`);
    return 0;
  } finally {
    archive.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`preview failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
