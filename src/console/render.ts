// Plain-text renderings for the terminal (CLI without --json, console mode).
import type { NapoView } from '../app/campaign.js';
import type { PetitionFigures } from '../app/petitionFigures.js';
import { type PetitionAnswer, waitingLine } from '../app/petitionGeography.js';
import { closingLine, geographyLines, mineLine, momentumLine } from '../discord/petitionWording.js';
import { ago } from '../digest/ago.js';
import type { Digest, OnThisDay } from '../digest/onThisDay.js';
import type { WeeklyRoundUp } from '../digest/weekly.js';
import { inModeration, stateWords, type ThresholdProgress } from '../digest/petition.js';
import type { SearchFilters } from '../discord/sessions.js';
import type { ThreadView } from '../app/threads.js';
import {
  commentWhen,
  describeFilters,
  formatDate,
  formatDay,
  formatMonthDay,
  newComments,
  petitionWeekLine,
  roundUpHeading,
  onThisDayHeading,
  removedText,
  roleLabel,
  threadHeading,
  whenWritten,
} from '../discord/wording.js';
import { shortenAtWord } from '../search/excerpt.js';
import type { Quote, SearchHit } from '../search/search.js';
import type { ArchiveStats } from '../store/archive.js';

/** Hits the console shows of a search: it has no pages to turn. */
const CONSOLE_HITS = 5;
/** A quote shows this much of its passage, as on Discord; the permalink leads to the rest. */
const QUOTE_CHARS = 1500;

export function searchText(query: string, hits: readonly SearchHit[]): string {
  if (hits.length === 0) return `No passages match "${query}". Try fewer or more general words.`;
  return hits
    .map((h, i) => {
      const who = h.author ? ` — ${h.author}` : '';
      const what = h.kind === 'comment' ? 'comment on ' : '';
      const when = `${h.date ?? 'date unknown'}${h.dateIsPosts ? ', the post’s date' : ''}`;
      return `${i + 1}. ${what}${h.postTitle} (${when})${who}\n   ${h.excerpt}\n   ${h.url ?? ''}`.trimEnd();
    })
    .join('\n\n');
}

/** /search in the console: the first hits, under the filters when there are any; an empty archive said as such. */
export function searchAnswerText(answer: {
  query: string;
  filters: SearchFilters;
  hits: readonly SearchHit[];
  archiveEmpty: boolean;
}): string {
  if (answer.archiveEmpty) return 'The archive is empty: ingest a source first (npm run cli -- ingest <path>).';
  const narrowed = describeFilters(answer.filters);
  const hits = searchText(answer.query, answer.hits.slice(0, CONSOLE_HITS));
  return narrowed ? `(${narrowed})\n${hits}` : hits;
}

/** /quote in the console: the passage, who wrote it, where, and its permalink. */
export function quoteText(quote: Quote): string {
  const where = quote.kind === 'comment' ? 'a comment on' : 'the post';
  const body = `${quote.continues.before ? '…' : ''}${shortenAtWord(quote.text, QUOTE_CHARS)}`;
  const more = quote.continues.after && !body.endsWith('…') ? '…' : '';
  const credit = `— ${quote.author}, ${whenWritten(quote)}, from ${where} "${quote.postTitle}"`;
  return [`${body}${more}`, credit, quote.url ?? ''].join('\n').trimEnd();
}

export function onThisDayText(result: OnThisDay): string {
  if (result.items.length === 0) return `Nothing in the archive on or near ${result.date}.`;
  return [
    `${onThisDayHeading(result)}:`,
    ...result.items.map((i) => `${i.year}: ${i.postTitle} — ${i.postUrl}\n      ${i.excerpt}`),
  ].join('\n');
}

