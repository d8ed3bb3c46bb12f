import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PetitionFormatError, petitionProgress, type PetitionSnapshot } from '../../src/digest/petition.js';
import { parsePetition } from '../../src/digest/petitionJson.js';
import { FIXTURES } from '../helpers.js';

const FIXTURE_2016 = JSON.parse(
  readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'), 'utf8'),
) as unknown;

/** Made up, in the current schema: not a real petition. */
function currentSchema(attributes: Record<string, unknown> = {}): unknown {
  return {
    links: { self: 'https://petition.parliament.uk/petitions/999001.json' },
    data: {
      type: 'petition',
      id: 999001,
      attributes: {
        action: 'Fake petition: fund probation caseloads you can actually manage',
        background: 'Test data only.',
        state: 'open',
        signature_count: 12_345,
        opened_at: '2024-01-10T09:00:00.000Z',
        closed_at: '2024-07-10T23:59:59.999Z',
        response_threshold_reached_at: null,
        debate_threshold_reached_at: null,
        government_response_at: null,
        scheduled_debate_date: null,
        debate_outcome_at: null,
        government_response: null,
        debate: null,
        signatures_by_country: [{ name: 'United Kingdom', code: 'GB', signature_count: 12_000 }],
        ...attributes,
      },
    },
  };
}

function snapshot(count: number, takenAt: string, attributes: Record<string, unknown> = {}): PetitionSnapshot {
  return { ...parsePetition(currentSchema({ signature_count: count, ...attributes })), takenAt };
}

describe('parsePetition', () => {
  it('reads the real 2016 capture, whose opening date is called open_at', () => {
    const data = parsePetition(FIXTURE_2016);
    expect(data).toMatchObject({
      petitionId: 131215,
      title: 'EU Referendum Rules triggering a 2nd EU Referendum',
      state: 'open',
      signatureCount: 3_555_721,
      url: 'https://petition.parliament.uk/petitions/131215',
      openedAt: '2016-05-25T11:19:56.925Z',
      responseThresholdReachedAt: '2016-06-24T06:54:57.319Z',
      debateThresholdReachedAt: '2016-06-24T10:48:23.281Z',
      governmentResponseSummary: null,
      debate: null,
    });
  });

  it('keeps the response as raw JSON but drops the 650-row breakdowns', () => {
    const data = parsePetition(FIXTURE_2016);
    const raw = JSON.parse(data.raw) as { data: { attributes: Record<string, unknown> } };
    expect(raw.data.attributes['signature_count']).toBe(3_555_721);
    expect(raw.data.attributes).not.toHaveProperty('signatures_by_constituency');
    expect(data.raw.length).toBeLessThan(5_000);
  });

  it('reads the current schema with its response, debate and escaped text', () => {
    const data = parsePetition(
      currentSchema({
        action: 'Fake: Don&#39;t cut probation &amp; prisons',
        government_response_at: '2024-03-01T10:00:00.000Z',
        government_response: { responded_on: '2024-03-01', summary: 'The Government&#39;s answer.', details: '…' },
        scheduled_debate_date: '2024-05-20',
        debate: {
          debated_on: '2024-05-20',
          transcript_url: 'https://example.invalid/t',
          video_url: null,
          overview: 'MPs debated it.',
        },
      }),
    );
    expect(data.title).toBe("Fake: Don't cut probation & prisons");
    expect(data.openedAt).toBe('2024-01-10T09:00:00.000Z');
    expect(data.governmentResponseSummary).toBe("The Government's answer.");
    expect(data.debate).toEqual({
      debatedOn: '2024-05-20',
      transcriptUrl: 'https://example.invalid/t',
      videoUrl: null,
      overview: 'MPs debated it.',
    });
  });

  it.each([
    ['a missing count', { signature_count: undefined }, /data\.attributes\.signature_count: .*missing/],
    ['a count given as text', { signature_count: '12345' }, /data\.attributes\.signature_count: expected number/],
    [
      'a date that is not one',
      { response_threshold_reached_at: 'soon' },
      /data\.attributes\.response_threshold_reached_at: expected a date/,
    ],
    [
      'a response without its summary',
      { government_response: { responded_on: '2024-03-01' } },
      /data\.attributes\.government_response\.summary/,
    ],
  ])('rejects %s, naming the field', (_, attributes, message) => {
    expect(() => parsePetition(currentSchema(attributes))).toThrow(PetitionFormatError);
    expect(() => parsePetition(currentSchema(attributes))).toThrow(message);
  });

  it('rejects something that is not a petition at all', () => {
    expect(() => parsePetition({ error: 'nope' })).toThrow(/petition JSON: data: .*missing/);
    expect(() => parsePetition(null)).toThrow(PetitionFormatError);
  });
});

