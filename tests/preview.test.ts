// `npm run preview` over the seeds, run as an operator would: one page per
// answer and an index, each page showing what members would read, and
// nothing sent anywhere (a Napo feed on this machine is never asked).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../src/app/archive.js';
import { PREVIEW_LINES } from '../src/console/previewCases.js';
import { ingestSources } from '../src/ingest/ingest.js';
import { BLOG_URL, ROOT, SEEDS, tempDir, visibleText } from './helpers.js';

const TOKEN = 'preview-test-token.not-a-real-one.abcdefghijklmnop';

function preview(dataDir: string, env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/preview.ts')], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DATA_DIR: dataDir, ...env },
    timeout: 60_000,
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
}

let dataDir: string;
let run: { status: number | null; output: string };
let stats: { posts: number; comments: number };
let feedRequests = 0;
/** The pages the index links, in order, with the summary line it shows for each. */
let listed: { file: string; asked: string; summary: string }[];
const page = (n: number) => visibleText(readFileSync(join(dataDir, 'preview', listed[n - 1]!.file), 'utf8'));

beforeAll(async () => {
  dataDir = tempDir();
  const archive = openArchive(dataDir, BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  stats = archive.stats();
  archive.close();
  const feed = createServer((_req, res) => {
    feedRequests++;
    res.end('<rss/>');
  });
  await new Promise<void>((ok) => feed.listen(0, '127.0.0.1', ok));
  const { port } = feed.address() as AddressInfo;
  run = await preview(dataDir, { DISCORD_TOKEN: TOKEN, NAPO_FEED_URL: `http://127.0.0.1:${port}/feed` });
  feed.close();
  if (run.status !== 0) throw new Error(`preview failed: ${run.output}`);
  const index = readFileSync(join(dataDir, 'preview', 'index.html'), 'utf8');
  listed = [...index.matchAll(/<li><a href="([^"]+)">(.*?)<\/a>.*?<div class="sum">(.*?)<\/div><\/li>/g)].map(
    ([, file = '', asked = '', summary = '']) => ({
      file,
      asked: visibleText(asked).trim(),
      summary: visibleText(summary).trim(),
    }),
  );
}, 120_000);

describe('npm run preview over the seeds', () => {
  it('writes an index linking one page per answer: every line, the digest, an announcement and a summary', () => {
    expect(run.status).toBe(0);
    expect(run.output).toMatch(/Wrote 16 answers to .*preview/);
    expect(listed.map((l) => l.asked)).toEqual([
      ...PREVIEW_LINES,
      'Daily digest, 2023-11-23',
      'Announcement of a new post (made up)',
      'Summary of announcements after downtime (made up)',
      'Weekly round-up, 2023-11-20 to 2023-11-26',
    ]);
    for (const { file, summary } of listed) {
      expect(existsSync(join(dataDir, 'preview', file))).toBe(true);
      expect(summary.length).toBeGreaterThan(0);
      // Each page shows the title (or the one line) its index entry promises.
      expect(visibleText(readFileSync(join(dataDir, 'preview', file), 'utf8'))).toContain(summary);
    }
  });

  it("shows each command's own answer, privately where Discord would", () => {
    expect(page(1)).toMatch(/Search: pqip workload .*Share a hit with the channel.*Only you can see this/);
    expect(page(2)).toMatch(/Search: mass supervision/);
    expect(page(2)).not.toMatch(/· post/);
    expect(page(3)).toContain('Nothing in the archive matches');
    expect(page(4)).not.toContain('Only you can see this');
    expect(page(5)).toContain('23 Nov 2023, and this day in earlier years');
    expect(page(6)).toContain(`${stats.posts} posts and ${stats.comments} comments, from`);
    expect(page(7)).toMatch(/\/search – .*\/help – /);
    expect(page(10)).toMatch(/Scheduled posts in this server .*Only you can see this/);
  });

  it('answers /petition and /napo without the network: the Napo feed is never asked', () => {
    expect(feedRequests).toBe(0);
    expect(page(8)).toMatch(/petition site cannot be reached .*Only you can see this/);
    // The feed unread, the blog's own Napo posts are shown to the channel, saying so.
    expect(page(9)).toMatch(/Napo news .*The Napo feed could not be read just now/);
    expect(page(9)).not.toContain('Only you can see this');
  });

  it('shows a mistake as one private line', () => {
    expect(page(11)).toMatch(/"23\/11\/2023" is not a date: use YYYY-MM-DD.*Only you can see this/);
    expect(page(12)).toMatch(/Give some words to look for\. .*Only you can see this/);
  });

  it('shows the scheduled posts as the channel gets them', () => {
    expect(page(13)).toMatch(/23 Nov 2023, and this day in earlier years .*Daily digest of the On Probation archive/);
    expect(page(14)).toMatch(/New on the blog A made-up post number 1/);
    expect(page(15)).toContain('3 new posts on the blog while the bot was away');
    expect(page(16)).toMatch(
      /The week on the blog: 20 Nov 2023 to 26 Nov 2023 .*On Being a PQiP.*Weekly round-up of the On Probation archive/,
    );
    for (const n of [13, 14, 15, 16]) expect(page(n)).not.toContain('Only you can see this');
  });

  it('never shows Markdown as typed: no [text](url), no escaping backslashes, and never the token', () => {
    for (let n = 1; n <= listed.length; n++) {
      expect(page(n)).not.toMatch(/\]\(https?:/);
      expect(page(n)).not.toMatch(/\\[*_[\]()<>#-]/);
      expect(page(n)).not.toMatch(/\*\*\S/);
    }
    expect(run.output).not.toContain(TOKEN);
  });
});
