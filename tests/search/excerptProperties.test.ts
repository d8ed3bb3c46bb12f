// What an excerpt promises, over made-up passages of sentences, headings, quotes and brackets: it is a part of the
// passage cut at words, no longer than asked; an ellipsis says exactly where text was left out; every matched word in
// it is bold and nothing else is (a phrase bold as one); and no other window of the same size holds more of what the
// query asked for. The passage on one line is what excerptFor returns when nothing has to be cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excerptFor, shortenAtWord } from '../../src/search/excerpt.js';
import { normalizedTokens, phraseSpans, phraseWords } from '../../src/search/syntax.js';
import { termOf, words } from '../../src/search/terms.js';

/** Fixed, so a failure is reproducible. */
const SEED = 20_261_204;

const ELLIPSIS = '…';
/** Where a sentence ended just before (what lets an excerpt begin without an ellipsis). */
const AFTER_SENTENCE = /[.!?…]["'”’)\]]*\s+$/;
const SENTENCE_ENDS = /[.!?]["'”’)\]]*$/;

/** Words a query asks for (some inflected, one accented, a number), and stop words. */
const ASKED = ['caseload', 'caseloads', 'Napo', 'napo’s', '228', 'treadmill', 'Écoute', 'officers', 'Officer'];
const STOP = ['the', 'of', 'and', 'a', 'to'];

interface Made {
  passage: string;
  matched: Set<string>;
  phrases: string[][];
  max: number;
}

/** A passage of lines of sentences; every filler word is unique, so a stretch of the passage is found in one place. */
const passages: fc.Arbitrary<Made> = fc
  .record({
    lines: fc.array(
      fc.record({
        heading: fc.boolean(),
        sentences: fc.array(
          fc.record({
            words: fc.array(
              fc.oneof(
                { weight: 6, arbitrary: fc.constant(null) },
                { weight: 2, arbitrary: fc.constantFrom(...ASKED) },
                { weight: 1, arbitrary: fc.constantFrom(...STOP) },
              ),
              { minLength: 1, maxLength: 30 },
            ),
            end: fc.constantFrom('.', '!', '?', '.”', '.)', '…', ''),
            comma: fc.nat(40),
          }),
          { minLength: 1, maxLength: 6 },
        ),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    asked: fc.subarray(ASKED, { minLength: 1 }),
    phrased: fc.array(fc.nat(), { maxLength: 2 }),
    max: fc.integer({ min: 60, max: 420 }),
  })
  .map(({ lines, asked, phrased, max }) => {
    let unique = 0;
    const text = lines
      .map(({ heading, sentences }) =>
        heading
          ? `Heading ${++unique}x`
          : sentences
              .map(({ words: ws, end, comma }) => {
                const said = ws.map((w, i) => {
                  const word = w ?? `w${(++unique).toString(36)}q`;
                  return i === comma % ws.length && i < ws.length - 1 ? `${word},` : word;
                });
                const first = said[0]!;
                said[0] = first[0]!.toUpperCase() + first.slice(1);
                return `${said.join(' ')}${end}`;
              })
              .join(' '),
      )
      .join('\n');
    const matched = new Set(asked.map((w) => termOf(w)).filter((t): t is string => t !== null));
    // Sometimes a phrase or two: two words that follow each other somewhere in the passage.
    const all = words(text);
    const phrases: string[][] = [];
    for (const n of all.length > 1 ? phrased : []) {
      const at = n % (all.length - 1);
      const pair = phraseWords(`${all[at]!.word} ${all[at + 1]!.word}`);
      if (pair.length === 2) phrases.push(pair);
    }
    return { passage: text, matched, phrases, max };
  });

/** The passage on one line (what excerptFor returns when nothing has to be cut) and the excerpt asked for. */
function excerptOf({ passage, matched, phrases, max }: Made) {
  const flat = excerptFor(passage, matched, Number.POSITIVE_INFINITY, phrases).text;
  return { flat, ...excerptFor(passage, matched, max, phrases) };
}

interface Hit {
  start: number;
  end: number;
  key: string;
  phrase: boolean;
}

/** What the query matched in the passage on one line: each phrase whole, and matched words outside phrases. */
function hitsIn(flat: string, matched: ReadonlySet<string>, phrases: string[][]): Hit[] {
  const spans = phrases.length > 0 ? phraseSpans(normalizedTokens(flat), phrases) : [];
  const inSpan = (s: number, e: number) => spans.some(([a, b]) => s >= a && e <= b);
  return [
    ...spans.map(([start, end]) => ({ start, end, key: phraseWords(flat.slice(start, end)).join(' '), phrase: true })),
    ...words(flat)
      .filter((w) => {
        const term = termOf(w.word);
        return term !== null && matched.has(term) && !inSpan(w.start, w.end);
      })
      .map((w) => ({ start: w.start, end: w.end, key: termOf(w.word)!, phrase: false })),
  ].sort((a, b) => a.start - b.start);
}

/** Distinct phrases, then distinct words, among hits: what a window is judged by. */
const weigh = (hits: Hit[]) => [
  new Set(hits.filter((h) => h.phrase).map((h) => h.key)).size,
  new Set(hits.map((h) => h.key)).size,
];
const atLeast = ([p, d]: number[], [bp, bd]: number[]) => p! > bp! || (p === bp && d! >= bd!);

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Whether offset `at` of `text` falls inside a word (between two of its letters or digits). */
const insideWord = (text: string, at: number) =>
  at > 0 && at < text.length && WORD_CHAR.test(text[at - 1]!) && WORD_CHAR.test(text[at]!);

/**
 * The excerpt placed in the flat passage: the body (without the ellipses the excerpt added) and where it stands. An
 * ellipsis at an edge may be the passage's own (a sentence ending "…"), so each reading is tried: the one whose body
 * stands in the passage, not inside a word at either edge. The passage's own "…" ends an excerpt only at its very end
 * (anywhere else "…" does not end a sentence, so an ellipsis follows it).
 */
function place(flat: string, text: string) {
  for (const prefix of text.startsWith(ELLIPSIS) ? [ELLIPSIS, ''] : ['']) {
    for (const suffix of text.length > prefix.length && text.endsWith(ELLIPSIS) ? ['', ELLIPSIS] : ['']) {
      const body = text.slice(prefix.length, text.length - suffix.length);
      const at = suffix === '' && body.endsWith(ELLIPSIS) ? flat.lastIndexOf(body) : flat.indexOf(body);
      const ownEllipsisEnds = suffix !== '' || !body.endsWith(ELLIPSIS) || at + body.length === flat.length;
      if (at >= 0 && ownEllipsisEnds && !insideWord(flat, at) && !insideWord(flat, at + body.length)) {
        return { prefix, suffix, body, at, end: at + body.length };
      }
    }
  }
  throw new Error(`"${text}" does not stand in "${flat}" cut at words`);
}

describe('excerpts, as properties over made-up passages', () => {
  it('are a stretch of the passage cut at words, within the size asked, with an ellipsis exactly where text is left out', () => {
    fc.assert(
      fc.property(passages, (made) => {
        const { flat, text } = excerptOf(made);
        if (flat.length <= made.max) {
          expect(text).toBe(flat);
          return;
        }
        expect(text.length).toBeLessThanOrEqual(made.max);
        const { prefix, suffix, body, at, end } = place(flat, text);
        // A stretch of the passage (found in one place: every filler word is unique), cut at words (place()).
        expect(flat.indexOf(body, at + 1)).toBe(-1);
        expect(body.trim()).toBe(body);
        // An ellipsis before it when, and only when, it begins past the start and not where a sentence begins.
        expect(prefix).toBe(at > 0 && !AFTER_SENTENCE.test(flat.slice(0, at)) ? ELLIPSIS : '');
        // After it when, and only when, it stops short of the end and not at a sentence's end.
        expect(suffix).toBe(end < flat.length && !SENTENCE_ENDS.test(body) ? ELLIPSIS : '');
      }),
      { numRuns: 400, seed: SEED },
    );
  });

  it('make bold every matched word they show and nothing else, a phrase as one', () => {
    fc.assert(
      fc.property(passages, (made) => {
        const { flat, text, highlights } = excerptOf(made);
        const { prefix, at, end } = place(flat, text);
        const expected = hitsIn(flat, made.matched, made.phrases)
          .filter((h) => h.start >= at && h.end <= end)
          .map((h) => [h.start - at + prefix.length, h.end - at + prefix.length]);
        expect(highlights).toEqual(expected);
      }),
      { numRuns: 400, seed: SEED },
    );
  });

  it('hold as many of the phrases, then of the words, asked for as any window of their size could', () => {
    fc.assert(
      fc.property(passages, (made) => {
        const { flat, text } = excerptOf(made);
        if (flat.length <= made.max) return;
        const { at, end } = place(flat, text);
        const hits = hitsIn(flat, made.matched, made.phrases);
        const shown = weigh(hits.filter((h) => h.start >= at && h.end <= end));
        const budget = made.max - 2 * ELLIPSIS.length;
        for (let i = 0; i < hits.length; i++) {
          const window = hits.filter((h, j) => j >= i && h.end - hits[i]!.start <= budget);
          expect(
            atLeast(shown, weigh(window)),
            `shows ${shown}, the window from ${hits[i]!.start} ${weigh(window)}`,
          ).toBe(true);
        }
      }),
      { numRuns: 400, seed: SEED },
    );
  });
});

/** Where sentences begin in the flat passage: after an end mark (and closing quotes), spaces, then a capital or digit. */
const sentenceStarts = (flat: string) =>
  [...flat.matchAll(/[.!?…]["'”’)\]]*\s+(?=["'“‘(]?[\p{Lu}\d])/gu)].map((m) => m.index + m[0].length);
/** Where sentences end: just after an end mark (and closing quotes or brackets) followed by a space. */
const sentenceEnds = (flat: string) => [...flat.matchAll(/[.!?]["'”’)\]]*(?=\s)/g)].map((m) => m.index + m[0].length);

describe('excerpts, read as sentences (properties)', () => {
  it('begin at a sentence where one begins between their start and their first match, with a lead-in of at most a quarter of the window', () => {
    fc.assert(
      fc.property(passages, (made) => {
        const { flat, text, highlights } = excerptOf(made);
        if (flat.length <= made.max) return;
        const { prefix, at, end } = place(flat, text);
        const first = highlights[0];
        if (!first || prefix === '') return;
        const firstAt = at + first[0] - prefix.length;
        // Begun mid-sentence: no sentence began after its start and at or before its first match.
        expect(sentenceStarts(flat).filter((p) => p > at && p <= firstAt)).toEqual([]);
        // Unless it runs to the passage's end (then the window is slid back to fill), the lead-in is at most a
        // quarter of the room inside the ellipses.
        if (end < flat.length) expect(firstAt - at).toBeLessThanOrEqual(Math.floor((made.max - 2) / 4));
      }),
      { numRuns: 400, seed: SEED },
    );
  });

  it('end at the last sentence end past their last match and half their room, where there is one', () => {
    fc.assert(
      fc.property(passages, (made) => {
        const { flat, text, highlights } = excerptOf(made);
        if (flat.length <= made.max) return;
        const { prefix, suffix, at, end } = place(flat, text);
        if (suffix === '') return;
        const last = highlights.at(-1);
        const lastEnd = last ? at + last[1] - prefix.length : at;
        const least = Math.max(lastEnd, at + Math.floor((made.max - 2) / 2));
        expect(sentenceEnds(flat).filter((q) => q > least && q <= end)).toEqual([]);
      }),
      { numRuns: 400, seed: SEED },
    );
  });
});

describe('shortenAtWord', () => {
  it('keeps the text on one line whole when it fits, else its start cut at a word with an ellipsis', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(' ', '\n', '  '),
        fc.integer({ min: 10, max: 200 }),
        (ws, gap, max) => {
          const text = ws.join(gap);
          const flat = ws.join(' ');
          const out = shortenAtWord(text, max);
          if (flat.length <= max) {
            expect(out).toBe(flat);
            return;
          }
          expect(out.length).toBeLessThanOrEqual(max);
          expect(out.endsWith(ELLIPSIS)).toBe(true);
          const kept = out.slice(0, -1);
          expect(flat.startsWith(kept)).toBe(true);
          // At a word's end when one ends past half the room; else the room filled.
          const room = flat.slice(0, max - 1);
          const space = room.lastIndexOf(' ');
          expect(kept).toBe(space > max / 2 ? room.slice(0, space) : room.trimEnd());
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  });
});
