// /search: the best passages for a query, shown only to the member who asked,
// with buttons to page through them and to share one with the channel.
import { SlashCommandBuilder, type MessageComponentInteraction } from 'discord.js';
import { UserProblem } from '../src/app/userProblem.js';
import { searchAnswerText } from '../src/console/render.js';
import type { ArchiveCommand, Caller, CommandContext, CommandOptions } from '../src/discord/command.js';
import { quoteMessage, searchPage, type BotMessage } from '../src/discord/messages.js';
import type { SearchFilters } from '../src/discord/sessions.js';
import { filterHits, type SearchHit } from '../src/search/search.js';

/** Hits kept per search: ten pages of five. */
const MAX_HITS = 50;
/** Hits fetched before an author or year filter narrows them. */
const NARROWED_POOL = 300;
export const QUERY_MAX = 200;

const data = new SlashCommandBuilder()
  .setName('search')
  .setDescription('Search the blog archive; only you see the results, and you can share one')
  .addStringOption((o) =>
    o.setName('query').setDescription('Words to look for').setRequired(true).setMaxLength(QUERY_MAX),
  )
  .addStringOption((o) =>
    o.setName('author').setDescription('Only passages by this author (part of the name)').setMaxLength(100),
  )
  .addIntegerOption((o) => o.setName('from').setDescription('From this year').setMinValue(2000).setMaxValue(2100))
  .addIntegerOption((o) => o.setName('to').setDescription('Up to this year').setMinValue(2000).setMaxValue(2100))
  .addStringOption((o) =>
    o
      .setName('in')
      .setDescription('Posts, comments or both (default)')
      .addChoices(
        { name: 'posts', value: 'posts' },
        { name: 'comments', value: 'comments' },
        { name: 'all', value: 'all' },
      ),
  )
  .addUserOption((o) =>
    o.setName('mention').setDescription('A member to suggest a shared hit to (only they are pinged)'),
  );

/** The search /search, the message menu and the console share: filters applied, at most MAX_HITS. */
function findHits(context: CommandContext, query: string, filters: SearchFilters, wholeWords: boolean): SearchHit[] {
  const kinds =
    filters.in === 'posts'
      ? (['paragraph', 'quoted'] as const)
      : filters.in === 'comments'
        ? (['comment'] as const)
        : undefined;
  const narrowed = Boolean(filters.author) || filters.from !== null || filters.to !== null;
  const hits = context.archive.search(query, { limit: narrowed ? NARROWED_POOL : MAX_HITS, kinds, wholeWords });
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
  const filters: SearchFilters = {
    author: options.string('author')?.trim() || null,
    from: options.integer('from'),
    to: options.integer('to'),
    in: kinds === 'posts' || kinds === 'comments' ? kinds : 'all',
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

async function page(
  interaction: MessageComponentInteraction,
  [sessionId, pageArg]: string[],
  context: CommandContext,
): Promise<void> {
  const session = context.sessions.get(sessionId ?? '');
  if (!session) {
    throw new UserProblem('This search has expired (the bot restarted or it is old): run /search again.');
  }
  const { query, filters, hits, mention } = session;
  await interaction.update(searchPage(query, filters, hits, Number(pageArg) || 0, sessionId!, mention));
}

async function share(
  interaction: MessageComponentInteraction,
  [sessionId, indexArg]: string[],
  context: CommandContext,
): Promise<void> {
  const session = context.sessions.get(sessionId ?? '');
  const hit = session?.hits[Number(indexArg)];
  const quote = hit ? context.archive.quote(hit.passageId) : null;
  if (!session || !quote) {
    throw new UserProblem('This search has expired (the bot restarted or it is old): run /search again.');
  }
  await interaction.reply(quoteMessage(quote, { sharedBy: interaction.user.id, suggestedFor: session.mention }));
}

export const search: ArchiveCommand<SearchRequest, SearchAnswer> = {
  name: 'search',
  description:
    'Find passages in the archive (author, years, posts or comments optional); page through them and share one.',
  data: data.toJSON(),
  cooldown: { uses: 6, perMs: 30_000 },
  // Deferred first: a search is quick, but the first one after a start loads the index.
  reply: { defer: true, private: true },
  parse: parseSearch,
  run: runSearch,
  view: { discord: firstPage, text: searchAnswerText },
  buttons: { search: page, share },
  // Share posts to the channel and may ping the suggested member: the same pace as a search.
  buttonCooldowns: { share: { uses: 6, perMs: 30_000 } },
};
