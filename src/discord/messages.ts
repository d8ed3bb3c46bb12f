// What the bot posts, built from plain results: embeds and buttons within
// Discord's limits, archive text made inert, links checked. The command
// handlers send these; tests read them as Discord receives them.
import { ButtonStyle, ComponentType } from 'discord-api-types/payloads/v10';
import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIEmbed,
  APIEmbedField,
  APIStringSelectComponent,
} from 'discord.js';
import { oneLine } from '../archive/text.js';
import type { NapoView, PetitionView } from '../app/campaign.js';
import type { PetitionFigures } from '../app/petitionFigures.js';
import type { PetitionChart } from '../app/petitionChart.js';
import { waitingLine } from '../app/petitionGeography.js';
import { closingLine, momentumLine } from './petitionWording.js';
import type { Digest, OnThisDay } from '../digest/onThisDay.js';
import type { WeeklyRoundUp } from '../digest/weekly.js';
import { ago } from '../digest/ago.js';
import { inModeration } from '../digest/petition.js';
import type { Announcement } from '../store/deliveries.js';
import type { ShownPassage } from '../store/posted.js';
import type { Quote, SearchHit } from '../search/search.js';
import {
  cutAtWord,
  highlighted,
  inert,
  inertWithin,
  LIMITS,
  remoteText,
  safeUrl,
  titleLink,
  unpinged,
  withinBudget,
  withoutPingsWithin,
  withoutQueries,
} from './format.js';
import type { SearchFilters } from './sessions.js';
import {
  describeFilters,
  formatDate,
  formatDay,
  formatMonthDay,
  newComments,
  onThisDayHeading,
  petitionState,
  petitionWeekLine,
  roundUpHeading,
  whenAndWhat,
  whenWritten,
} from './wording.js';

/** The blog's colour on the embeds' edge: a muted probation-service blue. */
export const COLOUR = 0x2f5f8a;
export const PAGE_SIZE = 5;
/** Per hit on a search page: 5 of them stay far inside the 4,096 of a description. */
const EXCERPT_CHARS = 500;
/** A quote shows this much of its passage; the permalink leads to the rest. */
const QUOTE_CHARS = 1500;

/** A file sent with a message (a chart): its bytes, name and description (Discord's alt text, at most 1,024 characters), as discord.js takes it. */
export interface MessageFile {
  attachment: Buffer;
  name: string;
  description: string;
}

export interface BotMessage {
  content?: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent | APIStringSelectComponent>[];
  /** Who may be pinged: nobody unless a member was named (`users`). */
  allowedMentions: { parse: []; users?: string[] };
  /** Files attached; an embed shows one with `image: { url: 'attachment://<name>' }`. */
  files?: MessageFile[];
  /** What a public message shows of the archive, recorded once it is posted so a takedown can retract it. */
  shows?: { what: 'quote'; key: string; passages: ShownPassage[] };
}

const noPings = { parse: [] } as { parse: [] };

