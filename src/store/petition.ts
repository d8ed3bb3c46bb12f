// Petition snapshots over time: one row per read of the petition, so progress
// ("+210 in the last day") can be worked out later. The columns serve queries;
// `raw` keeps the whole response (less breakdowns) and is what rows are read back from.
import {
  type PetitionDocument,
  type PetitionSnapshot,
  type PetitionSnapshotData,
  snapshotOf,
} from '../digest/petition.js';
import type { SignatureReading } from '../digest/petitionChart.js';
import type { PetitionGeography } from '../digest/petitionGeography.js';
import type { Db } from './db.js';
import { guarded, prepared } from './statements.js';

/** Store one snapshot of petition `petitionId` taken at `takenAt` (ISO time). */
export function storeSnapshot(db: Db, petitionId: number, data: PetitionSnapshotData, takenAt: string): void {
  prepared(
    db,
    `INSERT INTO petition_snapshots (petition_id, taken_at, signature_count, state, title, url,
       response_threshold_reached_at, debate_threshold_reached_at, government_response_at,
       government_response_summary, scheduled_debate_date, debate_outcome_at, raw)
     VALUES (@petitionId, @takenAt, @signatureCount, @state, @title, @url, @responseThresholdReachedAt,
       @debateThresholdReachedAt, @governmentResponseAt, @governmentResponseSummary, @scheduledDebateDate,
       @debateOutcomeAt, @raw)`,
  ).run({ ...data, petitionId, takenAt: new Date(takenAt).toISOString() });
}

/** The most recent snapshot of a petition, or null before the first. */
export function latestSnapshot(db: Db, petitionId: number): PetitionSnapshot | null {
  const row = prepared<SnapshotRow>(
    db,
    'SELECT taken_at AS takenAt, raw FROM petition_snapshots WHERE petition_id = ? ORDER BY taken_at DESC, id DESC LIMIT 1',
  ).get(petitionId);
  return row ? fromRow(row) : null;
}

/** Snapshots of a petition taken at or after `sinceIso`, oldest first. */
export function snapshotsSince(db: Db, petitionId: number, sinceIso: string): PetitionSnapshot[] {
  const rows = prepared<SnapshotRow>(
    db,
    'SELECT taken_at AS takenAt, raw FROM petition_snapshots WHERE petition_id = ? AND taken_at >= ? ORDER BY taken_at, id',
  ).all(petitionId, new Date(sinceIso).toISOString());
  return rows.map(fromRow);
}

/** The last snapshot of a petition taken before `beforeIso`, or null when there is none. */
export function snapshotBefore(db: Db, petitionId: number, beforeIso: string): PetitionSnapshot | null {
  const row = prepared<SnapshotRow>(
    db,
    'SELECT taken_at AS takenAt, raw FROM petition_snapshots WHERE petition_id = ? AND taken_at < ? ORDER BY taken_at DESC, id DESC LIMIT 1',
  ).get(petitionId, new Date(beforeIso).toISOString());
  return row ? fromRow(row) : null;
}

/** The count at each reading of a petition up to `untilIso`, oldest first: its history, from the columns alone (a chart's line). */
export function readingsUntil(db: Db, petitionId: number, untilIso: string): SignatureReading[] {
  return prepared<SignatureReading>(
    db,
    `SELECT taken_at AS takenAt, signature_count AS signatureCount FROM petition_snapshots
     WHERE petition_id = ? AND taken_at <= ? ORDER BY taken_at, id`,
  ).all(petitionId, new Date(untilIso).toISOString());
}

/** A reading's breakdowns, as one row of its (UTC) day: the day's later readings replace it. */
export interface StoredBreakdown {
  takenAt: string;
  /** YYYY-MM-DD (UTC) of takenAt. */
  day: string;
  geography: PetitionGeography;
}

