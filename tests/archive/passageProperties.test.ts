// What cutting into passages promises, over made-up posts and comments of paragraphs of sentences (short headings,
// long paragraphs, sentences longer than a passage, abbreviations): no word lost or added, in order; none past
// 1,500 characters; a passage under 120 only where joining it to its neighbour would pass 1,500; a long paragraph cut
// where a sentence ends and a capital begins the next, never after "i.e."; every passage credited to whoever wrote
// it, in thread order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Comment, Passage, Post } from '../../src/archive/model.js';
import { passagesOf } from '../../src/archive/passages.js';

/** Fixed, so a failure is reproducible. */
const SEED = 20_261_205;

const MIN = 120;
const MAX = 1500;

/** A made-up sentence: a capital (or a digit) first, an end mark, sometimes "i.e." inside. */
const sentence = fc
  .record({
    n: fc.integer({ min: 1, max: 40 }),
    seed: fc.nat(),
    end: fc.constantFrom('.', '!', '?', '.”', '?)'),
    ie: fc.boolean(),
    digit: fc.boolean(),
  })
  .map(({ n, seed, end, ie, digit }) => {
    const ws = Array.from({ length: n }, (_, i) => `w${((seed + i * 7919) % 9973).toString(36)}`);
    if (ie && n > 2) ws.splice(1, 0, 'i.e.');
    const first = digit ? `${(seed % 90) + 10}` : `Q${ws[0]}`;
    return `${[first, ...ws.slice(1)].join(' ')}${end}`;
  });

/** A heading (short, no end mark), a paragraph of sentences, or one sentence far longer than a passage. */
const paragraph = fc.oneof(
  { weight: 1, arbitrary: fc.nat(999).map((n) => `Heading ${n}`) },
  { weight: 6, arbitrary: fc.array(sentence, { minLength: 1, maxLength: 30 }).map((s) => s.join(' ')) },
  {
    weight: 1,
    arbitrary: fc
      .record({ n: fc.integer({ min: 260, max: 700 }), pad: fc.nat(6) })
      .map(
        ({ n, pad }) => `Qlong ${Array.from({ length: n }, (_, i) => `x${i}${'y'.repeat((i * pad) % 5)}`).join(' ')}.`,
      ),
  },
);

/** Paragraphs; every made-up word numbered afresh, so a word says where in the text it stands. */
const text = fc.array(paragraph, { minLength: 1, maxLength: 12 }).map((ps) => {
  let k = 0;
  return ps
    .join('\n\n')
    .replace(/\bw[0-9a-z]+/g, () => `w${k++}`)
    .replace(/\bx\d+/g, () => `x${k++}`);
});

const post = (body: string): Post => ({
  id: 'p1',
  title: 'A Made-Up Post',
  date: '2020-01-01',
  time: null,
  author: 'Editor Account',
  url: null,
  labels: [],
  text: body,
});

const comment = (id: string, body: string, author: string | null, deleted = false): Comment => ({
  id,
  postId: 'p1',
  parentId: null,
  author,
  date: null,
  time: null,
  text: body,
  permalink: null,
  deleted,
});

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** The sizes promised of one source's passages (one post's own, or one comment's). */
function expectReadableSizes(pieces: readonly Passage[]) {
  for (const [i, p] of pieces.entries()) {
    expect(p.text.length, p.text).toBeLessThanOrEqual(MAX);
    expect(p.text.trim()).toBe(p.text);
    if (p.text.length >= MIN || pieces.length === 1) continue;
    // Short only where it could not join a neighbour without passing the limit.
    const next = pieces[i + 1];
    if (next) expect(p.text.length + 2 + next.text.length).toBeGreaterThan(MAX);
    else expect(pieces[i - 1]!.text.length + 2 + p.text.length).toBeGreaterThan(MAX);
  }
}

