// `/petition where`, `top`, `nations` and `mine`: where the signatures come
// from, read from the petition's own lists (refreshed as /petition is), and
// the constituency a member chose, kept only until they clear it.
import {
  type ConstituencyCount,
  type ConstituencyStanding,
  constituencyNamed,
  findConstituencies,
  type NationsBreakdown,
  nationsBreakdown,
  type PetitionGeography,
  standingOf,
  topConstituencies,
} from '../digest/petitionGeography.js';
import type { StoredBreakdown } from '../store/petition.js';
import type { Repositories } from '../store/store.js';
import type { PetitionFigures, PetitionView, PetitionWaiting } from './petitionFigures.js';
import { UserProblem } from './userProblem.js';

/** What a member asked of /petition, and of which petition (its number or title words as typed; absent: the default). */
export type PetitionRequest = PetitionAsk & { petition?: string };

type PetitionAsk =
  | { show: 'total' }
  | { show: 'where'; place: string }
  | { show: 'top' }
  | { show: 'nations' }
  | { show: 'mine' }
  | { show: 'set-mine'; place: string }
  | { show: 'clear-mine' };

/** What the earlier figures a change is counted from are. */
export interface ChangeBase {
  /** ISO time of the earlier reading (the last of its day). */
  takenAt: string;
  /** It was the day before the latest reading's day: "since yesterday". */
  yesterday: boolean;
}

interface Geographic {
  petition: PetitionView;
  /** ISO time of the reading the breakdown comes from. */
  takenAt: string;
  changeSince: ChangeBase | null;
}

export type PetitionAnswer =
  | { kind: 'total'; petition: PetitionFigures }
  | (Geographic & { kind: 'where'; standing: ConstituencyStanding; byMp: boolean; mine: boolean })
  | (Geographic & { kind: 'top'; standings: ConstituencyStanding[]; knownTotal: number })
  | (Geographic & { kind: 'nations'; breakdown: NationsBreakdown })
  | { kind: 'mine-set'; name: string; mp: string | null }
  | { kind: 'mine-cleared'; had: string | null };

/** Constituencies in a /petition top answer. */
export const TOP_COUNT = 10;

export interface GeographyViews {
  answer(request: PetitionRequest, userId: string): Promise<PetitionAnswer>;
  /**
   * Suggestions for a constituency option in the petition named (`petition`, as typed; the default when absent or
   * unknown): the member's own first when nothing is typed; from the store, never the network.
   */
  suggest(typed: string, userId: string, limit: number, petition?: string | null): ConstituencySuggestion[];
}

/** A constituency offered as the member types, and whether its MP's name is what matched. */
export type ConstituencySuggestion = ConstituencyCount & { byMp: boolean };

