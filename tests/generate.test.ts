// The benchmark's archive generator: deterministic, counts that match the file, threads that hold,
// and a Blogger classic export that a strict reader accepts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_WORDS, generateArchive, type GeneratedSummary } from './bench/generate.js';
import { FIXTURES, ROOT } from './helpers.js';

const SCALE = 0.004; // 20 posts, 600 comments
const KIND = 'http://schemas.google.com/blogger/2008/kind#';

interface Entry {
  kind: string;
  id: string;
  published: string;
  title: string;
  content: string;
  draft: boolean;
  removed: boolean;
  author: string;
  inReplyTo: string | null;
  related: string | null;
  alternate: string | null;
}

interface Parsed {
  entries: Entry[];
  problems: string[];
  explicitCloses: number;
  root: string | null;
  declaration: boolean;
}

/** Reads the export with htmlparser2 (xmlMode) and notes every departure from well-formed, namespace-correct XML. */
function parseExport(xml: string): Parsed {
  const out: Parsed = { entries: [], problems: [], explicitCloses: 0, root: null, declaration: false };
  const stack: { name: string; prefixes: Set<string> }[] = [];
  let entry: Entry | null = null;
  let text = '';
  const parser = new Parser(
    {
      onprocessinginstruction(name) {
        if (name === '?xml' && parser.startIndex === 0) out.declaration = true;
      },
      onopentag(name, attribs) {
        const prefixes = new Set(stack.length ? stack[stack.length - 1]!.prefixes : []);
        for (const a of Object.keys(attribs)) if (a.startsWith('xmlns:')) prefixes.add(a.slice(6));
        const prefix = name.includes(':') ? name.split(':')[0]! : null;
        if (prefix && !prefixes.has(prefix)) out.problems.push(`undeclared prefix ${prefix}: on <${name}>`);
        if (!stack.length) {
          if (out.root) out.problems.push(`second root <${name}>`);
          out.root = name;
        }
        stack.push({ name, prefixes });
        text = '';
        if (name === 'entry') {
          entry = {
            kind: '',
            id: '',
            published: '',
            title: '',
            content: '',
            draft: false,
            removed: false,
            author: '',
            inReplyTo: null,
            related: null,
            alternate: null,
          };
        } else if (entry) {
          if (name === 'category' && attribs.scheme === 'http://schemas.google.com/g/2005#kind')
            entry.kind = (attribs.term ?? '').replace(KIND, '');
          if (name === 'thr:in-reply-to') entry.inReplyTo = attribs.ref ?? null;
          if (name === 'link' && attribs.rel === 'related') entry.related = attribs.href ?? null;
          if (name === 'link' && attribs.rel === 'alternate') entry.alternate = attribs.href ?? null;
          if (name === 'gd:extendedProperty' && attribs.name === 'blogger.contentRemoved')
            entry.removed = attribs.value === 'true';
        }
      },
      ontext(t) {
        text += t;
      },
      onclosetag(name, isImplied) {
        const top = stack.pop();
        if (!top || top.name !== name) out.problems.push(`</${name}> closes <${top?.name ?? 'nothing'}>`);
        if (isImplied && !xml.slice(parser.startIndex, parser.endIndex + 1).endsWith('/>'))
          out.problems.push(`<${name}> never closed`);
        if (!isImplied) out.explicitCloses++;
        const parent = stack[stack.length - 1]?.name;
        if (entry) {
          if (name === 'id' && parent === 'entry') entry.id = text;
          if (name === 'published') entry.published = text;
          if (name === 'title' && parent === 'entry') entry.title = text;
          if (name === 'content') entry.content = text;
          if (name === 'app:draft') entry.draft = text === 'yes';
          if (name === 'name' && parent === 'author') entry.author = text;
          if (name === 'entry') {
            out.entries.push(entry);
            entry = null;
          }
        }
        text = '';
      },
    },
    { xmlMode: true },
  );
  parser.end(xml);
  if (stack.length) out.problems.push(`unclosed at end: ${stack.map((s) => s.name).join(' > ')}`);
  return out;
}

/** Plain text of an HTML fragment (entities decoded, tags dropped). */
function htmlText(html: string): string {
  let text = '';
  const p = new Parser({
    ontext(t) {
      text += t;
    },
    onclosetag(name) {
      if (name === 'p' || name === 'div' || name === 'br') text += '\n';
    },
  });
  p.end(html);
  return text;
}

const tail = (id: string): string => id.replace(/^tag:blogger\.com,1999:blog-\d+\.post-/, '');

