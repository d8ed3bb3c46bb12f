// The campaign petition on petition.parliament.uk: read its public JSON (the
// current schema and the 2016 one) into a snapshot, and say how it is doing.
// Pure: the caller fetches, stores and tells the time.
import { z } from 'zod';
import { decodeEntities } from '../archive/html.js';

/** 10,000 signatures: the government responds. 100,000: considered for a debate in Parliament. */
export const RESPONSE_THRESHOLD = 10_000;
export const DEBATE_THRESHOLD = 100_000;

export interface PetitionDebate {
  debatedOn: string | null;
  transcriptUrl: string | null;
  videoUrl: string | null;
  overview: string | null;
}

/** What one read of the petition says, as stored in `petition_snapshots`. */
export interface PetitionSnapshotData {
  petitionId: number;
  /** The petition's "action", its headline. */
  title: string;
  /** open, closed, rejected, … as the site says. */
  state: string;
  signatureCount: number;
  /** The public page: https://petition.parliament.uk/petitions/{id} (it redirects once archived). */
  url: string;
  openedAt: string | null;
  closedAt: string | null;
  responseThresholdReachedAt: string | null;
  debateThresholdReachedAt: string | null;
  governmentResponseAt: string | null;
  governmentResponseSummary: string | null;
  scheduledDebateDate: string | null;
  debateOutcomeAt: string | null;
  debate: PetitionDebate | null;
  /**
   * The response as JSON text, less the per-country and per-constituency
   * breakdowns: those are most of its size, and a snapshot an hour would
   * otherwise grow the store by megabytes a day.
   */
  raw: string;
}

export interface PetitionSnapshot extends PetitionSnapshotData {
  /** ISO time the snapshot was taken. */
  takenAt: string;
}

/** The JSON is not a petition we can read; the message names the field. */
export class PetitionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PetitionFormatError';
  }
}

const date = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected a date');
/** Absent and null mean the same: the 2016 schema lacks fields the current one has. */
const optionalDate = date.nullable().optional();
const optionalText = z.string().nullable().optional();

const PetitionJson = z.object({
  data: z.object({
    id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'expected a petition number')]),
    attributes: z.object({
      action: z.string().min(1, 'is empty'),
      state: z.string().min(1, 'is empty'),
      signature_count: z.number().int().nonnegative(),
      opened_at: optionalDate,
      open_at: optionalDate, // the 2016 name of opened_at
      closed_at: optionalDate,
      response_threshold_reached_at: optionalDate,
      debate_threshold_reached_at: optionalDate,
      government_response_at: optionalDate,
      scheduled_debate_date: optionalDate,
      debate_outcome_at: optionalDate,
      government_response: z.object({ summary: z.string(), responded_on: optionalDate }).nullable().optional(),
      debate: z
        .object({
          debated_on: optionalDate,
          transcript_url: optionalText,
          video_url: optionalText,
          overview: optionalText,
        })
        .nullable()
        .optional(),
    }),
  }),
});

/** Read a petition.parliament.uk petition JSON; throws PetitionFormatError naming the first bad field. */
export function parsePetition(json: unknown): PetitionSnapshotData {
  const parsed = PetitionJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : 'the document';
    const problem = issue.message.replace(/^Invalid input: /, '').replace(/received undefined$/, 'but it is missing');
    throw new PetitionFormatError(`petition JSON: ${field}: ${problem}`);
  }
  const { id, attributes: a } = parsed.data.data;
  const petitionId = Number(id);
  const response = a.government_response ?? null;
  const debate = a.debate ?? null;
  return {
    petitionId,
    title: decodeEntities(a.action).trim(),
    state: a.state,
    signatureCount: a.signature_count,
    url: petitionLink(petitionId),
    openedAt: a.opened_at ?? a.open_at ?? null,
    closedAt: a.closed_at ?? null,
    responseThresholdReachedAt: a.response_threshold_reached_at ?? null,
    debateThresholdReachedAt: a.debate_threshold_reached_at ?? null,
    governmentResponseAt: a.government_response_at ?? response?.responded_on ?? null,
    governmentResponseSummary: response ? decodeEntities(response.summary).trim() : null,
    scheduledDebateDate: a.scheduled_debate_date ?? null,
    debateOutcomeAt: a.debate_outcome_at ?? null,
    debate: debate && {
      debatedOn: debate.debated_on ?? null,
      transcriptUrl: debate.transcript_url ?? null,
      videoUrl: debate.video_url ?? null,
      overview: debate.overview ? decodeEntities(debate.overview).trim() : null,
    },
    raw: JSON.stringify(withoutBreakdowns(json)),
  };
}

/**
 * The states of a petition not yet published: `pending` while its creator
 * gathers the first supporters, then `validated`/`sponsored` while the
 * Petitions Committee checks it (`flagged`, `dormant` on the way). Such a
 * petition exists: it is "waiting to be published", not "not found".
 */
export const MODERATION_STATES: ReadonlySet<string> = new Set([
  'pending',
  'validated',
  'sponsored',
  'flagged',
  'dormant',
]);

export function inModeration(state: string): boolean {
  return MODERATION_STATES.has(state);
}

/** A petition's state as members read it. */
export function stateWords(state: string): string {
  if (state === 'pending') return 'waiting to be published (gathering its first supporters)';
  if (inModeration(state)) return 'waiting to be published (being checked by the Petitions Committee)';
  const words: Record<string, string> = {
    open: 'open for signatures',
    closed: 'closed',
    rejected: 'rejected',
    hidden: 'hidden by the petitions committee',
  };
  return words[state] ?? state;
}