describe('passages, as properties over made-up posts and comments', () => {
  it("keep every word of the post in order, each passage at most 1,500 characters and short only where it must be, credited to the post's account", () => {
    fc.assert(
      fc.property(text, (body) => {
        const passages = passagesOf(post(body), []);
        expect(passages.flatMap((p) => words(p.text))).toEqual(words(body));
        expectReadableSizes(passages);
        expect(passages.every((p) => p.kind === 'paragraph' && p.author === 'Editor Account')).toBe(true);
        expect(passages.map((p) => p.ord)).toEqual(passages.map((_, i) => i));
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('cut a long paragraph where a sentence ends and the next begins with a capital or a digit, never after "i.e."', () => {
    fc.assert(
      fc.property(text, (body) => {
        const passages = passagesOf(post(body), []);
        const starts = new Set(body.split('\n\n').map((p) => words(p)[0]));
        for (const p of passages) {
          const first = words(p.text)[0]!;
          // Every passage starts a paragraph, a sentence (a capital or a digit), or the rest of a sentence longer
          // than a passage cut at a space (only the made-up long sentences' x-words).
          expect(starts.has(first) || /^[Q\d]/.test(first) || /^x\d+y*\.?$/.test(first), first).toBe(true);
          expect(first).not.toMatch(/^w/);
        }
        // A paragraph is cut only where the next sentence would not fit: a passage that stops inside a paragraph
        // could not have taken the next passage's first sentence (nor, for a sentence cut at spaces, its next word).
        const ends = new Set(body.split('\n\n').map((p) => words(p).at(-1)));
        for (const [i, p] of passages.slice(0, -1).entries()) {
          if (ends.has(words(p.text).at(-1))) continue;
          const next = passages[i + 1]!.text;
          const firstSentence = /^.*?[.!?][”)]?(?=\s+[\p{Lu}\d]|$)/u.exec(next)?.[0] ?? next;
          const firstWord = words(next)[0]!;
          const wrapped = /^x\d/.test(firstWord);
          expect(p.text.length + 1 + (wrapped ? firstWord : firstSentence).length).toBeGreaterThan(MAX);
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it("give each comment's words to its author, in thread order after the post, and nothing of a deleted one", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ body: text, author: fc.constantFrom('Reader One', 'Anon Ymous', null), deleted: fc.boolean() }),
          { minLength: 1, maxLength: 5 },
        ),
        text,
        (made, body) => {
          const comments = made.map((c, i) => comment(`c${i}`, c.body, c.author, c.deleted));
          const passages = passagesOf(post(body), comments);
          const own = passages.filter((p) => p.commentId === null);
          expect(passages.slice(0, own.length)).toEqual(own);
          for (const c of comments) {
            const pieces = passages.filter((p) => p.commentId === c.id);
            if (c.deleted) {
              expect(pieces).toEqual([]);
              continue;
            }
            expect(pieces.flatMap((p) => words(p.text))).toEqual(words(c.text));
            expect(pieces.every((p) => p.kind === 'comment' && p.author === c.author)).toBe(true);
            expectReadableSizes(pieces);
          }
          const order = passages.filter((p) => p.commentId !== null).map((p) => p.commentId);
          expect(order).toEqual([...order].sort((a, b) => Number(a!.slice(1)) - Number(b!.slice(1))));
          expect(passages.map((p) => p.ord)).toEqual(passages.map((_, i) => i));
        },
      ),
      { numRuns: 150, seed: SEED },
    );
  });

  it('give a signed section to its signer, its signature line left out, and the lead-in before it to the account', () => {
    fc.assert(
      fc.property(text, text, fc.constantFrom('Getafix', 'Matt Cracknell', 'Jo Q. Bloggs'), (framing, signed, who) => {
        const signature = who === 'Getafix' ? `'${who}` : who;
        const body = `${framing}\n\nHere is what they have to say, published today:-\n\n${signed}\n\n${signature}`;
        const passages = passagesOf(post(body), []);
        const theirs = passages.filter((p) => p.author === who);
        const editors = passages.filter((p) => p.author === 'Editor Account');
        expect(theirs.length + editors.length).toBe(passages.length);
        expect(theirs.flatMap((p) => words(p.text))).toEqual(words(signed));
        expect(editors.flatMap((p) => words(p.text))).toEqual(
          words(`${framing} Here is what they have to say, published today:-`),
        );
        expect(passages.some((p) => p.text.includes(signature))).toBe(false);
      }),
      { numRuns: 150, seed: SEED },
    );
  });
});
