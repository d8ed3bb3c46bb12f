// The benchmark's queries, drawn from the archive's own words with a fixed
// seed: the same lists go to every engine. Words are what members type (lower
// case, whole words, not stems); stop words are left out, as no engine here
// would rank by them.
import type { Db } from '../../src/store/db.js';
import { termOf, words } from '../../src/search/terms.js';
import { prng, type QueryKind, type QuerySet } from './common.js';

export interface QueryOptions {
  seed: number;
  /** Queries of each kind. */
  perKind: number;
  /**
   * At most this much passage text (characters) is read for the vocabulary:
   * an even sample of the passages beyond it (tokenizing runs at ~10 MB/s).
   */
  maxSampleChars?: number;
}

/** How often each word occurs, and every word seen (for telling a typo from a real word). */
export interface Vocabulary {
  counts: Map<string, number>;
  known: Set<string>;
  sampledChars: number;
}

export function generateQueries(db: Db, options: QueryOptions): QuerySet {
  return queriesFromVocabulary(vocabularyOf(db, options.maxSampleChars ?? 24_000_000), options);
}

/** Count words over post titles and an even sample of passages. */
export function vocabularyOf(db: Db, maxChars: number): Vocabulary {
  const { chars, n } = db
    .prepare('SELECT coalesce(sum(length(text)), 0) AS chars, count(*) AS n FROM passages')
    .get() as {
    chars: number;
    n: number;
  };
  const step = Math.max(1, Math.ceil(chars / maxChars));
  const vocabulary: Vocabulary = { counts: new Map(), known: new Set(), sampledChars: 0 };
  const add = (text: string) => {
    vocabulary.sampledChars += text.length;
    for (const { word } of words(text)) {
      const w = word.toLowerCase();
      vocabulary.known.add(w);
      vocabulary.counts.set(w, (vocabulary.counts.get(w) ?? 0) + 1);
    }
  };
  for (const row of db.prepare('SELECT title FROM posts').iterate() as IterableIterator<{ title: string }>)
    add(row.title);
  const sample =
    n > 0 && step > 1
      ? db.prepare('SELECT text FROM passages WHERE id % ? = 0').iterate(step)
      : db.prepare('SELECT text FROM passages').iterate();
  for (const row of sample as IterableIterator<{ text: string }>) add(row.text);
  return vocabulary;
}

/** Words fit to be typed as a query: letters only, three or more, not a stop word. */
function queryable(counts: ReadonlyMap<string, number>): [string, number][] {
  const out: [string, number][] = [];
  for (const [word, count] of counts) {
    if (word.length >= 3 && /^\p{L}+$/u.test(word) && termOf(word) !== null) out.push([word, count]);
  }
  return out.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/**
 * The vocabulary in three bands of word frequency: the words making up the
 * first half of all occurrences (frequent), the next 40 % (middling) and the
 * rest (rare, mostly words seen a handful of times). Picks within a band are
 * weighted by frequency.
 */
function bands(sorted: readonly [string, number][]): Band[] {
  const total = sorted.reduce((s, [, c]) => s + c, 0);
  const cuts = [0.5, 0.9, 1];
  const out: [string, number][][] = [[], [], []];
  let seen = 0;
  for (const entry of sorted) {
    const band = cuts.findIndex((c) => seen < c * total);
    out[band === -1 ? 2 : band]!.push(entry);
    seen += entry[1];
  }
  return out.filter((b) => b.length > 0).map(toBand);
}

interface Band {
  words: string[];
  /** Cumulative counts, for weighted picks. */
  cumulative: number[];
}

function toBand(entries: [string, number][]): Band {
  let sum = 0;
  return { words: entries.map(([w]) => w), cumulative: entries.map(([, c]) => (sum += c)) };
}

function pickWeighted(band: Band, random: () => number, accept: (w: string) => boolean = () => true): string | null {
  const total = band.cumulative.at(-1) ?? 0;
  for (let attempt = 0; attempt < 50; attempt++) {
    const target = random() * total;
    let lo = 0;
    let hi = band.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (band.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    const word = band.words[lo]!;
    if (accept(word)) return word;
  }
  // Nothing fit by weight (a small band): take the first that fits at all.
  return band.words.find(accept) ?? null;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One typo: a letter substituted, dropped, or two neighbours swapped. */
function typo(word: string, random: () => number): string {
  const edit = Math.floor(random() * 3);
  const at = Math.floor(random() * word.length);
  if (edit === 0) {
    const others = LETTERS.replace(word[at]!, '');
    return word.slice(0, at) + others[Math.floor(random() * others.length)]! + word.slice(at + 1);
  }
  if (edit === 1) return word.slice(0, at) + word.slice(at + 1);
  const i = Math.min(at, word.length - 2);
  return word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
}

/** Queries of every kind from a vocabulary; deterministic for a given vocabulary and seed. */
export function queriesFromVocabulary(vocabulary: Vocabulary, options: QueryOptions): QuerySet {
  const random = prng(options.seed);
  const sorted = queryable(vocabulary.counts);
  const all = bands(sorted);
  if (all.length === 0) throw new Error('the archive has no words to draw queries from');
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const anyBand = () => all[Math.floor(random() * all.length)]!;
  const word = (band: Band, accept?: (w: string) => boolean) => pickWeighted(band, random, accept);

  const make: Record<QueryKind, (i: number) => string | null> = {
    // One word; the bands take turns so frequent, middling and rare words are all asked.
    plain: (i) => word(all[i % all.length]!),
    multi: () => {
      const n = int(2, 4);
      const picked = Array.from({ length: n }, () => word(anyBand()));
      return picked.every((w) => w !== null) ? picked.join(' ') : null;
    },
    prefix: (i) => {
      const w = word(all[i % all.length]!, (x) => x.length >= 4);
      return w?.slice(0, Math.min(int(3, 6), w.length - 1)) ?? null;
    },
    fuzzy: (i) => {
      const w = word(all[i % all.length]!, (x) => x.length >= 6);
      if (!w) return null;
      for (let attempt = 0; attempt < 20; attempt++) {
        const t = typo(w, random);
        if (!vocabulary.known.has(t)) return t;
      }
      return null;
    },
    autocomplete: () => {
      const before = Array.from({ length: int(0, 2) }, () => word(anyBand()));
      const last = word(anyBand(), (x) => x.length >= 4);
      if (!last || before.some((w) => w === null)) return null;
      const cut = last.slice(0, Math.min(int(2, 5), last.length - 1));
      return [...before, cut].join(' ');
    },
    // The costliest a member can type: ~200 characters of the commonest long words, each searched with typos.
    worst: () => {
      const picked: string[] = [];
      while (picked.join(' ').length < 190) {
        const w = word(all[0]!, (x) => x.length >= 5);
        if (!w) return null;
        picked.push(w);
      }
      return picked.join(' ');
    },
  };

  const out = {} as QuerySet;
  for (const kind of Object.keys(make) as QueryKind[]) {
    const list: string[] = [];
    // The worst case is the same shape every time: a few samples give its spread.
    const wanted = kind === 'worst' ? Math.min(options.perKind, 20) : options.perKind;
    for (let i = 0, misses = 0; list.length < wanted && misses < options.perKind * 5; i++) {
      const q = make[kind](i);
      if (q) list.push(q);
      else misses++;
    }
    out[kind] = list;
  }
  return out;
}
