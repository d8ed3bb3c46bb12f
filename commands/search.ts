// /search: the best passages for a query, shown only to the member who asked,
// with buttons to page through them and to share one with the channel (each
// hit once, pinging the suggested member on the first share only; only the
// member who searched can use them).
import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { MessageComponentInteraction } from 'discord.js';
import { UserProblem } from '../src/app/userProblem.js';
import { searchAnswerText } from '../src/console/render.js';
import type { ArchiveCommand, Caller, CommandContext, CommandOptions } from '../src/discord/command.js';
import { quoteMessage, searchPage, type BotMessage } from '../src/discord/messages.js';
import { recordPosted } from '../src/discord/answer.js';
import { privately, whyNotPublic } from '../src/discord/publicAnswer.js';
import type { SearchFilters, SearchSession } from '../src/discord/sessions.js';
import { filterHits, type SearchHit } from '../src/search/search.js';
import { SEARCH_ORDERS } from '../src/search/syntax.js';

/** Hits kept per search: ten pages of five. */
const MAX_HITS = 50;
/** Hits fetched before an author or year filter narrows them. */
const NARROWED_POOL = 300;
export const QUERY_MAX = 200;

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'search',
  description: 'Search the blog archive; only you see the results, and you can share one',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'query',
      description: 'Words to look for',
      required: true,
      max_length: QUERY_MAX,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'author',
      description: 'Only passages by this author (part of the name)',
      required: false,
      max_length: 100,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'from',
      description: 'From this year',
      required: false,
      min_value: 2000,
      max_value: 2100,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'to',
      description: 'Up to this year',
      required: false,
      min_value: 2000,
      max_value: 2100,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'in',
      description: 'Posts, comments or both (default)',
      required: false,
      choices: [
        { name: 'posts', value: 'posts' },
        { name: 'comments', value: 'comments' },
        { name: 'all', value: 'all' },
      ],
    },
    {
      type: ApplicationCommandOptionType.User,
      name: 'mention',
      description: 'A member to suggest a shared hit to (only they are pinged)',
      required: false,
    },
    {
      type: ApplicationCommandOptionType.String,
      name: 'order',
      description: 'Best first (default), newest first or oldest first; order:newest in the query does the same',
      required: false,
      choices: [
        { name: 'best first', value: 'relevance' },
        { name: 'newest first', value: 'newest' },
        { name: 'oldest first', value: 'oldest' },
      ],
    },
  ],
};

/** The search /search, the message menu and the console share: filters applied, at most MAX_HITS. */
function findHits(context: CommandContext, query: string, filters: SearchFilters, wholeWords: boolean): SearchHit[] {
  const kinds =
    filters.in === 'posts'
      ? (['paragraph', 'quoted'] as const)
      : filters.in === 'comments'
        ? (['comment'] as const)
        : undefined;
  const narrowed = Boolean(filters.author) || filters.from !== null || filters.to !== null;
  const hits = context.archive.search(query, {
    limit: narrowed ? NARROWED_POOL : MAX_HITS,
    kinds,
    wholeWords,
    ...(filters.order && { order: filters.order }),
  });
  return filterHits(hits, filters).slice(0, MAX_HITS);
}

export const ALL: SearchFilters = { author: null, from: null, to: null, in: 'all' };

export interface SearchRequest {
  query: string;
  filters: SearchFilters;
  /** The member a shared hit is suggested for. */
  mention: string | null;
  /** Words taken from a message (Find in archive), searched as a message rather than a typed query. */
  fromMessage?: boolean;
}

export interface SearchAnswer extends SearchRequest {
  hits: SearchHit[];
  /** Nothing found because nothing is stored yet: the console says so (an operator can ingest). */
  archiveEmpty: boolean;
}

function parseSearch(options: CommandOptions): SearchRequest {
  const query = options.string('query')?.trim() ?? '';
  const kinds = options.string('in');
  const order = SEARCH_ORDERS.find((o) => o === options.string('order'));
  const filters: SearchFilters = {
    author: options.string('author')?.trim() || null,
    from: options.integer('from'),
    to: options.integer('to'),
    in: kinds === 'posts' || kinds === 'comments' ? kinds : 'all',
    ...(order && { order }),
  };
  if (filters.from !== null && filters.to !== null && filters.from > filters.to) {
    throw new UserProblem(`"from" (${filters.from}) is after "to" (${filters.to}): swap them.`);
  }
  if (!query) throw new UserProblem('Give some words to look for.');
  return { query, filters, mention: options.user('mention') };
}

/** The search /search and "Find in archive" run. */
export function runSearch(request: SearchRequest, context: CommandContext): SearchAnswer {
  const hits = findHits(context, request.query, request.filters, request.fromMessage ?? false);
  return { ...request, hits, archiveEmpty: hits.length === 0 && context.archive.stats().posts === 0 };
}

/** The first page on Discord: the hits kept under a session the page and Share buttons name. */
export function firstPage(answer: SearchAnswer, caller: Caller, context: CommandContext): BotMessage {
  const { query, filters, mention, hits } = answer;
  const sessionId = context.sessions.create({ query, filters, userId: caller.userId, mention, hits });
  return searchPage(query, filters, hits, 0, sessionId, mention);
}

const EXPIRED = 'This search has expired (the bot restarted or it is old): run /search again.';