let dir: string;
let summary: GeneratedSummary;
let again: GeneratedSummary;
let xml: string;
let parsed: Parsed;
let posts: Entry[];
let comments: Entry[];
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'generate-test-'));
  summary = await generateArchive({ scale: SCALE, seed: 42, out: join(dir, 'a.xml') });
  again = await generateArchive({ scale: SCALE, seed: 42, out: join(dir, 'b.xml') });
  await generateArchive({ scale: SCALE, seed: 43, out: join(dir, 'c.xml') });
  xml = readFileSync(join(dir, 'a.xml'), 'utf8');
  parsed = parseExport(xml);
  posts = parsed.entries.filter((e) => e.kind === 'post');
  comments = parsed.entries.filter((e) => e.kind === 'comment');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('generateArchive', () => {
  it('writes the same bytes for the same seed, different bytes for another seed', () => {
    expect(sha(join(dir, 'b.xml'))).toBe(sha(join(dir, 'a.xml')));
    expect(again).toEqual(summary);
    expect(sha(join(dir, 'c.xml'))).not.toBe(sha(join(dir, 'a.xml')));
  });

  it('writes the counts the scale asks for, and the summary matches the file', () => {
    expect(summary.posts).toBe(20);
    expect(summary.comments).toBe(600);
    expect(posts.filter((p) => !p.draft)).toHaveLength(summary.posts);
    expect(posts.filter((p) => p.draft)).toHaveLength(summary.drafts);
    expect(summary.drafts).toBeGreaterThanOrEqual(1);
    expect(comments.filter((c) => !c.removed)).toHaveLength(summary.comments);
    expect(comments.filter((c) => c.removed)).toHaveLength(summary.deletedComments);
    expect(comments.filter((c) => !c.removed && c.related)).toHaveLength(summary.replies);
    expect(summary.bytes).toBe(statSync(join(dir, 'a.xml')).size);
    // ~30 % replies, ~40 % Anonymous
    expect(summary.replies / summary.comments).toBeGreaterThan(0.2);
    expect(summary.replies / summary.comments).toBeLessThan(0.4);
    const anonymous = comments.filter((c) => !c.removed && c.author === 'Anonymous').length / summary.comments;
    expect(anonymous).toBeGreaterThan(0.3);
    expect(anonymous).toBeLessThan(0.5);
  });

  it('is well-formed XML: one <feed> root, every tag closed in order, prefixes declared, entities valid', () => {
    expect(parsed.declaration).toBe(true);
    expect(parsed.root).toBe('feed');
    expect(parsed.problems).toEqual([]);
    expect(parsed.explicitCloses).toBe(xml.split('</').length - 1);
    expect(xml.match(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g)).toBeNull();
    expect(xml.endsWith('</feed>')).toBe(true);
  });

  it('the well-formedness check accepts a real export and catches broken ones', () => {
    expect(
      parseExport(readFileSync(join(FIXTURES, 'blogger-export-classic-threaded-2019.xml'), 'utf8')).problems,
    ).toEqual([]);
    expect(
      parseExport(readFileSync(join(FIXTURES, 'blogger-export-classic-pelican-2018.xml'), 'utf8')).problems,
    ).toContainEqual(expect.stringMatching(/undeclared prefix app:/));
    expect(parseExport("<?xml version='1.0'?><feed><entry><title>x</entry></feed>").problems).toContainEqual(
      '<title> never closed',
    );
    expect(parseExport(xml.slice(0, -'</feed>'.length)).problems).toContainEqual(
      expect.stringMatching(/never closed|unclosed/),
    );
  });

  it('lays entries out as a classic export: template and settings, then posts newest first, then comments', () => {
    const kinds = parsed.entries.map((e) => e.kind);
    expect(kinds[0]).toBe('template');
    expect(kinds.slice(1, 3)).toEqual(['settings', 'settings']);
    const lastPost = kinds.lastIndexOf('post');
    expect(kinds.indexOf('comment')).toBe(lastPost + 1);
    expect(kinds.slice(kinds.indexOf('post')).every((k) => k === 'post' || k === 'comment')).toBe(true);
    const times = posts.map((p) => Date.parse(p.published));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const ids = parsed.entries.filter((e) => e.kind === 'post' || e.kind === 'comment').map((e) => tail(e.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[1-9]\d{17,18}$/);
    for (const p of posts.filter((p) => !p.draft))
      expect(p.alternate).toMatch(/^https:\/\/probationmatters\.example\/20\d\d\/\d\d\/[a-z0-9-]+(_\d\d)?\.html$/);
  });

  it('threads replies to an earlier top-level comment of the same post', () => {
    const seen = new Map<string, { index: number; post: string | null; published: number; reply: boolean }>();
    let replies = 0;
    comments.forEach((c, index) => {
      const id = tail(c.id);
      if (c.related) {
        replies++;
        const m = /\/feeds\/\d+\/(\d+)\/comments\/default\/(\d+)$/.exec(c.related);
        expect(m).not.toBeNull();
        const parent = seen.get(m![2]!);
        expect(parent, `parent of ${id}`).toBeDefined();
        expect(parent!.index).toBeLessThan(index);
        expect(parent!.post).toBe(c.inReplyTo);
        expect(tail(c.inReplyTo ?? '')).toBe(m![1]);
        expect(parent!.reply).toBe(false);
        expect(parent!.published).toBeLessThanOrEqual(Date.parse(c.published));
      }
      seen.set(id, { index, post: c.inReplyTo, published: Date.parse(c.published), reply: c.related !== null });
    });
    expect(replies).toBeGreaterThan(0);
  });

  it('hangs every comment on a live post, published after it', () => {
    const live = new Map(posts.filter((p) => !p.draft).map((p) => [p.id, Date.parse(p.published)]));
    for (const c of comments) {
      expect(live.has(c.inReplyTo ?? ''), `post of ${c.id}`).toBe(true);
      expect(Date.parse(c.published)).toBeGreaterThanOrEqual(live.get(c.inReplyTo ?? '')!);
    }
  });

  it('dates everything within 2013–2024 in UK time, and reports the range', () => {
    const dated = [...posts.filter((p) => !p.draft), ...comments.filter((c) => !c.removed)].map((e) => e.published);
    for (const d of dated) {
      expect(d).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[01]:00$/);
      expect(Number(d.slice(0, 4))).toBeGreaterThanOrEqual(2013);
      expect(Number(d.slice(0, 4))).toBeLessThanOrEqual(2024);
    }
    const days = dated.map((d) => d.slice(0, 10)).sort();
    expect(summary.firstDate).toBe(days[0]);
    expect(summary.lastDate).toBe(days[days.length - 1]);
  });

  it('holds escaped HTML whose text is about probation', () => {
    const live = posts.filter((p) => !p.draft);
    const html = live.map((p) => p.content).join('\n');
    expect(html).toMatch(/<br \/>|<p>|<div>/); // one level of unescaping gives HTML…
    const text = htmlText(html);
    expect(text).not.toMatch(/&(amp|quot|lt|gt|#39);|<\w/); // …and a second gives plain text
    const found = DOMAIN_WORDS.filter((w) =>
      new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text),
    );
    expect(found.length).toBeGreaterThanOrEqual(20);
    expect(text).toContain('probation');
    const comment = comments.find((c) => !c.removed && c.content.includes('&#39;'));
    expect(comment, 'a comment with an escaped apostrophe').toBeDefined();
    expect(htmlText(comment!.content)).toContain("'");
    for (const c of comments.filter((c) => c.removed))
      expect(c.content).toMatch(/^This comment has been removed by (the author|a blog administrator)\.$/);
    // The sample exercises both layers of escaping: HTML entities inside escaped content and titles, & and ' in attributes.
    expect(html).toMatch(/&(amp|quot);/);
    expect(comments.some((c) => /&#39;/.test(c.title))).toBe(true);
    expect(xml).toMatch(/term='[^']*&amp;[^']*'/);
    expect(xml).toMatch(/term='[^']*&#39;[^']*'/);
  });

  it('refuses a scale or seed it cannot use', async () => {
    await expect(generateArchive({ scale: 0, seed: 1, out: join(dir, 'x.xml') })).rejects.toThrow(/scale/);
    await expect(generateArchive({ scale: 0.01, seed: 1.5, out: join(dir, 'x.xml') })).rejects.toThrow(/seed/);
  });

  it('prints the summary as JSON when run from the command line', async () => {
    const out = join(dir, 'cli.xml');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'tests/bench/generate.ts'), '--scale', '0.0004', '--seed', '5', '--out', out],
      { encoding: 'utf8', cwd: ROOT },
    );
    expect(run.status, run.stderr).toBe(0);
    const inProcess = await generateArchive({ scale: 0.0004, seed: 5, out: join(dir, 'cli-in-process.xml') });
    expect(JSON.parse(run.stdout)).toEqual(inProcess);
    expect(sha(out)).toBe(sha(join(dir, 'cli-in-process.xml')));
  });
});
