// What changed about the petition between two polls that is worth a line in
// the channel. Pure: the caller keeps the snapshots and records deliveries.
import { DEBATE_THRESHOLD, RESPONSE_THRESHOLD, type PetitionSnapshot } from './petition.js';

export interface Milestone {
  /**
   * Stable across polls and processes: the delivery key, e.g. "count:12000",
   * "threshold:10000", "state:closed", "response", "debate-scheduled:2024-05-01", "debate-held".
   * A count that dips and climbs back crosses the same multiple again with
   * the same key, so the deliveries record stops a second post.
   */
  key: string;
  kind: 'count' | 'threshold' | 'state' | 'response' | 'debate';
  /** One short line of our own words: no archive text, mentions or Markdown. */
  text: string;
  /** The site's own words worth passing on (the government's response summary, cut): to be shown inert. */
  quote?: string;
  /** Keys the same news had before the current ones: announced under one of them, it is not announced again. */
  formerly?: string[];
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
    ...debateMilestones(previous, latest),
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

/** At most this much of the government's summary goes into the announcement. */
const SUMMARY_CHARS = 300;

function responseMilestone(previous: PetitionSnapshot, latest: PetitionSnapshot): Milestone[] {
  const responded = (s: PetitionSnapshot) => s.governmentResponseAt !== null || s.governmentResponseSummary !== null;
  if (responded(previous) || !responded(latest)) return [];
  const summary = latest.governmentResponseSummary?.replace(/\s+/g, ' ').trim();
  return [
    {
      key: 'response',
      kind: 'response',
      text: 'The government has responded to the petition.',
      ...(summary && { quote: summary.length > SUMMARY_CHARS ? `${summary.slice(0, SUMMARY_CHARS - 1)}…` : summary }),
    },
  ];
}

/** A date the site gave as YYYY-MM-DD, or null when it gave none or something else. */
function dayOf(date: string | null | undefined): string | null {
  const day = date?.slice(0, 10);
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)) ? day : null;
}

const dayWords = (day: string) => longDate.format(new Date(`${day}T00:00:00Z`));

/**
 * Parliament acting: a debate scheduled (keyed by its date, so a debate moved
 * to another day is news again) and a debate held (once, whatever its date).
 * A date taken away announces nothing. Before these keys, both were
 * `debate:DATE`; those keys stand for them (`formerly`), so nothing said then is said again.
 */
function debateMilestones(previous: PetitionSnapshot, latest: PetitionSnapshot): Milestone[] {
  const heldOn = dayOf(latest.debate?.debatedOn);
  if (heldOn) {
    if (dayOf(previous.debate?.debatedOn)) return [];
    // A debate held on the day it was scheduled had no key of its own before: its scheduling was the news.
    const formerly = heldOn === dayOf(previous.scheduledDebateDate) ? [] : [`debate:${heldOn}`];
    return [
      {
        key: 'debate-held',
        kind: 'debate',
        text: `Parliament debated the petition on ${dayWords(heldOn)}.`,
        ...(formerly.length > 0 && { formerly }),
      },
    ];
  }
  const scheduled = dayOf(latest.scheduledDebateDate);
  if (!scheduled || scheduled === dayOf(previous.scheduledDebateDate)) return [];
  return [
    {
      key: `debate-scheduled:${scheduled}`,
      kind: 'debate',
      text: `Parliament will debate the petition on ${dayWords(scheduled)}.`,
      formerly: [`debate:${scheduled}`],
    },
  ];
}