/** The daily digest as the terminal shows it: the same items the servers get, as plain text. */
export function digestText(result: Digest): string {
  const day = formatMonthDay(result.date.slice(5));
  if (result.items.length === 0) {
    return `On this day: ${day}\n\nThe archive has nothing on or near this date.\n\n(${DIGEST_FOOTER})`;
  }
  const heading = onThisDayHeading(result);
  const items = result.items.map((i) => `${i.year} · ${i.postTitle} <${i.postUrl}>\n${i.excerpt}`);
  const more = result.more > 0 ? [`…and ${result.more} more from earlier years: /onthisday date:${result.date}`] : [];
  return [heading, ...items, ...more, `(${DIGEST_FOOTER})`].join('\n\n');
}

const DIGEST_FOOTER = 'Daily digest of the On Probation archive';

/** The weekly round-up as text: the week's new posts, the most discussed, the petition's week, Napo news. */
export function weeklyText(r: WeeklyRoundUp): string {
  const credit = (author: string | null, date: string | null) => `${author ?? 'Anonymous'} · ${formatDate(date)}`;
  const posts =
    r.posts.length === 0
      ? ['No new posts on the blog this week.']
      : [
          'New on the blog',
          ...r.posts.map((p) => `${p.title} — ${credit(p.author, p.date)} <${p.url}>\n${p.excerpt}`),
          ...(r.morePosts > 0 ? [`…and ${r.morePosts} more this week on the blog.`] : []),
        ];
  const discussed =
    r.discussed.length === 0
      ? []
      : [
          `Most discussed\n${r.discussed
            .map((p) => `${p.title} — ${credit(p.author, p.date)}: ${newComments(p.newComments)} <${p.url}>`)
            .join('\n')}`,
        ];
  const petition = r.petition
    ? [`The petition\n${r.petition.title} <${r.petition.url}>\n${petitionWeekLine(r.petition)}`]
    : [];
  const napo =
    r.napo.length === 0
      ? []
      : [`Napo news\n${r.napo.map((n) => `• ${n.title}${n.link ? ` <${n.link}>` : ''}`).join('\n')}`];
  return [
    roundUpHeading(r.week),
    ...posts,
    ...discussed,
    ...petition,
    ...napo,
    '(Weekly round-up of the On Probation archive)',
  ].join('\n\n');
}

export function statsText(stats: ArchiveStats & { indexBytes: number | null }): string {
  const years = stats.firstDate && stats.lastDate ? `${stats.firstDate} to ${stats.lastDate}` : 'no dated posts';
  const undated = stats.undatedPosts ? ` (${stats.undatedPosts} undated)` : '';
  const index = stats.indexBytes === null ? 'not built yet' : `${(stats.indexBytes / 1024).toFixed(0)} KB`;
  return `${stats.posts} posts${undated}, ${stats.comments} comments, ${stats.passages} passages; ${years}; index ${index}`;
}

const signatures = new Intl.NumberFormat('en-GB');

/** /petition as text: count, the day's gain, both thresholds, links, and how old the figure is when not live. */
export function petitionText(view: PetitionFigures, now: Date): string {
  if ('unavailable' in view) return view.unavailable;
  if ('waiting' in view) return `${waitingLine(view)}\n${view.waiting.link}`;
  const p = view.progress;
  const change = p.change
    ? ` (${p.change.signatures < 0 ? '−' : '+'}${signatures.format(Math.abs(p.change.signatures))} in the last day)`
    : '';
  const lines = [
    `Petition: ${p.title}`,
    `${signatures.format(p.signatureCount)} ${p.signatureCount === 1 ? 'signature' : 'signatures'}${change} · ${inModeration(p.state) ? stateWords(p.state) : p.state}`,
    `Government response at ${signatures.format(p.response.target)}: ${thresholdText(p.response, p.state)}`,
  ];
  if (p.governmentResponseSummary) lines.push(`  The government said: ${p.governmentResponseSummary}`);
  const debated = p.debateDate
    ? ` · debate ${Date.parse(p.debateDate) <= now.getTime() ? 'held' : 'scheduled for'} ${formatDay(p.debateDate)}`
    : '';
  lines.push(`Debate at ${signatures.format(p.debate.target)}: ${thresholdText(p.debate, p.state)}${debated}`);
  if (view.momentum) lines.push(momentumLine(view.momentum));
  if (view.closing) lines.push(closingLine(view.closing));
  lines.push(p.link);
  if (view.changeOrgUrl) lines.push(`change.org: ${view.changeOrgUrl}`);
  if (!view.live) {
    const why = view.problem ? `: ${view.problem}` : '';
    lines.push(`(could not read the petition site just now${why}. These figures are as of ${ago(view.takenAt, now)}.)`);
  } else if (now.getTime() - Date.parse(view.takenAt) >= 60_000) {
    lines.push(`(figures as of ${ago(view.takenAt, now)})`);
  }
  return lines.join('\n');
}