/** Keep `geography` as petition `petitionId`'s breakdown for the day of `takenAt`, replacing an earlier one that day. */
export function storeBreakdown(db: Db, petitionId: number, geography: PetitionGeography, takenAt: string): void {
  const at = new Date(takenAt).toISOString();
  prepared(
    db,
    `INSERT INTO petition_breakdowns (petition_id, day, taken_at, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (petition_id, day) DO UPDATE SET taken_at = excluded.taken_at, body = excluded.body
     WHERE excluded.taken_at >= petition_breakdowns.taken_at`,
  ).run(petitionId, at.slice(0, 10), at, JSON.stringify(geography));
}

interface BreakdownRow {
  takenAt: string;
  day: string;
  body: string;
}

const breakdownOf = (row: BreakdownRow | undefined): StoredBreakdown | null =>
  row ? { takenAt: row.takenAt, day: row.day, geography: JSON.parse(row.body) as PetitionGeography } : null;

/** The newest breakdown of a petition, or null before the first. */
export function latestBreakdown(db: Db, petitionId: number): StoredBreakdown | null {
  return breakdownOf(
    prepared<BreakdownRow>(
      db,
      'SELECT taken_at AS takenAt, day, body FROM petition_breakdowns WHERE petition_id = ? ORDER BY day DESC LIMIT 1',
    ).get(petitionId),
  );
}

/** The newest breakdown of a day before `day` (YYYY-MM-DD): how an earlier day ended. */
export function breakdownBefore(db: Db, petitionId: number, day: string): StoredBreakdown | null {
  return breakdownOf(
    prepared<BreakdownRow>(
      db,
      `SELECT taken_at AS takenAt, day, body FROM petition_breakdowns WHERE petition_id = ? AND day < ?
       ORDER BY day DESC LIMIT 1`,
    ).get(petitionId, day),
  );
}

interface SnapshotRow {
  takenAt: string;
  raw: string;
}

function fromRow(row: SnapshotRow): PetitionSnapshot {
  // Checked when it arrived (petitionJson.ts), and kept as it was checked.
  return { ...snapshotOf(JSON.parse(row.raw) as PetitionDocument, row.raw), takenAt: row.takenAt };
}

export interface PetitionRepository {
  store(petitionId: number, data: PetitionSnapshotData, takenAt: string): void;
  latest(petitionId: number): PetitionSnapshot | null;
  since(petitionId: number, sinceIso: string): PetitionSnapshot[];
  /** The count at each reading up to `untilIso`, oldest first. */
  readings(petitionId: number, untilIso: string): SignatureReading[];
  storeBreakdown(petitionId: number, geography: PetitionGeography, takenAt: string): void;
  latestBreakdown(petitionId: number): StoredBreakdown | null;
  breakdownBefore(petitionId: number, day: string): StoredBreakdown | null;
  /** The last snapshot taken before `beforeIso` (how the petition stood then), or null. */
  before(petitionId: number, beforeIso: string): PetitionSnapshot | null;
}

export function petitionRepository(db: Db): PetitionRepository {
  return guarded(db, {
    store: (petitionId: number, data: PetitionSnapshotData, takenAt: string) =>
      storeSnapshot(db, petitionId, data, takenAt),
    latest: (petitionId: number) => latestSnapshot(db, petitionId),
    since: (petitionId: number, sinceIso: string) => snapshotsSince(db, petitionId, sinceIso),
    readings: (petitionId: number, untilIso: string) => readingsUntil(db, petitionId, untilIso),
    storeBreakdown: (petitionId: number, geography: PetitionGeography, takenAt: string) =>
      storeBreakdown(db, petitionId, geography, takenAt),
    latestBreakdown: (petitionId: number) => latestBreakdown(db, petitionId),
    breakdownBefore: (petitionId: number, day: string) => breakdownBefore(db, petitionId, day),
    before: (petitionId: number, beforeIso: string) => snapshotBefore(db, petitionId, beforeIso),
  });
}
