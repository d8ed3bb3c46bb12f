// What /petition shows, whichever part is asked: the figures (live or as last
// stored), the petition waiting to be published, or why there is nothing.
import type { PetitionProgress } from '../digest/petition.js';
import type { Momentum, PetitionClosing } from '../digest/petitionMomentum.js';
import type { PetitionNotPublished } from '../sources/petition.js';

export interface PetitionView {
  /** The petition asked for, as the store keys its readings (its JSON's own id is in `progress`); absent: that one. */
  petitionId?: number;
  /** From the freshest snapshot we have, with the day's change as of when it was taken. */
  progress: PetitionProgress;
  /** True when fetched just now (or within `freshForMs`, which is as good). */
  live: boolean;
  /** ISO time of the snapshot shown. */
  takenAt: string;
  /** Why the live figure could not be had (one line), when live is false. */
  problem: string | null;
  changeOrgUrl: string | null;
  /** The pace over the last week and when the next threshold would be reached at it; absent or null without enough history. */
  momentum?: Momentum | null;
  /** Days left before the petition closes, or when it closed; absent or null when the JSON does not say. */
  closing?: PetitionClosing | null;
}

/** A petition that exists but is not published yet: the site says so instead of giving figures. */
export interface PetitionWaiting {
  waiting: { petitionId: number; stage: PetitionNotPublished['stage']; link: string };
}

/** What /petition can show: the figures, the petition waiting to be published, or why there are none. */
export type PetitionFigures = PetitionView | PetitionWaiting | { unavailable: string };