const asIs = (text: string) => text;

/** /petition in any of its forms as text: the figures, a constituency, the top ones, the nations, a member's choice. */
export function petitionAnswerText(answer: PetitionAnswer, now: Date): string {
  switch (answer.kind) {
    case 'total':
      return petitionText(answer.petition, now);
    case 'mine-set':
    case 'mine-cleared':
      return mineLine(answer, asIs);
    default: {
      const lines = geographyLines(answer, asIs);
      const p = answer.petition;
      const age = p.live
        ? now.getTime() - Date.parse(answer.takenAt) >= 60_000
          ? [`(figures as of ${ago(answer.takenAt, now)})`]
          : []
        : [`(could not read the petition site just now. These figures are as of ${ago(answer.takenAt, now)}.)`];
      return [`Petition: ${p.progress.title}`, ...lines, p.progress.link, ...age].join('\n');
    }
  }
}

function thresholdText(t: ThresholdProgress, state: string): string {
  if (t.reached) return t.reachedAt ? `reached ${formatDay(t.reachedAt)}` : 'reached';
  if (inModeration(state)) return 'not open for signatures yet';
  return state === 'open' ? `${signatures.format(t.toGo)} to go` : `not reached (petition ${state})`;
}

/**
 * /napo as text: one line per item, and a note when the items are the blog's
 * posts or the feed could not be read. With `now`, the last read is "3 hours ago"; without, its date.
 */
export function napoText(view: NapoView, now?: Date): string {
  const lines = view.items.map((i) => {
    const link = i.link ? ` — ${i.link}${i.linksToMonth ? ' (the month’s archive)' : ''}` : '';
    const date = i.published ? ` (${formatDay(i.published)})` : '';
    return `${i.title}${link}${date}`;
  });
  if (view.items.length === 0) lines.push('No Napo news stored yet.');
  const lastRead = view.fetchedAt ? (now ? ago(view.fetchedAt, now) : `on ${formatDay(view.fetchedAt)}`) : null;
  if (view.problem) {
    const shown =
      view.items.length === 0
        ? ''
        : view.source === 'feed'
          ? ` This is the news as last read${lastRead ? ` ${lastRead}` : ''}.`
          : ' These are the blog\'s "Latest From Napo" posts instead.';
    lines.push(`(could not read the Napo feed just now: ${view.problem}.${shown})`);
  } else if (view.source === 'archive' && view.items.length > 0) {
    lines.push('(from the blog\'s "Latest From Napo" posts, not a live Napo feed)');
  }
  return lines.join('\n');
}

/** A comment's words in the terminal: the start of a long one; its permalink leads to the rest. */
const THREAD_COMMENT_CHARS = 900;

/** /thread (and a comment's context) in the terminal: the post on top, then each comment credited, in order. */
export function threadText(view: ThreadView): string {
  const lines = [`"${view.postTitle}" — ${view.postUrl}`, threadHeading(view)];
  for (const c of view.comments) {
    const label = roleLabel(c.role);
    const head = label ? `[${label}] ` : '';
    if (c.removed) {
      lines.push(`\n${head}(${removedText(c.removed)})`);
      continue;
    }
    const replying = c.replyTo ? `, replying to ${c.replyTo}` : '';
    lines.push(`\n${head}${c.author}, ${commentWhen(c)}${replying} — ${c.url ?? ''}`.trimEnd());
    lines.push(`   ${shortenAtWord(c.text ?? '', THREAD_COMMENT_CHARS)}`);
  }
  return lines.join('\n');
}
