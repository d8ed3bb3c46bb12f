// /petition as members read it: the state in words and a picture of the way
// to the next threshold. Made-up petitions only.
import { describe, expect, it } from 'vitest';
import { petitionProgress } from '../../src/digest/petition.js';
import { parsePetition } from '../../src/digest/petitionJson.js';
import { petitionMessage } from '../../src/discord/messages.js';

const NOW = new Date('2026-03-10T12:00:00Z');

function view(count: number, state = 'open', responseSummary: string | null = null) {
  const snapshot = parsePetition({
    data: {
      type: 'petition',
      id: 900100,
      attributes: {
        action: 'Fake petition: test data for the probation archive bot',
        state,
        signature_count: count,
        opened_at: '2026-01-05T09:00:00.000Z',
        response_threshold_reached_at: count >= 10_000 ? '2026-02-01T09:00:00.000Z' : null,
        debate_threshold_reached_at: null,
        government_response: responseSummary === null ? null : { summary: responseSummary, responded_on: null },
        debate: null,
      },
    },
  });
  const progress = petitionProgress({ ...snapshot, takenAt: NOW.toISOString() }, [], NOW);
  return { progress, live: true, takenAt: NOW.toISOString(), problem: null, changeOrgUrl: null };
}

describe('/petition', () => {
  it('shows the state in words and a bar toward the next threshold not yet reached', () => {
    const description = petitionMessage(view(5_400), NOW).embeds[0]!.description!;
    expect(description).toMatch(/· open for signatures/);
    expect(description).toMatch(/^▰▰▰▰▰▱▱▱▱▱ 54% of the way to 10,000$/m);
    const later = petitionMessage(view(25_000), NOW).embeds[0]!.description!;
    expect(later).toMatch(/^▰▰▰▱▱▱▱▱▱▱ 25% of the way to 100,000$/m);
    // A threshold reached says when, as members read dates.
    expect(later).toMatch(/Government response at 10,000: reached on 1 Feb 2026/);
  });

  it('draws no bar for a petition no longer open', () => {
    const description = petitionMessage(view(5_400, 'closed'), NOW).embeds[0]!.description!;
    expect(description).not.toMatch(/▰|▱/);
    expect(description).toMatch(/· closed/);
  });

  it("shows the government's response from the petition site inert: it pings no one and keeps no markup", () => {
    const hostile = '@everyone <@&123456789012345678> # fake heading [fake link](https://fake.example/?token=x)';
    const message = petitionMessage(view(12_000, 'open', hostile), NOW);
    const description = message.embeds[0]!.description!;
    expect(description).toMatch(/Government response: /);
    expect(description).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(description).not.toMatch(/<@&\d+>/);
    expect(description).not.toMatch(/(^|[^\\])\[fake link\]\(/);
    expect(description).not.toMatch(/token=x/);
    expect(message.allowedMentions.parse).toEqual([]);
  });
});
