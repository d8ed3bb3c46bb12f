// The console answering typed lines over the seed archive: the same commands
// as on Discord, options as Discord shows them, answers as plain text, and a
// mistake answered with one line, never a stack trace.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { answerLine } from '../../src/console/console.js';
import type { CommandContext } from '../../src/discord/command.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { harnessContext } from '../discord/harness.js';
import { BLOG_URL, memoryLog, SEEDS, tempDir } from '../helpers.js';
import { dailyDigest } from '../../src/digest/onThisDay.js';

let archive: OpenArchive;
let context: CommandContext;
const logged = memoryLog();

beforeAll(async () => {
  archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  archive.index();
  context = harnessContext(archive, logged.log);
});
afterAll(() => archive.close());

const answer = async (line: string) => (await answerLine(line, commands, context)) ?? '';

describe('the console answers', () => {
  it('/search with plain words, best passage first', async () => {
    expect(await answer('/search pqip workload')).toMatch(/^1\. On Being a PQiP \(2023-11-23\)/);
  });

  it('/search with options as Discord shows them: only comments, and says so', async () => {
    const text = await answer('/search query:"mass supervision" in:comments');
    const hits = text.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(text.split('\n')[0]).toBe('(comments only)');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((l) => /^\d+\. comment on /.test(l))).toBe(true);
  });

  it('/onthisday with the date as plain words or as date:, the same way', async () => {
    const plain = await answer('/onthisday 2023-11-23');
    expect(plain).toMatch(/^2023: On Being a PQiP — https:\/\/probationmatters\.blogspot\.com\/2023\/11\//m);
    expect(await answer('/onthisday date:2023-11-23')).toBe(plain);
  });

  it('/digest prints the digest’s own items as text, with no Markdown to undo', async () => {
    const text = await answer('/digest 2023-11-23');
    expect(text).toMatch(/^23 Nov 2023, and this day in earlier years\n\n/);
    // The digest's own view model: the day's first items with short openings.
    for (const item of dailyDigest(archive.onThisDay('2023-11-23')).items) {
      expect(text).toContain(`${item.year} · ${item.postTitle} <${item.postUrl}>\n${item.excerpt}`);
    }
    expect(text).not.toMatch(/\*\*|\\[\\`*_.()[\]-]|\]\(/);
    expect(text).toMatch(/\n\n\(Daily digest of the On Probation archive\)$/);
  });

  it('/quote quotes the best passage with where it is from and its permalink', async () => {
    const text = await answer('/quote probation treadmill');
    expect(text).toMatch(
      /, 3 Jul 2022, from the post "The Probation Treadmill"\nhttps:\/\/probationmatters\.blogspot\.com\/2022\/07\/$/,
    );
  });

  it('/help lists what the console answers with how to type it, and /config is said to be for Discord', async () => {
    const help = await answer('/help');
    expect(help).toMatch(
      /^\/search <query> \[author:…\] \[from:N\] \[to:N\] \[in:posts\|comments\|all\] \[order:relevance\|newest\|oldest\]\n {4}Find passages/m,
    );
    expect(help).toMatch(/^\/onthisday \[date\]$/m);
    expect(help).toMatch(/^\/digest \[date\] \[week:…\]$/m);
    expect(help).not.toMatch(/\/config|Find in archive/);
    expect(await answer('/config show')).toBe(
      '/config works on Discord only. Type /help for what the console answers.',
    );
  });
});

describe('a mistake gets one line naming what to fix', () => {
  it.each([
    ['/search', '/search needs query: Words to look for.'],
    ['/search probation from:20x', 'from: "20x" is not a whole number.'],
    ['/search probation in:blogs', 'in: "blogs" is not one of posts, comments, all.'],
    ['/search query:probation from:2024 to:2020', '"from" (2024) is after "to" (2020): swap them.'],
    [
      '/search probation where:Holborn',
      '/search has no option "where": its options: query: author: from: to: in: mention: order:',
    ],
    ['/onthisday 2023-02-30', '"2023-02-30" is not a date: use YYYY-MM-DD, for example 2023-11-23.'],
    ['/digest 2023-13-01', '"2023-13-01" is not a date: use YYYY-MM-DD, for example 2023-11-23.'],
    ['/stats now', '/stats takes no options ("now" given).'],
    ['/frobnicate', 'Unknown command "/frobnicate". Type /help for the list.'],
  ])('%s', async (line, expected) => {
    expect(await answer(line)).toBe(expected);
    expect(logged.lines.filter((l) => l['msg'] === 'console command failed')).toEqual([]);
  });
});
