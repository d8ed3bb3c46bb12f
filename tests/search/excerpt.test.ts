import { describe, expect, it } from 'vitest';
import { excerptFor, shortenAtWord } from '../../src/search/excerpt.js';
import { termsOf } from '../../src/search/terms.js';

const filler = (n: number, word = 'lorem') => Array.from({ length: n }, () => word).join(' ');

describe('excerpts', () => {
  it('show the window around the matched words, not the start of a long passage', () => {
    const text = `${filler(150)} the treadmill of caseload targets ${filler(150)}`;
    const excerpt = excerptFor(text, new Set(termsOf('treadmill caseload')));
    expect(excerpt.text.length).toBeLessThanOrEqual(400);
    expect(excerpt.text).toContain('treadmill of caseload');
    expect(excerpt.text.startsWith('…')).toBe(true);
    expect(excerpt.text.endsWith('…')).toBe(true);
  });

  it('keep some of the words before the first match, so it reads in context (filler without sentences)', () => {
    const text = `${filler(150)} before1 before2 before3 the treadmill of caseload targets ${filler(150)}`;
    const excerpt = excerptFor(text, new Set(termsOf('treadmill')));
    const at = excerpt.text.indexOf('treadmill');
    // A quarter of the window (398 characters inside the ellipses: 99) leads in, begun at a word: well more than the
    // three words just before it.
    expect(excerpt.text.slice(0, at)).toContain('before1 before2 before3 the ');
    expect(excerpt.text.startsWith('…lorem ')).toBe(true);
    expect(at - 1).toBeGreaterThan(99 - 'lorem '.length);
    expect(at - 1).toBeLessThanOrEqual(99);
  });

  it('prefer the window holding more different query words', () => {
    const text = `pqip pqip pqip ${filler(120)} pqip workload bullying ${filler(120)}`;
    const excerpt = excerptFor(text, new Set(termsOf('pqip workload bullying')));
    expect(excerpt.text).toContain('pqip workload bullying');
  });

  it('cut at word boundaries and mark every matched word', () => {
    const text = `${filler(100, 'probation')} Napo 228 ${filler(100, 'members')}`;
    const excerpt = excerptFor(text, new Set(termsOf('Napo 228')));
    const inner = excerpt.text.replace(/^…|…$/g, '');
    expect(inner.split(' ').every((w) => w === 'probation' || w === 'members' || w === 'Napo' || w === '228')).toBe(
      true,
    );
    expect(excerpt.highlights.map(([s, e]) => excerpt.text.slice(s, e))).toEqual(['Napo', '228']);
  });

  it('keep the last matched word when the matches fill the window exactly and a full stop follows it', () => {
    // From "Officer" to the end of "caseload" is 58 characters: the whole budget of a 60-character excerpt.
    const text = `${filler(30)} Officer ${'zz '.repeat(14)}caseload. ${filler(30)}`;
    const excerpt = excerptFor(text, new Set(termsOf('officer caseload')), 60);
    expect(excerpt.highlights.map(([s, e]) => excerpt.text.slice(s, e))).toEqual(['Officer', 'caseload']);
    expect(excerpt.text.length).toBeLessThanOrEqual(60);
  });

  it('return a passage of exactly the size asked whole, and cut one a character longer', () => {
    const text = `Officer ${'zz '.repeat(30)}caseload end.`;
    expect(excerptFor(text, new Set(termsOf('caseload')), text.length).text).toBe(text);
    const cut = excerptFor(text, new Set(termsOf('caseload')), text.length - 1).text;
    expect(cut.length).toBeLessThan(text.length);
    expect(cut.startsWith('…')).toBe(true);
  });

  it('return a short passage whole', () => {
    const excerpt = excerptFor('PQiPs are leaving.', new Set(termsOf('pqip')));
    expect(excerpt.text).toBe('PQiPs are leaving.');
    expect(excerpt.highlights).toEqual([[0, 5]]);
  });

  it('shortenAtWord never exceeds its limit and ends with an ellipsis when it cuts', () => {
    const s = shortenAtWord(filler(100), 50);
    expect(s.length).toBeLessThanOrEqual(50);
    expect(s.endsWith('lorem…')).toBe(true);
  });
});

