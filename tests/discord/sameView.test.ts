// A command asked on Discord and in the console is one request, one use case
// and one view model: the two answers show the same figures, the same items
// and the same one-line problem, each in its own form.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { answerLine } from '../../src/console/console.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { BLOG_URL, SEEDS, tempDir } from '../helpers.js';
import { startHarness, type Harness } from './harness.js';

let archive: OpenArchive;
let h: Harness;

beforeAll(async () => {
  archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  archive.index();
});
afterAll(() => archive.close());
beforeEach(async () => {
  h = await startHarness(archive);
});
afterEach(() => h.stop());

const inConsole = async (line: string) => (await answerLine(line, commands, h.context)) ?? '';
const str = (name: string, value: string) => ({ name, type: 3, value });

describe('the same answer on Discord and in the console', () => {
  it('/stats shows the same posts, comments, years and last sync', async () => {
    const embed = (await h.fake.slashCommand('stats').final()).embeds[0]!;
    const field = (name: string) => embed.fields?.find((f) => f.name === name)?.value ?? '';
    const [, posts, comments, first, last] =
      /^([\d,]+) posts and ([\d,]+) comments, from (\d{4}) to (\d{4})\.$/.exec(embed.description ?? '') ?? [];
    const onDiscord = {
      posts: Number(posts?.replace(/,/g, '')),
      comments: Number(comments?.replace(/,/g, '')),
      years: `${first}–${last}`,
      lastSync: field('Last sync with the blog'),
    };
    const line = await inConsole('/stats');
    const [, p, c, f, l, sync] =
      /^([\d,]+) posts and ([\d,]+) comments, from (\d{4}) to (\d{4})\. Last sync with the blog: (.+)$/.exec(line) ??
      [];
    const inTerminal = {
      posts: Number(p?.replace(/,/g, '')),
      comments: Number(c?.replace(/,/g, '')),
      years: `${f}–${l}`,
      lastSync: sync,
    };
    expect(inTerminal).toEqual(onDiscord);
    const stats = archive.stats();
    expect(onDiscord).toMatchObject({ posts: stats.posts, comments: stats.comments });
  });

  it('/onthisday lists the same years and posts', async () => {
    const embed = (await h.fake.slashCommand('onthisday', [str('date', '2024-11-23')]).final()).embeds[0]!;
    const onDiscord = [...(embed.description ?? '').matchAll(/^\*\*(\d{4})\*\* · \[([^\]]+)\]/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    const text = await inConsole('/onthisday date:2024-11-23');
    const inTerminal = [...text.matchAll(/^(\d{4}): (.+) — https?:\S+$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(onDiscord.length).toBeGreaterThan(0);
    expect(inTerminal).toEqual(onDiscord);
  });

  it('/quote quotes the same passage from the same post', async () => {
    const posted = await h.fake.slashCommand('quote', [str('passage', 'probation treadmill')]).response();
    const embed = posted.data!.embeds![0]!;
    const text = await inConsole('/quote probation treadmill');
    expect(text).toContain(`from the post "${embed.title}"`);
    expect(text.split('\n').at(-1)).toBe(embed.url);
  });
});

describe('the same one-line problem on Discord and in the console', () => {
  it.each([
    ['a date that does not exist', 'onthisday', [str('date', '2023-02-30')], '/onthisday 2023-02-30'],
    [
      'years the wrong way round',
      'search',
      [str('query', 'probation'), { name: 'from', type: 4, value: 2024 }, { name: 'to', type: 4, value: 2020 }],
      '/search probation from:2024 to:2020',
    ],
    ['a passage nothing matches', 'quote', [str('passage', 'qqqzzzxxv')], '/quote qqqzzzxxv'],
  ])('%s', async (_label, name, options, line) => {
    const onDiscord = await h.fake.slashCommand(name, options as never).response();
    expect(onDiscord.data?.flags).toBe(64);
    const problem = await inConsole(line);
    expect(problem).not.toContain('\n');
    expect(onDiscord.data?.content).toBe(problem);
  });
});