/** One page of a member's search, with its buttons: previous/next page and one "Share" per hit shown. */
export function searchPage(
  query: string,
  filters: SearchFilters,
  hits: readonly SearchHit[],
  page: number,
  sessionId: string,
  mention: string | null = null,
): BotMessage {
  const narrowed = describeFilters(filters);
  const heading = `Search: ${cutAtWord(query, 200)}${narrowed ? ` (${narrowed})` : ''}`;
  if (hits.length === 0) {
    const filtered = narrowed ? 'drop the author, year or posts/comments filter, or ' : '';
    // A phrase or a word left out narrows too: say so, in the words the member typed.
    const syntax = /["“”„]|(^|\s)-\S/.test(query) ? 'shorten the "phrase" or leave out fewer -words, or ' : '';
    const looser = `${filtered}${syntax}`;
    return {
      embeds: [
        {
          title: inertWithin(heading, LIMITS.embedTitle),
          description: `Nothing in the archive matches. Try to ${looser}use fewer or more general words (the last word also matches as the start of a word).`,
          color: COLOUR,
        },
      ],
      components: [],
      allowedMentions: noPings,
    };
  }
  const pages = Math.ceil(hits.length / PAGE_SIZE);
  const at = Math.min(Math.max(0, page), pages - 1);
  const shown = hits.slice(at * PAGE_SIZE, at * PAGE_SIZE + PAGE_SIZE);
  const description = shown
    .map((hit, i) => {
      const n = at * PAGE_SIZE + i + 1;
      const by = hit.author ? ` · ${inertWithin(hit.author, 60)}` : '';
      const month = hit.linksToMonth ? ' · link: the month’s archive' : '';
      return `**${n}.** ${titleLink(hit.postTitle, hit.url, 150)}\n${whenAndWhat(hit)}${by}${month}\n${highlighted(hit.excerpt, hit.highlights, EXCERPT_CHARS)}`;
    })
    .join('\n\n');
  // One compact way to share: a menu of this page's hits, instead of a button for each.
  const sharing: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: `share:${sessionId}`,
    placeholder: mention
      ? 'Share a hit with the channel (pings the member you named)…'
      : 'Share a hit with the channel…',
    options: shown.map((hit, i) => ({
      label: cutAtWord(`${at * PAGE_SIZE + i + 1}. ${oneLine(hit.postTitle)}`, LIMITS.selectLabel),
      description: cutAtWord(`${whenAndWhat(hit)}${hit.author ? ` · ${oneLine(hit.author)}` : ''}`, LIMITS.selectLabel),
      value: String(at * PAGE_SIZE + i),
    })),
  };
  const paging = pageButtons(at, pages, (page) =>
    page === 'here' ? `search:${sessionId}:${at}:here` : `search:${sessionId}:${page}`,
  );
  // A comment hit's thread, one button each (the hit's number on the page).
  const contexts = shown.flatMap((hit, i) =>
    hit.kind === 'comment' && hit.commentId
      ? (contextButton(hit.commentId, `Context ${at * PAGE_SIZE + i + 1}`) ?? [])
      : [],
  );
  return {
    embeds: [
      {
        title: inertWithin(heading, LIMITS.embedTitle),
        description: description.slice(0, LIMITS.embedDescription),
        color: COLOUR,
        footer: {
          text: `Hits ${at * PAGE_SIZE + 1}–${at * PAGE_SIZE + shown.length} of ${hits.length} · only you see this; sharing posts a hit to the channel${mention ? ' and pings the member you named' : ''}`,
        },
      },
    ],
    components: [
      { type: ComponentType.ActionRow, components: paging },
      { type: ComponentType.ActionRow, components: [sharing] },
      ...(contexts.length > 0 ? [{ type: ComponentType.ActionRow as const, components: contexts }] : []),
    ],
    allowedMentions: noPings,
  };
}

/**
 * A passage posted for discussion: its text, who wrote it and when, the
 * post, and a permalink. `suggestedFor` is the one member it pings, unless
 * `pingSuggested` is false (a search's later shares: the member is named, not pinged again).
 */
export function quoteMessage(
  quote: Quote,
  options: { sharedBy: string | null; suggestedFor: string | null; pingSuggested?: boolean },
): BotMessage {
  const who = cutAtWord(quote.author, 100);
  const where = quote.kind === 'comment' ? 'A comment on the On Probation blog' : 'The On Probation blog';
  const link = safeUrl(quote.url);
  const embed: APIEmbed = {
    author: { name: unpinged(`${who} · ${whenWritten(quote)}`) },
    title: inertWithin(quote.postTitle, LIMITS.embedTitle - 10),
    description: `${quote.continues.before ? '…' : ''}${inert(continued(cutAtWord(quote.text, QUOTE_CHARS - 2), quote.continues.after))}`,
    color: COLOUR,
    // The title is the line above: the footer says where the words come from, not the title again.
    footer: { text: quote.linksToMonth ? `${where} · the link opens the month’s archive` : where },
  };
  if (link) embed.url = link;
  const lines: string[] = [];
  if (options.suggestedFor) lines.push(`Suggested for <@${options.suggestedFor}>`);
  if (options.sharedBy) lines.push(`Shared by <@${options.sharedBy}>`);
  // A comment is part of a conversation: anyone reading the quote can open the thread around it, for themselves.
  const context = quote.kind === 'comment' && quote.commentId ? contextButton(quote.commentId) : null;
  return {
    content: lines.length > 0 ? lines.join(' · ') : undefined,
    embeds: [embed],
    ...(context && { components: [{ type: ComponentType.ActionRow, components: [context] }] }),
    allowedMentions:
      options.suggestedFor && options.pingSuggested !== false ? { parse: [], users: [options.suggestedFor] } : noPings,
    shows: {
      what: 'quote',
      key: String(quote.passageId),
      passages: [{ postId: quote.postId, commentId: quote.commentId, author: quote.author }],
    },
  };
}

/** The button under a comment (a search hit, a posted quote) that shows its thread; null when its id is too long. */
export function contextButton(commentId: string, label = 'Context'): APIButtonComponent | null {
  const id = `context:${commentId}`;
  if (id.length > LIMITS.customId) return null;
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, label, custom_id: id };
}

