// Thread context on Discord: the Context button under a comment hit and under
// a posted quote of a comment, /thread with its pages and suggestions, and
// takedowns kept out of both. The archive is a small made-up Blogger export.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIMessage } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { hide, targetOf } from '../../src/app/takedowns.js';
import { answerLine } from '../../src/console/console.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { BLOG_URL, tempDir } from '../helpers.js';
import { startHarness, type Harness } from './harness.js';

const BLOG = 'https://fake-blog.example';
const kind = (k: string) =>
  `<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#${k}'/>`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface FakeComment {
  id: string;
  post: string;
  at: string;
  author: string;
  text: string;
  parent?: string;
}

function post(id: string, title: string, path: string): string {
  return (
    `<entry><id>tag:blogger.com,1999:blog-1.post-${id}</id><published>2020-05-05T09:00:00.000+01:00</published>${kind('post')}` +
    `<title type='text'>${title}</title><content type='html'>A made-up post for thread tests.</content>` +
    `<link rel='alternate' type='text/html' href='${BLOG}/2020/05/${path}.html'/><author><name>Fake Editor</name></author></entry>`
  );
}

function comment(c: FakeComment, path: string): string {
  const related = c.parent
    ? `<link rel='related' type='application/atom+xml' href='${BLOG}/feeds/${c.post}/comments/default/${c.parent}'/>`
    : '';
  return (
    `<entry><id>tag:blogger.com,1999:blog-1.post-${c.id}</id><published>${c.at}</published>${kind('comment')}` +
    `<content type='html'>${esc(esc(c.text))}</content><author><name>${c.author}</name></author>${related}` +
    `<thr:in-reply-to xmlns:thr='http://purl.org/syndication/thread/1.0' ref='tag:blogger.com,1999:blog-1.post-${c.post}' href='${BLOG}/2020/05/${path}.html'/></entry>`
  );
}

const at = (hour: number, minute = 0) =>
  `2020-05-05T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000+01:00`;

/** A conversation: B answers A; D and E answer B (listed out of order); C and F are elsewhere in the thread. */
const TALK: FakeComment[] = [
  { id: '911', post: '910', at: at(10), author: 'Fake Alpha', text: 'Opening grumble about the wombat rota.' },
  { id: '915', post: '910', at: at(13), author: 'Fake Echo', text: 'Echo reply: withdrawn later.', parent: '912' },
  {
    id: '914',
    post: '910',
    at: at(12),
    author: 'Fake Delta',
    text: 'Delta reply to the platypus point.',
    parent: '912',
  },
  { id: '913', post: '910', at: at(11, 30), author: 'Fake Charlie', text: 'Charlie on something else entirely.' },
  {
    id: '912',
    post: '910',
    at: at(11),
    author: 'Fake Bravo',
    text: 'The platypus timetable is worse than the rota. @everyone',
    parent: '911',
  },
  { id: '916', post: '910', at: at(14), author: 'Fake Foxtrot', text: 'Foxtrot answers Alpha too.', parent: '911' },
];

/** A long thread with no reply links: twelve long made-up comments, listed newest first. */
const LONG: FakeComment[] = Array.from({ length: 12 }, (_, i) => ({
  id: String(950 + i),
  post: '940',
  at: at(10 + Math.floor(i / 2), (i % 2) * 30),
  author: `Fake Writer ${i + 1}`,
  text: `Numbered note ${i + 1} about the quokka ledger. ${'Made-up filler about invented paperwork. '.repeat(18)}`,
})).reverse();

function exportFile(dir: string): string {
  const xml =
    `<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-1.archive</id><generator>Blogger</generator>` +
    post('910', 'Fake post about the wombat rota', 'wombat') +
    TALK.map((c) => comment(c, 'wombat')).join('') +
    post('940', 'Fake post with a long quokka ledger thread', 'quokka') +
    LONG.map((c) => comment(c, 'quokka')).join('') +
    '</feed>';
  const path = join(dir, 'threads.xml');
  writeFileSync(path, xml);
  return path;
}

let archive: OpenArchive;
let h: Harness;
beforeAll(async () => {
  const dir = tempDir();
  archive = openArchive(join(dir, 'data'), BLOG_URL);
  await ingestSources(archive.store, [exportFile(dir)], { now: () => '2026-11-23T08:00:00Z' });
  archive.index();
});
afterAll(() => archive.close());
beforeEach(async () => {
  h = await startHarness(archive);
});
afterEach(() => h.stop());

const str = (name: string, value: string) => ({ name, type: 3, value });
const buttons = (message: { components?: unknown[] }) =>
  (
    (message.components ?? []) as {
      components: { type: number; custom_id: string; label: string; disabled?: boolean }[];
    }[]
  )
    .flatMap((row) => row.components)
    .filter((c) => c.type === 2);
const description = (message: { embeds?: { description?: string }[] }) => message.embeds?.[0]?.description ?? '';
/** Which made-up comments a page shows (by their credit lines), in the order it shows them. */
const shownAuthors = (text: string) => [...text.matchAll(/\*\*Fake (\w+)\*\*/g)].map((m) => m[1]);

