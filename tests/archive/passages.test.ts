import { describe, expect, it } from 'vitest';
import type { ParsedPost, Post } from '../../src/archive/model.js';
import { passagesOf } from '../../src/archive/passages.js';
import { parseTextDump } from '../../src/archive/textDump.js';
import { exactParagraph, seedText } from '../helpers.js';

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

  it('leave no seed passage beginning with the punctuation of a cut', () => {
    const all = ['000', '001', '002']
      .flatMap((prefix) => parseTextDump(seedText(prefix), prefix))
      .flatMap(({ post, comments }) => passagesOf(post, comments));
    expect(all.filter((p) => /^[,;:]/.test(p.text))).toEqual([]);
  });
});

describe('cutting a long paragraph', () => {
  const words = (n: number, word: string) => Array.from({ length: n }, () => word).join(' ');
  const fakePost = (text: string): Post => ({
    id: 'fake-long',
    title: 'Fake long paragraph',
    date: '2024-01-01',
    time: null,
    author: null,
    url: null,
    labels: [],
    text,
  });

  it('cuts at a sentence end, never after an abbreviation such as "i.e." or "e.g." followed by more of the sentence', () => {
    // Three sentences: the first fills most of a passage; the second's abbreviations fall where a cut would fit.
    const first = `${words(133, 'Fakeword')}.`;
    const second = `Madeup ${words(30, 'madeup')} i.e. ${words(30, 'lowercase')} e.g. ${words(10, 'lowercase')}.`;
    const third = `Another ${words(80, 'sentence')}.`;
    const passages = passagesOf(fakePost(`${first} ${second} ${third}`), []).map((p) => p.text);
    expect(passages.length).toBeGreaterThan(1);
    expect(passages.filter((p) => /\b(i\.e|e\.g)\.$/.test(p))).toEqual([]);
    expect(passages.filter((p) => /^\p{Ll}/u.test(p))).toEqual([]);
    expect(passages.every((p) => p.length <= 1500)).toBe(true);
  });
});