/** A trailing "…" when the text goes on (once: a cut already has one). */
function continued(text: string, more: boolean): string {
  return more && !text.endsWith('…') ? `${text.replace(/[\s,;:–-]+$/, '')}…` : text;
}

export function onThisDayMessage(result: OnThisDay): BotMessage {
  return dayMessage(result, 0);
}

/** /onthisday's message, leaving `reserve` characters of the description for a line added after. */
function dayMessage(result: OnThisDay, reserve: number): BotMessage {
  const day = formatMonthDay(result.date.slice(5));
  if (result.items.length === 0) {
    return {
      embeds: [
        { title: `On this day: ${day}`, description: 'The archive has nothing on or near this date.', color: COLOUR },
      ],
      allowedMentions: noPings,
    };
  }
  const heading = onThisDayHeading(result);
  const description = withinBudget(
    result.items.map(
      (item) => `**${item.year}** · ${titleLink(item.postTitle, item.postUrl, 150)}\n${inertWithin(item.excerpt, 300)}`,
    ),
    {
      budget: LIMITS.embedDescription - reserve,
      separator: '\n\n',
      more: (n) => `…and ${n} more from earlier years.`,
    },
  );
  return {
    embeds: [{ title: heading, description, color: COLOUR }],
    allowedMentions: noPings,
  };
}

/** `▰▰▰▰▰▱▱▱▱▱ 54% of the way to 10,000`: the next threshold not yet reached, as a picture. */
function progressBar(p: PetitionView['progress']): string[] {
  const next = [p.response, p.debate].find((t) => !t.reached);
  if (!next || p.state !== 'open') return [];
  const share = Math.max(0, Math.min(1, p.signatureCount / next.target));
  const filled = Math.round(share * 10);
  return [
    `${'▰'.repeat(filled)}${'▱'.repeat(10 - filled)} ${Math.floor(share * 100)}% of the way to ${next.target.toLocaleString('en-GB')}`,
  ];
}

/** A short message for the member (ephemeral), never a stack trace; what they typed in it cannot ping anyone. */
export function problemMessage(text: string): BotMessage {
  return { content: withoutPingsWithin(text, LIMITS.content), embeds: [], allowedMentions: noPings };
}

/** Plain text in one embed: /help, /stats and the like. */
export function textEmbed(
  title: string,
  description: string,
  fields: { name: string; value: string; inline?: boolean }[] = [],
): BotMessage {
  return {
    embeds: [
      {
        title: cutAtWord(title, LIMITS.embedTitle),
        description: cutAtWord(description, LIMITS.embedDescription),
        color: COLOUR,
        fields: fields.slice(0, 25).map((f) => ({
          name: cutAtWord(f.name, LIMITS.fieldName),
          value: cutAtWord(f.value, LIMITS.fieldValue),
          inline: f.inline ?? false,
        })),
      },
    ],
    allowedMentions: noPings,
  };
}

/**
 * The petition's figures; when the site could not be reached, the last ones
 * stored, said as such with their age. What the site sent (its title, its
 * response, a problem line) is shown inert and without query strings.
 */
export function petitionMessage(view: PetitionFigures, now: Date, chart: PetitionChart | null = null): BotMessage {
  if ('unavailable' in view) return problemMessage(remoteText(view.unavailable));
  if ('waiting' in view) {
    const embed: APIEmbed = { title: 'Waiting to be published', description: inert(waitingLine(view)), color: COLOUR };
    const link = safeUrl(view.waiting.link);
    if (link) embed.url = link;
    return { embeds: [embed], allowedMentions: noPings };
  }
  const p = view.progress;
  const n = (x: number) => x.toLocaleString('en-GB');
  const change = p.change ? ` (${p.change.signatures >= 0 ? '+' : ''}${n(p.change.signatures)} in the last day)` : '';
  const goal = (label: string, t: typeof p.response) =>
    inModeration(p.state)
      ? `${label}: not open for signatures yet`
      : t.reached
        ? `${label}: reached${t.reachedAt ? ` on ${remoteText(formatDay(t.reachedAt), 60)}` : ''}`
        : `${label}: ${n(t.toGo)} to go`;
  const lines = [
    `**${n(p.signatureCount)} signatures**${change} · ${inert(petitionState(p.state))}`,
    ...progressBar(p),
    goal(`Government response at ${n(p.response.target)}`, p.response),
    goal(`Debate at ${n(p.debate.target)}`, p.debate),
    ...(view.momentum ? [momentumLine(view.momentum)] : []),
    ...(view.closing ? [closingLine(view.closing)] : []),
  ];
  if (p.governmentResponseSummary) lines.push(`Government response: ${remoteText(p.governmentResponseSummary, 300)}`);
  // The site's date, read as a date ("2 Jan 2024"); whatever else it holds stays inert.
  if (p.debateDate) lines.push(`Debate: ${remoteText(formatDay(p.debateDate), 60)}`);
  const changeOrg = safeUrl(view.changeOrgUrl);
  if (changeOrg) lines.push(`Also sign on [change.org](${changeOrg})`);
  const embed: APIEmbed = {
    title: remoteText(p.title, LIMITS.embedTitle),
    description: lines.join('\n'),
    color: COLOUR,
    footer: {
      text: view.live
        ? 'Live from petition.parliament.uk'
        : `The petition site could not be reached: figures as of ${ago(view.takenAt, now)}`,
    },
  };
  const link = safeUrl(p.link);
  if (link) embed.url = link;
  return withChart({ embeds: [embed], allowedMentions: noPings }, chart);
}