export function geographyViews(
  store: Pick<Repositories, 'petition' | 'members'>,
  choose: (petition: string | undefined) => number,
  figures: (petitionId: number) => Promise<PetitionFigures>,
  now: () => Date,
): GeographyViews {
  /** The figures and the newest breakdown, or a UserProblem saying why there are none. */
  async function read(
    petitionId: number,
  ): Promise<{ petition: PetitionView; latest: StoredBreakdown; earlier: StoredBreakdown | null }> {
    const petition = await figures(petitionId);
    if ('unavailable' in petition) {
      throw new UserProblem(
        'The petition site cannot be reached just now, and no figures are stored yet: try again in a few minutes.',
      );
    }
    if ('waiting' in petition) throw new UserProblem(waitingLine(petition));
    const latest = store.petition.latestBreakdown(petitionId);
    if (!latest) {
      throw new UserProblem(
        'The petition site has not given signatures by constituency for this petition, so there is nothing to break down yet.',
      );
    }
    return { petition, latest, earlier: store.petition.breakdownBefore(petitionId, latest.day) };
  }

  function geographic(petition: PetitionView, latest: StoredBreakdown, earlier: StoredBreakdown | null): Geographic {
    return {
      petition,
      takenAt: latest.takenAt,
      changeSince: earlier && { takenAt: earlier.takenAt, yesterday: earlier.day === dayBefore(latest.day) },
    };
  }

  function placeIn(geography: PetitionGeography, typed: string): ConstituencyCount {
    const found = constituencyNamed(geography, typed);
    if (!found) {
      throw new UserProblem(
        `No constituency or MP in this petition's list matches "${typed.slice(0, 80)}": pick one of the suggestions shown as you type.`,
      );
    }
    return found;
  }

  return {
    async answer(request, userId) {
      if (request.show === 'clear-mine') {
        const had = store.members.constituencyOf(userId)?.name ?? null;
        store.members.clearConstituency(userId);
        return { kind: 'mine-cleared', had };
      }
      const petitionId = choose(request.petition);
      if (request.show === 'total') return { kind: 'total', petition: await figures(petitionId) };
      const { petition, latest, earlier } = await read(petitionId);
      const base = geographic(petition, latest, earlier);
      const geography = latest.geography;
      switch (request.show) {
        case 'set-mine': {
          const place = placeIn(geography, request.place);
          store.members.setConstituency(userId, place, now().toISOString());
          return { kind: 'mine-set', name: place.name, mp: place.mp };
        }
        case 'mine':
        case 'where': {
          const mine = store.members.constituencyOf(userId);
          if (request.show === 'mine' && !mine) {
            throw new UserProblem(
              'You have not chosen a constituency: "/petition mine:" and its name sets it (only you see it, and "mine:clear" removes it).',
            );
          }
          const place =
            request.show === 'mine' ? (mine ? ownPlace(geography, mine) : null) : placeIn(geography, request.place);
          if (!place) {
            throw new UserProblem(
              'The constituency you chose is not in this petition\'s list (boundaries change): choose it again with "/petition mine:".',
            );
          }
          const best = request.show === 'where' ? findConstituencies(geography, request.place, 1)[0] : undefined;
          const byMp = best?.byMp === true && best.constituency.onsCode === place.onsCode;
          return {
            ...base,
            kind: 'where',
            standing: standingOf(geography, place, earlier?.geography ?? null),
            byMp,
            mine: request.show === 'mine',
          };
        }
        case 'top':
          return {
            ...base,
            kind: 'top',
            standings: topConstituencies(geography, TOP_COUNT, earlier?.geography ?? null),
            knownTotal: geography.constituencies.reduce((s, c) => s + c.signatureCount, 0),
          };
        case 'nations':
          return { ...base, kind: 'nations', breakdown: nationsBreakdown(geography, petition.progress.signatureCount) };
      }
    },

    suggest(typed, userId, limit, petition) {
      let petitionId: number;
      try {
        petitionId = choose(petition ?? undefined);
      } catch (error) {
        if (!(error instanceof UserProblem)) throw error;
        petitionId = choose(undefined); // a petition being typed wrong still gets the default's places
      }
      const latest = store.petition.latestBreakdown(petitionId);
      if (!latest) return [];
      const matches = findConstituencies(latest.geography, typed, limit).map(({ constituency, byMp }) => ({
        ...constituency,
        byMp,
      }));
      const mine = store.members.constituencyOf(userId);
      const own = mine && !typed.trim() ? ownPlace(latest.geography, mine) : null;
      if (!own) return matches;
      return [{ ...own, byMp: false }, ...matches.filter((m) => m.onsCode !== own.onsCode)].slice(0, limit);
    },
  };
}

/** The member's constituency in this petition's list: by its ONS code, else by its name (codes change with boundaries). */
function ownPlace(geography: PetitionGeography, mine: { name: string; onsCode: string }): ConstituencyCount | null {
  return (
    geography.constituencies.find((c) => c.onsCode === mine.onsCode) ??
    geography.constituencies.find((c) => c.name.toLowerCase() === mine.name.toLowerCase()) ??
    null
  );
}

/** YYYY-MM-DD of the day before. */
function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** One line on a petition that is not published yet. */
export function waitingLine(petition: PetitionWaiting): string {
  const { petitionId, stage } = petition.waiting;
  return stage === 'gathering support'
    ? `Petition ${petitionId} is waiting to be published: it is still gathering the supporters it needs before it is checked.`
    : `Petition ${petitionId} is waiting to be published: the Petitions Committee is checking it before it opens for signatures.`;
}