/** A link to a petition on the site, as written in a post: with or without https:// and www., archived or not. */
const PETITION_LINK =
  /\b(?:https?:\/\/)?(?:www\.)?petition\.parliament\.uk\/(?:archived\/)?petitions\/(\d{1,9})(?!\d)/gi;

/** The petitions `text` links to (petition.parliament.uk/petitions/N), each once, in the order first linked. */
export function petitionLinksIn(text: string): number[] {
  const ids = [...text.matchAll(PETITION_LINK)].map((m) => Number(m[1])).filter((id) => id > 0);
  return [...new Set(ids)];
}

export function petitionLink(petitionId: number): string {
  return `https://petition.parliament.uk/petitions/${petitionId}`;
}

function withoutBreakdowns(json: unknown): unknown {
  const { data } = json as { data: { attributes: Record<string, unknown> } };
  const attributes = Object.fromEntries(
    Object.entries(data.attributes).filter(([key]) => !key.startsWith('signatures_by_')),
  );
  return { ...(json as object), data: { ...data, attributes } };
}

export interface ThresholdProgress {
  target: number;
  reached: boolean;
  /** When the site recorded it reached (null when not, or when the site did not say). */
  reachedAt: string | null;
  /** Signatures still needed; 0 once reached. */
  toGo: number;
}

export interface PetitionProgress {
  petitionId: number;
  title: string;
  state: string;
  signatureCount: number;
  link: string;
  /** Signatures gained since the snapshot nearest 24 h before `now`; null when no snapshot is near enough. */
  change: { signatures: number; since: string } | null;
  response: ThresholdProgress;
  debate: ThresholdProgress;
  governmentResponseSummary: string | null;
  /** The debate's date: held (debated_on) or scheduled. */
  debateDate: string | null;
  /** "12,345 signatures (+210 in the last day) · 2,345 to go for a government response" */
  line: string;
}

const HOUR = 3_600_000;
/**
 * The change is over a rolling day, not since local midnight: it needs no
 * time zone and reads the same at any hour. The baseline is the snapshot
 * nearest to 24 h before now, taken 12–36 h before; outside that window the
 * figure would not be a day's change, so none is given.
 */
const DAY_WINDOW = { earliest: 36 * HOUR, target: 24 * HOUR, latest: 12 * HOUR };

/** How the petition is doing, from its latest snapshot and earlier ones (any order). */
export function petitionProgress(
  latest: PetitionSnapshot,
  earlierSnapshots: readonly PetitionSnapshot[],
  now: Date,
): PetitionProgress {
  const nowMs = now.getTime();
  const target = nowMs - DAY_WINDOW.target;
  let baseline: PetitionSnapshot | null = null;
  for (const s of earlierSnapshots) {
    const at = Date.parse(s.takenAt);
    if (s.takenAt >= latest.takenAt || at < nowMs - DAY_WINDOW.earliest || at > nowMs - DAY_WINDOW.latest) continue;
    if (!baseline || Math.abs(at - target) < Math.abs(Date.parse(baseline.takenAt) - target)) baseline = s;
  }
  const change = baseline && { signatures: latest.signatureCount - baseline.signatureCount, since: baseline.takenAt };
  const response = threshold(RESPONSE_THRESHOLD, latest.responseThresholdReachedAt, latest.signatureCount);
  const debate = threshold(DEBATE_THRESHOLD, latest.debateThresholdReachedAt, latest.signatureCount);
  return {
    petitionId: latest.petitionId,
    title: latest.title,
    state: latest.state,
    signatureCount: latest.signatureCount,
    link: petitionLink(latest.petitionId),
    change,
    response,
    debate,
    governmentResponseSummary: latest.governmentResponseSummary,
    debateDate: latest.debate?.debatedOn ?? latest.scheduledDebateDate,
    line: progressLine(latest, change, response, debate),
  };
}

function threshold(target: number, reachedAt: string | null, count: number): ThresholdProgress {
  // The site's date is authoritative: a count can fall back under a threshold
  // when invalid signatures are removed, but what was reached stays reached.
  const reached = reachedAt !== null || count >= target;
  return { target, reached, reachedAt, toGo: reached ? 0 : target - count };
}

const number = new Intl.NumberFormat('en-GB');

function progressLine(
  latest: PetitionSnapshot,
  change: PetitionProgress['change'],
  response: ThresholdProgress,
  debate: ThresholdProgress,
): string {
  const count = `${number.format(latest.signatureCount)} ${latest.signatureCount === 1 ? 'signature' : 'signatures'}`;
  const parts = [change ? `${count} (${signed(change.signatures)} in the last day)` : count];
  if (inModeration(latest.state)) parts.push('waiting to be published');
  else if (latest.state !== 'open') parts.push(`petition ${latest.state}`);
  if (!response.reached && latest.state === 'open')
    parts.push(`${number.format(response.toGo)} to go for a government response`);
  else if (!debate.reached && latest.state === 'open') parts.push(`${number.format(debate.toGo)} to go for a debate`);
  if (latest.governmentResponseAt) parts.push('government responded');
  else if (response.reached) parts.push('government response due');
  const debateDate = latest.debate?.debatedOn ?? latest.scheduledDebateDate;
  if (debateDate)
    parts.push(`${latest.debate?.debatedOn ? 'debated' : 'debate scheduled for'} ${debateDate.slice(0, 10)}`);
  else if (debate.reached) parts.push('debate threshold reached');
  return parts.join(' · ');
}

function signed(n: number): string {
  return n < 0 ? `−${number.format(-n)}` : `+${number.format(n)}`;
}