/** The message with the chart attached and shown as its first embed's image; unchanged without one. */
export function withChart(message: BotMessage, chart: PetitionChart | null): BotMessage {
  const [first, ...rest] = message.embeds;
  if (!chart || !first) return message;
  return {
    ...message,
    embeds: [{ ...first, image: { url: `attachment://${chart.name}` } }, ...rest],
    files: [...(message.files ?? []), chartFile(chart)],
  };
}

/** The message without its files, and without an embed image pointing at one. */
export function withoutFiles(message: BotMessage): BotMessage {
  const { files: _files, ...rest } = message;
  return {
    ...rest,
    embeds: message.embeds.map(({ image, ...embed }) =>
      image?.url.startsWith('attachment://') ? embed : { ...embed, ...(image && { image }) },
    ),
  };
}

/** A chart as a file to attach, its description within Discord's limit. */
export function chartFile(chart: PetitionChart): MessageFile {
  return {
    attachment: Buffer.from(chart.png),
    name: chart.name,
    description: cutAtWord(chart.alt, LIMITS.attachmentDescription),
  };
}

/** The latest Napo news, linked; what the feed sent (titles, a problem line) inert and without query strings. */
export function napoMessage(view: NapoView): BotMessage {
  if (view.items.length === 0) {
    return problemMessage(
      view.problem ? `No Napo news to show: ${remoteText(view.problem)}` : 'No Napo news to show yet.',
    );
  }
  const description = view.items
    .map(
      (item) =>
        `${titleLink(withoutQueries(item.title), item.link, 200)}${item.published ? ` · ${formatDay(item.published)}` : ''}${item.linksToMonth ? ' · link: the month’s archive' : ''}`,
    )
    .join('\n');
  const footer =
    view.source === 'archive'
      ? view.problem
        ? 'The Napo feed could not be read just now: these are the blog\'s own "Latest From Napo" posts'
        : 'From the blog\'s own "Latest From Napo" posts'
      : view.problem
        ? `The Napo feed could not be read just now: showing what was stored`
        : 'From Napo';
  return {
    embeds: [
      {
        title: 'Napo news',
        description: description.slice(0, LIMITS.embedDescription),
        color: COLOUR,
        footer: { text: footer },
      },
    ],
    allowedMentions: noPings,
  };
}

/** The daily digest as posted: the day's first few items, then where to find the rest. */
export function digestMessage(digest: Digest): BotMessage {
  const more = digest.more > 0 ? `\n\n…and ${digest.more} more from earlier years: /onthisday date:${digest.date}` : '';
  const message = dayMessage(digest, more.length);
  const [embed] = message.embeds;
  return {
    ...message,
    embeds: [
      {
        ...embed,
        description: `${embed?.description ?? ''}${more}`,
        footer: { text: 'Daily digest of the On Probation archive' },
      },
    ],
  };
}

/**
 * The weekly round-up: the week's new posts (credited, dated, linked, with a short opening), the posts most
 * discussed by the week's comments, the petition's week and Napo's news; every section within its own field.
 */