describe('credit per passage', () => {
  const credits = (prefix: string, title: string) => {
    const { post, comments } = postTitled(prefix, title);
    return passagesOf(post, comments).filter((p) => p.kind !== 'comment');
  };

  it("gives the editor's lead-in to the blog and what the signature closes to the signer (The Probation Treadmill)", () => {
    const passages = credits('001', 'The Probation Treadmill');
    expect(passages[0]!.text).toMatch(/^I notice that Russell Webster/);
    expect(passages[0]!.text).toMatch(/can't stop myself:-$/);
    expect(passages[0]!.author).toBeNull();
    expect(passages.slice(1).every((p) => p.author === 'Matt Cracknell')).toBe(true);
    expect(passages.at(-1)!.text).not.toMatch(/Matt Cracknell$/);
  });

  it('cuts a paragraph at the lead-in line, so the quoted title is not credited to the editor nor the lead-in to the guest', () => {
    const passages = credits('003', 'London Probation’s staffing crisis – but better news on YOTs');
    expect(passages[0]).toMatchObject({ author: null });
    expect(passages[0]!.text).toMatch(/published today:-$/);
    expect(passages[1]!.text).toMatch(/^London Probation’s staffing crisis/);
    expect(passages[1]!.author).toBe('Justin Russell');
  });

  it('credits each section to its own signature: a message nobody signed is not given to the editor who signed the next', () => {
    const passages = credits('002', 'Happy New Year 2022');
    const amy = passages.filter((p) => p.text.includes('rollercoaster'));
    expect(amy).toHaveLength(1);
    expect(amy[0]!.author).toBeNull();
    expect(passages.at(-1)!.author).toBe('Jim Brown');
    expect(passages.at(-1)!.text).toMatch(/Happy New Year/);
  });

  it('credits a whole guest post with no preface to its signer', () => {
    const passages = credits('002', 'A Gem Of An Idea');
    expect(passages.every((p) => p.author === 'Pearly Gates')).toBe(true);
  });

  it("keeps a Blogger account's credit for text no signature closes, and a comment's own signature out of its text", () => {
    const post: Post = {
      id: 'fake-credit',
      title: 'A Made-Up Post With A Guest',
      date: '2020-01-01',
      time: null,
      author: 'Editor Account',
      url: null,
      labels: [],
      text: [
        'The editor introduces a made-up guest piece about rotas at some length, as editors do, today:-',
        'The made-up guest writes about invented rotas in a paragraph long enough to be its own passage.',
        'Fake Guestname',
      ].join('\n\n'),
    };
    const comment = {
      id: 'c1',
      postId: 'fake-credit',
      parentId: null,
      author: 'Testerfix',
      date: '2020-01-02',
      time: null,
      text: "A made-up reader comment long enough to be a passage of its own, signed below as regulars do.\n\n'Testerfix",
      permalink: null,
      deleted: false,
    };
    const passages = passagesOf(post, [comment]);
    expect(passages.map((p) => p.author)).toEqual(['Editor Account', 'Fake Guestname', 'Testerfix']);
    expect(passages[2]!.text).not.toMatch(/Testerfix/);
  });
  const madeUpPost = (text: string, author: string | null = null): Post => ({
    id: 'fake-lines',
    title: 'A Made-Up Post About Lines',
    date: '2020-01-01',
    time: null,
    author,
    url: null,
    labels: [],
    text,
  });
  const words = (text: string) => text.split(/\s+/).filter(Boolean);

  it('takes ***** and --oo00oo-- as separators only on a line of their own: text around them is kept as written', () => {
    const lines = [
      'The made-up inspection rated the invented office ***',
      '*** marks this made-up footnote about invented rotas',
      'A made-up line that ends with the marker --oo00oo--',
      '--oo00oo-- begins this made-up line about the zebra rota',
    ];
    const passages = passagesOf(madeUpPost(lines.join('\n')), []);
    expect(passages.map((p) => p.kind)).toEqual(['paragraph']);
    expect(words(passages.map((p) => p.text).join(' '))).toEqual(words(lines.join(' ')));
  });

  it('takes a line as the lead-in only when it ends in ":-": a ":-" inside a line leaves the whole signed piece to its signer', () => {
    const text = [
      'The made-up guest writes: - first an invented point about rotas, then a second one about zebras and offices.',
      'The made-up guest goes on about invented rotas in a paragraph long enough to be a passage of its own.',
      'Fake Guestname',
    ].join('\n\n');
    const passages = passagesOf(madeUpPost(text, 'Editor Account'), []);
    expect(passages.length).toBeGreaterThan(0);
    expect(passages.map((p) => p.author)).toEqual(passages.map(() => 'Fake Guestname'));
  });

  it("keeps a comment's last line when it is someone else's signature (a comment quoting another): only its own is dropped", () => {
    const comment = {
      id: 'c2',
      postId: 'fake-lines',
      parentId: null,
      author: 'Testerfix',
      date: '2020-01-02',
      time: null,
      text: "A made-up reader quotes another made-up regular at enough length to be a passage of its own.\n\n'Getafix",
      permalink: null,
      deleted: false,
    };
    const passages = passagesOf(madeUpPost('A made-up post.'), [comment]).filter((p) => p.kind === 'comment');
    expect(passages.map((p) => p.author)).toEqual(['Testerfix']);
    expect(passages[0]!.text).toMatch(/'Getafix$/);
  });

  describe('at the exact bounds of 120 and 1,500 characters', () => {
    const para = exactParagraph;
    const lengthsOf = (...paras: string[]) => passagesOf(madeUpPost(paras.join('\n\n')), []).map((p) => p.text.length);

    it('a paragraph of 120 characters stands alone; one of 119 is joined to the next', () => {
      expect(lengthsOf(para(120, 'a'), para(300, 'b'))).toEqual([120, 300]);
      expect(lengthsOf(para(119, 'a'), para(300, 'b'))).toEqual([119 + 2 + 300]);
    });

    it('a paragraph of 1,500 characters is one passage; one of 1,501 is cut in two', () => {
      expect(lengthsOf(para(1500))).toEqual([1500]);
      const cut = lengthsOf(para(1501));
      expect(cut).toHaveLength(2);
      expect(Math.max(...cut)).toBeLessThanOrEqual(1500);
    });

    it('a short paragraph joins the next when the two, with the blank line between them, make 1,500; not 1,501', () => {
      expect(lengthsOf(para(100, 'a'), para(1398, 'b'))).toEqual([1500]);
      expect(lengthsOf(para(100, 'a'), para(1399, 'b'))).toEqual([100, 1399]);
    });

    it('a short last paragraph joins the passage before it only if the two, with the blank line, fit in 1,500', () => {
      expect(lengthsOf(para(1400, 'a'), para(98, 'b'))).toEqual([1500]);
      expect(lengthsOf(para(1400, 'a'), para(99, 'b'))).toEqual([1400, 99]);
    });
  });
});
