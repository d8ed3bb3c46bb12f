// /petition top, where and nations as members read their footer: live, live but a minute old or more (with its
// age), or the site unreachable (the age of what is shown); and the site's names kept to one line. Written against
// the mutation run of 4 December, which left these words untested. A made-up petition.
import { describe, expect, it } from 'vitest';
import type { PetitionView } from '../../src/app/petitionFigures.js';
import type { PetitionAnswer } from '../../src/app/petitionGeography.js';
import { petitionAnswerMessage } from '../../src/discord/petitionMessages.js';

const TAKEN_AT = '2026-11-23T07:00:00Z';
const taken = Date.parse(TAKEN_AT);

function petition(live: boolean): PetitionView {
  const threshold = (target: number) => ({ target, reached: false, reachedAt: null, toGo: target - 4_321 });
  return {
    progress: {
      petitionId: 700_001,
      title: 'A Made-Up Petition',
      state: 'open',
      signatureCount: 4_321,
      link: 'https://petition.parliament.uk/petitions/700001',
      change: null,
      response: threshold(10_000),
      debate: threshold(100_000),
      governmentResponseSummary: null,
      debateDate: null,
      line: '4,321 signatures',
    },
    live,
    takenAt: TAKEN_AT,
    problem: live ? null : 'the site did not answer',
    changeOrgUrl: null,
  };
}

function top(live: boolean, name = 'Fakeshire North'): PetitionAnswer {
  return {
    kind: 'top',
    petition: petition(live),
    takenAt: TAKEN_AT,
    changeSince: null,
    knownTotal: 4_000,
    standings: [
      { name, onsCode: 'E14000750', mp: null, signatureCount: 120, rank: 1, of: 650, share: 0.03, change: null },
    ],
  };
}

const footer = (answer: PetitionAnswer, msAfter: number) =>
  petitionAnswerMessage(answer, new Date(taken + msAfter)).embeds![0]!.footer!.text;

describe("/petition's geography answers: the footer", () => {
  it('says live, and nothing of age, for a reading under a minute old', () => {
    expect(footer(top(true), 0)).toBe('Live from petition.parliament.uk');
    expect(footer(top(true), 59_999)).toBe('Live from petition.parliament.uk');
  });

  it('adds the age of a live reading a minute old or more', () => {
    expect(footer(top(true), 60_000)).toBe('Live from petition.parliament.uk · as of 1 minute ago');
    expect(footer(top(true), 3 * 3_600_000)).toBe('Live from petition.parliament.uk · as of 3 hours ago');
  });

  it('says the site could not be reached, with the age of the figures shown', () => {
    expect(footer(top(false), 0)).toBe('The petition site could not be reached: figures as of just now');
    expect(footer(top(false), 2 * 86_400_000)).toBe('The petition site could not be reached: figures as of 2 days ago');
  });

  it("keeps the site's names to one line, its spaces and line breaks made one space", () => {
    const description = petitionAnswerMessage(top(true, 'Fake\n\n  Town\tEast'), new Date(taken)).embeds![0]!
      .description!;
    expect(description).toContain('Fake Town East');
    expect(description).not.toMatch(/Fake\s{2,}Town|Town\s{2,}East|\n\s*Town/);
  });
});
