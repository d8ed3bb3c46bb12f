// Petition snapshots over time: one row per read of the petition, so progress
// ("+210 in the last day") can be worked out later. The columns serve queries;
// `raw` keeps the whole response (less breakdowns) and is what rows are read back from.
import { parsePetition, type PetitionSnapshot, type PetitionSnapshotData } from '../digest/petition.js';
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

interface SnapshotRow {
  takenAt: string;
  raw: string;
}

function fromRow(row: SnapshotRow): PetitionSnapshot {
  return { ...parsePetition(JSON.parse(row.raw)), takenAt: row.takenAt };
}

export interface PetitionRepository {
  store(petitionId: number, data: PetitionSnapshotData, takenAt: string): void;
  latest(petitionId: number): PetitionSnapshot | null;
  since(petitionId: number, sinceIso: string): PetitionSnapshot[];
}

export function petitionRepository(db: Db): PetitionRepository {
  return guarded(db, {
    store: (petitionId: number, data: PetitionSnapshotData, takenAt: string) =>
      storeSnapshot(db, petitionId, data, takenAt),
    latest: (petitionId: number) => latestSnapshot(db, petitionId),
    since: (petitionId: number, sinceIso: string) => snapshotsSince(db, petitionId, sinceIso),
  });
}
