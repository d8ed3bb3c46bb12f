// Where a petition's signatures come from, as its own JSON lists them: every
// constituency with its MP, every country, and (current schema) every region.
// Pure: names, ONS codes and MPs are taken from each petition's lists as they
// are, since boundaries and MPs change; the constituency rows sum to less than
// the UK total (signatures whose constituency is not known), so shares are of
// the signatures "where the constituency is known".
import * as z from 'zod/mini';
import { decodeEntities } from '../archive/entities.js';

export interface ConstituencyCount {
  name: string;
  /** E14000750; the first letter says the nation (E, W, S, N). */
  onsCode: string;
  /** As the site gives it ("Keir Starmer MP"); null when the seat is vacant or the site left it blank. */
  mp: string | null;
  signatureCount: number;
}

export interface CountryCount {
  name: string;
  /** ISO code; GB is the United Kingdom. */
  code: string;
  signatureCount: number;
}

export interface RegionCount {
  name: string;
  onsCode: string;
  signatureCount: number;
}

/** The breakdowns of one reading of a petition. */
export interface PetitionGeography {
  constituencies: ConstituencyCount[];
  countries: CountryCount[];
  /** Null in the 2016 schema, which has no regions. */
  regions: RegionCount[] | null;
}

const count = z.int().check(z.nonnegative());
const text = z.pipe(
  z.string(),
  z.transform((v: string) => decodeEntities(v).trim()),
);
const trimmed = () => z.string().check(z.trim());
const list = <T extends z.ZodMiniType>(item: T) => z.optional(z.nullable(z.array(item)));
const GeographyJson = z.object({
  data: z.object({
    attributes: z.object({
      signatures_by_constituency: list(
        z.object({
          name: text,
          ons_code: trimmed().check(z.minLength(1)),
          mp: z.optional(z.nullable(text)),
          signature_count: count,
        }),
      ),
      signatures_by_country: list(z.object({ name: text, code: trimmed(), signature_count: count })),
      signatures_by_region: list(z.object({ name: text, ons_code: trimmed(), signature_count: count })),
    }),
  }),
});

/**
 * The breakdowns in a petition JSON, or null when it has no constituency list
 * (a list page, a petition not yet open) or the lists are not in the expected
 * shape: the headline count is still good without them.
 */
export function parseGeography(json: unknown): PetitionGeography | null {
  const parsed = GeographyJson.safeParse(json);
  if (!parsed.success) return null;
  const a = parsed.data.data.attributes;
  if (!a.signatures_by_constituency || a.signatures_by_constituency.length === 0) return null;
  return {
    constituencies: a.signatures_by_constituency.map((c) => ({
      name: c.name,
      onsCode: c.ons_code,
      mp: c.mp ? c.mp : null,
      signatureCount: c.signature_count,
    })),
    countries: (a.signatures_by_country ?? []).map((c) => ({
      name: c.name,
      code: c.code,
      signatureCount: c.signature_count,
    })),
    regions: a.signatures_by_region
      ? a.signatures_by_region.map((r) => ({ name: r.name, onsCode: r.ons_code, signatureCount: r.signature_count }))
      : null,
  };
}

/** A constituency's place in the petition: its count, rank, share and change since the earlier reading. */
export interface ConstituencyStanding extends ConstituencyCount {
  /** 1 for the most signatures; constituencies with equal counts share a rank. */
  rank: number;
  /** How many constituencies the petition lists (650 since 2010). */
  of: number;
  /** Of the signatures where the constituency is known, 0–1. */
  share: number;
  /** Signatures gained since the earlier reading; null without one (or when it did not list this seat). */
  change: number | null;
}