/** Every page of a paged answer, turned with Next ▶ by the member who asked. */
async function allPages(first: APIMessage): Promise<APIMessage[]> {
  const pages = [first];
  for (;;) {
    const next = buttons(pages.at(-1)!).find((b) => b.label === 'Next ▶');
    if (!next || next.disabled) return pages;
    const turned = h.fake.button(next.custom_id, pages.at(-1)!);
    pages.push(await turned.final());
  }
}

async function contextOfBravo(): Promise<{ message: APIMessage; flags: number | undefined; mentions: unknown }> {
  const search = h.fake.slashCommand('search', [str('query', 'platypus timetable'), str('in', 'comments')]);
  const page = await search.final();
  const button = buttons(page).find((b) => b.label === 'Context 1');
  expect(button?.custom_id).toBe('context:912');
  const pressed = h.fake.button(button!.custom_id, page);
  const response = await pressed.response();
  return { message: await pressed.final(), flags: response.data?.flags, mentions: response.data?.allowed_mentions };
}

describe('the Context button on a comment hit', () => {
  it('shows privately the comment, what it replies to and its replies in date order, under the post’s title and date', async () => {
    const { message, flags, mentions } = await contextOfBravo();
    expect(flags).toBe(64);
    const embed = message.embeds[0]!;
    expect(embed.title).toBe('Fake post about the wombat rota');
    expect(embed.url).toBe(`${BLOG}/2020/05/wombat.html`);
    const text = description(message);
    expect(text.split('\n')[0]).toMatch(/^Posted 5 May 2020 · the comment, what it replies to and the replies/);
    // Alpha (its parent), Bravo itself, then Delta and Echo by time though the export listed Echo first.
    expect(shownAuthors(text)).toEqual(['Alpha', 'Bravo', 'Delta', 'Echo']);
    expect(text).toMatch(
      /__Replied to__\n\*\*Fake Alpha\*\* · 5 May 2020, 10:00 · \[link\]\(https:\/\/fake-blog\.example\/2020\/05\/wombat\.html\?showComment=\d+#c911\)/,
    );
    expect(text).toMatch(/▶ __This comment__\n\*\*Fake Bravo\*\* · 5 May 2020, 11:00/);
    // The comment's words inert: nobody pinged, whatever it says.
    expect(text).toContain('@\u200beveryone');
    expect(mentions).toEqual({ parse: [] });
  });

  it('is offered for comment hits only, one per hit on the page', async () => {
    const page = await h.fake.slashCommand('search', [str('query', 'wombat rota')]).final();
    const contexts = buttons(page).filter((b) => b.custom_id.startsWith('context:'));
    const hits = description(page).split(/\n\n(?=\*\*\d+\.\*\* )/);
    const commentHits = hits.map((b, i) => (/· comment/.test(b) ? `Context ${i + 1}` : null)).filter(Boolean);
    expect(commentHits.length).toBeGreaterThan(0);
    expect(contexts.map((b) => b.label)).toEqual(commentHits);
  });

  it('shows the comments around one when the post’s comments carry no reply links, and says so', async () => {
    const view = archive.commentContext('955');
    expect(view?.neighbours).toBe(true);
    const pressed = h.fake.button('context:955', (await h.fake.slashCommand('help').final()).id);
    const pages = await allPages(await pressed.final());
    expect(description(pages[0]!)).toMatch(/carry no reply links, so the comments around this one are shown/);
    const text = pages.map(description).join('\n');
    expect(text).toMatch(/▶ __This comment__\n\*\*Fake Writer 6\*\*/);
    const notes = [...text.matchAll(/Numbered note (\d+)/g)].map((m) => Number(m[1]));
    expect(notes).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('the Context button on a posted quote of a comment', () => {
  it('is on the public quote, and shows whoever presses it the thread, privately', async () => {
    const passageId = archive.search('platypus timetable', { limit: 1, kinds: ['comment'] })[0]!.passageId;
    const quoted = h.fake.slashCommand('quote', [str('passage', `p:${passageId}`)]);
    const posted = await quoted.response();
    expect(posted.data?.flags ?? 0).toBe(0);
    const message = await quoted.final();
    expect(buttons(message).map((b) => [b.label, b.custom_id])).toEqual([['Context', 'context:912']]);
    const someoneElse = h.fake.button('context:912', message, { user: h.fake.users.moderator });
    expect((await someoneElse.response()).data?.flags).toBe(64);
    expect(shownAuthors(description(await someoneElse.final()))).toEqual(['Alpha', 'Bravo', 'Delta', 'Echo']);
  });

  it('is on a comment hit shared from a search', async () => {
    const page = await h.fake
      .slashCommand('search', [str('query', 'platypus timetable'), str('in', 'comments')])
      .final();
    const menu = ((page.components ?? []) as { components: { type: number; custom_id: string }[] }[])
      .flatMap((row) => row.components)
      .find((c) => c.type === 3)!;
    const shared = await h.fake.stringSelect(menu.custom_id, ['0'], page).response();
    expect(shared.data?.flags ?? 0).toBe(0);
    const posted = (shared.data?.components ?? []) as { components: { custom_id: string; label: string }[] }[];
    expect(posted.flatMap((row) => row.components).map((b) => [b.label, b.custom_id])).toEqual([
      ['Context', 'context:912'],
    ]);
  });

  it('is not on a quote of a post’s own words', async () => {
    const passageId = archive.search('made-up post for thread tests', { limit: 1, kinds: ['paragraph'] })[0]!.passageId;
    const message = await h.fake.slashCommand('quote', [str('passage', `p:${passageId}`)]).final();
    expect(buttons(message)).toEqual([]);
  });
});

describe('/thread', () => {
  it('suggests posts with comments by title as the member types', async () => {
    const suggested = await h.fake.autocomplete('thread', [{ ...str('post', 'quokka led'), focused: true }]).response();
    expect(suggested.data?.choices).toEqual([
      { name: 'Fake post with a long quokka ledger thread (5 May 2020, 12 comments)', value: 't:940' },
    ]);
  });

  it('reads a long thread in date order a page at a time, and only the member who asked turns the pages', async () => {
    const asked = h.fake.slashCommand('thread', [str('post', 't:940')]);
    expect((await asked.response()).data?.flags).toBe(64);
    let page = await asked.final();
    expect(page.embeds[0]!.title).toBe('Fake post with a long quokka ledger thread');
    expect(description(page).split('\n')[0]).toBe('Posted 5 May 2020 · 12 comments, oldest first');
    const seen: number[] = [];
    let turns = 0;
    for (;;) {
      seen.push(...[...description(page).matchAll(/Numbered note (\d+)/g)].map((m) => Number(m[1])));
      expect(description(page).length).toBeLessThanOrEqual(4096);
      for (const b of buttons(page)) expect(b.custom_id.length).toBeLessThanOrEqual(100);
      const next = buttons(page).find((b) => b.label === 'Next ▶');
      if (!next || next.disabled) break;
      if (turns === 0) {
        const intruder = h.fake.button(next.custom_id, page, { user: h.fake.users.moderator });
        const refused = await intruder.response();
        expect(refused.data?.flags).toBe(64);
        expect(refused.data?.content).toMatch(/belong to someone else/);
      }
      const turned = h.fake.button(next.custom_id, page);
      expect((await turned.response()).type).toBe(7);
      page = await turned.final();
      turns++;
    }
    expect(turns).toBeGreaterThan(0);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('answers in the console with the same comments, in order', async () => {
    const text = (await answerLine('/thread wombat rota', commands, h.context)) ?? '';
    expect(text.split('\n')[0]).toBe(`"Fake post about the wombat rota" — ${BLOG}/2020/05/wombat.html`);
    expect([...text.matchAll(/^Fake (\w+), /gm)].map((m) => m[1])).toEqual([
      'Alpha',
      'Bravo',
      'Charlie',
      'Delta',
      'Echo',
      'Foxtrot',
    ]);
    expect(text).toMatch(/^Fake Delta, 5 May 2020, 12:00, replying to Fake Bravo — https:/m);
  });

  it('says so privately when no post has a title like the words typed', async () => {
    const answer = await h.fake.slashCommand('thread', [str('post', 'no such zebra title')]).response();
    expect(answer.data?.flags).toBe(64);
    expect(answer.data?.content).toMatch(/No post with comments has a title like "no such zebra title"/);
  });
});

describe('takedowns in threads', () => {
  it('leave a hidden reply out of Context and /thread, its place kept and nothing of it shown', async () => {
    hide(archive.store, targetOf(archive.store, '915'), { reason: null, by: 'test', now: '2026-11-23T08:30:00Z' });
    const { message } = await contextOfBravo();
    const text = description(message);
    expect(shownAuthors(text)).toEqual(['Alpha', 'Bravo', 'Delta']);
    expect(text).not.toMatch(/Echo|withdrawn|#c915/);
    expect(text).toMatch(/__Reply__\n\*A comment removed from the archive\.\*/);
    const thread = await h.fake.slashCommand('thread', [str('post', 't:910')]).final();
    expect(description(thread)).not.toMatch(/Echo|withdrawn|#c915/);
    expect(shownAuthors(description(thread))).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Foxtrot']);
  });

  it('refuse the Context of a hidden comment, and a hidden post’s thread', async () => {
    const gone = await h.fake.button('context:915', (await h.fake.slashCommand('help').final()).id).response();
    expect(gone.data?.content).toBe('That comment is no longer in the archive.');
    hide(archive.store, targetOf(archive.store, '940'), { reason: null, by: 'test', now: '2026-11-23T08:31:00Z' });
    const thread = await h.fake.slashCommand('thread', [str('post', 't:940')]).response();
    expect(thread.data?.content).toBe('That post is no longer in the archive.');
    const suggested = await h.fake.autocomplete('thread', [{ ...str('post', 'quokka'), focused: true }]).response();
    expect(suggested.data?.choices).toEqual([]);
  });
});
