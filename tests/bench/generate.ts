// Writes a synthetic "On Probation" archive as a Blogger classic "Back up content" export (Atom),
// deterministic from a seed and memory-flat at any scale, so the benchmark can measure any size.
//
// Shape copied from the real exports in ../shared/fixtures/external (blogger-export-classic-*.xml):
// template and settings entries first, then posts newest first (drafts among them), then comments,
// a reply marked only by <link rel='related' …/comments/default/PARENT>. Posts are written in a first
// pass; every post's comments are then regenerated from that post's own random stream in a second
// pass, so memory holds only a small skeleton per post, never the text.
//
//   npx tsx tests/bench/generate.ts --scale 0.1 --seed 42 --out /tmp/a.xml   (prints the summary as JSON)

import { closeSync, openSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface GenerateOptions {
  /** 1.0 = 5,000 posts and 150,000 comments (~150 MB of plain text); counts are rounded. */
  scale: number;
  /** Any safe integer; the same seed writes the same bytes. */
  seed: number;
  /** File path to write (replaced atomically when done). */
  out: string;
}

export interface GeneratedSummary {
  /** Live posts written (drafts not included). */
  posts: number;
  /** Comments written with text (deleted placeholders not included). */
  comments: number;
  /** Of `comments`, those that reply to an earlier comment of the same post. */
  replies: number;
  drafts: number;
  /** "This comment has been removed…" placeholders. */
  deletedComments: number;
  /** Size of the file written. */
  bytes: number;
  /** Plain text of post titles, post bodies and comment bodies (markup and escaping excluded), approximately in UTF-8 bytes. */
  textBytes: number;
  /** Earliest and latest `published` of a live post or comment, as the UK local date YYYY-MM-DD. */
  firstDate: string;
  lastDate: string;
}

/** Words and abbreviations of the domain, as they appear in the generated text (phrases included). */
export const DOMAIN_WORDS: readonly string[] = [
  'probation',
  'officer',
  'officers',
  'staff',
  'Napo',
  'NPS',
  'CRC',
  'CRCs',
  'PO',
  'POs',
  'PSO',
  'PSOs',
  'PQiP',
  'PQiPs',
  'OASys',
  'MoJ',
  'HMPPS',
  'TR',
  'Transforming Rehabilitation',
  'Grayling',
  'caseload',
  'caseloads',
  'workload',
  'workloads',
  'unpaid work',
  'approved premises',
  'parole',
  'licence',
  'recall',
  'recalls',
  'offender',
  'offenders',
  'supervision',
  'sentence',
  'sentences',
  'court',
  'courts',
  'prison',
  'prisons',
  'union',
  'strike',
  'ballot',
  'pay',
  'management',
  'managers',
  'manager',
  'target',
  'targets',
  'SPO',
  'SPOs',
  'ACO',
  'justice',
  'Ministry of Justice',
  'Parole Board',
  'community order',
  'risk',
  'risk assessment',
  'MAPPA',
  'Interserve',
  'Sodexo',
  'Working Links',
  'Purple Futures',
  'privatisation',
  'outsourcing',
  'contract',
  'contracts',
  'reunification',
  'unification',
  'Dynamic Framework',
  'PDU',
  'inspectorate',
  'inspection',
  'HMI Probation',
  'Chief Inspector',
  'civil service',
  'civil servants',
  'NOMS',
  'tagging',
  'electronic monitoring',
  'hostel',
  'through the gate',
  'resettlement',
  'rehabilitation',
  'reoffending',
  'desistance',
  'breach',
  'enforcement',
  'pre-sentence report',
  'PSR',
  'magistrates',
  'Crown Court',
  'safeguarding',
  'domestic abuse',
  'IOM',
  'nDelius',
  'Delius',
  'sickness',
  'stress',
  'burnout',
  'vacancies',
  'recruitment',
  'retention',
  'agency staff',
  'overtime',
  'pension',
  'Unison',
  'GMB',
  'general secretary',
  'branch',
  'AGM',
  'conference',
  'members',
  'membership',
  'consultation',
  'restructure',
  'redundancy',
  'E3',
  'One HMPPS',
  'Target Operating Model',
  'Justice Secretary',
  'Justice Committee',
  'accommodation',
  'homelessness',
  'substance misuse',
  'mental health',
  'Band 3',
  'Band 4',
  'home visits',
  'hot-desking',
  'Covid',
  'lockdown',
  'exceptional delivery model',
  'remote working',
  'pay award',
  'industrial action',
  'trade union',
  'probation service',
  'probation officers',
  'Probation Service',
  'case manager',
  'interventions',
  'accredited programmes',
  'victims',
  'sentencing',
  'custody',
  'remand',
  'early release',
  'deskilling',
  'professional judgement',
  'qualification',
  'trainee',
  'mentoring',
  'appraisal',
  'performance',
];

// ---------------------------------------------------------------------------------------------
// Random streams: sfc32 seeded through a 32-bit mix; every post has its own streams.

type Rng = () => number;

function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = mix32(h ^ mix32(p >>> 0)) + 0x6d2b79f5;
  return mix32(h);
}

function makeRng(seed: number): Rng {
  let a = hashSeed(seed, 1);
  let b = hashSeed(seed, 2);
  let c = hashSeed(seed, 3);
  let d = hashSeed(seed, 4);
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

function normal(r: Rng): number {
  const u = 1 - r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

function lognormal(r: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(r));
}

function clampInt(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(x)));
}

function pick<T>(r: Rng, items: readonly T[]): T {
  const item = items[Math.floor(r() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** `n` decimal digits, the first non-zero (Blogger ids are 18–19 digits; keep them strings). */
function digits(r: Rng, n: number): string {
  let s = String(1 + Math.floor(r() * 9));
  while (s.length < n) s += String(Math.floor(r() * 1e6)).padStart(6, '0');
  return s.slice(0, n);
}

// Walker's alias method: O(1) sampling from a fixed discrete distribution.
interface AliasTable {
  n: number;
  prob: Float64Array;
  alias: Int32Array;
}

function aliasTable(weights: ArrayLike<number>): AliasTable {
  const n = weights.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i]!;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = new Float64Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) {
    scaled[i] = (weights[i]! * n) / sum;
    (scaled[i]! < 1 ? small : large).push(i);
  }
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of large) prob[i] = 1;
  for (const i of small) prob[i] = 1;
  return { n, prob, alias };
}

