import { describe, expect, it } from 'vitest';
import type { Comment, ParsedPost } from '../../src/archive/model.js';
import { parseTextDump } from '../../src/archive/textDump.js';
import { seedText } from '../helpers.js';

const parse = (prefix: string) => parseTextDump(seedText(prefix), `${prefix}.txt`);
const topLevel = (comments: Comment[]) => comments.filter((c) => c.parentId === null);
const repliesTo = (comments: Comment[], parent: Comment) => comments.filter((c) => c.parentId === parent.id);
const startsWith = (comments: Comment[], words: string) => {
  const found = comments.find((c) => c.text.startsWith(words));
  if (!found) throw new Error(`no comment starts with "${words}"`);
  return found;
};

describe('the seed text dumps', () => {
  it('finds 26 posts in all, each with a title, and dates on all but the one copied without a date line', () => {
    const counts = ['000', '001', '002', '003', '004'].map((p) => parse(p).length);
    expect(counts).toEqual([10, 1, 13, 1, 1]);
    const posts = ['000', '001', '002', '003', '004'].flatMap(parse);
    expect(posts.every((p) => p.post.title.length > 3)).toBe(true);
    expect(posts.filter((p) => p.post.date === null)).toHaveLength(1);
  });

  it('reads dates with and without the comma after the weekday', () => {
    expect(parse('000').map((p) => p.post.date)).toEqual([
      '2023-11-23',
      '2023-11-22',
      '2023-11-21',
      '2023-11-20',
      '2023-11-19',
      '2023-11-17',
      '2023-11-16',
      '2023-11-15',
      '2023-11-13',
      '2023-11-09',
    ]);
    const [civilService] = parse('004');
    expect(civilService!.post).toMatchObject({ title: 'Probation Must be Free of Civil Service', date: '2024-02-19' });
  });

  it('takes titles from the line after the date', () => {
    const titles = parse('002').map((p) => p.post.title);
    expect(titles).toContain('Latest From Napo 228');
    expect(titles).toContain('Guest Blog 84');
    expect(titles[0]).toBe('Happy New Year 2022');
    expect(parse('000')[0]!.post.title).toBe('On Being a PQiP');
  });

  it('ingests the undated post with a title from its content and reports the missing date', () => {
    const [post] = parse('003') as [ParsedPost];
    expect(post.post.date).toBeNull();
    expect(post.post.title).toBe('London Probation’s staffing crisis – but better news on YOTs');
    expect(post.warnings.map((w) => w.message).join()).toMatch(/no date/);
    // The heading the copy glued to the first paragraph is split off, not lost.
    expect(post.post.text).toMatch(/^Our first inspection results/m);
  });

  it('keeps the paragraphs the copy duplicated only once', () => {
    const [post] = parse('003') as [ParsedPost];
    const occurrences = post.post.text.split('In marked contrast, our youth offending service ratings').length - 1;
    expect(occurrences).toBe(1);
    const paragraphs = post.post.text.split('\n\n');
    expect(new Set(paragraphs).size).toBe(paragraphs.length);
  });

  it('has no comment section where the page had none', () => {
    expect(parse('000').every((p) => p.comments.length === 0)).toBe(true);
    expect(parse('002').every((p) => p.comments.length === 0)).toBe(true);
  });
});

