// Second stage: the candidate posts re-ranked by their best passage (BM25+ with the whole archive's passage statistics),
// so a post leads because one passage answers the query, not because its long thread repeats the words; and by the
// share of the query's words (by idf) that passage and the title hold.
import { type LiveSegment, livePassagesOf, passageKind, passageLengths, passagePost } from './liveSegment.js';
import type { Postings } from './postings.js';
import { bm25, compareCodeUnits, FIELD_BOOST, idf, type KindScope } from './ranking.js';
import { TITLE } from './segment.js';

/** Weight of a post's second and third best passages relative to its best. */
const SUPPORT = 0.3;

/** A post as the second stage ranks it: the passage shown, its score, and the terms it matched (for highlighting). */
export interface PassageHit {
  post: number;
  ordinal: number;
  score: number;
  terms: Set<string>;
}

/** Passage-level BM25+ statistics: every passage carries its post's title, so titles are counted per passage. */
interface PassageStatistics {
  passages: number;
  /** Average text and author length. */
  average: [number, number];
  averageTitle: number;
}

/** The typed words (by position) each index term stands for, and how many typed words the index knows. */
export interface QueryWords {
  origins: Map<string, Set<number>>;
  /** How many typed words the index knows, or with `weightOf` their total weight. */
  known: number;
  /** What each typed word (by position) weighs in a share; a word weighs 1 when absent. */
  weightOf?: Map<number, number>;
}

/** Which passages may answer a query with a phrase or an exclusion (the words' order is checked on the text later). */
export interface PassageRule {
  /** Terms a passage's text must all hold. */
  required: readonly string[];
  /** Passages (ordinals) that may not answer. */
  barred: ReadonlySet<number>;
}

/**
 * The candidates (post ordinals, MiniSearch's order) ranked by their best passage, best first. Text taken from a
 * chat message rather than typed as a query (`wholeWords`): a passage is weighed by the share of the message's
 * words it holds (squared), and a passage shorter than the average counts for less rather than more, so one rare
 * word in a one-line comment does not beat passages about what the message is about.
 */
export function rerankByPassage(
  live: LiveSegment,
  candidates: readonly number[],
  postings: Map<string, Postings>,
  weights: Map<string, number>,
  scope: KindScope,
  words: QueryWords,
  wholeWords = false,
  rule: PassageRule | null = null,
): PassageHit[] {
  const wanted = new Uint8Array(live.postIds.length);
  for (const post of candidates) wanted[post] = 1;
  const stats = passageStatistics(live);
  const weighed = wholeWords ? byTopicality(live, postings, weights) : weights;
  const passages = scorePassages(live, wanted, postings, weighed, scope.kinds, stats, wholeWords);
  if (rule) {
    for (const [ordinal, entry] of passages) {
      if (rule.barred.has(ordinal) || !rule.required.every((t) => entry.terms.has(t))) passages.delete(ordinal);
    }
  }
  if (wholeWords) weighByCoverage(passages, words);
  const titles = scope.withTitle ? scoreTitles(live, wanted, postings, weights, stats) : new Map<number, TitleScore>();
  const coordination = wholeWords ? null : matchedWords(words, passages, titles, postings, weights, stats.passages);
  const hits = postHits(live, candidates, bestPassages(live, passages), titles, scope.kinds, coordination);
  // Equal scores in a stable order, whatever the posts' ordinals.
  return hits.sort((a, b) => b.score - a.score || compareCodeUnits(live.postIds[a.post]!, live.postIds[b.post]!));
}

function passageStatistics(live: LiveSegment): PassageStatistics {
  const n = live.livePassageCount;
  let titleTotal = 0;
  for (let post = 0; post < live.postIds.length; post++)
    titleTotal += live.fieldLengths[post * 4 + TITLE]! * live.livePassages[post]!;
  return {
    passages: n,
    average: [live.passageTotals[0]! / n, live.passageTotals[1]! / n],
    averageTitle: titleTotal / n,
  };
}

