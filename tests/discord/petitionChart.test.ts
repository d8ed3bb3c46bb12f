// /petition's picture as Discord receives it: the chart uploaded as a file
// (multipart, with its alt text), shown as the embed's image; and the figures
// answered without it when it cannot be drawn.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignViews } from '../../src/app/campaign.js';
import { announcementChart } from '../../src/app/petitionChart.js';
import { channelPoster } from '../../src/discord/poster.js';
import { parsePetition } from '../../src/digest/petitionJson.js';
import { renderChart } from '../../src/render/chart.js';
import { BLOG_URL, FIXTURES, refusingUrl } from '../helpers.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';
import { type Harness, seedsArchive, startHarness } from './harness.js';

const seeds = seedsArchive();
const NOW = new Date('2026-11-23T09:00:00Z');
const PETITION = 900001;
const json = JSON.parse(readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'), 'utf8'));
const offline = await refusingUrl();

/** Readings a day apart up to an hour before NOW, the count growing; the site itself is not there. */
function storeReadings(days: number): number {
  let count = 0;
  for (let i = days - 1; i >= 0; i--) {
    count = 3_000_000 + (days - i) * 50_000;
    const data = { ...json, data: { ...json.data, attributes: { ...json.data.attributes, signature_count: count } } };
    seeds.archive.store.petition.store(
      PETITION,
      parsePetition(data),
      new Date(NOW.getTime() - 3_600_000 - i * 86_400_000).toISOString(),
    );
  }
  return count;
}

function campaign(draw: Parameters<typeof campaignViews>[3]) {
  return campaignViews(
    seeds.archive.store,
    {
      petition: { network: TEST_NETWORK, id: PETITION, baseUrl: offline, changeOrgUrl: null },
      napo: { network: TEST_NETWORK, feedUrl: null, blogUrl: BLOG_URL },
    },
    () => NOW,
    draw,
  );
}

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.stop();
  harness = null;
});

