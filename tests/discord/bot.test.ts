// The bot end to end: the real discord.js client, the bot's own startBot,
// router and commands, against the fake Discord on 127.0.0.1. The archive is
// the real seed sample plus a small made-up Blogger export holding hostile
// text (mentions, a masked javascript: link, a code fence) and a very long
// comment. Assertions are on what Discord itself would have received.
import type { ArchiveService } from '../../src/app/archive.js';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands, type CommandContext } from '../../commands/index.js';
import { campaignViews } from '../../src/app/campaign.js';
import { serverSettings } from '../../src/app/serverSettings.js';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { startBot, type RunningBot } from '../../src/discord/bot.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { searchSessions } from '../../src/discord/sessions.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { createLogger } from '../../src/log.js';
import { BLOG_URL, FIXTURES, SEEDS, tempDir } from '../helpers.js';
import { faults, startFakeDiscord, type FakeDiscord, type InteractionCallback } from './fakeDiscord.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

const TOKEN = 'fake-bot-token-for-tests-only';
const NOW = new Date('2026-11-23T09:00:00Z');
const LONG_COMMENT = `Made-up marathon comment. ${'The rota zebra grazes on paperwork again. '.repeat(240)}`.slice(
  0,
  10_000,
);

/** A made-up export: one post whose comments try to ping, link and format their way out. */
function hostileExport(dir: string): string {
  const kind = (k: string) =>
    `<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#${k}'/>`;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const comment = (id: string, text: string) =>
    `<entry><id>tag:blogger.com,1999:blog-1.post-${id}</id><published>2020-05-05T10:00:00.000Z</published>${kind('comment')}` +
    `<content type='html'>${esc(esc(text))}</content><author><name>Fake Troll</name></author>` +
    `<thr:in-reply-to xmlns:thr='http://purl.org/syndication/thread/1.0' ref='tag:blogger.com,1999:blog-1.post-900' href='https://fake-blog.example/2020/05/hostile.html'/></entry>`;
  const xml =
    `<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-1.archive</id><generator>Blogger</generator>` +
    `<entry><id>tag:blogger.com,1999:blog-1.post-900</id><published>2020-05-05T09:00:00.000Z</published>${kind('post')}` +
    `<title type='text'>Fake hostile post about the xylophone rota</title><content type='html'>A made-up post about the xylophone rota.</content>` +
    `<link rel='alternate' type='text/html' href='https://fake-blog.example/2020/05/hostile.html'/><author><name>Fake Editor</name></author></entry>` +
    comment(
      '901',
      'Xylophone alert @everyone and <@&123456789012345678> see [click here](javascript:alert(1)) ```js\nsteal()\n``` **bold** xylophone',
    ) +
    comment('902', `Xylophone marathon. ${LONG_COMMENT}`) +
    '</feed>';
  const path = join(dir, 'hostile.xml');
  writeFileSync(path, xml);
  return path;
}

let archive: OpenArchive;
let petitionServer: Server;
let petitionUrl: string;
let petitionUp = true;
let fake: FakeDiscord;
let bot: RunningBot;
let logLines: Record<string, unknown>[] = [];
let context: CommandContext;

