// Each post's thread and its queue of new comments: a comment queued once; a batch held before it is claimed stands
// (comments queued meanwhile wait for the next batch), so a batch taken over after a crash is the same batch; a batch
// done moves the thread on; ten comments a batch at most.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { storeOver } from '../../src/store/store.js';
import { tempDir } from '../helpers.js';

const NOW = '2026-11-23T09:00:00.000Z';
const GUILD = '100000000000000001';

describe("a post's thread and its queue", () => {
  it('holds a batch until it is done, whatever is queued meanwhile, and then moves on', () => {
    const store = storeOver(openDatabase(tempDir()));
    const t = store.postThreads;
    for (const id of ['c1', 'c2', 'c3', 'c1']) t.queueComment(id, 'p1', NOW);
    t.open({ guildId: GUILD, postId: 'p1', channelId: '10', threadId: '11' }, NOW);
    t.open({ guildId: GUILD, postId: 'p1', channelId: '10', threadId: '99' }, NOW);
    expect(t.get(GUILD, 'p1')).toMatchObject({ threadId: '11', mirroredTo: 0, batchTo: null, lastBatchAt: null });

    const end = t.nextBatchEnd('p1', 0, 10)!;
    expect(t.holdBatch(GUILD, 'p1', end)).toBe(end);
    // A crash; a fourth comment comes; the batch taken over is still the first three.
    t.queueComment('c4', 'p1', NOW);
    expect(t.holdBatch(GUILD, 'p1', t.nextBatchEnd('p1', 0, 10)!)).toBe(end);
    expect(t.queued('p1', 0, end).map((c) => c.commentId)).toEqual(['c1', 'c2', 'c3']);

    t.batchDone(GUILD, 'p1', end, NOW);
    expect(t.get(GUILD, 'p1')).toMatchObject({ mirroredTo: end, batchTo: null, lastBatchAt: NOW });
    const next = t.nextBatchEnd('p1', end, 10)!;
    expect(t.queued('p1', end, next).map((c) => c.commentId)).toEqual(['c4']);
    store.close();
  });

  it('takes ten comments a batch at most, and reports a comment the archive lacks as removed', () => {
    const store = storeOver(openDatabase(tempDir()));
    const t = store.postThreads;
    for (let i = 1; i <= 12; i++) t.queueComment(`c${i}`, 'p1', NOW);
    const end = t.nextBatchEnd('p1', 0, 10)!;
    const batch = t.queued('p1', 0, end);
    expect(batch.map((c) => c.commentId)).toEqual(Array.from({ length: 10 }, (_, i) => `c${i + 1}`));
    // None of these made-up comments is in the archive: none may be shown.
    expect(batch.every((c) => c.deleted)).toBe(true);
    expect(t.nextBatchEnd('p2', 0, 10)).toBeNull();
    store.close();
  });
});
