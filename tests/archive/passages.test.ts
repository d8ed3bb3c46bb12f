import { describe, expect, it } from 'vitest';
import type { ParsedPost, Post } from '../../src/archive/model.js';
import { passagesOf } from '../../src/archive/passages.js';
import { parseTextDump } from '../../src/archive/textDump.js';
import { seedText } from '../helpers.js';

const postTitled = (prefix: string, title: string): ParsedPost => {
  const found = parseTextDump(seedText(prefix), prefix).find((p) => p.post.title === title);
  if (!found) throw new Error(`no post "${title}"`);
  return found;
};

describe('passages', () => {
  it('make each reader comment the editor quoted between ***** lines a passage of its own', () => {
    const { post, comments } = postTitled('000', 'On Being a PQiP');
    const passages = passagesOf(post, comments);
    const quoted = passages.filter((p) => p.kind === 'quoted');
    expect(quoted).toHaveLength(6);
    expect(quoted[0]!.text).toMatch(/^Many PQiPs' enter the Probation Service/);
    expect(quoted.every((p) => !p.text.includes('*****'))).toBe(true);
    expect(passages.filter((p) => p.kind === 'paragraph').length).toBeGreaterThan(0);
  });

  it("sign a quoted comment with its own signature ('Getafix), not the post's author", () => {
    const post: Post = {
      id: 'fake',
      title: 'A Made-Up Post',
      date: '2020-01-01',
      time: null,
      author: 'Editor Person',
      url: null,
      labels: [],
      text: [
        'The editor writes a first paragraph that is long enough to stand on its own as a passage of the post.',
        '*****',
        "A made-up reader comment about caseloads, long enough to be a passage, and signed off below.\n\n'Testerfix",
        '*****',
        'Another made-up reader comment, unsigned, which is also comfortably long enough to be a passage.',
      ].join('\n\n'),
    };
    const passages = passagesOf(post, []);
    expect(passages.map((p) => [p.kind, p.author])).toEqual([
      ['paragraph', 'Editor Person'],
      ['quoted', 'Testerfix'],
      ['quoted', null],
    ]);
  });

  it('make every comment at least one passage, in thread order, after the post', () => {
    const { post, comments } = postTitled('001', 'The Probation Treadmill');
    const passages = passagesOf(post, comments);
    const commentPassages = passages.filter((p) => p.kind === 'comment');
    expect(new Set(commentPassages.map((p) => p.commentId))).toEqual(new Set(comments.map((c) => c.id)));
    const firstComment = passages.findIndex((p) => p.kind === 'comment');
    expect(passages.slice(firstComment).every((p) => p.kind === 'comment')).toBe(true);
    expect(passages.map((p) => p.ord)).toEqual(passages.map((_, i) => i));
  });

  it('keep passages readable: no tiny heading alone, none past 1,500 characters', () => {
    const all = ['000', '001', '002', '003', '004']
      .flatMap((prefix) => parseTextDump(seedText(prefix), prefix))
      .flatMap(({ post, comments }) => passagesOf(post, comments));
    expect(all.every((p) => p.text.length <= 1500)).toBe(true);
    const postPassages = all.filter((p) => p.kind === 'paragraph');
    expect(postPassages.filter((p) => p.text.length < 40).length).toBeLessThan(postPassages.length / 20);
    // "Guest Blog 60" and "Relationships Matter" are headings: they travel with the paragraph below them.
    expect(all.some((p) => p.text.startsWith('Guest Blog 60') && p.text.length > 120)).toBe(true);
  });

  it('do not cut a long paragraph inside an abbreviation such as "i.e."', () => {
    const all = ['000', '001', '002']
      .flatMap((prefix) => parseTextDump(seedText(prefix), prefix))
      .flatMap(({ post, comments }) => passagesOf(post, comments));
    expect(all.filter((p) => /^[,;:]/.test(p.text))).toEqual([]);
  });
});
