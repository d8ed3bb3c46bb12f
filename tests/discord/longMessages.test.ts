// Long answers built item by item within Discord's limits: whole items only,
// then how many more there are and where to see them. Made-up text only.
import { describe, expect, it } from 'vitest';
import { dailyDigest, type OnThisDay } from '../../src/digest/onThisDay.js';
import { LIMITS } from '../../src/discord/format.js';
import { burstMessage, digestMessage, onThisDayMessage } from '../../src/discord/messages.js';

const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => ['rota', 'caseload', 'zebrafish', 'supervision', 'made-up'][(i + seed) % 5]).join(
    ' ',
  );

/** A day with a post in each of 14 years, each opening long, as the live blog's are. */
const fourteenYears: OnThisDay = {
  date: '2025-11-23',
  day: '11-23',
  exact: true,
  items: Array.from({ length: 14 }, (_, i) => ({
    postId: `made-up-${i}`,
    author: null,
    year: 2024 - i,
    postTitle: `Made-up post number ${i} about ${words(6, i)}`,
    postUrl: `https://fake-blog.example/${2024 - i}/11/made-up-${i}.html`,
    excerpt: `${words(60, i)}.`,
  })),
};

/** Every Markdown link whole: `[text](url)` with nothing left open. */
const linksWhole = (text: string) => {
  const opened = (text.match(/\]\(/g) ?? []).length;
  const closed = (text.match(/\]\(https:\/\/[^)\s]+\)/g) ?? []).length;
  return opened === closed;
};

describe('long messages', () => {
  it('a daily digest with a post in each of 14 years shows five, short, then says how many more and where', () => {
    const embed = digestMessage(dailyDigest(fourteenYears)).embeds[0]!;
    const description = embed.description!;
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(description.match(/\*\*20\d\d\*\*/g)).toHaveLength(5);
    expect(description).toMatch(/…and 9 more from earlier years: \/onthisday date:2025-11-23$/);
    expect(linksWhole(description)).toBe(true);
    // Openings are cut at a word, never inside one.
    for (const opening of description.split('\n').filter((l) => l.endsWith('…') && !l.startsWith('**'))) {
      expect(opening).toMatch(/(rota|caseload|zebrafish|supervision|made-up)…$/);
    }
  });

  it('/onthisday with fourteen long years fits, whole items only, and ends with how many are left out', () => {
    const long = { ...fourteenYears, items: fourteenYears.items.map((i) => ({ ...i, excerpt: words(200, 1) })) };
    const description = onThisDayMessage(long).embeds[0]!.description!;
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(linksWhole(description)).toBe(true);
    const shown = description.match(/\*\*20\d\d\*\*/g)!.length;
    expect(shown).toBeLessThan(14);
    expect(description).toMatch(new RegExp(`…and ${14 - shown} more from earlier years\\.$`));
  });

  it('a summary of fifty announcements lists whole lines within the limit and counts the rest', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      id: i,
      kind: 'posts' as const,
      key: `fake-${i}`,
      title: `Made-up post ${i} ${words(20, i)}`,
      body: 'Made-up.',
      link: `https://fake-blog.example/p${i}.html`,
      createdAt: '2025-06-01T00:00:00Z',
    }));
    const description = burstMessage('posts', items).embeds[0]!.description!;
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(linksWhole(description)).toBe(true);
    expect(description).toMatch(/…and \d+ more\.$/);
  });

  it('a summary of petition updates from several petitions names the petition on each line', () => {
    const update = (id: number, petition: number, title: string, body: string) => ({
      id,
      kind: 'petition' as const,
      key: `${petition}:threshold:${id}`,
      title,
      body,
      link: `https://petition.parliament.uk/petitions/${petition}`,
      createdAt: '2025-06-01T00:00:00Z',
    });
    const one = [update(1, 700001, 'Fund made-up services', 'Passed 10,000 signatures')];
    expect(burstMessage('petition', one).embeds[0]!.description).toBe(
      '• [Passed 10,000 signatures](https://petition.parliament.uk/petitions/700001)',
    );
    const several = [...one, update(2, 700002, 'Rename made-up teams', 'Passed 10,000 signatures')];
    const lines = burstMessage('petition', several).embeds[0]!.description!.split('\n');
    expect(lines[0]).toContain('Fund made-up services: Passed 10,000 signatures');
    expect(lines[1]).toContain('Rename made-up teams: Passed 10,000 signatures');
  });
});
