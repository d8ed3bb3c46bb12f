// What the bot says about itself and a server's settings, word for word: /stats, /config (its settings, what was not
// posted and why, storage, what is taken out), the takedown answers and the menu to pick what to hide. Written against
// the mutation run of 4 December, which left these words untested. Made-up servers, channels and posts.
import { describe, expect, it } from 'vitest';
import {
  hidePickMessage,
  type SettingsAnswer,
  settingsMessage,
  statsMessage,
  takedownMessage,
} from '../../src/discord/aboutMessages.js';
import type { StatsView } from '../../src/discord/wording.js';
import { defaultSettings, type GuildSettings } from '../../src/store/settings.js';
import type { ShownItem } from '../../src/store/posted.js';

const embed = (message: ReturnType<typeof settingsMessage>) => message.embeds![0]!;
const fieldsOf = (message: ReturnType<typeof settingsMessage>) =>
  Object.fromEntries(embed(message).fields!.map((f) => [f.name, f.value]));

function settings(change: (s: GuildSettings) => void = () => {}): GuildSettings {
  const s = defaultSettings('900000000000000001');
  change(s);
  return s;
}

describe('/stats', () => {
  it('gives the counts and, in a field of its own, the last sync', () => {
    const message = statsMessage({
      posts: 27,
      comments: 104,
      firstDate: '2012-01-05',
      lastDate: '2024-11-30',
      removedComments: 0,
      deletedPosts: 0,
      deletedComments: 0,
      lastSync: null,
      now: new Date('2026-11-23T08:00:00Z'),
    } as StatsView);
    expect(embed(message).title).toBe('The On Probation archive');
    expect(embed(message).description).toBe('27 posts and 104 comments, from 2012 to 2024.');
    expect(embed(message).fields).toEqual([
      { name: 'Last sync with the blog', value: 'never: the archive was loaded from saved files', inline: false },
    ]);
  });
});

describe('/config', () => {
  const answer = (over: Partial<SettingsAnswer>): SettingsAnswer => ({
    title: 'Settings',
    settings: settings(),
    ...over,
  });

  it('shows each delivery: where, when, off, stopped or without a channel', () => {
    const message = settingsMessage(
      answer({
        settings: settings((s) => {
          s.digest.channel = '800000000000000001';
          s.digest.weekly = 'monday';
          s.announce.posts = { channel: '800000000000000002', on: true, since: null };
          s.announce.petition = { channel: '800000000000000003', on: false, since: null };
          s.postThreads = '2026-11-01T00:00:00Z';
          s.disabled.napo = 'Missing Access';
        }),
      }),
    );
    expect(embed(message).description).toBe('Only you see this.');
    expect(fieldsOf(message)).toEqual({
      'Daily digest': '<#800000000000000001> at 08:00 Europe/London',
      'Weekly round-up': '<#800000000000000001> on Mondays at 08:00 Europe/London',
      'Announcements: new blog posts': "<#800000000000000002>, each a thread with the post's new comments",
      'Announcements: petition milestones': 'off (channel <#800000000000000003>)',
      'Announcements: Napo news': 'stopped: Missing Access',
    });
    const bare = fieldsOf(settingsMessage(answer({})));
    expect(bare['Daily digest']).toBe('no channel chosen at 08:00 Europe/London');
    expect(bare['Weekly round-up']).toBe('off (choose a day with /config digest weekly:)');
    expect(bare['Announcements: new blog posts']).toBe('no channel chosen');
  });

  it("says the weekly round-up stopped with the digest's reason, or its own", () => {
    const weekly = (change: (s: GuildSettings) => void) =>
      fieldsOf(
        settingsMessage(
          answer({
            settings: settings((s) => {
              s.digest.weekly = 'friday';
              change(s);
            }),
          }),
        ),
      )['Weekly round-up'];
    expect(weekly(() => {})).toBe('no channel chosen on Fridays at 08:00 Europe/London');
    expect(weekly((s) => (s.disabled.digest = 'the channel is gone'))).toBe(
      'stopped: the channel is gone on Fridays at 08:00 Europe/London',
    );
    expect(
      weekly((s) => {
        s.disabled.digest = 'the channel is gone';
        s.disabled.weekly = 'too long to post';
      }),
    ).toBe('stopped: too long to post on Fridays at 08:00 Europe/London');
  });

  it('lists what was not posted lately, by kind, with when (UK time) and why', () => {
    const at = '2025-06-30T23:15:00Z';
    const failed = (kind: string, key = '2025-07-01') => ({ kind, key, at, reason: 'Discord: Invalid Form Body' });
    const message = settingsMessage(
      answer({
        failures: [
          failed('digest'),
          failed('weekly', '2025-06-30'),
          failed('summary'),
          failed('thread'),
          failed('comments'),
          failed('petition'),
        ],
      }),
    );
    expect(fieldsOf(message)['Not posted lately']!.split('\n')).toEqual([
      '• 1 Jul 2025, 00:15 — the digest for 1 Jul 2025: Discord: Invalid Form Body',
      '• 1 Jul 2025, 00:15 — the weekly round-up of 30 Jun 2025: Discord: Invalid Form Body',
      '• 1 Jul 2025, 00:15 — a summary of announcements: Discord: Invalid Form Body',
      "• 1 Jul 2025, 00:15 — a new post's thread: Discord: Invalid Form Body",
      "• 1 Jul 2025, 00:15 — comments for a new post's thread: Discord: Invalid Form Body",
      '• 1 Jul 2025, 00:15 — an announcement (petition): Discord: Invalid Form Body',
    ]);
    expect(fieldsOf(settingsMessage(answer({ failures: [] })))['Not posted lately']).toBeUndefined();
  });

  it('gives the storage in MB and the responsiveness, for whoever runs the bot', () => {
    const message = settingsMessage(
      answer({
        storage: { databaseBytes: 444_661_760, indexBytes: 40_957_845 },
        eventLoopDelay: { p99Ms: 12, maxMs: 85 },
      }),
    );
    expect(fieldsOf(message)['Storage']).toBe('database 424.1 MB · search index 39.1 MB');
    expect(fieldsOf(message)['Responsiveness']).toBe(
      'answers held up 12 ms at worst 1 time in 100, 85 ms at most, since start',
    );
    expect(
      fieldsOf(settingsMessage(answer({ storage: { databaseBytes: 1_048_576, indexBytes: null } })))['Storage'],
    ).toBe('database 1.0 MB · search index not built yet');
  });
});

