// /watch: a member's topic watches, in the search syntax (at most five): add, list, remove (suggesting their own),
// clear, resume. Every answer is for the member alone: their watches are theirs to see and delete. What matches
// comes by direct message, at most once an hour (src/app/watches.ts).
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from 'discord.js';
import { MOST_WATCHES, WATCH_QUERY_MAX, type WatchAnswer } from '../src/app/watches.js';
import { UserProblem } from '../src/app/userProblem.js';
import type { ArchiveCommand, CommandContext, CommandOptions } from '../src/discord/command.js';
import { cutAtWord, LIMITS } from '../src/discord/format.js';
import { watchAnswerMessage } from '../src/discord/watchMessages.js';

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'watch',
  description: 'Follow a topic: new posts and comments that match come to you by direct message, hourly',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: `Watch for new posts and comments holding these words (search syntax; ${MOST_WATCHES} at most)`,
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'query',
          description: 'Words (all of them must be there), "an exact phrase", -word to leave out',
          required: true,
          max_length: WATCH_QUERY_MAX,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'list',
      description: 'Your watches (only you see them)',
      options: [],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Stop one of your watches',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'watch',
          description: 'Pick one of your watches',
          required: true,
          autocomplete: true,
          max_length: WATCH_QUERY_MAX,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'clear',
      description: 'Remove all your watches and everything kept about them',
      options: [],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'resume',
      description: 'Turn your watches back on after they were paused (direct messages closed)',
      options: [],
    },
  ],
};

type WatchRequest =
  | { change: 'add'; query: string }
  | { change: 'list' }
  | { change: 'remove'; watch: string }
  | { change: 'clear' }
  | { change: 'resume' };

function parseWatch(options: CommandOptions): WatchRequest {
  const sub = options.subcommand();
  if (sub === 'add') return { change: 'add', query: options.string('query') ?? '' };
  if (sub === 'remove') return { change: 'remove', watch: options.string('watch') ?? '' };
  if (sub === 'clear' || sub === 'resume') return { change: sub };
  return { change: 'list' };
}

function runWatch(request: WatchRequest, { watches }: CommandContext, { userId }: { userId: string }): WatchAnswer {
  if (!watches) throw new UserProblem('Watches are not available here: use /watch on Discord.');
  switch (request.change) {
    case 'add':
      return watches.add(userId, request.query);
    case 'remove':
      return watches.remove(userId, request.watch);
    case 'clear':
      return watches.clear(userId);
    case 'resume':
      return watches.resume(userId);
    case 'list':
      return watches.list(userId);
  }
}

/** The member's own watches whose words hold what they type: nobody else's is ever suggested. */
function suggestOwn(
  interaction: AutocompleteInteraction,
  { watches }: CommandContext,
): ApplicationCommandOptionChoiceData[] {
  if (!watches) return [];
  return watches
    .suggest(interaction.user.id, interaction.options.getFocused())
    .slice(0, 25)
    .map((w) => ({ name: cutAtWord(w.query, LIMITS.choiceName), value: `w:${w.id}` }));
}

export const watch: ArchiveCommand<WatchRequest, WatchAnswer> = {
  name: 'watch',
  description: `Follow a topic (search syntax, ${MOST_WATCHES} at most): matches come by direct message, hourly. add, list, remove, clear, resume.`,
  data,
  // Cheap, but it writes: setting up five watches and checking them is not a flood; a script is.
  cooldown: { uses: 15, perMs: 30_000 },
  // A member's watches are theirs: shown and changed privately.
  reply: { private: true },
  parse: parseWatch,
  autocomplete: suggestOwn,
  run: runWatch,
  // On Discord only: the console has no direct messages to send matches to.
  view: { discord: watchAnswerMessage },
};