beforeAll(async () => {
  const dir = tempDir();
  archive = openArchive(join(dir, 'data'), BLOG_URL);
  await ingestSources(archive.store, [SEEDS, hostileExport(dir)], { now: () => NOW.toISOString() });
  archive.index();
  const petitionJson = (await import('node:fs')).readFileSync(
    join(FIXTURES, 'petition-parliament-uk-131215-2016.json'),
  );
  petitionServer = createServer((_req, res) => {
    if (!petitionUp) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(petitionJson);
  });
  await new Promise<void>((resolve) => petitionServer.listen(0, '127.0.0.1', resolve));
  petitionUrl = `http://127.0.0.1:${(petitionServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  archive.close();
  await new Promise<void>((resolve) => petitionServer.close(() => resolve()));
});

beforeEach(async () => {
  fake = await startFakeDiscord({ token: TOKEN });
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  context = {
    archive,
    today: () => '2023-11-23',
    now: () => NOW,
    blogUrl: BLOG_URL,
    campaign: campaignViews(
      archive.store,
      {
        petition: {
          network: TEST_NETWORK,
          id: 131215,
          baseUrl: petitionUrl,
          changeOrgUrl: 'https://www.change.org/p/fake-campaign',
        },
        napo: { network: TEST_NETWORK, feedUrl: null, blogUrl: BLOG_URL },
      },
      // Tests move the context's clock: the views read it at each call.
      () => context.now(),
    ),
    settings: serverSettings(archive.store, { now: () => context.now() }),
    sessions: searchSessions(),
    log: createLogger('debug', sink),
  };
  bot = await startBot({ token: TOKEN, commands, context, log: context.log, rest: { api: fake.restApi } });
});

afterEach(async () => {
  await bot.stop();
  await fake.close();
});

const str = (name: string, value: string) => ({ name, type: 3, value });
const description = (message: { embeds?: { description?: string }[] }) => message.embeds?.[0]?.description ?? '';
const buttonIds = (message: { components?: unknown[] }) =>
  ((message.components ?? []) as { components: { custom_id: string; disabled?: boolean; label: string }[] }[]).flatMap(
    (row) => row.components,
  );

/** The search page's menu for sharing a hit. */
const shareMenu = (message: { components?: unknown[] }) =>
  ((message.components ?? []) as { components: { type: number }[] }[])
    .flatMap((row) => row.components)
    .find((c) => c.type === 3) as unknown as {
    custom_id: string;
    placeholder: string;
    options: { label: string; value: string }[];
  };

async function searchFor(query: string, extra: ReturnType<typeof str>[] = []) {
  const handle = fake.slashCommand('search', [str('query', query), ...extra]);
  const first: InteractionCallback = await handle.response();
  const message = await handle.final();
  return { handle, first, message };
}

describe('/search', () => {
  it('answers privately (deferred), with the treadmill post first, matched words in bold and page buttons', async () => {
    const { first, message } = await searchFor('probation treadmill');
    expect(first.type).toBe(5);
    expect(first.data?.flags).toBe(64);
    expect(message.embeds[0]!.title).toBe('Search: probation treadmill');
    expect(description(message)).toMatch(
      /^\*\*1\.\*\* \[The Probation Treadmill\]\(https:\/\/probationmatters\.blogspot\.com\/2022\/07\/\)/,
    );
    expect(description(message)).toMatch(/\*\*[Tt]readmill\*\*/);
    expect(description(message)).toMatch(/^3 Jul 2022 · post( · [^\n]+)? · link: the month’s archive$/m);
    const buttons = buttonIds(message);
    expect(buttons.find((b) => b.label === '◀ Previous')?.disabled).toBe(true);
    expect(buttons.find((b) => b.label === 'Next ▶')?.disabled).toBe(false);
    expect(buttons.find((b) => /^Page 1 of \d+$/.test(b.label))?.disabled).toBe(true);
    // One compact menu to share a hit, not a button per hit.
    const menu = shareMenu(message);
    expect(menu.options.map((o) => o.label)).toHaveLength(5);
    expect(menu.options[0]!.label).toBe('1. The Probation Treadmill');
    expect(menu.placeholder).toBe('Share a hit with the channel…');
    const edit = fake.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'));
    expect((edit!.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('pages with Next, and Share posts the chosen hit to the channel for everyone, pinging only the member it is suggested for', async () => {
    const target = fake.users.moderator;
    const { message } = await searchFor('probation', [
      { name: 'mention', type: 6, value: target.id } as unknown as ReturnType<typeof str>,
    ]);
    const next = buttonIds(message).find((b) => b.label === 'Next ▶')!;
    const paging = fake.button(next.custom_id, message);
    expect((await paging.response()).type).toBe(7);
    const page2 = await paging.final();
    expect(page2.embeds[0]!.footer?.text).toMatch(/^Hits 6–10 of/);

    // Named in `mention`: the page says sharing pings them, before anyone shares.
    expect(page2.embeds[0]!.footer?.text).toMatch(/pings the member you named$/);
    const menu = shareMenu(page2);
    expect(menu.placeholder).toMatch(/pings the member you named/);
    expect(menu.options[0]!.label).toMatch(/^6\. /);
    const shared = fake.stringSelect(menu.custom_id, [menu.options[0]!.value], page2);
    const posted = await shared.response();
    expect(posted.type).toBe(4);
    expect(posted.data?.flags ?? 0).toBe(0);
    expect(posted.data?.content).toBe(`Suggested for <@${target.id}> · Shared by <@${fake.users.member.id}>`);
    expect(posted.data?.allowed_mentions).toEqual({ parse: [], users: [target.id] });
    expect(posted.data?.embeds?.[0]?.url).toMatch(/^https:\/\/probationmatters\.blogspot\.com\//);
  });

  it('says so when nothing matches, and suggests a looser search', async () => {
    const { message } = await searchFor('zzqxjv', [str('author', 'Nobody Atall')]);
    expect(description(message)).toMatch(
      /Nothing in the archive matches\. Try to drop the author, year or posts\/comments filter, or use fewer/,
    );
    expect(message.components ?? []).toEqual([]);
  });

  it('filters by author, years and comments', async () => {
    const { message } = await searchFor('probation', [
      { name: 'from', type: 4, value: 2024 } as unknown as ReturnType<typeof str>,
      str('in', 'comments'),
    ]);
    expect(message.embeds[0]!.title).toBe('Search: probation (from 2024, comments only)');
    // A page copy keeps no comment dates: the date shown is the post's, and says so.
    const lines = description(message)
      .split('\n')
      .filter((l) => /^comment on the post of /.test(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => /^comment on the post of \d{1,2} \w{3} 2024\b/.test(l))).toBe(true);
    expect(description(message)).not.toMatch(/^\d{1,2} \w{3} 2024 · comment/m);
  });

  it('defers at once even when the search itself is slow, then edits the answer in', async () => {
    const slowArchive: ArchiveService = {
      ...archive,
      search: (query, options) => {
        const until = Date.now() + 1200;
        while (Date.now() < until) {
          /* a search that blocks, as a cold index would */
        }
        return archive.search(query, options);
      },
      // In a server the bot answers from the server's view of the archive: this one.
      forServer: () => slowArchive,
    };
    const slow: CommandContext = { ...context, archive: slowArchive };
    await bot.stop();
    bot = await startBot({ token: TOKEN, commands, context: slow, log: context.log, rest: { api: fake.restApi } });
    const { handle, first, message } = await searchFor('treadmill');
    expect(first.type).toBe(5);
    const callback = fake.requests.find((r) => r.path.startsWith(`/interactions/${handle.id}/`))!;
    const edit = fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(handle.token))!;
    expect(edit.at - callback.at).toBeGreaterThanOrEqual(1000);
    expect(description(message)).toMatch(/Treadmill/);
  });
});

describe('archive text never pings and never formats', () => {
  it('makes mentions, a masked javascript: link and a code fence inert in a search', async () => {
    const { message } = await searchFor('xylophone alert');
    const text = description(message);
    expect(text).toContain('Xylophone');
    expect(text).not.toMatch(/@everyone/);
    expect(text).toContain('@\u200beveryone');
    expect(text).toContain('<\u200b@&123456789012345678>');
    expect(text).not.toMatch(/(?<!\\)\[click here\]\(javascript/);
    expect(text).not.toMatch(/(?<!\\)```/);
  });

  it('quotes a 10,000-character comment cut at a word, within Discord limits', async () => {
    const pick = fake.autocomplete('quote', [
      { name: 'passage', type: 3, value: 'xylophone marathon', focused: true } as never,
    ]);
    const choices = (await pick.response()).data?.choices ?? [];
    const long = choices.find((c) => /marathon/i.test(c.name));
    expect(long).toBeDefined();
    const handle = fake.slashCommand('quote', [str('passage', String(long!.value))]);
    const posted = await handle.response();
    const embed = posted.data!.embeds![0]!;
    expect(embed.description!.length).toBeLessThanOrEqual(1500);
    expect(embed.description!.endsWith('…')).toBe(true);
    expect(embed.description).not.toMatch(/\s…$/);
    // The comment's first piece: it goes on (the permalink has the rest) but does not start mid-way.
    expect(embed.description!.startsWith('…')).toBe(false);
    expect(embed.url).toMatch(/^https:\/\/fake-blog\.example\/2020\/05\/hostile\.html\?showComment=\d+#c902$/);
    expect(posted.data?.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('/quote', () => {
  it('suggests passages by post title and date with the start of the passage, within Discord limits', async () => {
    const pick = fake.autocomplete('quote', [{ name: 'passage', type: 3, value: 'treadmil', focused: true } as never]);
    const answer = await pick.response();
    expect(answer.type).toBe(8);
    const choices = answer.data!.choices!;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(String(c.value)).toMatch(/^p:\d+$/);
    }
    expect(choices[0]!.name).toMatch(/^The Probation Treadmill \(2022-07-03\): /);
  });

  it('posts the picked passage publicly with its author, date and permalink; free text quotes the best passage', async () => {
    const picked = fake.slashCommand('quote', [str('passage', 'probation treadmill')]);
    const posted = await picked.response();
    expect(posted.type).toBe(4);
    expect(posted.data?.flags ?? 0).toBe(0);
    const embed = posted.data!.embeds![0]!;
    expect(embed.title).toBe('The Probation Treadmill');
    expect(embed.author?.name).toMatch(/ · 3 Jul 2022$/);
    // The title is above it: the footer says where the words come from, not the title again, and that a
    // page copy's link opens the month's archive, not the post.
    expect(embed.footer?.text).toBe('The On Probation blog · the link opens the month’s archive');
    expect(embed.url).toMatch(/^https:\/\/probationmatters\.blogspot\.com\/2022\/07\//);
  });

  it("credits the editor's preface to the blog and the guest's article to the guest", async () => {
    const quoteOf = async (words: string) => {
      const passageId = archive.search(words, { limit: 1 })[0]!.passageId;
      const posted = await fake.slashCommand('quote', [str('passage', `p:${passageId}`)]).response();
      return posted.data!.embeds![0]!;
    };
    const preface = await quoteOf('Russell Webster recently highlighted precis academic research');
    expect(preface.description).toMatch(/Russell Webster recently highlighted/);
    expect(preface.author?.name).toMatch(/^On Probation blog · /);
    const article = await quoteOf('PMR 1 hour window regimented transactional');
    expect(article.author?.name).toMatch(/^Matt Cracknell · /);
    // The signature is the credit: it is not repeated at the end of the quoted text.
    const last = await quoteOf('cautious optimism probation value base');
    expect(last.author?.name).toMatch(/^Matt Cracknell · /);
    expect(last.description).not.toMatch(/Matt Cracknell\s*$/);
  });

  it('tells the member privately when nothing matches', async () => {
    const handle = fake.slashCommand('quote', [str('passage', 'qqqzzzxxv')]);
    const answer = await handle.response();
    expect(answer.data?.flags).toBe(64);
    expect(answer.data?.content).toMatch(/^Nothing in the archive matches "qqqzzzxxv"/);
  });
});

describe('the other commands', () => {
  it('"Find in archive" searches with the selected message’s words, privately', async () => {
    const target = fake.seedMessage({
      content: 'Has anyone read about the probation treadmill? <@123456789012345678>',
    });
    const handle = fake.messageContextMenu('Find in archive', target);
    expect((await handle.response()).data?.flags).toBe(64);
    const message = await handle.final();
    expect(message.embeds[0]!.title).toBe('Search: Has anyone read about the probation treadmill?');
    expect(description(message)).toMatch(/The Probation Treadmill/);
  });

  it('"Find in archive" on "caseloads are out of control" puts a caseload passage first, not a one-liner about control', async () => {
    const target = fake.seedMessage({ content: 'caseloads are out of control' });
    const message = await fake.messageContextMenu('Find in archive', target).final();
    const firstHit = description(message).split(/\n\s*\n/)[0]!;
    expect(firstHit).toMatch(/caseload/i);
  });

  it('/onthisday lists earlier years newest first, the asked date’s own year apart, and a bad date gets a private explanation', async () => {
    const handle = fake.slashCommand('onthisday', [str('date', '2024-11-23')]);
    const message = await handle.final();
    expect(message.embeds[0]!.title).toBe('On this day: 23 November');
    expect(description(message)).toMatch(/^\*\*2023\*\* · \[On Being a PQiP\]/);
    // The asked date's own post is that day, not an "earlier year".
    const sameYear = await fake.slashCommand('onthisday', [str('date', '2023-11-23')]).final();
    expect(sameYear.embeds[0]!.title).toBe('23 Nov 2023, and this day in earlier years');
    expect(description(sameYear)).toMatch(/^\*\*2023\*\* · \[On Being a PQiP\]/);

    const bad = await fake.slashCommand('onthisday', [str('date', '2023-02-30')]).response();
    expect(bad.data?.flags).toBe(64);
    expect(bad.data?.content).toMatch(/is not a date: use YYYY-MM-DD/);
  });

  it('/petition shows the live count and thresholds, then the stored figures with their age when the site is down', async () => {
    const live = await fake.slashCommand('petition').final();
    expect(description(live)).toMatch(/^\*\*3,555,721 signatures\*\*/);
    expect(description(live)).toMatch(/Government response at 10,000: reached/);
    expect(description(live)).toMatch(/change\.org\/p\/fake-campaign/);
    expect(live.embeds[0]!.footer?.text).toBe('Live from petition.parliament.uk');

    petitionUp = false;
    try {
      context.now = () => new Date(NOW.getTime() + 3 * 3_600_000);
      const stale = await fake.slashCommand('petition').final();
      expect(stale.embeds[0]!.footer?.text).toBe('The petition site could not be reached: figures as of 3 hours ago');
    } finally {
      petitionUp = true;
      context.now = () => NOW;
    }
  });

  it('/petition where: suggests constituencies by name or MP, answers publicly with the count, MP and rank; mine: is private', async () => {
    await fake.slashCommand('petition').final();
    const pick = fake.autocomplete('petition', [{ name: 'where', type: 3, value: 'Starmer', focused: true } as never]);
    const choices = (await pick.response()).data!.choices!;
    expect(choices).toEqual([{ name: 'Holborn and St Pancras — Keir Starmer MP (18,704)', value: 'E14000750' }]);
    const many = (
      await fake.autocomplete('petition', [{ name: 'where', type: 3, value: 'a', focused: true } as never]).response()
    ).data!.choices!;
    expect(many).toHaveLength(25);
    for (const c of many) expect(c.name.length).toBeLessThanOrEqual(100);

    const where = fake.slashCommand('petition', [str('where', 'E14000750')]);
    expect((await where.response()).data?.flags ?? 0).toBe(0);
    const answer = await where.final();
    expect(description(answer)).toMatch(
      /^Holborn and St Pancras \(MP: Keir Starmer MP\)\n18,704 signatures · 4th of 650/,
    );

    const mine = fake.slashCommand('petition', [str('mine', 'E14000750')]);
    expect((await mine.response()).data?.flags).toBe(64);
    expect((await mine.final()).content).toMatch(/^Your constituency is now Holborn and St Pancras/);
    const own = (
      await fake.autocomplete('petition', [{ name: 'where', type: 3, value: '', focused: true } as never]).response()
    ).data!.choices!;
    expect(own[0]?.value).toBe('E14000750');
    const cleared = fake.slashCommand('petition', [str('mine', 'clear')]);
    expect((await cleared.response()).data?.flags).toBe(64);
    expect((await cleared.final()).content).toMatch(/is removed: the bot keeps nothing about it now/);
  });

  it('/petition petition: suggests the petitions followed by title, and says plainly one it does not follow', async () => {
    const pick = fake.autocomplete('petition', [
      { name: 'petition', type: 3, value: 'referendum', focused: true } as never,
    ]);
    expect((await pick.response()).data!.choices).toEqual([
      { name: 'EU Referendum Rules triggering a 2nd EU Referendum (131215 · 3,555,721)', value: '131215' },
    ]);
    const where = await fake.slashCommand('petition', [str('where', 'E14000750'), str('petition', '131215')]).final();
    expect(description(where)).toMatch(/^Holborn and St Pancras \(MP: Keir Starmer MP\)/);
    // The public answer deferred is withdrawn; the problem comes privately.
    const other = fake.slashCommand('petition', [str('petition', '700001')]);
    await other.response();
    expect((await other.followup()).content).toBe(
      'Petition 700001 is not one the bot follows: the bot follows petition 131215.',
    );
  });

  it('/napo falls back to the blog’s own Napo posts, /stats counts the archive, /help fits one screen', async () => {
    const napo = await fake.slashCommand('napo').final();
    // Every item leads somewhere: a text-dump post to its month's archive, said as such.
    expect(description(napo)).toMatch(
      /^\[Latest From Napo 229\]\(https:\/\/probationmatters\.blogspot\.com\/2021\/11\/\) · 26 Nov 2021 · link: the month’s archive$/m,
    );
    const stats = await fake.slashCommand('stats').final();
    expect(stats.embeds[0]!.description).toMatch(/^27 posts and 104 comments, from 2\d{3} to 2\d{3}\.$/);
    // What members read: no operator detail (index size, passage counts) in the channel.
    expect(JSON.stringify(stats.embeds)).not.toMatch(/index|passage|MB|KB/i);
    expect(stats.embeds[0]!.fields?.map((f) => f.name)).toEqual(['Last sync with the blog']);
    const help = await fake.slashCommand('help').response();
    expect(help.data?.flags).toBe(64);
    expect(help.data!.embeds![0]!.description!.split('\n').filter((l) => l.startsWith('**'))).toHaveLength(
      commands.filter((c) => c.data).length,
    );
  });
});

describe('when Discord misbehaves', () => {
  it('waits out a 429 with Retry-After and retries a 500, so the answer arrives once', async () => {
    fake.failNext({ method: 'PATCH', path: '/webhooks/*/*/messages/@original' }, faults.rateLimited(1));
    fake.failNext({ method: 'PATCH', path: '/webhooks/*/*/messages/@original' }, faults.serverError(502));
    const { handle, message } = await searchFor('treadmill');
    expect(description(message)).toMatch(/Treadmill/);
    const edits = fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(handle.token));
    expect(edits.map((e) => e.status)).toEqual([429, 502, 200]);
    expect(edits[1]!.at - edits[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('logs an interaction that expired (10062) without crashing, and answers the next one', async () => {
    const expired = fake.slashCommand('help');
    fake.failNext({ method: 'POST', path: expired.callbackPath }, faults.unknownInteraction());
    await fake.waitForRequest((r) => r.path === expired.callbackPath);
    await vi.waitFor(() =>
      expect(logLines.some((l) => l['msg'] === 'interaction expired before it was answered (10062)')).toBe(true),
    );
    expect((await fake.slashCommand('help').response()).type).toBe(4);
  });

  it('resumes after the gateway connection drops and keeps answering', async () => {
    fake.dropConnection();
    await fake.waitForGateway((e) => e.direction === 'received' && e.op === 6);
    expect((await fake.slashCommand('help').response()).type).toBe(4);
    expect(logLines.some((l) => l['msg'] === 'gateway resumed')).toBe(true);
  });

  it('never writes the bot token or an interaction token to the log', async () => {
    const handle = fake.slashCommand('search', [str('query', 'treadmill')]);
    fake.failNext({ method: 'PATCH', path: '/webhooks/*/*/messages/@original' }, faults.missingPermissions());
    await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(handle.token));
    await vi.waitFor(() => expect(logLines.some((l) => l['msg'] === 'interaction failed')).toBe(true));
    const all = JSON.stringify(logLines);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(handle.token);
  });
});

describe('registering the commands', () => {
  it('registers every command to one server for development, and globally otherwise', async () => {
    const guild = await deployCommands({ commands, token: TOKEN, guildId: fake.guild.id, api: fake.restApi });
    expect(guild.scope).toBe('guild');
    expect(
      fake
        .commands(fake.guild.id)
        .map((c) => c.name)
        .sort(),
    ).toEqual(
      commands
        .filter((c) => c.data)
        .map((c) => c.name)
        .sort(),
    );
    const global = await deployCommands({ commands, token: TOKEN, api: fake.restApi });
    expect(global.scope).toBe('global');
    expect(
      fake
        .commands()
        .map((c) => c.name)
        .sort(),
    ).toEqual(
      commands
        .filter((c) => c.data)
        .map((c) => c.name)
        .sort(),
    );
  });
});
