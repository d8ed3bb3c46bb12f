// /stats in words: the counts, the years, what was taken out on request and what the blog itself removed.
import { describe, expect, it } from 'vitest';
import { settingsMessage } from '../../src/discord/aboutMessages.js';
import { statsLines } from '../../src/discord/wording.js';

const base = {
  posts: 5_000,
  comments: 150_000,
  passages: 400_000,
  undatedPosts: 0,
  firstDate: '2012-01-03',
  lastDate: '2024-02-19',
  removedComments: 0,
  deletedPosts: 0,
  deletedComments: 0,
  lastSync: null,
  now: new Date('2026-11-23T09:00:00Z'),
};

describe('/stats for members', () => {
  it('says what is held, from when to when, and nothing about takedowns when there are none', () => {
    expect(statsLines(base)[0]).toBe('5,000 posts and 150,000 comments, from 2012 to 2024.');
  });

  it('counts what was taken out on request and what the blog removed, in the singular when one', () => {
    const [line] = statsLines({ ...base, removedComments: 1, hidden: { posts: 1, comments: 2, authors: 0 } });
    expect(line).toBe(
      '5,000 posts and 150,000 comments, from 2012 to 2024. Taken out on request: 1 post, 2 comments. 1 comment was removed on the blog and is not shown.',
    );
    expect(statsLines({ ...base, removedComments: 1_204 })[0]).toMatch(
      / 1,204 comments were removed on the blog and are not shown\.$/,
    );
  });

  it('counts what the blog deleted since it was archived, apart from what it removed', () => {
    expect(statsLines({ ...base, deletedPosts: 1, deletedComments: 2 })[0]).toBe(
      '5,000 posts and 150,000 comments, from 2012 to 2024. Deleted on the blog since archived, and not shown: 1 post, 2 comments.',
    );
    expect(statsLines({ ...base, deletedComments: 1 })[0]).toMatch(/ not shown: 1 comment\.$/);
  });
});

describe('/config show', () => {
  it('lists what is taken out of the archive, newest first, at most ten, with how to see the rest', () => {
    const settings = {
      guildId: 'g',
      digest: { channel: null, time: '08:00', zone: 'Europe/London', on: true, weekly: null },
      announce: {
        posts: { channel: null, on: false, since: null },
        petition: { channel: null, on: false, since: null },
        napo: { channel: null, on: false, since: null },
      },
      disabled: {},
    };
    const hidden = Array.from({ length: 12 }, (_, i) => ({
      label: `comment by Fake Person ${12 - i} on "A *Made-Up* Post"`,
      hiddenAt: `2026-11-${String(20 - i).padStart(2, '0')}T10:00:00Z`,
    }));
    const field = settingsMessage({ title: 'Scheduled posts', settings, hidden }).embeds[0]!.fields!.find(
      (f) => f.name === 'Taken out of the archive',
    )!;
    const lines = field.value.split('\n');
    expect(lines[0]).toBe('• comment by Fake Person 12 on "A \\*Made-Up\\* Post" (20 Nov 2026)');
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe("…and 2 more: /config unhide lists this server's, the operator's cli hidden the rest.");
    // A server's own takedown says how its admins undo it.
    const own = settingsMessage({
      title: 'Scheduled posts',
      settings,
      hidden: [{ label: 'post "A Made-Up Post"', hiddenAt: '2026-11-21T10:00:00Z', inThisServer: true }],
    }).embeds[0]!.fields!.find((f) => f.name === 'Taken out of the archive')!;
    expect(own.value).toBe('• post "A Made-Up Post" (21 Nov 2026, in this server: /config unhide)');
    expect(
      settingsMessage({ title: 'Scheduled posts', settings, hidden: [] }).embeds[0]!.fields!.map((f) => f.name),
    ).not.toContain('Taken out of the archive');
  });
});
