// The acceptance, as an operator runs it on the seeds: a comment `search --json` shows is hidden by its
// `commentId` and the same search no longer shows it; `unhide` brings it back. Hostile targets: one line, exit 1.
import { beforeAll, describe, expect, it } from 'vitest';
import { SEEDS, cli, tempDir } from './helpers.js';

interface Hit {
  kind: 'post' | 'comment';
  postId: string;
  commentId: string | null;
}

let dataDir: string;
beforeAll(() => {
  dataDir = tempDir();
  expect(cli(['ingest', SEEDS, '--json'], dataDir).status).toBe(0);
}, 60_000);

const QUERY = 'trainee probation officer programme';
const search = (): Hit[] => JSON.parse(cli(['search', QUERY, '--json'], dataDir).stdout) as Hit[];

describe('cli hide and unhide', () => {
  it('hides a comment the search shows by its commentId, lists it, and unhide brings it back', () => {
    const comment = search().find((h) => h.kind === 'comment');
    expect(comment?.commentId).toEqual(expect.any(String));
    const id = comment!.commentId!;

    const hidden = cli(['hide', id, '--reason', 'asked by its author'], dataDir);
    expect(hidden).toMatchObject({ status: 0, stderr: '' });
    expect(hidden.stdout).toMatch(/^hidden: comment by .+ on ".+"\n$/);
    expect(search().map((h) => h.commentId)).not.toContain(id);

    const list = JSON.parse(cli(['hidden', '--json'], dataDir).stdout) as Record<string, unknown>[];
    expect(list).toEqual([
      expect.objectContaining({ kind: 'comment', target: id, reason: 'asked by its author', undoneAt: null }),
    ]);
    expect(JSON.parse(cli(['stats', '--json'], dataDir).stdout)).toMatchObject({
      hidden: { posts: 0, comments: 1, authors: 0 },
    });

    const shown = cli(['unhide', id], dataDir);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/^shown again: comment by/);
    expect(search().map((h) => h.commentId)).toContain(id);
    expect(cli(['hidden'], dataDir).stdout).toBe('nothing is hidden\n');
    // The record stays, undone.
    const all = JSON.parse(cli(['hidden', '--all', '--json'], dataDir).stdout) as Record<string, unknown>[];
    expect(all).toEqual([expect.objectContaining({ target: id, undoneAt: expect.any(String) })]);
  }, 120_000);

  it.each([
    ['an unknown id', ['hide', 'no-such-id'], /no post or comment in the archive has the id "no-such-id"/],
    ['a junk address', ['hide', 'https://example.com/#c12'], /no post or comment in the archive has the address/],
    ['not an address at all', ['hide', 'http://[::1'], /not a blog address/],
    ['an empty id', ['hide', ''], /give a post or comment id/],
    ['nothing', ['hide'], /give a post or comment id, or its address, or --author NAME/],
    ['an unknown author', ['hide', '--author', 'Nobody Of That Name'], /nothing in the archive is signed/],
    ['unhide of what is not hidden', ['unhide', 'no-such-id'], /no post or comment in the archive has the id/],
  ])('refuses %s in one line on stderr, with exit 1', (_what, args, message) => {
    const run = cli(args, dataDir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
