// The campaign petition on petition.parliament.uk: read its public JSON (the
// current schema and the 2016 one) into a snapshot, and say how it is doing.
// Pure: the caller fetches, stores and tells the time.
import { decodeEntities } from '../archive/entities.js';

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

/**
 * A petition's JSON as petition.parliament.uk sends it (the current schema and the 2016 one), once checked
 * (`parsePetition` in petitionJson.ts): the fields the bot reads. Absent and null mean the same.
 */
export interface PetitionDocument {
  data: {
    id: number | string;
    attributes: {
      action: string;
      state: string;
      signature_count: number;
      opened_at?: string | null | undefined;
      /** The 2016 name of opened_at. */
      open_at?: string | null | undefined;
      closed_at?: string | null | undefined;
      response_threshold_reached_at?: string | null | undefined;
      debate_threshold_reached_at?: string | null | undefined;
      government_response_at?: string | null | undefined;
      scheduled_debate_date?: string | null | undefined;
      debate_outcome_at?: string | null | undefined;
      government_response?: { summary: string; responded_on?: string | null | undefined } | null | undefined;
      debate?:
        | {
            debated_on?: string | null | undefined;
            transcript_url?: string | null | undefined;
            video_url?: string | null | undefined;
            overview?: string | null | undefined;
          }
        | null
        | undefined;
    };
  };
}

/**
 * What a checked petition JSON says, with `raw` (what is kept of it). Without zod: the store reads its rows back
 * through this (each was checked when it arrived), and the store is opened at every start.
 */
export function snapshotOf(document: PetitionDocument, raw: string): PetitionSnapshotData {
  const { id, attributes: a } = document.data;
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
    raw,
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