/** Scores of the candidates' passages of the kinds searched (text and author), with the terms their text matched. */
function scorePassages(
  live: LiveSegment,
  wanted: Uint8Array,
  postings: Map<string, Postings>,
  weights: Map<string, number>,
  kinds: Set<number>,
  stats: PassageStatistics,
  noShortBonus: boolean,
): Map<number, { score: number; terms: Set<string> }> {
  const scores = new Map<number, { score: number; terms: Set<string> }>();
  for (const [term, p] of postings) {
    const weight = weights.get(term)!;
    for (let k = 0; k < p.count; k++) {
      const ordinal = p.ordinals[k]!;
      if (!wanted[passagePost(live, ordinal)] || !kinds.has(passageKind(live, ordinal))) continue;
      const value = p.values[k]!;
      const field = value & 1;
      const average = stats.average[field]!;
      const own = passageLengths(live, ordinal)[field]!;
      const raw = noShortBonus
        ? bm25(value >> 1, p.df[field]!, stats.passages, Math.max(own, average), average) *
          Math.sqrt(Math.min(1, own / average))
        : bm25(value >> 1, p.df[field]!, stats.passages, own, average);
      let entry = scores.get(ordinal);
      if (!entry) scores.set(ordinal, (entry = { score: 0, terms: new Set() }));
      entry.score += weight * (field === 1 ? FIELD_BOOST.author : 1) * raw;
      if (field === 0) entry.terms.add(term);
    }
  }
  return scores;
}

/**
 * Weights for words from a message: each times how bursty the word is — how
 * often it comes back in a post that uses it (log2(1 + occurrences / posts)).
 * A subject a post is about recurs in it ("caseloads"); a word used in passing
 * ("control") comes once.
 */
function byTopicality(
  live: LiveSegment,
  postings: Map<string, Postings>,
  weights: Map<string, number>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [term, weight] of weights) {
    const p = postings.get(term);
    let occurrences = 0;
    const posts = new Set<number>();
    for (let k = 0; p && k < p.count; k++) {
      if (p.values[k]! & 1) continue;
      occurrences += p.values[k]! >> 1;
      posts.add(passagePost(live, p.ordinals[k]!));
    }
    out.set(term, posts.size === 0 ? weight : weight * Math.log2(1 + occurrences / posts.size));
  }
  return out;
}

/** Each passage's score times the square of the share of typed words its text holds. */
function weighByCoverage(scores: Map<number, { score: number; terms: Set<string> }>, words: QueryWords): void {
  if (words.known < 2) return;
  for (const entry of scores.values()) entry.score *= share(words, entry.terms) ** 2;
}

/**
 * The typed words the candidates' passages and titles hold, each weighing its
 * best term's idf times that term's expansion weight: holding the query's
 * rare word counts for more than holding two common ones. Counted from what
 * the candidates matched: a word the index knows but no candidate holds
 * weighs every post alike, and counting it would make scores depend on terms
 * the vocabulary still remembers from deleted text.
 */
function matchedWords(
  words: QueryWords,
  passages: Map<number, { terms: Set<string> }>,
  titles: Map<number, TitleScore>,
  postings: Map<string, Postings>,
  weights: Map<string, number>,
  passageCount: number,
): QueryWords {
  const held = new Set<number>();
  for (const entries of [passages.values(), titles.values()])
    for (const { terms } of entries)
      for (const term of terms) for (const word of words.origins.get(term) ?? []) held.add(word);
  const weightOf = new Map<number, number>();
  for (const [term, p] of postings) {
    const rarity = idf(p.df[0]!, passageCount);
    for (const word of words.origins.get(term) ?? [])
      if (held.has(word)) weightOf.set(word, Math.max(weightOf.get(word) ?? 0, weights.get(term)! * rarity));
  }
  let known = 0;
  for (const weight of weightOf.values()) known += weight;
  return { origins: words.origins, known, weightOf };
}

