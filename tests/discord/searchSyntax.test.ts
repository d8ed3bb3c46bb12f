// The search syntax on Discord and in the console: "exact phrase", -word and
// order, answered privately; a query that cannot be searched explained in one
// private line; /help saying how.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { answerLine } from '../../src/console/console.js';
import { startHarness, seedsArchive, type Harness } from './harness.js';

const seeds = seedsArchive();
let h: Harness;
beforeEach(async () => {
  h = await startHarness(seeds.archive);
});
afterEach(() => h.stop());

const str = (name: string, value: string) => ({ name, type: 3, value });
const description = (message: { embeds?: { description?: string }[] }) => message.embeds?.[0]?.description ?? '';
/** Each hit's block on a search page: "**1.** [title](url)\nwhen · who\nexcerpt". */
const hitBlocks = (message: { embeds?: { description?: string }[] }) =>
  description(message)
    .split(/\n\n(?=\*\*\d+\.\*\* )/)
    .filter(Boolean);

async function search(query: string, more: ReturnType<typeof str>[] = []) {
  const handle = h.fake.slashCommand('search', [str('query', query), ...more]);
  const first = await handle.response();
  return { first, message: await handle.final() };
}

describe('/search syntax on Discord', () => {
  it('"mass supervision" -treadmill: privately, only hits showing the phrase in bold, none holding the word', async () => {
    const { first, message } = await search('"mass supervision" -treadmill');
    expect(first.data?.flags).toBe(64);
    const blocks = hitBlocks(message);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(block).toMatch(/\*\*mass supervision\*\*/i);
      expect(block.split('\n').slice(2).join(' ')).not.toMatch(/treadmill/i);
    }
    expect(message.embeds[0]!.title).toBe('Search: "mass supervision" -treadmill');
  });

  it.each([
    ['-treadmill', /needs words to look for/],
    ['caseloads "mass supervision', /not closed/],
    ['caseloads ""', /empty pair of quotes/],
  ])('explains %s privately in one line', async (query, said) => {
    const { first, message } = await search(query);
    expect(first.data?.flags).toBe(64);
    expect(message.content).toMatch(said);
    expect(message.embeds).toEqual([]);
  });

  it('suggests loosening the phrase or the exclusions when nothing matches them', async () => {
    const { message } = await search('"treadmill zebra wombat" -probation');
    expect(description(message)).toMatch(
      /Nothing in the archive matches\. Try to shorten the "phrase" or leave out fewer -words/,
    );
  });

  it('orders hits newest first with the order option, and says so in the heading', async () => {
    const { message } = await search('probation', [str('order', 'newest')]);
    expect(message.embeds[0]!.title).toBe('Search: probation (newest first)');
    const dates = hitBlocks(message).map((b) => /\d{1,2} \w{3} \d{4}/.exec(b.split('\n')[1]!)?.[0] ?? '');
    expect(dates[0]).toBe('19 Feb 2024');
    const parsed = dates.map((d) => Date.parse(d)).filter((t) => !Number.isNaN(t));
    expect(parsed).toEqual([...parsed].sort((a, b) => b - a));
  });

  it('refuses an order option that disagrees with order: in the query', async () => {
    const { message } = await search('probation order:oldest', [str('order', 'newest')]);
    expect(message.content).toMatch(/order:oldest .* newest/);
  });

  it('"Find in archive" takes a message’s quotes and dashes as words, not syntax', async () => {
    const target = h.fake.seedMessage({ content: '-treadmill "probation' });
    const handle = h.fake.messageContextMenu('Find in archive', target);
    const message = await handle.final();
    expect(message.content ?? '').toBe('');
    expect(description(message)).toMatch(/Treadmill/);
  });

  it('/help shows the syntax in one line', async () => {
    const help = await h.fake.slashCommand('help').response();
    const lines = help.data!.embeds![0]!.description!.split('\n');
    expect(lines.filter((l) => /"exact phrase".*-word.*order:newest/.test(l))).toHaveLength(1);
  });
});

describe('/search syntax in the console', () => {
  const inConsole = async (line: string) => (await answerLine(line, commands, h.context)) ?? '';

  it('finds the same hits for the same syntax as Discord', async () => {
    const { message } = await search('"mass supervision" -treadmill');
    const titles = hitBlocks(message).map((b) => /^\*\*\d+\.\*\* \[([^\]]+)\]/.exec(b)?.[1]);
    const text = await inConsole('/search "mass supervision" -treadmill');
    const inTerminal = [...text.matchAll(/^\d+\. (?:comment on )?(.+) \(/gm)].map((m) => m[1]);
    expect(inTerminal.length).toBeGreaterThan(0);
    expect(inTerminal).toEqual(titles.slice(0, inTerminal.length));
    for (const excerpt of text.split('\n').filter((l) => l.startsWith('   ') && !l.includes('http'))) {
      expect(excerpt.toLowerCase()).toContain('mass supervision');
    }
  });

  it('prints the same explanation, and takes order: as the option', async () => {
    expect(await inConsole('/search -treadmill')).toMatch(/needs words to look for/);
    const newest = await inConsole('/search probation order:newest');
    expect(newest.split('\n')[0]).toBe('(newest first)');
    expect(newest).toMatch(/^1\. .*\(2024-02-19\b/m);
  });

  it('shows the syntax line in /help', async () => {
    expect(await inConsole('/help')).toMatch(/^Search syntax: "exact phrase"/m);
  });
});
