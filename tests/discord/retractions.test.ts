// Posted quotes retracted: a /quote posted in a channel is recorded with its message id; once the operator hides
// what it shows (from another process, as `cli hide` does), the retraction pass edits that message to say so,
// once: a second pass, or a new process after a restart, edits nothing more. A quote whose message was deleted
// meanwhile is simply done. Real discord.js against the fake Discord.
import { Routes } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRetractions } from '../../src/app/retractions.js';
import { hide, targetOf } from '../../src/app/takedowns.js';
import { channelPoster } from '../../src/discord/poster.js';
import { connectionOf, openStore } from '../../src/store/store.js';
import { BLOG_URL, memoryLog } from '../helpers.js';
import { type Harness, seedsArchive, startHarness } from './harness.js';

const seeds = seedsArchive();
let h: Harness;
afterEach(async () => h.stop());

const clock = { now: () => new Date('2026-11-23T10:00:00Z') };

/** A /quote of a passage, posted in the channel: the message as Discord holds it. */
async function quoted(passageId: number) {
  const handle = h.fake.slashCommand('quote', [{ name: 'passage', type: 3, value: `p:${passageId}` } as never]);
  const response = await handle.response();
  expect(response.data?.flags ?? 0).toBe(0);
  const message = await handle.final();
  // Recorded once Discord has answered the reply with the message's id.
  await vi.waitFor(() => expect(recorded(message.id)).toBeGreaterThan(0));
  return message;
}

const recorded = (messageId: string) =>
  (
    connectionOf(seeds.archive.store)
      .prepare('SELECT count(*) AS n FROM posted_passages WHERE message_id = ?')
      .get(messageId) as { n: number }
  ).n;

/** One retraction pass, as a new process would make it (its own instance, nothing kept from the last). */
const pass = () =>
  createRetractions({
    store: seeds.archive.store,
    archive: seeds.archive,
    poster: channelPoster(h.bot.client, BLOG_URL),
    clock,
    log: memoryLog().log,
  }).tick();

const edits = (messageId: string) =>
  h.fake.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${messageId}`));

describe('a posted quote of a passage taken down', () => {
  it('is edited to say it was removed, exactly once across passes and a restart; a deleted message is done', async () => {
    h = await startHarness(seeds.archive);
    const [first, second, other] = seeds.archive
      .search('probation', { limit: 20, kinds: ['comment'] })
      .filter((hit, i, all) => all.findIndex((x) => x.postId === hit.postId) === i);
    const one = await quoted(first!.passageId);
    const two = await quoted(second!.passageId);
    const kept = await quoted(other!.passageId);
    expect(one.embeds[0]!.description).not.toMatch(/removed/);

    // The second quote's message is deleted before anything is hidden.
    await h.bot.client.rest.delete(Routes.channelMessage(two.channel_id, two.id));
    expect(h.fake.message(two.id)).toBeUndefined();

    const operator = openStore(seeds.archive.store.dataDir);
    try {
      for (const hit of [first!, second!]) {
        hide(operator, targetOf(operator, hit.commentId!), {
          reason: 'asked',
          by: 'test',
          now: '2026-11-23T09:30:00Z',
        });
      }
    } finally {
      operator.close();
    }

    expect(await pass()).toEqual({ edited: 1, gone: 1, failed: 0, retryLater: 0 });
    const retracted = h.fake.message(one.id)!;
    expect(retracted.embeds[0]!.title).toBe('Removed from the archive');
    expect(JSON.stringify(retracted)).not.toContain(first!.excerpt.slice(0, 30));
    expect(h.fake.message(kept.id)!.embeds[0]!.description).toBe(kept.embeds[0]!.description);

    // Again, and as a new process would after a restart: nothing more is edited.
    expect(await pass()).toEqual({ edited: 0, gone: 0, failed: 0, retryLater: 0 });
    expect(edits(one.id)).toHaveLength(1);
  });

  it('retracts a hit shared from a search page, as it does a /quote', async () => {
    h = await startHarness(seeds.archive);
    const search = h.fake.slashCommand('search', [{ name: 'query', type: 3, value: 'mass supervision' } as never]);
    const page = await search.final();
    const menu = (
      page.components as { components: { type: number; custom_id: string; options: { value: string }[] }[] }[]
    )
      .flatMap((row) => row.components)
      .find((c) => c.type === 3)!;
    const share = h.fake.stringSelect(menu.custom_id, [menu.options[0]!.value], page);
    expect((await share.response()).type).toBe(4);
    const posted = await share.final();
    // Recorded once Discord has answered the reply with the message's id.
    const rowsOf = () =>
      connectionOf(seeds.archive.store)
        .prepare('SELECT post_id AS postId, comment_id AS commentId FROM posted_passages WHERE message_id = ?')
        .all(posted.id) as { postId: string; commentId: string }[];
    await vi.waitFor(() => expect(rowsOf()).toHaveLength(1));
    const rows = rowsOf();
    const hit = { postId: rows[0]!.postId, commentId: rows[0]!.commentId || null };

    const operator = openStore(seeds.archive.store.dataDir);
    try {
      hide(operator, targetOf(operator, hit.commentId ?? hit.postId), {
        reason: 'asked',
        by: 'test',
        now: '2026-11-23T09:40:00Z',
      });
    } finally {
      operator.close();
    }
    const report = await pass();
    expect(report.edited).toBeGreaterThanOrEqual(1);
    expect(h.fake.message(posted.id)!.embeds[0]!.title).toBe('Removed from the archive');
  });
});
