// /search: the best passages for a query, shown only to the member who asked,
// with buttons to page through them and to share one with the channel.
import {
  MessageFlags,
  SlashCommandBuilder,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { searchPage, quoteMessage } from '../src/discord/messages.js';
import type { SearchFilters } from '../src/discord/sessions.js';
import { searchText } from '../src/console/render.js';
import { filterHits, type SearchHit } from '../src/search/search.js';
import { UserProblem } from '../src/app/userProblem.js';
import type { ArchiveCommand, CommandContext } from '../src/discord/command.js';

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
export function findHits(context: CommandContext, query: string, filters: SearchFilters): SearchHit[] {
  const kinds =
    filters.in === 'posts'
      ? (['paragraph', 'quoted'] as const)
      : filters.in === 'comments'
        ? (['comment'] as const)
        : undefined;
  const narrowed = Boolean(filters.author) || filters.from !== null || filters.to !== null;
  const hits = context.archive.search(query, { limit: narrowed ? NARROWED_POOL : MAX_HITS, kinds });
  return filterHits(hits, filters).slice(0, MAX_HITS);
}

export const ALL: SearchFilters = { author: null, from: null, to: null, in: 'all' };

/** Search and show the first page privately; used by /search and by "Find in archive". */
export async function showSearch(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  context: CommandContext,
  query: string,
  filters: SearchFilters,
  mention: string | null,
): Promise<void> {
  // Deferred first: a search is quick, but the first one after a start loads the index.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const hits = findHits(context, query, filters);
  const sessionId = context.sessions.create({ query, filters, userId: interaction.user.id, mention, hits });
  await interaction.editReply(searchPage(query, filters, hits, 0, sessionId));
}

async function page(
  interaction: ButtonInteraction,
  [sessionId, pageArg]: string[],
  context: CommandContext,
): Promise<void> {
  const session = context.sessions.get(sessionId ?? '');
  if (!session) {
    throw new UserProblem('This search has expired (the bot restarted or it is old): run /search again.');
  }
  await interaction.update(searchPage(session.query, session.filters, session.hits, Number(pageArg) || 0, sessionId!));
}

async function share(
  interaction: ButtonInteraction,
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

export const search: ArchiveCommand = {
  name: 'search',
  description:
    'Find passages in the archive (author, years, posts or comments optional); page through them and share one.',
  data: data.toJSON(),
  cooldown: { uses: 6, perMs: 30_000 },
  async execute(interaction, context) {
    const query = interaction.options.getString('query', true).trim();
    const filters: SearchFilters = {
      author: interaction.options.getString('author')?.trim() || null,
      from: interaction.options.getInteger('from'),
      to: interaction.options.getInteger('to'),
      in: (interaction.options.getString('in') as SearchFilters['in'] | null) ?? 'all',
    };
    if (filters.from !== null && filters.to !== null && filters.from > filters.to) {
      throw new UserProblem(`"from" (${filters.from}) is after "to" (${filters.to}): swap them.`);
    }
    if (!query) {
      throw new UserProblem('Give some words to look for.');
    }
    await showSearch(interaction, context, query, filters, interaction.options.getUser('mention')?.id ?? null);
  },
  buttons: { search: page, share },
  // Share posts to the channel and may ping the suggested member: the same pace as a search.
  buttonCooldowns: { share: { uses: 6, perMs: 30_000 } },
  console: {
    usage: '/search <words>',
    run: (args, context) => {
      if (!args.trim()) return 'Usage: /search <words>';
      const hits = findHits(context, args, ALL).slice(0, 5);
      if (hits.length === 0 && context.archive.stats().posts === 0)
        return 'The archive is empty: ingest a source first (npm run cli -- ingest <path>).';
      return searchText(args.trim(), hits);
    },
  },
};
