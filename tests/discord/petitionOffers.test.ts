// /config petition as admins read it, word for word: the petition links found in new posts, offered to follow, or the
// one just followed. Written against the mutation run of 4 December, which left these words untested. Made-up posts.
import { describe, expect, it } from 'vitest';
import { type PetitionOffer, petitionOffersMessage } from '../../src/discord/petitionMessages.js';

const offer = (petitionId: number, postTitle: string | null): PetitionOffer => ({
  petitionId,
  postTitle,
  foundAt: '2024-03-05T10:00:00Z',
});
const description = (answer: Parameters<typeof petitionOffersMessage>[0]) => {
  const message = petitionOffersMessage(answer);
  expect(message.allowedMentions).toEqual({ parse: [] });
  expect(message.embeds![0]!.title).toBe('Petitions');
  return message.embeds![0]!.description;
};

describe('/config petition', () => {
  it('lists each link found with its post (or that the post is hidden here) and day, then what is followed', () => {
    expect(
      description({
        petitionOffers: [offer(700001, 'A Made-Up Post'), offer(700002, null)],
        added: null,
        followed: [651215],
      }),
    ).toBe(
      [
        'Petition links found in new blog posts. None is followed until you add it: /config petition add: and pick one.',
        '• 700001: petition.parliament.uk/petitions/700001 · found in "A Made-Up Post" · 5 Mar 2024',
        '• 700002: petition.parliament.uk/petitions/700002 · found in a post hidden in this server · 5 Mar 2024',
        'Followed: 651215',
      ].join('\n'),
    );
  });

  it('shows 25 links at most and counts the rest', () => {
    const offers = Array.from({ length: 27 }, (_, i) => offer(700001 + i, `A Made-Up Post ${i + 1}`));
    const lines = description({ petitionOffers: offers, added: null, followed: [651215, 700000] })!.split('\n');
    expect(lines).toHaveLength(1 + 25 + 2);
    expect(lines[25]).toMatch(/^• 700025: /);
    expect(lines.slice(-2)).toEqual(['…and 2 more.', 'Followed: 651215, 700000']);
  });

  it('says when there is nothing to offer, and when one was just followed says that instead of the list', () => {
    expect(description({ petitionOffers: [], added: null, followed: [651215] })).toBe(
      'No petition links found in new blog posts that the bot does not follow already.\nFollowed: 651215',
    );
    const offers = Array.from({ length: 27 }, (_, i) => offer(700001 + i, 'A Made-Up Post'));
    expect(description({ petitionOffers: offers, added: 700001, followed: [651215, 700001] })).toBe(
      'Petition 700001 is followed now: polled with the others, its milestones announced, and members can pick it in /petition petition:.\nFollowed: 651215, 700001',
    );
  });
});
