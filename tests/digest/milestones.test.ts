import { describe, expect, it } from 'vitest';
import { petitionMilestones } from '../../src/digest/milestones.js';
import type { PetitionSnapshot } from '../../src/digest/petition.js';

/** Made up: not a real petition. */
function snapshot(signatureCount: number, changes: Partial<PetitionSnapshot> = {}): PetitionSnapshot {
  return {
    petitionId: 999001,
    title: 'Fake petition: fund probation caseloads you can actually manage',
    state: 'open',
    signatureCount,
    url: 'https://petition.parliament.uk/petitions/999001',
    openedAt: '2024-01-10T09:00:00.000Z',
    closedAt: null,
    responseThresholdReachedAt: null,
    debateThresholdReachedAt: null,
    governmentResponseAt: null,
    governmentResponseSummary: null,
    scheduledDebateDate: null,
    debateOutcomeAt: null,
    debate: null,
    raw: '{}',
    takenAt: '2024-03-01T12:00:00.000Z',
    ...changes,
  };
}

const keys = (before: PetitionSnapshot | null, after: PetitionSnapshot, every?: number) =>
  petitionMilestones(before, after, every === undefined ? undefined : { every }).map((m) => m.key);

describe('petitionMilestones', () => {
  it('announces nothing on the very first poll: what was reached before is history', () => {
    expect(
      petitionMilestones(null, snapshot(150_000, { state: 'closed', governmentResponseAt: '2024-02-01T10:00:00Z' })),
    ).toEqual([]);
  });

  it('announces nothing when nothing worth saying changed', () => {
    expect(keys(snapshot(12_100), snapshot(12_900))).toEqual([]);
  });

  describe('counts', () => {
    it('announces passing a multiple of 1,000', () => {
      expect(petitionMilestones(snapshot(11_950), snapshot(12_010))).toEqual([
        { key: 'count:12000', kind: 'count', text: 'The petition has passed 12,000 signatures.' },
      ]);
    });

    it('announces only the highest multiple passed in one poll, beside the threshold on the way', () => {
      expect(keys(snapshot(9_800), snapshot(12_300))).toEqual(['threshold:10000', 'count:12000']);
      expect(keys(snapshot(10_200), snapshot(14_700))).toEqual(['count:14000']);
    });

    it('announces landing exactly on a multiple, and not again when the next poll starts there', () => {
      expect(keys(snapshot(11_999), snapshot(12_000))).toEqual(['count:12000']);
      expect(keys(snapshot(12_000), snapshot(12_500))).toEqual([]);
    });

    it('announces nothing when signatures are removed, even across a multiple', () => {
      expect(petitionMilestones(snapshot(12_300), snapshot(11_800))).toEqual([]);
      expect(petitionMilestones(snapshot(10_050), snapshot(9_900))).toEqual([]);
    });

    it('uses the same key when a dip and a climb pass a multiple again, so it is delivered once', () => {
      expect(keys(snapshot(11_900), snapshot(12_100))).toEqual(['count:12000']);
      expect(keys(snapshot(12_100), snapshot(11_900))).toEqual([]);
      expect(keys(snapshot(11_900), snapshot(12_050))).toEqual(['count:12000']);
    });

    it('takes another step when asked', () => {
      expect(keys(snapshot(24_000), snapshot(25_100), 5_000)).toEqual(['count:25000']);
      expect(keys(snapshot(25_100), snapshot(29_900), 5_000)).toEqual([]);
      expect(keys(snapshot(1_450), snapshot(1_520), 100)).toEqual(['count:1500']);
    });

    it('refuses a step that is not a positive whole number', () => {
      expect(() => petitionMilestones(snapshot(1), snapshot(2), { every: 0 })).toThrow(/positive whole number/);
      expect(() => petitionMilestones(snapshot(1), snapshot(2), { every: 2.5 })).toThrow(/positive whole number/);
    });
  });

  describe('thresholds', () => {
    it('9,950 → 10,020 is exactly one milestone, the response threshold, with no count beside it', () => {
      expect(petitionMilestones(snapshot(9_950), snapshot(10_020))).toEqual([
        {
          key: 'threshold:10000',
          kind: 'threshold',
          text: 'The petition has passed 10,000 signatures: the government must now respond.',
        },
      ]);
    });

    it('99,500 → 101,200 is the debate threshold, then the highest count passed', () => {
      expect(petitionMilestones(snapshot(99_500), snapshot(101_200))).toEqual([
        {
          key: 'threshold:100000',
          kind: 'threshold',
          text: 'The petition has passed 100,000 signatures: Parliament will now consider it for a debate.',
        },
        { key: 'count:101000', kind: 'count', text: 'The petition has passed 101,000 signatures.' },
      ]);
    });

    it('landing exactly on a threshold is the threshold alone', () => {
      expect(keys(snapshot(99_990), snapshot(100_000))).toEqual(['threshold:100000']);
    });

    it('passing both in one poll announces both, the lower first', () => {
      expect(keys(snapshot(9_000), snapshot(100_400))).toEqual(['threshold:10000', 'threshold:100000']);
    });

    it('a threshold that is also the step is still said once, by the threshold', () => {
      expect(keys(snapshot(9_000), snapshot(10_500), 5_000)).toEqual(['threshold:10000']);
    });
  });

  describe('state', () => {
    it('announces the petition closing, keyed by the new state', () => {
      expect(petitionMilestones(snapshot(12_345), snapshot(12_345, { state: 'closed' }))).toEqual([
        { key: 'state:closed', kind: 'state', text: 'The petition has closed.' },
      ]);
    });

    it('announces other changes of state', () => {
      expect(keys(snapshot(0, { state: 'pending' }), snapshot(0, { state: 'open' }))).toEqual(['state:open']);
      expect(keys(snapshot(5, { state: 'open' }), snapshot(5, { state: 'rejected' }))).toEqual(['state:rejected']);
    });

    it('says a state it does not know in plain letters only', () => {
      const [milestone] = petitionMilestones(snapshot(5), snapshot(5, { state: '**@everyone** [x](y)' }));
      expect(milestone?.text).toBe('The petition is now everyone x y.');
      expect(petitionMilestones(snapshot(5), snapshot(5, { state: 'stopped' }))[0]?.text).toBe(
        'The petition is now stopped.',
      );
    });
  });

  describe('government response', () => {
    it('announces a response appearing, with its summary to pass on', () => {
      const responded = snapshot(10_500, {
        governmentResponseAt: '2024-03-01T10:00:00Z',
        governmentResponseSummary: 'We have no plans to change this.',
      });
      expect(petitionMilestones(snapshot(10_500), responded)).toEqual([
        {
          key: 'response',
          kind: 'response',
          text: 'The government has responded to the petition.',
          quote: 'We have no plans to change this.',
        },
      ]);
    });

    it('counts a summary without a date (the 2016 schema) as a response, and a date without a summary too', () => {
      expect(keys(snapshot(10_500), snapshot(10_500, { governmentResponseSummary: 'Summary.' }))).toEqual(['response']);
      const dated = petitionMilestones(snapshot(10_500), snapshot(10_500, { governmentResponseAt: '2024-03-01' }));
      expect(dated).toEqual([
        { key: 'response', kind: 'response', text: 'The government has responded to the petition.' },
      ]);
    });

    it('passes on a long summary cut to 300 characters, on one line', () => {
      const long = `${'Fake words of a made-up response.\n'.repeat(20)}`;
      const [m] = petitionMilestones(snapshot(10_500), snapshot(10_500, { governmentResponseSummary: long }));
      expect(m?.quote).toHaveLength(300);
      expect(m?.quote).toMatch(/^Fake words of a made-up response\. Fake/);
      expect(m?.quote).toMatch(/…$/);
      expect(m?.quote).not.toContain('\n');
    });

    it('does not announce a response that was already there', () => {
      const responded = { governmentResponseAt: '2024-03-01T10:00:00Z', governmentResponseSummary: 'Summary.' };
      expect(keys(snapshot(10_500, responded), snapshot(10_600, responded))).toEqual([]);
    });
  });

  describe('debate', () => {
    const held = (on: string) => ({ debatedOn: on, transcriptUrl: null, videoUrl: null, overview: null });

    it('announces a debate being scheduled, keyed by its date (once keyed debate:DATE)', () => {
      expect(petitionMilestones(snapshot(101_000), snapshot(101_000, { scheduledDebateDate: '2024-05-01' }))).toEqual([
        {
          key: 'debate-scheduled:2024-05-01',
          kind: 'debate',
          text: 'Parliament will debate the petition on 1 May 2024.',
          formerly: ['debate:2024-05-01'],
        },
      ]);
    });

    it('announces a new date when the debate is moved', () => {
      expect(
        keys(
          snapshot(101_000, { scheduledDebateDate: '2024-05-01' }),
          snapshot(101_000, { scheduledDebateDate: '2024-05-08' }),
        ),
      ).toEqual(['debate-scheduled:2024-05-08']);
    });

    it('announces the debate held, on the day it was scheduled too, and only once', () => {
      const scheduled = snapshot(101_000, { scheduledDebateDate: '2024-05-01' });
      const after = snapshot(101_000, {
        scheduledDebateDate: '2024-05-01',
        debateOutcomeAt: '2024-05-02T09:00:00Z',
        debate: held('2024-05-01'),
      });
      expect(petitionMilestones(scheduled, after)).toEqual([
        { key: 'debate-held', kind: 'debate', text: 'Parliament debated the petition on 1 May 2024.' },
      ]);
      expect(keys(after, snapshot(101_500, { scheduledDebateDate: '2024-05-01', debate: held('2024-05-01') }))).toEqual(
        [],
      );
    });

    it('says a debate was held when it first appears already debated; its former key was its date', () => {
      expect(petitionMilestones(snapshot(101_000), snapshot(101_000, { debate: held('2024-05-01') }))[0]).toEqual({
        key: 'debate-held',
        kind: 'debate',
        text: 'Parliament debated the petition on 1 May 2024.',
        formerly: ['debate:2024-05-01'],
      });
    });

    it('announces nothing for a debate record without a date, nor when a date is taken away', () => {
      const undated = snapshot(101_000, { debateOutcomeAt: '2024-05-02T09:00:00Z', debate: held(null as never) });
      expect(keys(snapshot(101_000), undated)).toEqual([]);
      expect(keys(snapshot(101_000, { scheduledDebateDate: '2024-05-01' }), snapshot(101_000))).toEqual([]);
    });
  });

  it('orders several at once: threshold, count, state, response, debate', () => {
    const before = snapshot(99_500);
    const after = snapshot(101_200, {
      state: 'closed',
      governmentResponseAt: '2024-03-01T10:00:00Z',
      governmentResponseSummary: 'Summary.',
      scheduledDebateDate: '2024-05-01',
    });
    expect(petitionMilestones(before, after).map((m) => [m.kind, m.key])).toEqual([
      ['threshold', 'threshold:100000'],
      ['count', 'count:101000'],
      ['state', 'state:closed'],
      ['response', 'response'],
      ['debate', 'debate-scheduled:2024-05-01'],
    ]);
  });

  it('gives the same milestones, keys and all, when the same pair is evaluated twice', () => {
    const before = snapshot(9_800);
    const after = snapshot(12_300, {
      state: 'closed',
      governmentResponseSummary: 'Summary.',
      scheduledDebateDate: '2024-05-01',
    });
    const first = petitionMilestones(before, after);
    expect(first).toHaveLength(5);
    expect(petitionMilestones(structuredClone(before), structuredClone(after))).toEqual(first);
  });

  it('treats a poll of a different petition like a first poll', () => {
    expect(petitionMilestones(snapshot(9_000), snapshot(20_000, { petitionId: 999002, state: 'closed' }))).toEqual([]);
  });

  it('writes plain lines: no mentions, no Markdown, numbers with commas', () => {
    const after = snapshot(101_200, {
      state: 'closed',
      governmentResponseSummary: '**Read** @everyone',
      debate: { debatedOn: '2024-05-01', transcriptUrl: null, videoUrl: null, overview: '_see_ `this`' },
    });
    const texts = [
      ...petitionMilestones(snapshot(9_800), after),
      ...petitionMilestones(snapshot(5), snapshot(5, { state: '@here *x*' })),
    ].map((m) => m.text);
    expect(texts.length).toBeGreaterThan(4);
    for (const text of texts) {
      expect(text).not.toMatch(/[@*_`~|>#[\]<]/);
      expect(text).not.toContain('\n');
      // Four digits or more together would be an unformatted count; a date's year is the exception.
      expect(text.replace(/ \d{4}\.$/, '.')).not.toMatch(/\d{4,}/);
    }
  });
});