export function weeklyMessage(r: WeeklyRoundUp): BotMessage {
  const credit = (author: string | null, date: string | null) =>
    `${inertWithin(author ?? 'Anonymous', 60)} · ${formatDate(date)}`;
  const posts = withinBudget(
    r.posts.map(
      (p) => `${titleLink(p.title, p.url, 120)} — ${credit(p.author, p.date)}\n${inertWithin(p.excerpt, 200)}`,
    ),
    // With three full fields, the footer and the title, the embed stays inside 6,000 characters.
    { budget: 2_500, separator: '\n\n', more: (n) => `…and ${n} more.` },
  );
  const more = r.morePosts > 0 ? `\n\n…and ${r.morePosts} more this week on the blog.` : '';
  const fields: APIEmbedField[] = [];
  if (r.discussed.length > 0) {
    fields.push({
      name: 'Most discussed',
      value: withinBudget(
        r.discussed.map(
          (p) => `${titleLink(p.title, p.url, 90)} — ${credit(p.author, p.date)}: ${newComments(p.newComments)}`,
        ),
        { budget: LIMITS.fieldValue, separator: '\n', more: (n) => `…and ${n} more.` },
      ),
    });
  }
  if (r.petition) {
    fields.push({
      name: 'The petition',
      value: `${titleLink(r.petition.title, r.petition.url, 150)}\n${petitionWeekLine(r.petition)}`.slice(
        0,
        LIMITS.fieldValue,
      ),
    });
  }
  if (r.napo.length > 0) {
    fields.push({
      name: 'Napo news',
      value: withinBudget(
        r.napo.map((n) => `• ${titleLink(n.title, n.link, 150)}`),
        { budget: LIMITS.fieldValue, separator: '\n', more: (n) => `…and ${n} more.` },
      ),
    });
  }
  const description = r.posts.length > 0 ? `${posts}${more}` : 'No new posts on the blog this week.';
  return {
    embeds: [
      {
        title: roundUpHeading(r.week),
        description,
        color: COLOUR,
        ...(fields.length > 0 && { fields }),
        footer: { text: 'Weekly round-up of the On Probation archive' },
      },
    ],
    allowedMentions: noPings,
  };
}

/** A new post, a petition milestone or Napo news item, posted once in the channel chosen for it. */
export function announcementMessage(a: Announcement): BotMessage {
  const heading = a.kind === 'posts' ? 'New on the blog' : a.kind === 'petition' ? 'Petition update' : 'Napo news';
  const embed: APIEmbed = {
    author: { name: heading },
    title: inertWithin(a.title, LIMITS.embedTitle),
    description: inertWithin(a.body, 600) || undefined,
    color: COLOUR,
  };
  const link = safeUrl(a.link);
  if (link) embed.url = link;
  return { embeds: [embed], allowedMentions: noPings };
}

/** Many announcements at once (after downtime): one message, oldest first, capped in length. */
export function burstMessage(kind: Announcement['kind'], items: readonly Announcement[]): BotMessage {
  // Petition updates say what happened (their body); from several petitions, each says which petition too.
  const petitions = new Set(items.filter((a) => a.kind === 'petition').map((a) => a.link)).size;
  const said = (a: Announcement) =>
    a.kind !== 'petition' ? a.title : petitions > 1 ? `${cutAtWord(oneLine(a.title), 60)}: ${a.body}` : a.body;
  const lines = items.map((a) => `• ${titleLink(said(a), a.link, 150)}`);
  const description = withinBudget(lines, {
    budget: LIMITS.embedDescription,
    separator: '\n',
    most: 15,
    more: (n) => `…and ${n} more.`,
  });
  const s = items.length === 1 ? '' : 's';
  const what =
    kind === 'posts' ? `new post${s} on the blog` : kind === 'petition' ? `petition update${s}` : `Napo news item${s}`;
  return {
    embeds: [
      {
        title: `${items.length} ${what} while the bot was away`,
        description,
        color: COLOUR,
      },
    ],
    allowedMentions: noPings,
  };
}

/** What replaces a posted quote or announcement once what it showed is taken out of the archive. */
export function retractedMessage(what: 'quote' | 'announcement'): BotMessage {
  return {
    content: '',
    embeds: [
      {
        title: 'Removed from the archive',
        description:
          what === 'quote'
            ? 'The passage quoted here has been removed from the On Probation archive.'
            : 'What was announced here has been removed from the On Probation archive.',
        color: COLOUR,
      },
    ],
    components: [],
    allowedMentions: noPings,
  };
}

/** Previous, "Page n of m" (a label, never pressed) and Next, for page `at` of `pages`; `idOf` names each press. */
export function pageButtons(at: number, pages: number, idOf: (page: number | 'here') => string): APIButtonComponent[] {
  return [
    {
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: '◀ Previous',
      custom_id: idOf(at - 1),
      disabled: at === 0,
    },
    {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: `Page ${at + 1} of ${pages}`,
      custom_id: idOf('here'),
      disabled: true,
    },
    {
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: 'Next ▶',
      custom_id: idOf(at + 1),
      disabled: at >= pages - 1,
    },
  ];
}