describe('takedowns', () => {
  it('says what hiding does, once or again, and what showing again does', () => {
    const label = 'comment by Fake Writer on "A Made-Up Post"';
    const hidden = takedownMessage({ takedown: 'hidden', label });
    expect(embed(hidden).title).toBe('Hidden in this server');
    expect(embed(hidden).description).toBe(
      'comment by Fake Writer on "A Made-Up Post" no longer appears here: not in search, suggestions, quotes, context, digests or announcements. ' +
        "The bot's messages here that showed it are edited to say it was removed from the archive. " +
        'Other servers are not affected. /config unhide shows it again.',
    );
    expect(embed(takedownMessage({ takedown: 'already', label })).title).toBe('Already hidden in this server');
    const shown = takedownMessage({ takedown: 'shown', label });
    expect(embed(shown).title).toBe('Shown again in this server');
    expect(embed(shown).description).toBe(
      'comment by Fake Writer on "A Made-Up Post" is back in search, quotes and digests here. Messages already edited to say it was removed stay as they are.',
    );
  });

  it('offers what a message shows to pick from, at most 25, each as the post or a comment by its author', () => {
    const item = (i: number, commentId: string | null, author: string | null, date: string | null): ShownItem => ({
      postId: `post-${i}`,
      commentId,
      postTitle: `A Made-Up Post ${i}`,
      author,
      date,
      shownAt: '2026-11-23T08:00:00Z',
    });
    const two = hidePickMessage([item(1, null, 'Fake Writer', '2022-07-03'), item(2, 'c-2', null, null)]);
    expect(embed(two).title).toBe('Hide which, in this server?');
    expect(embed(two).description).toBe(
      'That message shows more than one passage from the archive: pick those to hide here. Other servers are not affected.',
    );
    const menu = (two.components![0] as unknown as { components: Record<string, unknown>[] }).components[0]!;
    expect(menu).toMatchObject({
      custom_id: 'hidepick',
      placeholder: 'Hide in this server…',
      min_values: 1,
      max_values: 2,
    });
    expect(menu['options']).toEqual([
      { label: 'A Made-Up Post 1', description: 'the post · 2022-07-03', value: 'post-1' },
      { label: 'A Made-Up Post 2', description: 'comment by Anonymous', value: 'c-2' },
    ]);
    const many = hidePickMessage(Array.from({ length: 30 }, (_, i) => item(i, `c-${i}`, 'Fake Writer', null)));
    const manyMenu = (many.components![0] as unknown as { components: Record<string, unknown>[] }).components[0]!;
    expect(manyMenu['max_values']).toBe(25);
    expect(manyMenu['options']).toHaveLength(25);
  });
});