function sample(t: AliasTable, r: Rng): number {
  const u = r() * t.n;
  const i = u | 0;
  return u - i < t.prob[i]! ? i : t.alias[i]!;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: a Zipf law over ~60,000 entries. Common English first (function words too), the
// domain's words spread through the top ranks, then synthetic pronounceable words (with -s, -ed,
// -ing… variants next to their stem) for the long tail. Built from a fixed seed: the same for all
// archives, so benchmark queries can name its words.

const CORE_WORDS = `the of and to a in is that it for I was on be with as not this are have they at but by we
you from or all an has been will their there what which so if one more about had would can who no do our were up
out them his when just he its now some than very how my any also only other into time should these being could
people work those over me get like because even think well still way years know new many much then see back make
good most where after year need same going us did made don't it's can't isn't doesn't I'm we're they're that's
there's didn't wasn't haven't I've you're won't let's say said go take come give look want feel seem tell ask try
leave call keep let put mean become show hear help talk turn start might must may here why both each few own such
never always often again already yet really quite too enough less least every another through during before under
between against without within around while since until though although whether however perhaps nothing something
everything anyone someone everyone nobody day week month today morning night life world thing things place part case
point fact number group problem question system government money public local national social political real right
wrong big small long great little old high low last first next early late hard easy clear sure able better best worse
worst different important possible whole free full open true certain simple likely human personal professional current
recent senior junior difficult serious proper poor bad happy sad angry tired honest fair seen done given taken known
used told asked called left felt became brought began kept held paid written read write run move live believe happen
provide allow include continue change lead understand follow stop create speak spend grow walk win offer remember love
consider appear buy wait serve send expect build stay fall cut reach remain suggest raise pass sell require report
decide pull hope care deal fail face lose meet claim agree support explain answer listen matter notice plan reason
result rest side sort story term view voice word words level line end idea issue issues job jobs role team office family
friend colleagues colleague person men women children young community services process policy model changes future
past history experience evidence research data information reports email emails meeting meetings training practice
skills knowledge value values culture morale respect advice decision decisions power control pressure cost costs budget
funding million billion hundred thousand per cent two three four five six ten twenty half second third rather almost
probably simply actually certainly clearly entirely completely absolutely totally sadly frankly apparently indeed
instead together anyway otherwise therefore whilst amongst upon towards behind across along beyond throughout above
below near far away off down yes oh okay organisation organisations behaviour centre programme labour realise recognise
favour honour defence practise analyse travelling modernisation colour criticise apologise prioritise emphasise
worked working works thought thinking knew told tells getting got gets took taking looked looking wanted wants felt
feeling feelings seems seemed tried trying says saying goes went gone came coming gave giving makes making needed needs
believed happened happening continued continues changed changing led leading understood followed stopped created
staying kept reached suggested raised passed required reported decided hoped cared dealing failed failure facing lost
losing met claimed agreed supported explained answered listened noticed planned reasons results views voices ideas
roles teams families friends persons man woman child ones days weeks months mornings nights lives times places parts
cases points facts numbers groups problems questions systems governments`.split(/\s+/);

const SYLLABLE_ONSETS = [
  'b',
  'br',
  'c',
  'ch',
  'cl',
  'cr',
  'd',
  'dr',
  'f',
  'fl',
  'fr',
  'g',
  'gl',
  'gr',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'pl',
  'pr',
  'r',
  's',
  'sh',
  'sl',
  'sm',
  'sn',
  'sp',
  'st',
  'str',
  't',
  'th',
  'tr',
  'v',
  'w',
  'wh',
  'y',
  'z',
  '',
  '',
];
const SYLLABLE_VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'i', 'o', 'a', 'e', 'i', 'ai', 'ea', 'ee', 'oo', 'ou'];
const SYLLABLE_CODAS = ['', '', '', 'n', 'r', 'l', 's', 't', 'nd', 'nt', 'st', 'ck', 'm', 'ng', 'rd', 'll', 'sh', 'x'];
const SUFFIXES = ['s', 'ed', 'ing', 'er', 'ly', 'ment', 'ness', 'ation', 'ful', 'ist'];

function syllables(r: Rng, n: number): string {
  let w = '';
  for (let i = 0; i < n; i++)
    w +=
      pick(r, SYLLABLE_ONSETS) + pick(r, SYLLABLE_VOWELS) + (i === n - 1 || r() < 0.4 ? pick(r, SYLLABLE_CODAS) : '');
  return w;
}

const VOCABULARY_SIZE = 60_000;
const ZIPF_EXPONENT = 1.0;

interface Vocabulary {
  /** Text forms, XML-escaped as they go inside <content type='html'>: [post straight ', post curly ’, comment &#39;]. */
  forms: readonly (readonly string[])[];
  /** The same with the first letter capitalised (sentence starts, titles). */
  capForms: readonly (readonly string[])[];
  plain: readonly string[];
  plainLength: Uint16Array;
  zipf: AliasTable;
  /** First rank past the function-word head (titles skip it). */
  contentFrom: number;
}

