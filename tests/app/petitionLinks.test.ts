// Petition links in new blog posts: found at sync, offered to server admins
// (/config petition) once per petition, never followed until one adds it.
// A fake blog of made-up posts and a made-up petition, on 127.0.0.1.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { campaignViews } from '../../src/app/campaign.js';
import { systemClock } from '../../src/clock.js';
import { petitionLinksIn } from '../../src/digest/petition.js';
import { petitionOffersMessage } from '../../src/discord/petitionMessages.js';
import { petitionJob } from '../../src/jobs/campaign.js';
import { syncJob } from '../../src/jobs/sync.js';
import { openDatabase } from '../../src/store/db.js';
import { type Store, storeOver } from '../../src/store/store.js';
import { memoryLog, tempDir } from '../helpers.js';
import { startFakeBlog, type FakeBlog, type FakePost } from '../sources/fakeBlog.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

const at = (day: number) => new Date(Date.UTC(2024, 1, day, 9)).toISOString();
const post = (n: number, html: string): FakePost => ({
  id: String(7_200_000_000_000_000_000n + BigInt(n)),
  title: `Fake post ${n} on made-up campaigning`,
  html,
  published: at(n),
  updated: at(n),
});

let blog: FakeBlog | null = null;
afterEach(async () => {
  await blog?.close();
  blog = null;
});

/** The made-up petitions' JSON, for the poll after one is added. */
const site = createServer((req, res) => {
  const id = /^\/petitions\/(\d+)\.json$/.exec(req.url ?? '')?.[1];
  if (!id) return void res.writeHead(404).end();
  const body = {
    data: { id: Number(id), attributes: { action: `Fake petition ${id}`, state: 'open', signature_count: 5 } },
  };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  site.closeAllConnections();
  await new Promise((resolve) => site.close(resolve));
});

const CONFIGURED = 900_100;

function views(store: Store) {
  return campaignViews(
    store,
    {
      petition: { id: CONFIGURED, ids: [CONFIGURED], baseUrl: base, network: TEST_NETWORK, changeOrgUrl: null },
      napo: { feedUrl: null, blogUrl: 'https://fake-blog.example' },
    },
    () => new Date('2024-02-20T12:00:00Z'),
  );
}

describe('petitionLinksIn', () => {
  it('finds petition links written with or without https and www, archived ones too, each once', () => {
    expect(
      petitionLinksIn(
        'Sign https://petition.parliament.uk/petitions/700123 now! Also www.petition.parliament.uk/archived/petitions/650001 ' +
          'and petition.parliament.uk/petitions/700123?x=1 again; not petition.parliament.uk/petitions/ nor fakepetition.parliament.uk.example/petitions/9',
      ),
    ).toEqual([700123, 650001]);
    expect(petitionLinksIn('https://example.org/petitions/700123')).toEqual([]);
  });
});

describe('petition links in new posts', () => {
  it('offers a petition linked in a new post once, not one in the history, not one followed already, and follows it only when added', async () => {
    blog = await startFakeBlog({
      posts: [post(1, '<p>Old post: petition.parliament.uk/petitions/600001 from the history.</p>')],
      comments: [],
    });
    const store = storeOver(openDatabase(tempDir()));
    const job = syncJob({
      store,
      archive: { refresh: () => ({ changedPosts: 0 }) },
      blogUrl: blog.url,
      every: 3_600_000,
      clock: systemClock,
      log: memoryLog().log,
      sync: { network: TEST_NETWORK, retries: 0, sleep: async () => {} },
    });
    const signal = new AbortController().signal;
    await job.run(signal); // the first sync is history: nothing offered
    const campaign = views(store);
    expect(campaign.offeredPetitions()).toEqual([]);

    blog.posts.push(
      post(
        2,
        `<p>Please sign https://petition.parliament.uk/petitions/700123 and share it.</p><p>Ours is petition.parliament.uk/petitions/${CONFIGURED}.</p>`,
      ),
    );
    await job.run(signal);
    blog.posts.push(post(3, '<p>Again: https://petition.parliament.uk/petitions/700123</p>'));
    await job.run(signal);
    await job.run(signal);
    expect(campaign.offeredPetitions()).toEqual([
      {
        petitionId: 700123,
        postId: post(2, '').id,
        postTitle: 'Fake post 2 on made-up campaigning',
        foundAt: expect.any(String),
      },
    ]);
    // Offered, not followed: members cannot pick it, the job does not poll it.
    await expect(campaign.petition('700123')).rejects.toThrow(/not one the bot follows/);
    const shown = petitionOffersMessage({
      petitionOffers: campaign.offeredPetitions().map((o) => ({ ...o })),
      added: null,
      followed: [CONFIGURED],
    }).embeds[0]!.description!;
    expect(shown).toContain(
      '• 700123: petition.parliament.uk/petitions/700123 · found in "Fake post 2 on made-up campaigning"',
    );
    expect(shown).toMatch(/None is followed until you add it/);

    expect(() => campaign.addPetition('600001', 'discord:1')).toThrow(/Only a petition offered can be added/);
    expect(() => campaign.addPetition(String(CONFIGURED), 'discord:1')).toThrow(/followed already/);
    expect(campaign.addPetition('700123', 'discord:1')).toEqual({ added: 700123, followed: [CONFIGURED, 700123] });
    expect(campaign.offeredPetitions()).toEqual([]);
    expect(() => campaign.addPetition('700123', 'discord:1')).toThrow(/followed already/);

    // Followed now: members pick it, the petition job polls it.
    const poll = petitionJob(
      store,
      {
        id: CONFIGURED,
        followed: () => campaign.petitions('', 25).map((p) => p.id),
        baseUrl: base,
        network: TEST_NETWORK,
      },
      { now: () => new Date('2024-02-20T12:00:00Z'), after: () => () => {} },
    );
    await poll.run(signal);
    expect(store.petition.latest(700123)?.title).toBe('Fake petition 700123');
    expect(campaign.petitions('', 25).map((p) => p.id)).toEqual([CONFIGURED, 700123]);
    // Linked again in a newer post: found before, so not offered again. One behind a link's words is found too.
    blog.posts.push(
      post(
        4,
        '<p>petition.parliament.uk/petitions/700123 and <a href="https://petition.parliament.uk/petitions/700555?source=blog">this one</a></p>',
      ),
    );
    await job.run(signal);
    expect(campaign.offeredPetitions().map((o) => [o.petitionId, o.postTitle])).toEqual([
      [700555, 'Fake post 4 on made-up campaigning'],
    ]);
    store.close();
  });
});
