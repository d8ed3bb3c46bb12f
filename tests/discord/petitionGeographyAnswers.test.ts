// /petition top, where, nations and mine as members read them: the lines word for word (the site's names passed
// through the view's `shown`), and the footer: live, live but a minute old or more (with its
// age), or the site unreachable (the age of what is shown); and the site's names kept to one line. Written against
// the mutation run of 4 December, which left these words untested. A made-up petition.
import { describe, expect, it } from 'vitest';
import type { PetitionView } from '../../src/app/petitionFigures.js';
import type { PetitionAnswer } from '../../src/app/petitionGeography.js';
import type { ConstituencyStanding } from '../../src/digest/petitionGeography.js';
import { petitionAnswerMessage } from '../../src/discord/petitionMessages.js';
import { geographyLines, mineLine } from '../../src/discord/petitionWording.js';

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

/** The site's words marked, to show each passes through the view's `shown` (inert on Discord). */
const shownMark = (siteText: string) => `⟨${siteText}⟩`;
const standing = (over: Partial<ConstituencyStanding> = {}): ConstituencyStanding => ({
  name: 'Fakeshire North',
  onsCode: 'E14000750',
  mp: 'A. Madeup MP',
  signatureCount: 1_234,
  rank: 2,
  of: 650,
  share: 0.0123,
  change: 56,
  ...over,
});
const SINCE = { takenAt: '2026-11-22T23:45:00Z', yesterday: true };

describe("/petition's geography answers: the lines", () => {
  it("gives a constituency with its MP, figures, rank, share and change; the member's own and one found by its MP said so", () => {
    const where = (over: Partial<Extract<PetitionAnswer, { kind: 'where' }>>) =>
      geographyLines(
        {
          kind: 'where',
          petition: petition(true),
          takenAt: TAKEN_AT,
          changeSince: SINCE,
          standing: standing(),
          byMp: false,
          mine: false,
          ...over,
        },
        shownMark,
      );
    expect(where({})).toEqual([
      '⟨Fakeshire North⟩ (MP: ⟨A. Madeup MP⟩)',
      '1,234 signatures · 2nd of 650 constituencies · 1.2% of signatures where the constituency is known · +56 since yesterday',
    ]);
    expect(
      where({
        mine: true,
        byMp: true,
        changeSince: null,
        standing: standing({ mp: null, signatureCount: 1, rank: 1 }),
      }),
    ).toEqual([
      'Your constituency: ⟨Fakeshire North⟩ (no MP listed) — found by its MP',
      '1 signature · 1st of 650 constituencies · 1.2% of signatures where the constituency is known',
    ]);
  });

  it('lists the top constituencies numbered from 1, then what the shares are of', () => {
    const answer: PetitionAnswer = {
      kind: 'top',
      petition: petition(true),
      takenAt: TAKEN_AT,
      changeSince: SINCE,
      knownTotal: 4_000,
      standings: [standing({ rank: 1 }), standing({ name: 'Madeup South', mp: null, change: null, share: 0.005 })],
    };
    expect(geographyLines(answer as Extract<PetitionAnswer, { kind: 'top' }>, shownMark)).toEqual([
      'Constituencies with the most signatures:',
      '1. ⟨Fakeshire North⟩ (⟨A. Madeup MP⟩): 1,234 · 1.2% · +56 since yesterday',
      '2. ⟨Madeup South⟩ (no MP listed): 1,234 · 0.50%',
      'Shares are of the 4,000 signatures where the constituency is known (4,321 in all).',
    ]);
  });

  it('gives the nations, England and Wales, overseas, the unplaced and the regions when there are any', () => {
    const nation = (
      name: 'England' | 'Wales' | 'Scotland' | 'Northern Ireland',
      signatureCount: number,
      share: number,
    ) => ({
      nation: name,
      signatureCount,
      constituencies: 1,
      share,
    });
    const breakdown = {
      nations: [
        nation('England', 3_000, 0.75),
        nation('Wales', 500, 0.125),
        nation('Scotland', 400, 0.1),
        nation('Northern Ireland', 100, 0.025),
      ],
      englandAndWales: { signatureCount: 3_500, share: 0.875 },
      knownTotal: 4_000,
      unplaced: 1,
      overseas: 20,
      total: 4_321,
      regions: [{ name: 'Fake Region', onsCode: 'E15000001', signatureCount: 1_500, share: 0.375 }],
    };
    const nations = (over: Partial<typeof breakdown>) =>
      geographyLines(
        {
          kind: 'nations',
          petition: petition(true),
          takenAt: TAKEN_AT,
          changeSince: null,
          breakdown: { ...breakdown, ...over },
        } as Extract<PetitionAnswer, { kind: 'nations' }>,
        shownMark,
      );
    expect(nations({})).toEqual([
      'England: 3,000 (75.0%)',
      'Wales: 500 (12.5%)',
      'Scotland: 400 (10.0%)',
      'Northern Ireland: 100 (2.5%)',
      'England and Wales, where probation serves: 3,500 — 87.5% of signatures where the constituency is known',
      'Overseas: 20 signatures from outside the UK',
      'In no nation by their code: 1 signature',
      'By region:',
      '  ⟨Fake Region⟩: 1,500 (37.5%)',
      'Shares are of the 4,000 signatures where the constituency is known (4,321 in all).',
    ]);
    const without = nations({ overseas: null as unknown as number, unplaced: 0, regions: [] });
    expect(without.slice(4)).toEqual([
      'England and Wales, where probation serves: 3,500 — 87.5% of signatures where the constituency is known',
      'Shares are of the 4,000 signatures where the constituency is known (4,321 in all).',
    ]);
  });

  it("answers setting and clearing the member's constituency", () => {
    expect(mineLine({ kind: 'mine-set', name: 'Fakeshire North', mp: null }, shownMark)).toBe(
      'Your constituency is now ⟨Fakeshire North⟩ (no MP listed): it comes first in your suggestions, and "/petition show:mine" gives its figures. Only you see this; "/petition mine:clear" removes it.',
    );
    expect(mineLine({ kind: 'mine-cleared', had: 'Fakeshire North' }, shownMark)).toBe(
      'Your constituency (⟨Fakeshire North⟩) is removed: the bot keeps nothing about it now.',
    );
    expect(mineLine({ kind: 'mine-cleared', had: null }, shownMark)).toBe(
      'You had no constituency set: the bot keeps none for you.',
    );
  });
});
