// The search syntax read as members type it, and what it asks of a passage.
import { describe, expect, it } from 'vitest';
import { excerptFor } from '../../src/search/excerpt.js';
import {
  narrowsPassages,
  normalizedTokens,
  parseSearchQuery,
  passageMatches,
  phraseSpans,
  phraseWords,
  type SearchQuery,
} from '../../src/search/syntax.js';
import { termOf } from '../../src/search/terms.js';

function parsed(text: string): SearchQuery {
  const result = parseSearchQuery(text);
  if ('problem' in result) throw new Error(`unexpected problem: ${result.problem}`);
  return result;
}

function problem(text: string): string {
  const result = parseSearchQuery(text);
  if (!('problem' in result)) throw new Error(`"${text}" was read without a problem`);
  return result.problem;
}

describe('parseSearchQuery', () => {
  it('reads plain words as plain words, the last still being typed', () => {
    expect(parsed('workload pqip')).toEqual({
      positive: 'workload pqip',
      phrases: [],
      excludedTerms: [],
      excludedPhrases: [],
      order: null,
    });
  });

  it('searches a phrase by its words, and no word is completed after a closed quote', () => {
    const q = parsed('"Mass  Supervision"');
    expect(q.phrases).toEqual([['mass', 'supervision']]);
    expect(q.positive).toBe('Mass  Supervision ');
  });

  it('takes the curly quotes phones type as quotes', () => {
    expect(parsed('“mass supervision” caseloads').phrases).toEqual([['mass', 'supervision']]);
  });

  it('leaves out a word by its index term, so the plural leaves out the singular', () => {
    const q = parsed('caseloads -treadmills');
    expect(q.excludedTerms).toEqual([termOf('treadmill')]);
    expect(q.positive).toBe('caseloads ');
  });

  it('leaves out a quoted phrase with -"…"', () => {
    expect(parsed('probation -"mass supervision"').excludedPhrases).toEqual([['mass', 'supervision']]);
  });

  it('keeps a hyphen inside a word, and a dash on its own, as part of the words', () => {
    const q = parsed('part-time - staff');
    expect(q.excludedTerms).toEqual([]);
    expect(q.positive).toBe('part-time - staff');
  });

  it('reads order:newest and order:oldest, in any case, and not as words to search', () => {
    expect(parsed('caseloads order:newest')).toMatchObject({ order: 'newest', positive: 'caseloads ' });
    expect(parsed('ORDER:Oldest caseloads').order).toBe('oldest');
  });

  it.each([
    ['only exclusions', '-treadmill', /needs words to look for/],
    ['only excluded phrases', '-"mass supervision" -napo', /needs words to look for/],
    ['an unclosed quote', 'caseloads "mass supervision', /quote opened at "mass supervision is not closed/],
    ['an empty phrase', 'caseloads ""', /empty pair of quotes/],
    ['a phrase of punctuation only', '" - "', /empty pair of quotes/],
    ['an order that is none', 'caseloads order:sideways', /order:sideways is not an order/],
    ['two orders', 'order:newest caseloads order:oldest', /order: once/],
    ['a word too common to leave out', 'caseloads -the', /too common/],
  ])('explains %s in one short sentence', (_what, text, message) => {
    const said = problem(text);
    expect(said).toMatch(message);
    expect(said.length).toBeLessThan(140);
    expect(said).not.toContain('\n');
  });
});

describe('passageMatches', () => {
  const q = (text: string) => parsed(text);

  it('finds a phrase whatever its case, spacing and punctuation around it', () => {
    expect(passageMatches('The harms of ‘Mass\nsupervision’ are many.', q('"mass supervision"'), termOf)).toBe(true);
    expect(passageMatches('Mass-supervision, again.', q('"mass supervision"'), termOf)).toBe(true);
  });

  it('refuses the phrase’s words apart or in another order', () => {
    expect(passageMatches('mass caseloads and supervision', q('"mass supervision"'), termOf)).toBe(false);
    expect(passageMatches('supervision en masse, mass', q('"mass supervision"'), termOf)).toBe(false);
  });

  it('refuses a passage holding an excluded word in any form, and keeps one that does not', () => {
    expect(passageMatches('Back on the treadmill again.', q('caseloads -treadmills'), termOf)).toBe(false);
    expect(passageMatches('Caseloads up again.', q('caseloads -treadmills'), termOf)).toBe(true);
  });

  it('refuses a passage holding an excluded phrase, not one holding its words apart', () => {
    const query = q('probation -"mass supervision"');
    expect(passageMatches('probation under mass supervision', query, termOf)).toBe(false);
    expect(passageMatches('probation: mass caseloads, little supervision', query, termOf)).toBe(true);
  });
});

describe('excerpts of a phrase', () => {
  it('shows the phrase and highlights it as one, even when its words are scattered elsewhere first', () => {
    const filler = 'Nothing to see in this sentence at all. '.repeat(6);
    const text = `${filler}Supervision came up. ${filler}Mass rallies too. ${filler}Then mass supervision took hold. ${filler}`;
    const excerpt = excerptFor(text, new Set(['mass', 'supervis']), 200, [phraseWords('mass supervision')]);
    expect(excerpt.text.length).toBeLessThanOrEqual(200);
    const shown = excerpt.highlights.map(([s, e]) => excerpt.text.slice(s, e));
    expect(shown).toContain('mass supervision');
  });
});

describe('the edges of the syntax', () => {
  it('reads a dash at the very end as a dash typed, not as leaving out nothing', () => {
    expect(parsed('probation -')).toMatchObject({ positive: 'probation -', excludedTerms: [] });
  });

  it('asks for words to look for when a query only leaves a phrase out', () => {
    expect(problem('-"probation treadmill"')).toMatch(/^A search needs words to look for/);
  });

  it('takes the same order given twice, and an order alone (no words) as no problem of its own', () => {
    expect(parsed('order:newest treadmill order:NEWEST').order).toBe('newest');
    expect(parsed('order:oldest')).toMatchObject({ order: 'oldest', excludedTerms: [], phrases: [] });
  });

  it('shows the start of an unclosed quote on one line, cut at 30 characters', () => {
    expect(problem('probation "a    very\nlong unclosed phrase that goes on and on')).toBe(
      'The quote opened at "a very long unclosed phrase … is not closed: add the closing ".',
    );
    expect(problem('x "short')).toBe('The quote opened at "short is not closed: add the closing ".');
  });

  it('shows an unclosed quote of exactly 30 characters (its mark counted) whole, and one of 31 cut', () => {
    const closing = 'is not closed: add the closing ".';
    expect(problem(`x "${'w'.repeat(29)}`)).toBe(`The quote opened at "${'w'.repeat(29)} ${closing}`);
    expect(problem(`x "${'w'.repeat(30)}`)).toBe(`The quote opened at "${'w'.repeat(28)}… ${closing}`);
  });

  it('says which queries ask more of a passage than its words: a phrase, an excluded word or phrase', () => {
    expect(narrowsPassages(parsed('mass supervision order:newest'))).toBe(false);
    expect(narrowsPassages(parsed('"mass supervision"'))).toBe(true);
    expect(narrowsPassages(parsed('supervision -treadmill'))).toBe(true);
    expect(narrowsPassages(parsed('supervision -"probation treadmill"'))).toBe(true);
  });
});

describe('phraseSpans', () => {
  it('finds every phrase in text order, whatever the order the phrases were asked in, and skips an empty one', () => {
    const tokens = normalizedTokens('Caseloads grew. Mass supervision followed; caseloads grew again.');
    const spans = phraseSpans(tokens, [phraseWords('mass supervision'), [], phraseWords('caseloads grew')]);
    expect(spans).toEqual([
      [0, 14],
      [16, 32],
      [43, 57],
    ]);
  });
});