/** The share of the known typed words (by weight, when weighed) that `termSets` stand for. */
function share(words: QueryWords, ...termSets: Iterable<string>[]): number {
  const held = new Set<number>();
  for (const terms of termSets)
    for (const term of terms) for (const word of words.origins.get(term) ?? []) held.add(word);
  let weight = 0;
  for (const word of held) weight += words.weightOf ? (words.weightOf.get(word) ?? 0) : 1;
  return words.known === 0 ? 1 : weight / words.known;
}

interface TitleScore {
  score: number;
  terms: Set<string>;
}

/** Title scores of the candidate posts: a title counts once per live passage of its post. */
function scoreTitles(
  live: LiveSegment,
  wanted: Uint8Array,
  postings: Map<string, Postings>,
  weights: Map<string, number>,
  stats: PassageStatistics,
): Map<number, TitleScore> {
  const scores = new Map<number, TitleScore>();
  for (const [term, p] of postings) {
    if (p.titlePosts.length === 0) continue;
    const weight = weights.get(term)!;
    let titleDf = 0;
    for (const post of p.titlePosts) titleDf += live.livePassages[post]!;
    p.titlePosts.forEach((post, k) => {
      if (!wanted[post]) return;
      const length = live.fieldLengths[post * 4 + TITLE]!;
      const raw = bm25(p.titleTfs[k]!, titleDf, stats.passages, length, stats.averageTitle);
      let entry = scores.get(post);
      if (!entry) scores.set(post, (entry = { score: 0, terms: new Set() }));
      entry.score += weight * FIELD_BOOST.title * raw;
      entry.terms.add(term);
    });
  }
  return scores;
}

interface BestPassage extends PassageHit {
  /** Scores of the post's other passages. */
  support: number[];
}

/** Each post's best passage (the earlier on a tie), with its other passages' scores. */
function bestPassages(
  live: LiveSegment,
  scores: Map<number, { score: number; terms: Set<string> }>,
): Map<number, BestPassage> {
  const best = new Map<number, BestPassage>();
  for (const [ordinal, entry] of scores) {
    const post = passagePost(live, ordinal);
    const current = best.get(post);
    if (!current) best.set(post, { post, ordinal, score: entry.score, terms: entry.terms, support: [] });
    else if (entry.score > current.score || (entry.score === current.score && ordinal < current.ordinal)) {
      best.set(post, {
        post,
        ordinal,
        score: entry.score,
        terms: entry.terms,
        support: [current.score, ...current.support],
      });
    } else current.support.push(entry.score);
  }
  return best;
}

/**
 * A hit per candidate: its best passage, helped by its title and its next two
 * passages. With `coordination`, times the share of typed words (by idf) the
 * best passage and the title hold (as it is: its square or square root ranked
 * the judged queries no better): a passage holding every word beats one
 * repeating one of them.
 */
function postHits(
  live: LiveSegment,
  candidates: readonly number[],
  best: Map<number, BestPassage>,
  titles: Map<number, TitleScore>,
  kinds: Set<number>,
  coordination: QueryWords | null,
): PassageHit[] {
  const hits: PassageHit[] = [];
  for (const post of candidates) {
    const title = titles.get(post) ?? { score: 0, terms: new Set<string>() };
    const hit = best.get(post);
    const held = (terms: Set<string>) => (coordination ? share(coordination, terms, title.terms) : 1);
    if (hit) {
      const [second = 0, third = 0] = hit.support.sort((x, y) => y - x);
      hits.push({
        post,
        ordinal: hit.ordinal,
        terms: hit.terms,
        score: (hit.score + title.score + SUPPORT * (second + third)) * held(hit.terms),
      });
    } else if (title.score > 0) {
      // Matched by its title alone: shown by its opening passage.
      const opening = livePassagesOf(live, post).find((o) => kinds.has(passageKind(live, o)));
      if (opening !== undefined)
        hits.push({ post, ordinal: opening, score: title.score * held(new Set()), terms: new Set() });
    }
  }
  return hits;
}
