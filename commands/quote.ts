// /quote: post a passage for discussion. Autocomplete searches as the member
// types and offers passages by post title and date; text typed without
// picking a suggestion is searched and its best passage quoted.
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from 'discord.js';
import { UserProblem } from '../src/app/userProblem.js';
import { quoteText } from '../src/console/render.js';
import type { ArchiveCommand, CommandContext } from '../src/discord/command.js';
import { cutAtWord, LIMITS } from '../src/discord/format.js';
import { quoteMessage } from '../src/discord/messages.js';
import type { Quote } from '../src/search/search.js';

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'quote',
  description: 'Post a passage from the archive to the channel, with who wrote it and a link',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'passage',
      description: 'Start typing: pick a passage from the suggestions',
      required: true,
      autocomplete: true,
      max_length: 200,
    },
    {
      type: ApplicationCommandOptionType.User,
      name: 'mention',
      description: 'A member to suggest it to (only they are pinged)',
      required: false,
    },
  ],
};

/** A suggestion's value: the passage id, so the quote is exactly the one picked. */
const PICKED = /^p:(\d{1,15})$/;

/** What a choice shows: title, date and the start of the passage, within Discord's 100 characters. */
export function choiceName(title: string, date: string | null, excerpt: string): string {
  const head = `${cutAtWord(title, 45)} (${date ?? 'undated'}): `;
  return `${head}${cutAtWord(excerpt.replace(/\s+/g, ' '), LIMITS.choiceName - head.length)}`.slice(
    0,
    LIMITS.choiceName,
  );
}

/** The passage picked from the suggestions, or the best one for the words typed. */
function findQuote(value: string, context: CommandContext): Quote | null {
  const picked = PICKED.exec(value.trim());
  if (picked) return context.archive.quote(Number(picked[1]));
  const best = context.archive.search(value, { limit: 1 })[0];
  return best ? context.archive.quote(best.passageId) : null;
}

function quoteOrProblem(value: string, context: CommandContext): Quote {
  const found = findQuote(value, context);
  if (found) return found;
  throw new UserProblem(
    `Nothing in the archive matches "${cutAtWord(value, 80)}". Pick one of the suggestions shown as you type, or try other words.`,
  );
}

function suggest(interaction: AutocompleteInteraction, context: CommandContext): ApplicationCommandOptionChoiceData[] {
  const typed = interaction.options.getFocused().trim();
  if (typed.length < 2) return [];
  const hits = context.archive.suggest(typed, { limit: 25 });
  return hits.map((h) => ({ name: choiceName(h.postTitle, h.date, h.excerpt), value: `p:${h.passageId}` }));
}

interface QuoteRequest {
  passage: string;
  mention: string | null;
}

export const quote: ArchiveCommand<QuoteRequest, { quote: Quote; mention: string | null }> = {
  name: 'quote',
  description: 'Post a passage to the channel (suggestions as you type), optionally suggested to a member.',
  data,
  cooldown: { uses: 6, perMs: 30_000 },
  autocomplete: suggest,
  parse: (options) => ({ passage: options.string('passage') ?? '', mention: options.user('mention') }),
  run: ({ passage, mention }, context) => ({ quote: quoteOrProblem(passage, context), mention }),
  view: {
    discord: (answer) => quoteMessage(answer.quote, { sharedBy: null, suggestedFor: answer.mention }),
    text: (answer) => quoteText(answer.quote),
  },
};
