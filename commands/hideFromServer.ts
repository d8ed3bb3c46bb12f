// "Hide from this server": admins' context-menu entry on the bot's own posts of archive text (a quote, a digest,
// an announcement). What the message shows is hidden in this server, at once and everywhere there (search,
// quotes, context, digests, announcements), and the bot's messages there that showed it are edited to say so.
// A message showing several passages gets a menu to pick from. Other servers are not affected.
import { ApplicationCommandType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/payloads/v10';
import type { RESTPostAPIContextMenuApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { MessageComponentInteraction } from 'discord.js';
import { UserProblem } from '../src/app/userProblem.js';
import { hidePickMessage, type TakedownAnswer, takedownMessage } from '../src/discord/aboutMessages.js';
import type { ArchiveCommand, Caller, CommandContext, TargetMessage } from '../src/discord/command.js';
import type { ShownItem } from '../src/store/posted.js';

const data: RESTPostAPIContextMenuApplicationCommandsJSONBody = {
  type: ApplicationCommandType.Message,
  name: 'Hide from this server',
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  contexts: [InteractionContextType.Guild],
};

type HideAnswer = TakedownAnswer | { pick: ShownItem[] };

const NOTHING_SHOWN =
  "That message shows nothing from the archive: only the bot's own quotes, digests and announcements can be hidden this way. /config hide finds any post or comment.";

function hideShown(request: { messageId: string }, context: CommandContext, caller: Caller): HideAnswer {
  const shown = context.archive.shownBy(request.messageId);
  if (shown.length === 0) throw new UserProblem(NOTHING_SHOWN);
  if (shown.length > 1) return { pick: shown };
  return hideOne(shown[0]!.commentId ?? shown[0]!.postId, context, caller);
}

function hideOne(id: string, context: CommandContext, caller: Caller): TakedownAnswer {
  const done = context.archive.hideHere(id, {
    reason: null,
    by: `discord:${caller.userId}`,
    now: context.now().toISOString(),
  });
  return { takedown: done.already ? 'already' : 'hidden', label: done.label };
}

/** The menu's pick: each passage chosen hidden in this server; the menu replaced by what was done. */
async function hidePicked(interaction: MessageComponentInteraction, args: string[], context: CommandContext) {
  if (!interaction.guildId) throw new UserProblem('This works in a server only.');
  const caller: Caller = { userId: interaction.user.id, guildId: interaction.guildId };
  const done = args.filter(Boolean).map((id) => hideOne(id, context, caller));
  if (done.length === 0) throw new UserProblem('Pick at least one passage to hide.');
  const label = done.map((d) => d.label).join('; ');
  const answer: TakedownAnswer = {
    takedown: done.every((d) => d.takedown === 'already') ? 'already' : 'hidden',
    label,
  };
  await interaction.update({ ...takedownMessage(answer), components: [] });
}

export const hideFromServer: ArchiveCommand<{ messageId: string }, HideAnswer> = {
  name: 'Hide from this server',
  description: "Admins, on the bot's own quote, digest or announcement (right-click → Apps): hide what it shows here.",
  data,
  requires: ['ManageGuild'],
  guildOnly: true,
  reply: { private: true },
  parseMessage: (message: TargetMessage) => ({ messageId: message.id }),
  run: hideShown,
  view: { discord: (answer) => ('pick' in answer ? hidePickMessage(answer.pick) : takedownMessage(answer)) },
  buttons: { hidepick: hidePicked },
};