describe('excerpts that read as sentences', () => {
  it('begin at the start of the sentence holding the first match, not mid-sentence', () => {
    const text = `${filler(60)} end of a made-up sentence about Bendall. They are dangerously overworked with made-up caseloads today. ${filler(80)}`;
    const excerpt = excerptFor(text, new Set(termsOf('overworked caseloads')), 200);
    expect(excerpt.text).toMatch(/^They are dangerously overworked/);
    expect(excerpt.highlights.map(([s, e]) => excerpt.text.slice(s, e))).toEqual(['overworked', 'caseloads']);
  });

  it('fill their room with whole sentences, or cut a sentence rather than show less than half the room', () => {
    const sentence = 'Lorem ipsum dolor sit amet. ';
    const ended = excerptFor(
      `${sentence.repeat(12)}The caseload grows again. ${sentence.repeat(12)}`.trim(),
      new Set(termsOf('caseload')),
      200,
    );
    expect(ended.text).toMatch(/^(Lorem|The)[^…]*\.$/);
    expect(ended.text).toContain('The caseload grows again.');
    // The window's start moves on to a sentence's start and its end back to a sentence's end: two at most unused.
    expect(ended.text.length).toBeGreaterThan(200 - 2 - 2 * sentence.length);
    // The only sentence end after the match comes a third of the way in: the excerpt goes on and is cut.
    const cut = excerptFor(
      `${sentence.repeat(12)}The caseload grows again. ${filler(60, 'and')} on.`,
      new Set(termsOf('caseload')),
      200,
    );
    expect(cut.text).toContain('The caseload grows again.');
    expect(cut.text.endsWith('and and…')).toBe(true);
    expect(cut.text.length).toBeGreaterThan(150);
  });

  it('begin at the passage itself when the match is near its start, first sentence and first word included', () => {
    const excerpt = excerptFor(`Made-up intro. Our caseload grows ${filler(100)}`, new Set(termsOf('caseload')), 200);
    expect(excerpt.text.startsWith('Made-up intro. Our caseload grows')).toBe(true);
  });

  it('never begin at a sentence after the first match, nor at a lower-case word after a full stop', () => {
    const after = excerptFor(
      `${filler(100)} the caseload grows ${filler(10)}. Next ${filler(100)}`,
      new Set(termsOf('caseload')),
      200,
    );
    expect(after.highlights.map(([s, e]) => after.text.slice(s, e))).toEqual(['caseload']);
    const lower = excerptFor(
      `${filler(100)} etc. and so the caseload grows ${filler(100)}`,
      new Set(termsOf('caseload')),
      200,
    );
    expect(lower.text.startsWith('…')).toBe(true);
    expect(lower.text).not.toMatch(/^and so/);
  });

  it('end after the closing quote or bracket of the last sentence they show', () => {
    const quoted = excerptFor(
      `${filler(20)}. “The caseload grows again and again in every made-up office of the region this year.” ${filler(100)}`,
      new Set(termsOf('caseload')),
      120,
    );
    expect(quoted.text.endsWith('year.”')).toBe(true);
    const bracketed = excerptFor(
      `${filler(20)}. (The caseload grows again and again in every made-up office of the region this year.) ${filler(100)}`,
      new Set(termsOf('caseload')),
      120,
    );
    expect(bracketed.text.endsWith('year.)')).toBe(true);
  });

  it('between windows holding the same words, show the one with more matches, else the first', () => {
    const more = excerptFor(
      `${filler(60)} caseload ${filler(80)} caseload caseload caseload ${filler(80)}`,
      new Set(termsOf('caseload')),
      100,
    );
    expect(more.highlights).toHaveLength(3);
    const first = excerptFor(
      `${filler(60)} caseload first ${filler(80)} caseload second ${filler(80)}`,
      new Set(termsOf('caseload')),
      100,
    );
    expect(first.text).toContain('caseload first');
  });

  it('read lines as one text: a blank line dropped, a line ending in a full stop or a closing quote runs on', () => {
    expect(excerptFor('A made-up heading\n\nThe caseload grows.', new Set(termsOf('caseload'))).text).toBe(
      'A made-up heading — The caseload grows.',
    );
    expect(excerptFor('It grew.\nThe caseload grows.', new Set(termsOf('caseload'))).text).toBe(
      'It grew. The caseload grows.',
    );
    expect(excerptFor('He said “it grew.”\nThe caseload grows.', new Set(termsOf('caseload'))).text).toBe(
      'He said “it grew.” The caseload grows.',
    );
  });

  it('keep a heading apart from the sentence after it', () => {
    const excerpt = excerptFor(
      'Made-Up Position\nThe fake talks about rotas are underway again.',
      new Set(termsOf('rotas')),
    );
    expect(excerpt.text).toBe('Made-Up Position — The fake talks about rotas are underway again.');
  });
});