/** Folded for matching: lower case, no accents ("Ynys Môn" is "ynys mon"), "St." as "st", spaces single. */
export function folded(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** "Keir Starmer MP" → "keir starmer": the title is not something members type. */
function foldedMp(mp: string): string {
  return folded(mp)
    .replace(/\b(mp|rt hon|the|sir|dame|dr|mr|mrs|ms|miss)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** How well `typed` matches `candidate` (both folded): 3 whole, 2 at its start, 1 a word's start, 0.5 inside, 0 not. */
function matchScore(candidate: string, typed: string): number {
  if (!typed || !candidate) return 0;
  if (candidate === typed) return 3;
  if (candidate.startsWith(typed)) return 2;
  if (` ${candidate}`.includes(` ${typed}`)) return 1;
  return candidate.includes(typed) ? 0.5 : 0;
}

export interface ConstituencyMatch {
  constituency: ConstituencyCount;
  /** Matched by its MP's name rather than its own. */
  byMp: boolean;
}

/**
 * Constituencies whose name or MP matches what was typed ("Starmer" finds
 * Holborn and St Pancras), best first: an exact name, then names starting
 * with it, then any word of the name or MP starting with it; ties by name.
 * Nothing typed lists the constituencies by signatures, most first.
 */
export function findConstituencies(geography: PetitionGeography, typed: string, limit: number): ConstituencyMatch[] {
  const query = folded(typed);
  if (!query) {
    return [...geography.constituencies]
      .sort((a, b) => b.signatureCount - a.signatureCount || a.name.localeCompare(b.name))
      .slice(0, limit)
      .map((constituency) => ({ constituency, byMp: false }));
  }
  const scored: { constituency: ConstituencyCount; score: number; byMp: boolean }[] = [];
  for (const constituency of geography.constituencies) {
    const byName = matchScore(folded(constituency.name), query);
    const byMp = constituency.mp
      ? Math.max(matchScore(foldedMp(constituency.mp), query), matchScore(folded(constituency.mp), query))
      : 0;
    const score = Math.max(byName, byMp * 0.9);
    if (score > 0) scored.push({ constituency, score, byMp: byMp * 0.9 > byName });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.constituency.name.localeCompare(b.constituency.name))
    .slice(0, limit)
    .map(({ constituency, byMp }) => ({ constituency, byMp }));
}

/** The one constituency `typed` names: its ONS code, its exact name, or the best match of name or MP. */
export function constituencyNamed(geography: PetitionGeography, typed: string): ConstituencyCount | null {
  const code = typed.trim().toUpperCase();
  const byCode = geography.constituencies.find((c) => c.onsCode.toUpperCase() === code);
  if (byCode) return byCode;
  return findConstituencies(geography, typed, 1)[0]?.constituency ?? null;
}

/** The signatures the constituency rows account for: the base of every share. */
export function knownTotal(geography: PetitionGeography): number {
  return geography.constituencies.reduce((sum, c) => sum + c.signatureCount, 0);
}

/** Where `constituency` stands among the petition's, and its change since `earlier` (matched by ONS code, else name). */
export function standingOf(
  geography: PetitionGeography,
  constituency: ConstituencyCount,
  earlier: PetitionGeography | null,
): ConstituencyStanding {
  const above = geography.constituencies.filter((c) => c.signatureCount > constituency.signatureCount).length;
  const known = knownTotal(geography);
  const before =
    earlier?.constituencies.find((c) => c.onsCode === constituency.onsCode) ??
    earlier?.constituencies.find((c) => folded(c.name) === folded(constituency.name));
  return {
    ...constituency,
    rank: above + 1,
    of: geography.constituencies.length,
    share: known > 0 ? constituency.signatureCount / known : 0,
    change: before ? constituency.signatureCount - before.signatureCount : null,
  };
}

/** The `n` constituencies with the most signatures, each with its standing. */
export function topConstituencies(
  geography: PetitionGeography,
  n: number,
  earlier: PetitionGeography | null,
): ConstituencyStanding[] {
  return [...geography.constituencies]
    .sort((a, b) => b.signatureCount - a.signatureCount || a.name.localeCompare(b.name))
    .slice(0, n)
    .map((c) => standingOf(geography, c, earlier));
}

export type Nation = 'England' | 'Wales' | 'Scotland' | 'Northern Ireland';

/** The nation of an ONS constituency code by its first letter. */
const NATION_OF: Record<string, Nation> = { E: 'England', W: 'Wales', S: 'Scotland', N: 'Northern Ireland' };

export interface NationCount {
  nation: Nation;
  signatureCount: number;
  constituencies: number;
  /** Of the signatures where the constituency is known, 0–1. */
  share: number;
}

export interface NationsBreakdown {
  /** England, Wales, Scotland, Northern Ireland, in that order (a nation the list lacks shows 0). */
  nations: NationCount[];
  /** England and Wales together: probation's own jurisdiction. */
  englandAndWales: { signatureCount: number; share: number };
  /** The sum of the constituency rows. */
  knownTotal: number;
  /** Rows whose ONS code names no nation (kept in the known total, counted here so nothing is silently dropped). */
  unplaced: number;
  /** Signatures from outside the UK (every country but GB); null when the JSON lists no countries. */
  overseas: number | null;
  /** The petition's total, for "where the constituency is known" to be read against. */
  total: number;
  /** Regions by signatures, most first; null in the 2016 schema. */
  regions: (RegionCount & { share: number })[] | null;
}

/** Signatures by nation (ONS code prefix), overseas, England and Wales together, and regions when listed. */
export function nationsBreakdown(geography: PetitionGeography, total: number): NationsBreakdown {
  const known = knownTotal(geography);
  const share = (n: number) => (known > 0 ? n / known : 0);
  const sums = new Map<Nation, { signatureCount: number; constituencies: number }>();
  let unplaced = 0;
  for (const c of geography.constituencies) {
    const nation = NATION_OF[c.onsCode.charAt(0).toUpperCase()];
    if (!nation) {
      unplaced += c.signatureCount;
      continue;
    }
    const sum = sums.get(nation) ?? { signatureCount: 0, constituencies: 0 };
    sum.signatureCount += c.signatureCount;
    sum.constituencies += 1;
    sums.set(nation, sum);
  }
  const nations = (['England', 'Wales', 'Scotland', 'Northern Ireland'] as const).map((nation) => {
    const sum = sums.get(nation) ?? { signatureCount: 0, constituencies: 0 };
    return { nation, ...sum, share: share(sum.signatureCount) };
  });
  const ew = nations[0]!.signatureCount + nations[1]!.signatureCount;
  const regionTotal = geography.regions?.reduce((s, r) => s + r.signatureCount, 0) ?? 0;
  return {
    nations,
    englandAndWales: { signatureCount: ew, share: share(ew) },
    knownTotal: known,
    unplaced,
    overseas:
      geography.countries.length > 0
        ? geography.countries.filter((c) => c.code.toUpperCase() !== 'GB').reduce((s, c) => s + c.signatureCount, 0)
        : null,
    total,
    regions: geography.regions
      ? [...geography.regions]
          .sort((a, b) => b.signatureCount - a.signatureCount || a.name.localeCompare(b.name))
          .map((r) => ({ ...r, share: regionTotal > 0 ? r.signatureCount / regionTotal : 0 }))
      : null,
  };
}
