// A command answered on Discord, the same way for each: options parsed once,
// a check that needs the interaction, an acknowledgement first when the
// command declares slow work, the use case run, and its view model rendered as
// the reply (private when declared, or when the member or the bot may not post
// in that channel: then it says so). A UserProblem on the way goes up to the router.
import { MessageFlags, type ChatInputCommandInteraction, type MessageContextMenuCommandInteraction } from 'discord.js';
import { whenFree } from '../store/busy.js';
import type { ArchiveCommand, Caller, CommandContext } from './command.js';
import { interactionOptions } from './options.js';
import { privately, whyNotPublic } from './publicAnswer.js';

export async function answerSlashCommand(
  command: ArchiveCommand,
  interaction: ChatInputCommandInteraction,
  context: CommandContext,
): Promise<void> {
  const request = command.parse?.(interactionOptions(interaction));
  command.verify?.(interaction, request);
  await answer(command, interaction, request, context);
}

export async function answerMessageMenu(
  command: ArchiveCommand,
  interaction: MessageContextMenuCommandInteraction,
  context: CommandContext,
): Promise<void> {
  if (!command.parseMessage) throw new Error(`${command.name} is registered on messages but cannot read one`);
  await answer(command, interaction, command.parseMessage(interaction.targetMessage), context);
}

async function answer(
  command: ArchiveCommand,
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  request: unknown,
  context: CommandContext,
): Promise<void> {
  const { defer = false, private: declaredPrivate = false } = command.reply ?? {};
  // Known before any acknowledgement: a deferred answer keeps the visibility it was deferred with.
  const notPublic = declaredPrivate ? null : whyNotPublic(interaction);
  const flags = declaredPrivate || notPublic ? ({ flags: MessageFlags.Ephemeral } as const) : {};
  // Acknowledged before the work: Discord gives an answer 3 s, and a search on a cold index can take longer.
  if (defer) await interaction.deferReply(flags);
  const caller: Caller = { userId: interaction.user.id, guildId: interaction.guildId };
  // Another process writing (an ingest, a sync) is waited out between timers, never inside SQLite.
  const rendered = await whenFree(async () =>
    command.view.discord(await command.run(request, context, caller), caller, context),
  );
  const message = notPublic ? privately(rendered, notPublic) : rendered;
  if (defer) await interaction.editReply(message);
  else await interaction.reply({ ...message, ...flags });
}
