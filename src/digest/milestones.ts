// What changed about the petition between two polls that is worth a line in
// the channel. Pure: the caller keeps the snapshots and records deliveries.
import { DEBATE_THRESHOLD, RESPONSE_THRESHOLD, type PetitionSnapshot } from './petition.js';

export interface Milestone {
  /**
   * Stable across polls and processes: the delivery key, e.g. "count:12000",
   * "threshold:10000", "state:closed", "response", "debate:2024-05-01".
   * A count that dips and climbs back crosses the same multiple again with
   * the same key, so the deliveries record stops a second post.
   */
  key: string;
  kind: 'count' | 'threshold' | 'state' | 'response' | 'debate';
  /** One short line of our own words: no archive text, mentions or Markdown. */
  text: string;
}

export interface MilestoneOptions {
  /** Announce each time the count passes a multiple of this. Default 1,000. */
  every?: number;
}

const THRESHOLDS = [
  { target: RESPONSE_THRESHOLD, consequence: 'the government must now respond' },
  { target: DEBATE_THRESHOLD, consequence: 'Parliament will now consider it for a debate' },
] as const;

const number = new Intl.NumberFormat('en-GB');
const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * Milestones reached between two polls, in the order threshold, count,
 * state, response, debate. The first poll (`previous` null) announces
 * nothing: what the petition had already reached is history. Nor does a poll
 * of a different petition than the one before, for the same reason.
 */
export function petitionMilestones(
  previous: PetitionSnapshot | null,
  latest: PetitionSnapshot,
  options: MilestoneOptions = {},
): Milestone[] {
  const every = options.every ?? 1_000;
  if (!Number.isInteger(every) || every <= 0)
    throw new Error(`milestones: every must be a positive whole number, not ${every}`);
  if (!previous || previous.petitionId !== latest.petitionId) return [];
  return [
    ...countMilestones(previous.signatureCount, latest.signatureCount, every),
    ...stateMilestone(previous, latest),
    ...responseMilestone(previous, latest),
    ...debateMilestone(previous, latest),
  ];
}

/** Thresholds first, then one count milestone for the highest multiple passed, unless a threshold already said it. */
function countMilestones(before: number, after: number, every: number): Milestone[] {
  // A fall (invalid signatures removed) passes nothing; strictly above
  // `before` because a multiple it already stood on was announced then.
  const passed = (n: number) => before < n && n <= after;
  const thresholds = THRESHOLDS.filter(({ target }) => passed(target)).map(({ target, consequence }) => ({
    key: `threshold:${target}`,
    kind: 'threshold' as const,
    text: `The petition has passed ${number.format(target)} signatures: ${consequence}.`,
  }));
  const highest = Math.floor(after / every) * every;
  const count =
    passed(highest) && !THRESHOLDS.some(({ target }) => target === highest)
      ? [
          {
            key: `count:${highest}`,
            kind: 'count' as const,
            text: `The petition has passed ${number.format(highest)} signatures.`,
          },
        ]
      : [];
  return [...thresholds, ...count];
}

const STATE_TEXT: Record<string, string> = {
  open: 'The petition is open for signatures.',
  closed: 'The petition has closed.',
  rejected: 'The petition has been rejected.',
};

function stateMilestone(previous: PetitionSnapshot, latest: PetitionSnapshot): Milestone[] {
  if (previous.state === latest.state) return [];
  // The state is the site's word: known ones get our sentence, others only
  // their letters, so nothing from outside can carry a mention or Markdown.
  const plain =
    latest.state
      .toLowerCase()
      .replace(/[^a-z]+/g, ' ')
      .trim() || 'changed';
  const text = STATE_TEXT[latest.state] ?? `The petition is now ${plain}.`;
  return [{ key: `state:${latest.state}`, kind: 'state', text }];
}

function responseMilestone(previous: PetitionSnapshot, latest: PetitionSnapshot): Milestone[] {
  const responded = (s: PetitionSnapshot) => s.governmentResponseAt !== null || s.governmentResponseSummary !== null;
  if (responded(previous) || !responded(latest)) return [];
  return [{ key: 'response', kind: 'response', text: 'The government has responded to the petition.' }];
}

/** The debate as a key part: its date (held, else scheduled), "scheduled" when there is one without a date, null when none. */
function debateMark(s: PetitionSnapshot): { mark: string; held: boolean } | null {
  const held = s.debate?.debatedOn ?? null;
  const date = held ?? s.scheduledDebateDate;
  const day = date?.slice(0, 10);
  if (day && /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)))
    return { mark: day, held: held !== null };
  return s.debate || s.debateOutcomeAt ? { mark: 'scheduled', held: false } : null;
}

function debateMilestone(previous: PetitionSnapshot, latest: PetitionSnapshot): Milestone[] {
  const now = debateMark(latest);
  // A date taken away announces nothing, and a debate held on the day it was
  // scheduled keeps its key: it was announced when the date was set.
  if (!now || now.mark === debateMark(previous)?.mark) return [];
  let text = 'Parliament is to debate the petition.';
  if (now.mark !== 'scheduled') {
    const day = longDate.format(new Date(`${now.mark}T00:00:00Z`));
    text = now.held ? `Parliament debated the petition on ${day}.` : `Parliament will debate the petition on ${day}.`;
  }
  return [{ key: `debate:${now.mark}`, kind: 'debate', text }];
}