/** The search a page or Share control names, when it is still kept and belongs to the member pressing it. */
function ownSession(
  interaction: MessageComponentInteraction,
  sessionId: string,
  context: CommandContext,
): SearchSession {
  const session = context.sessions.get(sessionId);
  if (!session) throw new UserProblem(EXPIRED);
  // The page is the searcher's alone, but a session id can be copied into another member's hands.
  if (session.userId !== interaction.user.id) {
    throw new UserProblem('This search belongs to someone else; run your own /search.');
  }
  return session;
}

/** The member named in `mention`, while a share would still ping them. */
const stillToPing = (session: SearchSession): string | null => (session.mentionPinged ? null : session.mention);

async function page(
  interaction: MessageComponentInteraction,
  [sessionId = '', pageArg]: string[],
  context: CommandContext,
): Promise<void> {
  const session = ownSession(interaction, sessionId, context);
  const { query, filters } = session;
  const hits = withoutHidden(context, sessionId, session);
  await interaction.update(searchPage(query, filters, hits, Number(pageArg) || 0, sessionId, stillToPing(session)));
}

/**
 * A search's hits without those taken down since it was made. The session is rewritten with them (and its shares
 * renumbered), so the Share menu of the page shown and the hits a share picks from stay the same list.
 */
function withoutHidden(context: CommandContext, sessionId: string, session: SearchSession): SearchHit[] {
  const shown = context.archive.visible(session.hits);
  if (shown.length === session.hits.length) return session.hits;
  const kept = new Set(shown);
  const shared: Record<string, string | null> = {};
  let next = 0;
  session.hits.forEach((hit, i) => {
    if (!kept.has(hit)) return;
    const link = session.shared?.[String(i)];
    if (link !== undefined) shared[String(next)] = link;
    next++;
  });
  context.sessions.update(sessionId, { ...session, hits: shown, shared });
  return shown;
}

/** Records what a share did, on the session as it is now (another share may have been recorded meanwhile). */
function recordShare(
  context: CommandContext,
  sessionId: string,
  change: (session: SearchSession) => SearchSession,
): void {
  const current = context.sessions.get(sessionId);
  if (current) context.sessions.update(sessionId, change(current));
}

/**
 * Posts a hit for the channel, once per hit and search; only the first share of a search pings the member it is
 * suggested for. Where the member or the bot may not post, the member alone sees it, and why.
 */
async function share(
  interaction: MessageComponentInteraction,
  [sessionId = '', indexArg]: string[],
  context: CommandContext,
): Promise<void> {
  const session = ownSession(interaction, sessionId, context);
  const key = String(Number(indexArg));
  const hit = session.hits[Number(indexArg)];
  const quote = hit ? context.archive.quote(hit.passageId) : null;
  if (!hit) throw new UserProblem(EXPIRED);
  // Taken down since the search (or re-cut by an edit on the blog): not shared.
  if (!quote) throw new UserProblem('That passage is no longer in the archive: run /search again.');
  const shared = session.shared ?? {};
  if (key in shared) {
    const link = shared[key];
    throw new UserProblem(
      link ? `You already shared this hit from this search: ${link}` : 'You already shared this hit from this search.',
    );
  }
  const ping = stillToPing(session) !== null;
  const message = quoteMessage(quote, {
    sharedBy: interaction.user.id,
    suggestedFor: session.mention,
    pingSuggested: ping,
  });
  const notPublic = whyNotPublic(interaction);
  if (notPublic) {
    await interaction.reply({ ...privately(message, notPublic), flags: MessageFlags.Ephemeral });
    return;
  }
  // Taken before the reply goes out, so a second press meanwhile finds the hit (and the ping) used.
  recordShare(context, sessionId, (s) => ({
    ...s,
    shared: { ...s.shared, [key]: null },
    mentionPinged: Boolean(s.mentionPinged || ping),
  }));
  let link: string | null;
  try {
    const { shows, ...payload } = message;
    const response = await interaction.reply({ ...payload, withResponse: true });
    const posted = response.resource?.message ?? null;
    link = posted?.url ?? null;
    if (posted && shows) recordPosted(context, interaction, posted.id, shows);
  } catch (error) {
    // Nothing was posted: the hit, and the ping, are free again.
    recordShare(context, sessionId, (s) => {
      const { [key]: _freed, ...rest } = s.shared ?? {};
      return { ...s, shared: rest, mentionPinged: ping ? false : s.mentionPinged };
    });
    throw error;
  }
  if (link) recordShare(context, sessionId, (s) => ({ ...s, shared: { ...s.shared, [key]: link } }));
}

export const search: ArchiveCommand<SearchRequest, SearchAnswer> = {
  name: 'search',
  description:
    'Find passages in the archive (author, years, posts or comments optional); page through them and share one.',
  data,
  cooldown: { uses: 6, perMs: 30_000 },
  // Deferred first: a search is quick, but the first one after a start loads the index.
  reply: { defer: true, private: true },
  parse: parseSearch,
  run: runSearch,
  view: { discord: firstPage, text: searchAnswerText },
  buttons: { search: page, share },
  // Share posts to the channel: the same pace as a search. Paging is quicker, but not a flood either.
  buttonCooldowns: { search: { uses: 10, perMs: 10_000 }, share: { uses: 6, perMs: 30_000 } },
};
