// /thread: a post's comments read in order, privately, a page at a time; and
// the Context button under a comment (a search hit, a posted quote), which
// shows that comment with what it replies to and the replies to it. Pages
// turn only for the member who asked.
import { ApplicationCommandOptionType, ApplicationCommandType, MessageFlags } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  MessageComponentInteraction,
} from 'discord.js';
import type { ThreadView } from '../src/app/threads.js';
import { UserProblem } from '../src/app/userProblem.js';
import { threadText } from '../src/console/render.js';
import type { ArchiveCommand, CommandContext } from '../src/discord/command.js';
import { cutAtWord, LIMITS } from '../src/discord/format.js';
import { readPageId, threadPage } from '../src/discord/threadMessages.js';
import { formatDate } from '../src/discord/wording.js';

const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  type: ApplicationCommandType.ChatInput,
  name: 'thread',
  description: "Read a post's comments in order; only you see them",
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'post',
      description: 'Start typing the post’s title: pick it from the suggestions',
      required: true,
      autocomplete: true,
      max_length: 200,
    },
  ],
};

/** A suggestion's value: the post's id, so the thread is exactly the post picked. */
const PICKED = /^t:(.+)$/;

function suggest(interaction: AutocompleteInteraction, context: CommandContext): ApplicationCommandOptionChoiceData[] {
  const typed = interaction.options.getFocused().trim();
  return context.archive.postsTitled(typed, 25).flatMap((post) => {
    const value = `t:${post.id}`;
    if (value.length > LIMITS.choiceValue) return [];
    const tail = ` (${formatDate(post.date)}, ${post.comments} ${post.comments === 1 ? 'comment' : 'comments'})`;
    return [{ name: `${cutAtWord(post.title, LIMITS.choiceName - tail.length)}${tail}`, value }];
  });
}

/** The post picked from the suggestions, or the newest whose title holds the words typed. */
function threadOf(value: string, context: CommandContext): ThreadView {
  const picked = PICKED.exec(value.trim());
  const postId = picked ? picked[1]! : context.archive.postsTitled(value, 1)[0]?.id;
  if (postId === undefined) {
    throw new UserProblem(
      `No post with comments has a title like "${cutAtWord(value, 80)}". Pick one of the suggestions shown as you type.`,
    );
  }
  const view = context.archive.postThread(postId);
  if (!view) throw new UserProblem('That post is no longer in the archive.');
  return view;
}

const GONE = 'That comment is no longer in the archive.';

/** The Context button: the comment's thread, for whoever pressed it, privately (the quote may be public). */
async function showContext(
  interaction: MessageComponentInteraction,
  args: string[],
  context: CommandContext,
): Promise<void> {
  const view = context.archive.commentContext(args.join(':'));
  if (!view) throw new UserProblem(GONE);
  await interaction.reply({ ...threadPage(view, 0, 'c', interaction.user.id), flags: MessageFlags.Ephemeral });
}

/** A page button: the same thread read again (takedowns since apply), at the page asked, for its member only. */
async function turnPage(interaction: MessageComponentInteraction, args: string[], context: CommandContext) {
  const asked = readPageId(args);
  if (!asked) throw new UserProblem('That button belongs to something this bot no longer does.');
  if (asked.userId !== interaction.user.id) {
    throw new UserProblem('These pages belong to someone else: press Context or run /thread yourself.');
  }
  const view = asked.mode === 'c' ? context.archive.commentContext(asked.id) : context.archive.postThread(asked.id);
  if (!view) throw new UserProblem(asked.mode === 'c' ? GONE : 'That post is no longer in the archive.');
  await interaction.update(threadPage(view, asked.page, asked.mode, interaction.user.id));
}

export const thread: ArchiveCommand<{ post: string }, ThreadView> = {
  name: 'thread',
  description: "Read a post's comments in order, privately (suggestions by title as you type).",
  data,
  cooldown: { uses: 6, perMs: 30_000 },
  reply: { private: true },
  autocomplete: suggest,
  parse: (options) => ({ post: options.string('post') ?? '' }),
  run: ({ post }, context) => threadOf(post, context),
  view: {
    discord: (view, caller) => threadPage(view, 0, 'p', caller.userId),
    text: threadText,
  },
  buttons: { context: showContext, thread: turnPage },
  buttonCooldowns: { context: { uses: 10, perMs: 30_000 }, thread: { uses: 10, perMs: 10_000 } },
};
