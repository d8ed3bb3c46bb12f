// How text becomes index terms, chosen for this archive: British and American
// spellings meet (labour/labor, organisation/organization, licence/license),
// possessives and plurals fold (PQiP's, PQIPs → pqip), numbers stay whole
// (Napo 228 is not Napo 229), and common English words are dropped.
// The same function runs at index time, at query time and for excerpts.
import { stemmer } from 'stemmer';

/** Words with no search value here. Kept short on purpose: "no", "not" and "po" carry meaning in staff talk. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers herself him
  himself his how i if in into is it its itself just me more most my myself nor of off on once only or other our ours
  ourselves out over own same she should so some such than that the their theirs them themselves then there these they
  this those through to too under until up very was we were what when where which while who whom why will with would
  you your yours yourself yourselves also get got im ive id dont doesnt didnt cant wont isnt arent wasnt thats theres
  its s t`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * American forms mapped to the British ones the blog mostly uses (after
 * lower-casing and before stemming). `-ize` → `-ise` is done by rule.
 */
const AMERICAN_TO_BRITISH: ReadonlyMap<string, string> = new Map(
  Object.entries({
    labor: 'labour',
    labors: 'labours',
    labored: 'laboured',
    laborer: 'labourer',
    laborers: 'labourers',
    behavior: 'behaviour',
    behaviors: 'behaviours',
    behavioral: 'behavioural',
    favor: 'favour',
    favors: 'favours',
    favorite: 'favourite',
    favorable: 'favourable',
    honor: 'honour',
    honors: 'honours',
    honorable: 'honourable',
    color: 'colour',
    colors: 'colours',
    neighbor: 'neighbour',
    neighbors: 'neighbours',
    neighborhood: 'neighbourhood',
    rumor: 'rumour',
    rumors: 'rumours',
    humor: 'humour',
    endeavor: 'endeavour',
    endeavors: 'endeavours',
    harbor: 'harbour',
    vigor: 'vigour',
    rigor: 'rigour',
    savior: 'saviour',
    candor: 'candour',
    center: 'centre',
    centers: 'centres',
    theater: 'theatre',
    fiber: 'fibre',
    liter: 'litre',
    defense: 'defence',
    offense: 'offence',
    offenses: 'offences',
    license: 'licence',
    licenses: 'licences',
    licensed: 'licenced',
    program: 'programme',
    programs: 'programmes',
    judgment: 'judgement',
    judgments: 'judgements',
    enroll: 'enrol',
    enrollment: 'enrolment',
    fulfill: 'fulfil',
    fulfillment: 'fulfilment',
    skillful: 'skilful',
    traveled: 'travelled',
    traveling: 'travelling',
    canceled: 'cancelled',
    canceling: 'cancelling',
    counselor: 'counsellor',
    counselors: 'counsellors',
    counseling: 'counselling',
    modeling: 'modelling',
    labeled: 'labelled',
    labeling: 'labelling',
    mom: 'mum',
    moms: 'mums',
    gray: 'grey',
    analog: 'analogue',
    catalog: 'catalogue',
    dialog: 'dialogue',
    pediatric: 'paediatric',
    maneuver: 'manoeuvre',
    aging: 'ageing',
    paycheck: 'paycheque',
    jewelry: 'jewellery',
    pajamas: 'pyjamas',
    tire: 'tyre',
  }),
);

/** `-ize` words that are not the American form of an `-ise` word. */
const IZE_KEEP: ReadonlySet<string> = new Set([
  'size',
  'sized',
  'sizes',
  'seize',
  'seized',
  'seizes',
  'prize',
  'prizes',
  'capsize',
  'baize',
  'maize',
]);

/** A word: digits and letters, with inner apostrophes (one pattern for excerpts, indexing and queries). */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Split text into raw words, with their offsets (for excerpts). Keeps digits, letters and inner apostrophes. */
export function words(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  const re = new RegExp(WORD); // its own lastIndex
  for (let m = re.exec(text); m; m = re.exec(text))
    out.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** Lower-case, strip accents and possessives, and meet British and American spellings half way. */
export function normalizeWord(word: string): string {
  let w = word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/’/g, "'")
    .replace(/'s$|s'$|'$/, (m) => (m === "s'" ? 's' : ''))
    .replace(/'/g, '');
  w = AMERICAN_TO_BRITISH.get(w) ?? w;
  if (!IZE_KEEP.has(w)) w = w.replace(/(\p{L}{2,})(i|y)z(e|es|ed|ing|ation|ations|er|ers)$/u, '$1$2s$3');
  return w;
}

/**
 * The character every index term of `word` starts with, where its first character says so: an ASCII letter or digit
 * (lower-cased), since folding spellings, possessives and stems changes only what follows it. Null when only
 * `termOf` can tell (an accented or other letter first). Lets an excerpt skip words that cannot match.
 */
export function termInitial(word: string): string | null {
  const c = word.charCodeAt(0);
  if (c >= 0x61 && c <= 0x7a) return word[0]!;
  if (c >= 0x41 && c <= 0x5a) return String.fromCharCode(c + 0x20);
  if (c >= 0x30 && c <= 0x39) return word[0]!;
  return null;
}

/** The index term of one word, or null for a stop word. Numbers are kept whole; words are stemmed. */
export function termOf(word: string): string | null {
  const w = normalizeWord(word);
  if (w.length === 0 || STOP_WORDS.has(w)) return null;
  if (/\d/.test(w)) return w;
  return stemmer(w);
}

/** Index terms of a text, in order. */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const { word } of words(text)) {
    const t = termOf(word);
    if (t) out.push(t);
  }
  return out;
}

/**
 * `termOf` with a memory: indexing sees the same words millions of times, so
 * each distinct word is normalised and stemmed once. Bounded, so an archive
 * full of unique tokens cannot grow it without limit.
 */
export function termCache(limit = 200_000): (word: string) => string | null {
  let cache = new Map<string, string | null>();
  return (word) => {
    let term = cache.get(word);
    if (term === undefined) {
      term = termOf(word);
      if (cache.size >= limit) cache = new Map();
      cache.set(word, term);
    }
    return term;
  };
}

/** A shared `termCache` for the running bot (excerpts, incremental updates), where the same words recur. */
export const cachedTermOf = termCache(30_000);

/** Term frequencies of a text (what the index stores per passage and field), and the number of terms. */
export function termCounts(
  text: string,
  term: (word: string) => string | null = termOf,
): { counts: Map<string, number>; length: number } {
  const counts = new Map<string, number>();
  let length = 0;
  for (const word of text.match(WORD) ?? []) {
    const t = term(word);
    if (!t) continue;
    counts.set(t, (counts.get(t) ?? 0) + 1);
    length++;
  }
  return { counts, length };
}