describe('comment threads', () => {
  it('"The Probation Treadmill": 8 comments, 6 top-level, each reply under the right parent', () => {
    const [post] = parse('001') as [ParsedPost];
    expect(post.post.title).toBe('The Probation Treadmill');
    expect(post.comments).toHaveLength(8);
    const tops = topLevel(post.comments);
    expect(tops).toHaveLength(6);
    const recruitment = startsWith(tops, 'recrutiment and retention');
    expect(repliesTo(post.comments, recruitment).map((c) => c.text)).toEqual([
      expect.stringMatching(/^https:\/\/www\.theyworkforyou/),
    ]);
    const headcount = tops[4]!;
    expect(headcount.text).toMatch(/headcount reductions/);
    expect(repliesTo(post.comments, headcount).map((c) => c.text)).toEqual([
      expect.stringMatching(/^Trashed, trashed/),
    ]);
    expect(post.comments.every((c) => !/ReplyDelete|^Delete$|^Replies$/m.test(c.text))).toBe(true);
    expect(post.warnings).toEqual([]);
  });

  it('"Probation Must be Free of Civil Service": 52 comments, 20 top-level (4, 14 and 22 deleted), 32 replies', () => {
    const [post] = parse('004') as [ParsedPost];
    expect(post.comments).toHaveLength(52);
    const tops = topLevel(post.comments);
    expect(tops).toHaveLength(20);
    expect(post.comments.length - tops.length).toBe(32);
    // Comments 3 and 5 are neighbours: 4 was deleted on the blog and never copied.
    const third = startsWith(tops, '"Our system is not fit for purpose');
    const fifth = startsWith(tops, 'The other P in HMPPS');
    expect(tops.indexOf(fifth) - tops.indexOf(third)).toBe(1);
    expect(repliesTo(post.comments, third).map((c) => c.text)).toEqual([
      expect.stringMatching(/^The Ministry of Justice is looking to hire/),
    ]);
    const eighteen = startsWith(tops, 'Seen the new HMIP report for Brighton');
    expect(repliesTo(post.comments, eighteen)).toHaveLength(10);
    const nineteen = startsWith(tops, "Remember: it's not your workload");
    expect(repliesTo(post.comments, nineteen).map((c) => c.text.split('\n')[0])).toEqual([
      'it is what it is',
      'No, the problem is how you’re expected to manage it.',
    ]);
  });

  it('splits the flattened ReplyDelete/Delete comments into separate comments with replies attached', () => {
    const [post] = parse('003') as [ParsedPost];
    expect(post.comments.length).toBeGreaterThanOrEqual(40);
    expect(post.comments.every((c) => !/^(ReplyDelete|Delete)/m.test(c.text))).toBe(true);
    const leave = startsWith(post.comments, '19.30 please leave our service');
    expect(leave.parentId).toBeNull();
    const replies = repliesTo(post.comments, leave);
    expect(replies[0]!.text).toMatch(/^People like 19:30 are the ones/);
    expect(replies.length).toBeGreaterThanOrEqual(5);
    // Nothing from the post body leaks into the comments.
    expect(post.comments.some((c) => c.text.includes('Justin Russell'))).toBe(false);
  });

  it('takes author and time from a line such as "Anonymous 28 October 2022 at 22:00"', () => {
    const [post] = parse('003') as [ParsedPost];
    const dated = post.comments.filter((c) => c.date !== null);
    expect(dated).toHaveLength(1);
    expect(dated[0]).toMatchObject({ author: 'Anonymous', date: '2022-10-28', time: '22:00' });
    expect(dated[0]!.text).toMatch(/^"19\.30 please leave our service/);
  });
});

describe('signatures', () => {
  it("make 'Getafix the author of a comment signed that way", () => {
    const [post] = parse('001') as [ParsedPost];
    expect(post.comments[0]!.author).toBe('Getafix');
    expect(post.comments.slice(1).every((c) => c.author === null)).toBe(true);
  });

  it('make a name on the last line the author of a post, and leave it null otherwise', () => {
    expect(parse('001')[0]!.post.author).toBe('Matt Cracknell');
    expect(parse('004')[0]!.post.author).toBeNull();
    expect(parse('000')[0]!.post.author).toBeNull();
  });

  it('end a flattened comment whose buttons were lost', () => {
    const [post] = parse('003') as [ParsedPost];
    const signed = post.comments.find((c) => c.author === 'Getafix');
    expect(signed?.text).toMatch(/passports and driving licenses/);
    expect(signed?.text).not.toMatch(/I disagree/);
  });
});

describe('ids', () => {
  it('are stable across parses and unique', () => {
    const once = ['000', '001', '002', '003', '004'].flatMap(parse);
    const twice = ['000', '001', '002', '003', '004'].flatMap(parse);
    const ids = once.flatMap((p) => [p.post.id, ...p.comments.map((c) => c.id)]);
    expect(twice.flatMap((p) => [p.post.id, ...p.comments.map((c) => c.id)])).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('made-up layouts of the same grammar', () => {
  it('reads a US-style date line and a "1 comment:" header', () => {
    const text =
      'Monday, March 4, 2019\n\nA Fake Test Post\n\nSome body text here.\n\n1 comment:\n\n  1. A fake reader comment.\n\n    ReplyDelete\n';
    const [post] = parseTextDump(text, 'fake.txt') as [ParsedPost];
    expect(post.post).toMatchObject({ date: '2019-03-04', title: 'A Fake Test Post', text: 'Some body text here.' });
    expect(post.comments.map((c) => c.text)).toEqual(['A fake reader comment.']);
  });

  it('reports a header whose count disagrees with the comments read', () => {
    const text = 'Monday, 4 March 2019\n\nFake\n\nBody.\n\n3 comments:\n\n  1. Only one survived.\n    ReplyDelete\n';
    const [post] = parseTextDump(text, 'fake.txt') as [ParsedPost];
    expect(post.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/header says 3 comments, 1 read/)]);
  });
});