const POST_STRAIGHT = 0;
const POST_CURLY = 1;
const COMMENT = 2;

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** A word as it sits in the escaped HTML: `&` and `<` escaped twice (HTML then XML), apostrophes per style. */
function escapedForm(plain: string, style: number): string {
  if (!/[&<>']/.test(plain)) return plain;
  let s = plain.replace(/&/g, '&amp;amp;').replace(/</g, '&amp;lt;').replace(/>/g, '&amp;gt;');
  if (style === POST_CURLY) s = s.replace(/'/g, '\u2019');
  else if (style === COMMENT) s = s.replace(/'/g, '&amp;#39;');
  return s;
}

let vocabularyCache: Vocabulary | undefined;

function vocabulary(): Vocabulary {
  if (vocabularyCache) return vocabularyCache;
  const r = makeRng(0x50524f42); // fixed: the vocabulary is the same for every archive
  const seen = new Set<string>();
  const ranked: string[] = [];
  const add = (w: string): void => {
    if (w && !seen.has(w.toLowerCase())) {
      seen.add(w.toLowerCase());
      ranked.push(w);
    }
  };
  // Function words and common English hold the head; domain entries are spread from rank 18 to ~1,700;
  // synthetic stems (some with -s, -ed, -ing… variants next to them) fill the rest.
  const core = CORE_WORDS.filter((w) => w.length > 0);
  const queue: string[] = [];
  const synthetic = (): string => {
    while (!queue.length) {
      const k = r();
      const stem = syllables(r, k < 0.25 ? 1 : k < 0.75 ? 2 : k < 0.97 ? 3 : 4);
      if (stem.length < 3 || stem.length > 12) continue;
      queue.push(stem);
      if (r() < 0.35) queue.push(stem + pick(r, SUFFIXES));
      if (r() < 0.12) queue.push(stem + pick(r, SUFFIXES));
    }
    return queue.shift()!;
  };
  let d = 0;
  let c = 0;
  while (ranked.length < VOCABULARY_SIZE) {
    if (d < DOMAIN_WORDS.length && ranked.length >= 18 + d * 3 + Math.floor((d * d) / 25)) add(DOMAIN_WORDS[d++]!);
    else add(c < core.length ? core[c++]! : synthetic());
  }
  const weights = new Float64Array(VOCABULARY_SIZE);
  for (let i = 0; i < VOCABULARY_SIZE; i++) weights[i] = 1 / (i + 1) ** ZIPF_EXPONENT;
  const plainLength = new Uint16Array(VOCABULARY_SIZE);
  ranked.forEach((w, i) => {
    plainLength[i] = Buffer.byteLength(w);
  });
  const styles = [POST_STRAIGHT, POST_CURLY, COMMENT];
  vocabularyCache = {
    forms: styles.map((st) => ranked.map((w) => escapedForm(w, st))),
    capForms: styles.map((st) => ranked.map((w) => escapedForm(capitalise(w), st))),
    plain: ranked,
    plainLength,
    zipf: aliasTable(weights),
    contentFrom: 60,
  };
  return vocabularyCache;
}

// ---------------------------------------------------------------------------------------------
// People. Every name is invented.

const FIRST_NAMES = [
  'Dawn',
  'Gareth',
  'Maureen',
  'Colin',
  'Bev',
  'Trevor',
  'Sandra',
  'Keith',
  'Janet',
  'Darren',
  'Lorraine',
  'Nigel',
  'Shona',
  'Rhys',
  'Priya',
  'Tariq',
  'Aileen',
  'Declan',
  'Fiona',
  'Gavin',
  'Yvonne',
  'Clive',
  'Mandy',
  'Imran',
  'Siobhan',
  'Dougie',
  'Hazel',
  'Wendy',
  'Lloyd',
  'Bernadette',
];
const SURNAME_ENDS = ['by', 'ton', 'well', 'ford', 'ley', 'worth', 'stead', 'combe', 'wick', 'dale', 'thorpe', 'ham'];
const HANDLE_ADJECTIVES = [
  'Tired',
  'Weary',
  'Angry',
  'Retired',
  'Former',
  'Northern',
  'Welsh',
  'London',
  'Midlands',
  'Ex',
  'Old',
  'Hopeful',
  'Jaded',
  'Concerned',
  'Frustrated',
  'Disillusioned',
  'Longserving',
  'Newly qualified',
  'Anon',
  'Another',
  'Still a',
  'Proud',
  'Burnt out',
  'Southern',
  'Part-time',
];
const HANDLE_ROLES = [
  'PO',
  'PSO',
  'PQiP',
  'SPO',
  'CRC worker',
  'NPS officer',
  'Napo rep',
  'Probation Officer',
  'court officer',
  'AP worker',
  'admin',
  'manager',
  'lurker',
  'reader',
  'trainee',
  'case manager',
  'unpaid work supervisor',
  'ex-PO',
];

interface Person {
  name: string;
  nameXml: string;
  /** Blogger profile, or null for Anonymous and name-only commenters. */
  uri: string | null;
  itemClass: string;
}

function fakeSurname(r: Rng): string {
  return capitalise(syllables(r, 1 + (r() < 0.5 ? 1 : 0)) + pick(r, SURNAME_ENDS));
}

function person(r: Rng, name: string, hasProfile: boolean): Person {
  return {
    name,
    nameXml: escapeText(name),
    uri: hasProfile ? `https://www.blogger.com/profile/${digits(r, 20)}` : null,
    itemClass: `pid-${digits(r, 9 + Math.floor(r() * 2))}`,
  };
}

interface Cast {
  postAuthors: readonly Person[];
  postAuthorPick: AliasTable;
  anonymous: Person;
  prolific: readonly Person[];
  prolificPick: AliasTable;
  tail: readonly Person[];
  tailPick: AliasTable;
  /** Full names dropped into sentences. */
  mentioned: readonly string[];
}

function cast(seed: number): Cast {
  const r = makeRng(hashSeed(seed, 0xca57));
  const names = new Set<string>(['Anonymous']);
  const unique = (make: () => string): string => {
    for (;;) {
      const n = make();
      if (!names.has(n)) {
        names.add(n);
        return n;
      }
    }
  };
  const fullName = (): string => `${pick(r, FIRST_NAMES)} ${fakeSurname(r)}`;
  const postAuthors = [unique(fullName), 'Guest Contributor', unique(fullName), 'Napo Newsdesk'].map((n) =>
    person(r, n, true),
  );
  const prolific = Array.from({ length: 12 }, (_, i) =>
    person(
      r,
      unique(i % 3 === 0 ? fullName : () => `${pick(r, HANDLE_ADJECTIVES)} ${pick(r, HANDLE_ROLES)}`),
      i % 2 === 0,
    ),
  );
  const tail = Array.from({ length: 3000 }, () => {
    const kind = r();
    const name = unique(
      kind < 0.45
        ? fullName
        : kind < 0.85
          ? () =>
              `${pick(r, HANDLE_ADJECTIVES)} ${pick(r, HANDLE_ROLES)}${r() < 0.3 ? ` ${1 + Math.floor(r() * 99)}` : ''}`
          : () => `${pick(r, FIRST_NAMES)} ${fakeSurname(r).charAt(0)}.`,
    );
    return person(r, name, r() < 0.45);
  });
  const mentioned = Array.from({ length: 60 }, fullName);
  const zipfWeights = (n: number, s: number): Float64Array =>
    Float64Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  return {
    postAuthors,
    postAuthorPick: aliasTable([0.86, 0.06, 0.05, 0.03]),
    anonymous: person(r, 'Anonymous', false),
    prolific,
    prolificPick: aliasTable(zipfWeights(prolific.length, 0.8)),
    tail,
    tailPick: aliasTable(zipfWeights(tail.length, 1.05)),
    mentioned,
  };
}

// ---------------------------------------------------------------------------------------------
// Time: Europe/London wall clock (GMT/BST), formatted as Blogger does.

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FIRST_YEAR = 2013;
const LAST_YEAR = 2024;
/** Nothing is published after this (31 Dec 2024, 23:30 GMT); the export is made just before midnight. */
const END_MS = Date.UTC(LAST_YEAR, 11, 31, 23, 30);
const EXPORTED_MS = Date.UTC(LAST_YEAR, 11, 31, 23, 57, 4, 321);

function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
}

const bstCache = new Map<number, [number, number]>();
function ukOffsetMinutes(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  let range = bstCache.get(year);
  if (!range) {
    range = [lastSunday(year, 2), lastSunday(year, 9)];
    bstCache.set(year, range);
  }
  return utcMs >= range[0] && utcMs < range[1] ? 60 : 0;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `2023-11-23T07:42:00.001+00:00` */
function atomTime(utcMs: number): string {
  const off = ukOffsetMinutes(utcMs);
  const t = new Date(utcMs + off * 60_000);
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}T${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}.${String(t.getUTCMilliseconds()).padStart(3, '0')}${off ? '+01:00' : '+00:00'}`;
}

/** `23 November 2023 at 07:42` (blogger.displayTime, en_GB). */
function displayTime(utcMs: number): string {
  const t = new Date(utcMs + ukOffsetMinutes(utcMs) * 60_000);
  return `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} at ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}`;
}

function localClock(utcMs: number): string {
  const t = new Date(utcMs + ukOffsetMinutes(utcMs) * 60_000);
  return `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}`;
}

function localDate(utcMs: number): string {
  return atomTime(utcMs).slice(0, 10);
}

/** UTC instant of a UK wall-clock time (the hour that DST skips or repeats is not special-cased). */
function fromLocal(year: number, dayOfYear: number, minuteOfDay: number): number {
  const guess = Date.UTC(year, 0, 1 + dayOfYear, 0, minuteOfDay);
  return guess - ukOffsetMinutes(guess) * 60_000;
}

// ---------------------------------------------------------------------------------------------
// Escaping for the XML layer (text and single-quoted attributes, as Blogger writes them).

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/'/g, '&#39;').replace(/"/g, '&quot;');
}

// ---------------------------------------------------------------------------------------------
// Text. Everything here is produced already escaped for <content type='html'>: HTML markup as
// `&lt;p&gt;`, HTML entities as `&amp;quot;`. `TextGen.textBytes` counts the plain text.

interface TextGen {
  r: Rng;
  v: Vocabulary;
  cast: Cast;
  textBytes: number;
  /** Words written so far (for length budgets). */
  words: number;
}

const AMPERSAND_PHRASES = [
  'Pay & Grading',
  'T&Cs',
  'Q&A',
  'Probation & Prisons',
  'Learning & Development',
  'Terms & Conditions',
  'Health & Safety',
];
const LINK_HOSTS = [
  'https://www.justice.example',
  'https://www.napo.example',
  'https://news.example.co.uk',
  'https://www.inspectorate.example',
];

function numberToken(r: Rng): string {
  const k = r();
  if (k < 0.35) return String(2005 + Math.floor(r() * 20));
  if (k < 0.55)
    return `${1 + Math.floor(r() * 99)},${r() < 0.6 ? '000' : String(Math.floor(r() * 1000)).padStart(3, '0')}`;
  if (k < 0.7) return `${1 + Math.floor(r() * 99)}%`;
  if (k < 0.8) return `\u00a3${1 + Math.floor(r() * 999)}${r() < 0.3 ? 'm' : ''}`;
  if (k < 0.87) return `Band ${2 + Math.floor(r() * 5)}`;
  return String(1 + Math.floor(r() * 60));
}

/** One sentence of Zipf words, sometimes with a name or a number, ended by . ? or ! */
function sentence(g: TextGen, style: number, medianWords: number): string {
  const { r, v } = g;
  const forms = v.forms[style]!;
  const n = clampInt(lognormal(r, medianWords, 0.5), 2, 60);
  const nameAt = r() < 0.07 ? Math.floor(r() * n) : -1;
  const numberAt = r() < 0.08 ? Math.floor(r() * n) : -1;
  let i0 = sample(v.zipf, r);
  let s = v.capForms[style]![i0]!;
  let bytes = v.plainLength[i0]!;
  for (let i = 1; i < n; i++) {
    let w: string;
    if (i === nameAt) {
      w = pick(r, g.cast.mentioned);
      bytes += w.length + 1;
    } else if (i === numberAt) {
      w = numberToken(r);
      bytes += Buffer.byteLength(w) + 1;
    } else {
      i0 = sample(v.zipf, r);
      w = forms[i0]!;
      bytes += v.plainLength[i0]! + 1;
    }
    s += r() < 0.055 && i < n - 1 ? ` ${w},` : ` ${w}`;
  }
  const end = r();
  s += end < 0.88 ? '.' : end < 0.95 ? '?' : '!';
  g.textBytes += bytes + 2;
  g.words += n;
  return s;
}

/** Paragraphs of plain sentences until about `words` words. */
function paragraphs(g: TextGen, style: number, words: number, sentencesMedian: number): string[] {
  const paras: string[] = [];
  const until = g.words + words;
  while (g.words < until) {
    const count = clampInt(lognormal(g.r, sentencesMedian, 0.6), 1, 14);
    let p = '';
    for (let i = 0; i < count && g.words < until; i++) p += i ? ` ${sentence(g, style, 14)}` : sentence(g, style, 14);
    paras.push(p);
  }
  return paras;
}

/** Inline markup and entities a post paragraph sometimes carries. */
function decoratePostParagraph(g: TextGen, p: string, style: number): string {
  const r = g.r;
  const k = r();
  if (k < 0.05) return `&lt;b&gt;${p}&lt;/b&gt;`;
  if (k < 0.09) return `&lt;i&gt;${p}&lt;/i&gt;`;
  if (k < 0.15) {
    const anchor = sentence(g, style, 4).slice(0, -1);
    const path =
      anchor
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 40) || 'news';
    return `${p} &lt;a href="${pick(r, LINK_HOSTS)}/${path}"&gt;${anchor}&lt;/a&gt;`;
  }
  if (k < 0.2) {
    const phrase = pick(r, AMPERSAND_PHRASES);
    g.textBytes += phrase.length + 1;
    return `${p} ${escapedForm(phrase, style)}.`;
  }
  if (k < 0.24) {
    const quoted = sentence(g, style, 8);
    return style === POST_CURLY ? `${p} \u201c${quoted}\u201d` : `${p} &amp;quot;${quoted}&amp;quot;`;
  }
  return p;
}

// Post HTML layouts Blogger's editors produced over the years.
const LAYOUT_BR = 0;
const LAYOUT_P = 1;
const LAYOUT_DIV = 2;

function postBody(g: TextGen, words: number): string {
  const r = g.r;
  const style = r() < 0.35 ? POST_CURLY : POST_STRAIGHT;
  const layoutPick = r();
  const layout = layoutPick < 0.5 ? LAYOUT_BR : layoutPick < 0.8 ? LAYOUT_P : LAYOUT_DIV;
  const paras = paragraphs(g, style, words, 4);
  const selection = r() < 0.15; // the editor's selection of reader comments, split by *****
  const jumpAfter = r() < 0.3 ? 0 : -1;
  const quoteAt = r() < 0.15 ? Math.floor(r() * paras.length) : -1;
  const blocks: string[] = paras.map((p, i) => {
    if (i === quoteAt) return `&lt;blockquote&gt;${p}&lt;/blockquote&gt;`;
    if (selection && i > 0 && r() < 0.5) return `*****${layout === LAYOUT_BR ? '&lt;br /&gt;&lt;br /&gt;' : ''}${p}`;
    return decoratePostParagraph(g, p, style);
  });
  if (r() < 0.05) blocks.splice(Math.floor(blocks.length / 2), 0, '--oo00oo--');
  let html = '';
  blocks.forEach((b, i) => {
    const quoted = b.startsWith('&lt;blockquote&gt;');
    if (layout === LAYOUT_BR) html += (i ? '&lt;br /&gt;&lt;br /&gt;' : '') + b;
    else if (layout === LAYOUT_P) html += quoted ? b : `&lt;p&gt;${b}&lt;/p&gt;`;
    else html += (i ? '&lt;div&gt;&lt;br /&gt;&lt;/div&gt;' : '') + (quoted ? b : `&lt;div&gt;${b}&lt;/div&gt;`);
    if (i === jumpAfter) html += "&lt;a name='more'&gt;&lt;/a&gt;";
  });
  return html;
}

const SIGN_OFFS = ['Anon', 'A tired PO', 'Still here', 'Ex-NPS', 'Solidarity', 'Regards', 'Just saying'];

function commentBody(g: TextGen, words: number, replyTo: { name: string; clock: string } | null): string {
  const r = g.r;
  const paras = paragraphs(g, COMMENT, words, 3);
  let html = '';
  if (replyTo && r() < 0.35) {
    const at = replyTo.name === 'Anonymous' ? `@Anonymous ${replyTo.clock}` : `@${escapedForm(replyTo.name, COMMENT)}`;
    html += `${at} - `;
    g.textBytes += at.length + 3;
  }
  paras.forEach((p, i) => {
    const k = r();
    let para = p;
    if (k < 0.03) para = `&lt;i&gt;${p}&lt;/i&gt;`;
    else if (k < 0.05) para = `&lt;b&gt;${p}&lt;/b&gt;`;
    else if (k < 0.08)
      para = `${p} &lt;a href="${pick(r, LINK_HOSTS)}/${digits(r, 6)}" rel="nofollow"&gt;${pick(r, LINK_HOSTS).slice(8)}&lt;/a&gt;`;
    else if (k < 0.12) para = `&amp;quot;${sentence(g, COMMENT, 8)}&amp;quot; ${p}`;
    else if (k < 0.14) {
      const phrase = pick(r, AMPERSAND_PHRASES);
      g.textBytes += phrase.length + 1;
      para = `${p} ${escapedForm(phrase, COMMENT)}`;
    }
    html += (i === 0 ? '' : r() < 0.8 ? '&lt;br /&gt;&lt;br /&gt;' : '&lt;br /&gt;') + para;
  });
  if (r() < 0.06) {
    const s = pick(r, SIGN_OFFS);
    html += `&lt;br /&gt;&lt;br /&gt;${s}`;
    g.textBytes += s.length + 1;
  }
  return html;
}

/** Blogger's comment title: the first 50 characters of the content's HTML text, then "..." (entities kept, so double-escaped). */
function commentTitle(escapedHtml: string): string {
  const html = escapedHtml
    .slice(0, 800)
    .replace(/&lt;.*?&gt;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  if (html.length <= 50) return escapeText(html);
  let cut = 50;
  const amp = html.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 8 && html.indexOf(';', amp) >= cut) cut = amp; // never split an HTML entity
  return `${escapeText(html.slice(0, cut))}...`;
}

// ---------------------------------------------------------------------------------------------
// Titles, labels, URLs.

const SERIES = [
  { title: 'Latest From Napo', share: 0.1, label: 'Latest From Napo' },
  { title: 'Guest Blog', share: 0.05, label: 'guest blog' },
  { title: "Pick 'n' Mix", share: 0.05, label: "Pick 'n' Mix" },
];
const LABELS = [
  'Napo',
  'TR',
  'CRC',
  'NPS',
  'HMPPS',
  'MoJ',
  'Grayling',
  'pay',
  'workload',
  'PQiP',
  'OASys',
  'unification',
  'privatisation',
  'strike',
  'ballot',
  'HMI Probation',
  'approved premises',
  'unpaid work',
  'parole',
  'recall',
  'Pay & Grading',
  'Covid-19',
  'E3',
  'Interserve',
  'Sodexo',
  'Working Links',
  'civil service',
  'AGM',
  "readers' comments",
];

function contentWord(g: TextGen): number {
  for (;;) {
    const i = sample(g.v.zipf, g.r);
    if (i >= g.v.contentFrom) return i;
  }
}

function postTitle(g: TextGen): string {
  const r = g.r;
  const n = clampInt(lognormal(r, 4, 0.4), 1, 9);
  const words: string[] = [];
  for (let i = 0; i < n; i++)
    words.push(
      capitalise(r() < 0.3 ? DOMAIN_WORDS[Math.floor(r() * r() * DOMAIN_WORDS.length)]! : g.v.plain[contentWord(g)]!),
    );
  const k = r();
  if (k < 0.08 && n >= 2) words.splice(1, 0, '&');
  else if (k < 0.12) words.unshift('What\u2019s');
  else if (k < 0.15) words[words.length - 1] = `"${words[words.length - 1]!}"`;
  let title = words.join(' ');
  if (r() < 0.1) title += '?';
  return title;
}

function slugOf(title: string): string {
  const words = title
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const w of words) {
    if (slug && slug.length + 1 + w.length > 40) break;
    slug += slug ? `-${w}` : w.slice(0, 40);
  }
  return slug || 'blog-post';
}

// ---------------------------------------------------------------------------------------------
// The archive's skeleton: every post's date, ids, URL and comment counts, decided before any text.

interface PostSlot {
  ms: number;
  draft: boolean;
  /** Index in a series (Latest From Napo 228…), or -1. */
  series: number;
  seriesNumber: number;
  id: string;
  comments: number;
  deleted: number;
}

// Relative activity per year: the TR years and the pandemic/unification years were busiest.
const POST_WEIGHT_BY_YEAR = [0.8, 1.3, 1.35, 1.15, 1.0, 1.0, 1.1, 1.05, 0.95, 0.85, 0.8, 0.7];
const COMMENT_WEIGHT_BY_YEAR = [0.7, 1.3, 1.4, 1.2, 1.0, 0.9, 1.0, 1.2, 1.1, 0.9, 0.8, 0.7];

/** Split `total` into integer parts proportional to `weights` (largest remainder, ties by index). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (w * total) / sum : 0));
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = order[k]![1];
    parts[i] = parts[i]! + 1;
  }
  return parts;
}

function postMinuteOfDay(r: Rng): number {
  const k = r();
  if (k < 0.65) return 6 * 60 + Math.floor(r() * 210); // the editor posts early
  if (k < 0.85) return 17 * 60 + Math.floor(r() * 360);
  return 9 * 60 + 30 + Math.floor(r() * 450);
}

function skeleton(seed: number, postCount: number, commentCount: number, ids: Set<string>): PostSlot[] {
  const r = makeRng(hashSeed(seed, 0x5ce1));
  const slots: PostSlot[] = [];
  const newId = (): string => {
    for (;;) {
      const id = digits(r, r() < 0.1 ? 18 : 19);
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const perYear = apportion(postCount, POST_WEIGHT_BY_YEAR);
  perYear.forEach((n, y) => {
    const year = FIRST_YEAR + y;
    const days = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY;
    for (let k = 0; k < n; k++) {
      const day = Math.min(days - 1, Math.floor(((k + r()) * days) / n));
      const ms = fromLocal(year, day, postMinuteOfDay(r)) + Math.floor(r() * 5);
      slots.push({
        ms: Math.max(ms, Date.UTC(FIRST_YEAR, 0, 1, 6)),
        draft: false,
        series: -1,
        seriesNumber: 0,
        id: '',
        comments: 0,
        deleted: 0,
      });
    }
  });
  // Series numbers run in date order.
  slots.sort((a, b) => a.ms - b.ms);
  const next = SERIES.map((_, i) => 40 + Math.floor(r() * 60) * (i + 1));
  for (const s of slots) {
    let k = r();
    for (let i = 0; i < SERIES.length; i++) {
      const share = SERIES[i]!.share;
      if (k < share) {
        s.series = i;
        s.seriesNumber = next[i]!;
        next[i] = next[i]! + 1;
        break;
      }
      k -= share;
    }
  }
  // Comments per post: lognormal weights (most posts 5–40, a few with hundreds), scaled to the exact total.
  const weights = slots.map(
    (s) => Math.exp(0.95 * normal(r)) * COMMENT_WEIGHT_BY_YEAR[new Date(s.ms).getUTCFullYear() - FIRST_YEAR]!,
  );
  apportion(commentCount, weights).forEach((n, i) => {
    const s = slots[i]!;
    s.comments = n;
    for (let k = 0; k < n; k++) if (r() < 0.015) s.deleted++;
  });
  const drafts = postCount > 0 ? Math.max(1, Math.round(postCount * 0.01)) : 0;
  const span = END_MS - 30 * DAY - Date.UTC(FIRST_YEAR, 0, 2);
  for (let k = 0; k < drafts; k++) {
    slots.push({
      ms: Date.UTC(FIRST_YEAR, 0, 2) + Math.floor((r() * span) / 60_000) * 60_000,
      draft: true,
      series: -1,
      seriesNumber: 0,
      id: '',
      comments: 0,
      deleted: 0,
    });
  }
  // Classic exports list posts newest first.
  slots.sort((a, b) => b.ms - a.ms || Number(a.draft) - Number(b.draft));
  for (const s of slots) s.id = newId();
  return slots;
}

// ---------------------------------------------------------------------------------------------
// Output: ~1 MB strings written synchronously; nothing else of the file is held.

interface Sink {
  write(s: string): void;
  finish(): number;
}

function openSink(path: string): Sink {
  const fd = openSync(path, 'w');
  let buffered = '';
  let bytes = 0;
  const flush = (): void => {
    const b = Buffer.from(buffered, 'utf8');
    for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
    bytes += b.length;
    buffered = '';
  };
  return {
    write(s) {
      buffered += s;
      if (buffered.length >= 1 << 20) flush();
    },
    finish() {
      flush();
      closeSync(fd);
      return bytes;
    },
  };
}

const KIND =
  "<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#";
const THUMB = "<gd:image rel='http://schemas.google.com/g/2005#thumbnail' width='16' height='16' src=";

function authorXml(p: Person): string {
  return p.uri
    ? `<author><name>${p.nameXml}</name><uri>${p.uri}</uri><email>noreply@blogger.com</email>${THUMB}'https://img1.blogblog.com/img/b16-rounded.gif'/></author>`
    : `<author><name>${p.nameXml}</name><email>noreply@blogger.com</email>${THUMB}'https://img1.blogblog.com/img/blank.gif'/></author>`;
}

const BLOG_HOST = 'https://probationmatters.example';
const BLOG_NAME = 'On Probation';

function head(blogId: string, owner: Person): string {
  const created = atomTime(Date.UTC(FIRST_YEAR, 0, 1, 8, 30, 11, 417));
  const exported = atomTime(EXPORTED_MS);
  const feeds = `https://www.blogger.com/feeds/${blogId}`;
  const settings: [string, string, string][] = [
    ['BLOG_NAME', 'The name of the blog', BLOG_NAME],
    [
      'BLOG_DESCRIPTION',
      'A description of the blog',
      'Probation staff in England &amp; Wales on their work, their union and the campaign.',
    ],
    ['BLOG_LOCALE', 'Language for this blog', 'en_GB'],
    ['BLOG_TIME_ZONE', 'The time zone for this blog', 'Europe/London'],
    ['BLOG_COMMENT_ACCESS', 'Who can comment', 'ANYONE'],
    ['BLOG_CONVERT_LINE_BREAKS', 'Whether to convert line breaks into &lt;br /&gt; tags in post editor', 'true'],
  ];
  const template = [
    '&lt;?xml version="1.0" encoding="UTF-8" ?&gt;',
    '&lt;!DOCTYPE html&gt;',
    "&lt;html b:version='2' class='v2' expr:dir='data:blog.languageDirection' xmlns='http://www.w3.org/1999/xhtml' xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' xmlns:expr='http://www.google.com/2005/gml/expr'&gt;",
    '  &lt;head&gt;',
    "    &lt;b:include data='blog' name='all-head-content'/&gt;",
    '    &lt;title&gt;&lt;data:blog.pageTitle/&gt;&lt;/title&gt;',
    '    &lt;b:skin&gt;&lt;![CDATA[/* (synthetic template, body omitted) */]]&gt;&lt;/b:skin&gt;',
    '  &lt;/head&gt;',
    "  &lt;body&gt;&lt;b:section class='main' id='main' showaddelement='no'&gt;&lt;b:widget id='Blog1' locked='true' title='Blog Posts' type='Blog'/&gt;&lt;/b:section&gt;&lt;/body&gt;",
    '&lt;/html&gt;',
  ].join('\n');
  let s =
    '<?xml version=\'1.0\' encoding=\'UTF-8\'?><?xml-stylesheet href="https://www.blogger.com/styles/atom.css" type="text/css"?>' +
    "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:georss='http://www.georss.org/georss' xmlns:gd='http://schemas.google.com/g/2005' xmlns:thr='http://purl.org/syndication/thread/1.0'>" +
    `<id>tag:blogger.com,1999:blog-${blogId}.archive</id><updated>${exported}</updated><title type='text'>${BLOG_NAME}</title>` +
    `<link rel='http://schemas.google.com/g/2005#feed' type='application/atom+xml' href='${feeds}/archive'/>` +
    `<link rel='self' type='application/atom+xml' href='${feeds}/archive'/>` +
    `<link rel='http://schemas.google.com/g/2005#post' type='application/atom+xml' href='${feeds}/archive'/>` +
    `<link rel='alternate' type='text/html' href='${BLOG_HOST}/'/>${authorXml(owner)}<generator version='7.00' uri='https://www.blogger.com'>Blogger</generator>`;
  s +=
    `<entry><id>tag:blogger.com,1999:blog-${blogId}.layout</id><published>${created}</published><updated>${exported}</updated>${KIND}template'/>` +
    `<title type='text'>Template: ${BLOG_NAME}</title><content type='text'>${template}</content>` +
    `<link rel='edit' type='application/atom+xml' href='${feeds}/template/default'/><link rel='self' type='application/atom+xml' href='${feeds}/template/default'/>` +
    `<link rel='alternate' type='text/html' href='${BLOG_HOST}/'/>${authorXml(owner)}</entry>`;
  for (const [key, title, value] of settings) {
    s +=
      `<entry><id>tag:blogger.com,1999:blog-${blogId}.settings.${key}</id><published>${created}</published><updated>${exported}</updated>${KIND}settings'/>` +
      `<title type='text'>${title}</title><content type='text'>${value}</content>` +
      `<link rel='edit' type='application/atom+xml' href='${feeds}/settings/${key}'/><link rel='self' type='application/atom+xml' href='${feeds}/settings/${key}'/>${authorXml(owner)}</entry>`;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------

const POSTS_AT_SCALE_1 = 5_000;
const COMMENTS_AT_SCALE_1 = 150_000;
const REPLY_SHARE = 0.34;

interface PostRef {
  id: string;
  url: string;
  ms: number;
}

export async function generateArchive(options: GenerateOptions): Promise<GeneratedSummary> {
  const { scale, seed, out } = options;
  if (!(typeof scale === 'number' && Number.isFinite(scale) && scale > 0))
    throw new Error(`scale must be a positive number, got ${String(scale)}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${String(seed)}`);
  if (!out) throw new Error('out must be a file path');
  const seed32 = hashSeed(seed >>> 0, Math.floor(seed / 4294967296) >>> 0);
  const postCount = Math.round(POSTS_AT_SCALE_1 * scale);
  const commentCount = postCount > 0 ? Math.round(COMMENTS_AT_SCALE_1 * scale) : 0;

  const v = vocabulary();
  const people = cast(seed32);
  const ids = new Set<string>();
  const rBlog = makeRng(hashSeed(seed32, 0xb10c));
  const blogId = digits(rBlog, 19);
  ids.add(blogId);
  const slots = skeleton(seed32, postCount, commentCount, ids);

  const summary: GeneratedSummary = {
    posts: 0,
    comments: 0,
    replies: 0,
    drafts: 0,
    deletedComments: 0,
    bytes: 0,
    textBytes: 0,
    firstDate: '',
    lastDate: '',
  };
  let firstMs = Infinity;
  let lastMs = -Infinity;
  const seen = (ms: number): void => {
    if (ms < firstMs) firstMs = ms;
    if (ms > lastMs) lastMs = ms;
  };
  const feeds = `https://www.blogger.com/feeds/${blogId}`;
  const partial = `${out}.partial-${process.pid}`;
  const sink = openSink(partial);
  try {
    sink.write(head(blogId, people.postAuthors[0]!));
    const slugsByMonth = new Map<string, Set<string>>();
    const live: PostRef[] = [];
    let textBytes = 0;

    // Pass 1: posts and drafts, newest first.
    slots.forEach((slot, index) => {
      const g: TextGen = { r: makeRng(hashSeed(seed32, 1, index)), v, cast: people, textBytes: 0, words: 0 };
      const r = g.r;
      const series = slot.series >= 0 ? SERIES[slot.series]! : undefined;
      const author =
        series?.title === 'Latest From Napo'
          ? people.postAuthors[3]!
          : series?.title === 'Guest Blog'
            ? people.postAuthors[1]!
            : people.postAuthors[sample(people.postAuthorPick, r)]!;
      const emptyDraft = slot.draft && r() < 0.3;
      const title = emptyDraft ? '' : series ? `${series.title} ${slot.seriesNumber}` : postTitle(g);
      const words = clampInt(lognormal(r, slot.draft ? 250 : 500, 0.8), 40, 12_000);
      const body = emptyDraft ? '' : postBody(g, words);
      const updated = Math.min(
        EXPORTED_MS,
        slot.ms + (r() < 0.12 ? Math.floor(r() * 20 * DAY) : 2_000 + Math.floor(r() * 40 * 60_000)),
      );
      const labels = new Set<string>();
      if (series) labels.add(series.label);
      const nLabels = clampInt(lognormal(r, 1.5, 0.7) - 0.5, 0, 5);
      for (let k = 0; k < nLabels; k++) labels.add(pick(r, LABELS));
      const self = `${feeds}/posts/default/${slot.id}`;
      let e = `<entry><id>tag:blogger.com,1999:blog-${blogId}.post-${slot.id}</id><published>${atomTime(slot.ms)}</published><updated>${atomTime(updated)}</updated>`;
      if (slot.draft)
        e += "<app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control>";
      e += `${KIND}post'/>`;
      for (const l of labels) e += `<category scheme='http://www.blogger.com/atom/ns#' term='${escapeAttr(l)}'/>`;
      e += `<title type='text'>${escapeText(title)}</title><content type='html'>${body}</content>`;
      if (slot.draft) {
        e += `<link rel='edit' type='application/atom+xml' href='${self}'/><link rel='self' type='application/atom+xml' href='${self}'/>${authorXml(author)}</entry>`;
        summary.drafts++;
      } else {
        const t = new Date(slot.ms + ukOffsetMinutes(slot.ms) * 60_000);
        const month = `${t.getUTCFullYear()}/${pad2(t.getUTCMonth() + 1)}`;
        let used = slugsByMonth.get(month);
        if (!used) {
          used = new Set();
          slugsByMonth.set(month, used);
        }
        let slug = slugOf(title);
        for (let n = t.getUTCDate(); used.has(slug); n++) slug = `${slugOf(title)}_${pad2(n % 100)}`;
        used.add(slug);
        const url = `${BLOG_HOST}/${month}/${slug}.html`;
        const total = slot.comments + slot.deleted;
        e +=
          `<link rel='replies' type='application/atom+xml' href='${BLOG_HOST}/feeds/${slot.id}/comments/default' title='Post Comments'/>` +
          `<link rel='replies' type='text/html' href='${url}#comment-form' title='${total} Comments'/>` +
          `<link rel='edit' type='application/atom+xml' href='${self}'/><link rel='self' type='application/atom+xml' href='${self}'/>` +
          `<link rel='alternate' type='text/html' href='${url}' title='${escapeAttr(title)}'/>${authorXml(author)}<thr:total>${total}</thr:total></entry>`;
        live.push({ id: slot.id, url, ms: slot.ms });
        summary.posts++;
        textBytes += g.textBytes + Buffer.byteLength(title);
        seen(slot.ms);
      }
      sink.write(e);
    });

    // Pass 2: every live post's comments, regenerated from the post's own stream, oldest first.
    let postIndex = 0;
    for (const slot of slots) {
      if (slot.draft) continue;
      const post = live[postIndex++]!;
      const g: TextGen = { r: makeRng(hashSeed(seed32, 2, postIndex)), v, cast: people, textBytes: 0, words: 0 };
      const r = g.r;
      const n = slot.comments + slot.deleted;
      // Delays after the post: minutes to weeks, long-tailed; never past the end of 2024.
      const times: number[] = [];
      for (let k = 0; k < n; k++) {
        let ms = post.ms + 90_000 + Math.floor(Math.min(60 * DAY, lognormal(r, 7 * HOUR, 1.5)));
        if (ms > END_MS - 1000) ms = post.ms + Math.floor(r() * (END_MS - 1000 - post.ms));
        times.push(ms);
      }
      times.sort((a, b) => a - b);
      for (let k = 1; k < n; k++) if (times[k]! <= times[k - 1]!) times[k] = times[k - 1]! + 1;
      const threads: { id: string; name: string; clock: string }[] = [];
      let deletedLeft = slot.deleted;
      for (let k = 0; k < n; k++) {
        const ms = times[k]!;
        const id = (() => {
          for (;;) {
            const c = digits(r, r() < 0.1 ? 18 : 19);
            if (!ids.has(c)) {
              ids.add(c);
              return c;
            }
          }
        })();
        const deleted = deletedLeft > 0 && r() < deletedLeft / (n - k);
        if (deleted) deletedLeft--;
        // Blogger threads are one level deep: a reply hangs off a top-level comment.
        let parent: (typeof threads)[number] | undefined;
        if (threads.length && r() < REPLY_SHARE) {
          const u = r();
          parent =
            u < 0.45
              ? threads[threads.length - 1]
              : u < 0.85
                ? threads[Math.max(0, threads.length - 1 - Math.floor(r() * 8))]
                : pick(r, threads);
        }
        const k2 = r();
        const author =
          k2 < 0.4
            ? people.anonymous
            : k2 < 0.62
              ? people.prolific[sample(people.prolificPick, r)]!
              : people.tail[sample(people.tailPick, r)]!;
        let content: string;
        let title: string;
        if (deleted) {
          const text =
            author.uri && r() < 0.7
              ? 'This comment has been removed by the author.'
              : 'This comment has been removed by a blog administrator.';
          content = text;
          title = text.length > 50 ? `${text.slice(0, 50)}...` : text;
          summary.deletedComments++;
        } else {
          const words = clampInt(lognormal(r, 50, 1.28), 3, 4_000);
          content = commentBody(g, words, parent ? { name: parent.name, clock: parent.clock } : null);
          title = commentTitle(content);
          summary.comments++;
          if (parent) summary.replies++;
          seen(ms);
        }
        const self = `${feeds}/${post.id}/comments/default/${id}`;
        let e =
          `<entry><id>tag:blogger.com,1999:blog-${blogId}.post-${id}</id><published>${atomTime(ms)}</published><updated>${atomTime(ms)}</updated>${KIND}comment'/>` +
          `<title type='text'>${title}</title><content type='html'>${content}</content>` +
          `<link rel='edit' type='application/atom+xml' href='${self}'/><link rel='self' type='application/atom+xml' href='${self}'/>` +
          `<link rel='alternate' type='text/html' href='${post.url}?showComment=${ms}#c${id}' title=''/>`;
        if (parent)
          e += `<link rel='related' type='application/atom+xml' href='${feeds}/${post.id}/comments/default/${parent.id}'/>`;
        e +=
          `${authorXml(author)}<thr:in-reply-to href='${post.url}' ref='tag:blogger.com,1999:blog-${blogId}.post-${post.id}' source='${feeds}/posts/default/${post.id}' type='text/html'/>` +
          `<gd:extendedProperty name='blogger.itemClass' value='${author.itemClass}'/><gd:extendedProperty name='blogger.displayTime' value='${displayTime(ms)}'/>`;
        if (deleted) e += "<gd:extendedProperty name='blogger.contentRemoved' value='true'/>";
        e += '</entry>';
        sink.write(e);
        if (!parent) threads.push({ id, name: author.name, clock: localClock(ms) });
      }
      textBytes += g.textBytes;
    }
    sink.write('</feed>');
    summary.bytes = sink.finish();
    renameSync(partial, out);
    summary.textBytes = textBytes;
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  summary.firstDate = Number.isFinite(firstMs) ? localDate(firstMs) : '';
  summary.lastDate = Number.isFinite(lastMs) ? localDate(lastMs) : '';
  return summary;
}

// ---------------------------------------------------------------------------------------------
// CLI

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const usage = 'usage: tsx tests/bench/generate.ts --scale <n> --seed <int> --out <file.xml>';
  let values: { scale?: string; seed?: string; out?: string };
  try {
    ({ values } = parseArgs({
      options: { scale: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  const scale = Number(values.scale ?? '1');
  const seed = Number(values.seed ?? '1');
  if (!values.out || !(scale > 0) || !Number.isSafeInteger(seed)) {
    process.stderr.write(`error: need --out, a positive --scale and an integer --seed\n${usage}\n`);
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  const summary = await generateArchive({ scale, seed, out: values.out });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(`generated ${values.out} in ${seconds.toFixed(1)} s\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (isMain()) {
  main().catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