describe('petitionProgress', () => {
  const now = new Date('2024-02-02T12:00:00.000Z');
  const latest = snapshot(12_345, '2024-02-02T11:55:00.000Z');

  it("says the count, the day's gain and how far to a government response", () => {
    const earlier = [
      snapshot(11_000, '2024-01-31T12:00:00.000Z'), // two days ago: too old
      snapshot(12_135, '2024-02-01T12:30:00.000Z'), // nearest to 24 h before now
      snapshot(12_300, '2024-02-02T06:00:00.000Z'), // six hours ago: too recent
    ];
    const progress = petitionProgress(latest, earlier, now);
    expect(progress.change).toEqual({ signatures: 210, since: '2024-02-01T12:30:00.000Z' });
    expect(progress.response).toEqual({ target: 10_000, reached: true, reachedAt: null, toGo: 0 });
    expect(progress.line).toBe(
      '12,345 signatures (+210 in the last day) · 87,655 to go for a debate · government response due',
    );
  });

  it('counts down to the response threshold before it is reached', () => {
    const young = snapshot(7_655, '2024-02-02T11:55:00.000Z');
    const progress = petitionProgress(young, [snapshot(7_445, '2024-02-01T11:00:00.000Z')], now);
    expect(progress.response.toGo).toBe(2_345);
    expect(progress.debate.toGo).toBe(92_345);
    expect(progress.line).toBe('7,655 signatures (+210 in the last day) · 2,345 to go for a government response');
    expect(progress.link).toBe('https://petition.parliament.uk/petitions/999001');
  });

  it('gives no daily change when no snapshot is about a day old', () => {
    const progress = petitionProgress(latest, [snapshot(12_300, '2024-02-02T10:00:00.000Z')], now);
    expect(progress.change).toBeNull();
    expect(progress.line).toMatch(/^12,345 signatures · /);
  });

  it("trusts the site's threshold date even when the count has since fallen below it", () => {
    const s = snapshot(99_990, '2024-02-02T11:55:00.000Z', {
      response_threshold_reached_at: '2024-01-12T00:00:00.000Z',
      debate_threshold_reached_at: '2024-01-30T00:00:00.000Z',
    });
    const progress = petitionProgress(s, [], now);
    expect(progress.debate).toMatchObject({ reached: true, reachedAt: '2024-01-30T00:00:00.000Z', toGo: 0 });
    expect(progress.line).toBe('99,990 signatures · government response due · debate threshold reached');
  });

  it("reports the government's response and the debate date", () => {
    const s = snapshot(150_000, '2024-02-02T11:55:00.000Z', {
      response_threshold_reached_at: '2024-01-12T00:00:00.000Z',
      debate_threshold_reached_at: '2024-01-30T00:00:00.000Z',
      government_response_at: '2024-01-25T00:00:00.000Z',
      government_response: { summary: 'We are reviewing caseloads.' },
      scheduled_debate_date: '2024-03-04',
    });
    const progress = petitionProgress(s, [], now);
    expect(progress.governmentResponseSummary).toBe('We are reviewing caseloads.');
    expect(progress.debateDate).toBe('2024-03-04');
    expect(progress.line).toBe('150,000 signatures · government responded · debate scheduled for 2024-03-04');
  });

  it('says a closed petition is closed instead of counting down', () => {
    const closed = snapshot(8_000, '2024-02-02T11:55:00.000Z', { state: 'closed' });
    expect(petitionProgress(closed, [], now).line).toBe('8,000 signatures · petition closed');
  });
});