describe('/petition chart on Discord', () => {
  it('uploads the chart with its alt text and shows it as the embed image', async () => {
    const latest = storeReadings(8);
    harness = await startHarness(seeds.archive, { campaign: campaign(renderChart) });
    const answer = await harness.fake.slashCommand('petition').final();
    const name = `petition-${PETITION}.png`;
    expect(answer.embeds[0]!.image?.url).toBe(`attachment://${name}`);
    const upload = harness.fake.requests.find((r) => r.files.length > 0)!;
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(upload.files).toHaveLength(1);
    const file = upload.files[0]!;
    expect(file.field).toBe('files[0]');
    expect(file.filename).toBe(name);
    expect(file.data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([file.data.readUInt32BE(16), file.data.readUInt32BE(20)]).toEqual([800, 400]);
    const body = upload.body as { attachments?: { id: string | number; filename?: string; description?: string }[] };
    // Discord pairs a description with its file by id: `attachments[].id` n is the part `files[n]`.
    const described = body.attachments?.find((a) => `files[${a.id}]` === file.field);
    expect(described?.description).toBe(
      `Signatures over time: ${latest.toLocaleString('en-GB')} on 23 Nov 2026, up from ${(latest - 7 * 50_000).toLocaleString('en-GB')} a week earlier; ` +
        '10,000 (government response) passed on 24 Jun 2016; 100,000 (debate in Parliament) passed on 24 Jun 2016.',
    );
    expect(answer.attachments.map((a) => a.filename)).toEqual([name]);
  });

  it('answers without the chart in a channel where the bot may not attach files', async () => {
    storeReadings(2);
    harness = await startHarness(seeds.archive, { campaign: campaign(renderChart) });
    const noFiles = harness.fake.addChannel({ name: 'no-files', botDenied: 1n << 15n });
    const answer = await harness.fake.slashCommand('petition', [], { channelId: noFiles.id }).final();
    expect(answer.embeds[0]!.description).toMatch(/signatures\*\*/);
    expect(answer.embeds[0]!.image).toBeUndefined();
    expect(harness.fake.requests.some((r) => r.files.length > 0)).toBe(false);
  });

  it('answers with the figures alone, and logs why, when the chart cannot be drawn', async () => {
    storeReadings(3);
    harness = await startHarness(seeds.archive, {
      campaign: campaign(() => Promise.reject(new Error('renderer missing'))),
    });
    const answer = await harness.fake.slashCommand('petition').final();
    expect(answer.embeds[0]!.description).toMatch(/signatures\*\*/);
    expect(answer.embeds[0]!.image).toBeUndefined();
    expect(harness.fake.requests.some((r) => r.files.length > 0)).toBe(false);
    expect(harness.logLines.some((l) => /chart could not be drawn/.test(String(l['msg'])))).toBe(true);
  });

  it('attaches the chart to a milestone announcement posted in a channel, and a retraction takes it away', async () => {
    storeReadings(5);
    harness = await startHarness(seeds.archive);
    const problems: unknown[] = [];
    const poster = channelPoster(
      harness.bot.client,
      BLOG_URL,
      (a) => announcementChart(seeds.archive.store, a, renderChart),
      (e) => problems.push(e),
    );
    const announcement = {
      id: 1,
      kind: 'petition' as const,
      key: 'debate',
      title: 'Fake petition',
      body: '100,000 signatures: Parliament will consider it for a debate',
      link: `https://petition.parliament.uk/petitions/${PETITION}`,
      createdAt: NOW.toISOString(),
    };
    const channel = harness.fake.guild.textChannel.id;
    const { id } = await poster.send(
      channel,
      { type: 'announcement', announcement },
      { nonce: '7', marker: 'petition:debate' },
    );
    const post = harness.fake.requests.find((r) => r.method === 'POST' && r.path === `/channels/${channel}/messages`)!;
    expect(post.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(post.files.map((f) => [f.field, f.filename])).toEqual([['files[0]', `petition-${PETITION}.png`]]);
    const body = post.body as { attachments: { id: number; description: string }[]; nonce: string };
    expect(body.nonce).toBe('7');
    expect(body.attachments[0]!.description).toMatch(/^Signatures over time: /);
    const posted = harness.fake.message(id)!;
    expect(posted.embeds[0]!.image?.url).toBe(`attachment://petition-${PETITION}.png`);
    expect(posted.attachments).toHaveLength(1);
    expect(problems).toEqual([]);

    await poster.edit(channel, id, { type: 'retracted', what: 'announcement' });
    expect(harness.fake.message(id)!.attachments).toEqual([]);
  });

  it('posts the milestone without a chart when it cannot be drawn, and says why', async () => {
    harness = await startHarness(seeds.archive);
    const problems: unknown[] = [];
    const poster = channelPoster(
      harness.bot.client,
      BLOG_URL,
      () => Promise.reject(new Error('renderer missing')),
      (e) => problems.push(e),
    );
    const announcement = {
      id: 2,
      kind: 'petition' as const,
      key: 'response',
      title: 'Fake petition',
      body: '10,000 signatures',
      link: `https://petition.parliament.uk/petitions/${PETITION}`,
      createdAt: NOW.toISOString(),
    };
    const { id } = await poster.send(
      harness.fake.guild.textChannel.id,
      { type: 'announcement', announcement },
      { nonce: '8', marker: 'm' },
    );
    expect(harness.fake.message(id)!.embeds[0]!.image).toBeUndefined();
    expect(String(problems[0])).toMatch(/renderer missing/);
  });

  it('posts the milestone without the chart where the bot may not attach files, instead of switching the delivery off', async () => {
    storeReadings(2);
    harness = await startHarness(seeds.archive);
    const problems: unknown[] = [];
    const poster = channelPoster(
      harness.bot.client,
      BLOG_URL,
      (a) => announcementChart(seeds.archive.store, a, renderChart),
      (e) => problems.push(e),
    );
    const noFiles = harness.fake.addChannel({ name: 'no-files', botDenied: 1n << 15n });
    const announcement = {
      id: 3,
      kind: 'petition' as const,
      key: 'debate',
      title: 'Fake petition',
      body: '100,000 signatures',
      link: `https://petition.parliament.uk/petitions/${PETITION}`,
      createdAt: NOW.toISOString(),
    };
    const { id } = await poster.send(noFiles.id, { type: 'announcement', announcement }, { nonce: '9', marker: 'm9' });
    const posted = harness.fake.message(id)!;
    expect(posted.embeds[0]!.title).toBe('Fake petition');
    expect(posted.embeds[0]!.image).toBeUndefined();
    expect(posted.attachments).toEqual([]);
    const tries = harness.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${noFiles.id}/messages`,
    );
    expect(tries.map((r) => [r.status, r.files.length])).toEqual([
      [403, 1],
      [200, 0],
    ]);
    expect(String(problems[0])).toMatch(/refused the chart/);
  });
});
