// A command answered on Discord, the same way for each: options parsed once,
// a check that needs the interaction, an acknowledgement first when the
// command declares slow work, the use case run, and its view model rendered as
// the reply (private when declared, or when the member or the bot may not post
// in that channel: then it says so). A UserProblem on the way goes up to the router.
import { MessageFlags, PermissionFlagsBits } from 'discord-api-types/payloads/v10';
import type {
  PermissionsBitField,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
} from 'discord.js';
import { whenFree } from '../store/busy.js';
import { type ArchiveCommand, answersPrivately, type Caller, type CommandContext } from './command.js';
import { type BotMessage, withoutFiles } from './messages.js';
import { interactionOptions } from './options.js';
import { privately, whyNotPublic } from './publicAnswer.js';

/**
 * How a deferred command's work is started once it is acknowledged: at once, or when admission control lets it
 * (which may refuse it with a UserProblem: the bot is busy).
 */
export type Admit = <T>(work: () => Promise<T>) => Promise<T>;

const atOnce: Admit = (work) => work();

export async function answerSlashCommand(
  command: ArchiveCommand,
  interaction: ChatInputCommandInteraction,
  context: CommandContext,
  admit: Admit = atOnce,
): Promise<void> {
  const request = command.parse?.(interactionOptions(interaction));
  command.verify?.(interaction, request, context);
  await answer(command, interaction, request, context, admit);
}

export async function answerMessageMenu(
  command: ArchiveCommand,
  interaction: MessageContextMenuCommandInteraction,
  context: CommandContext,
  admit: Admit = atOnce,
): Promise<void> {
  if (!command.parseMessage) throw new Error(`${command.name} is registered on messages but cannot read one`);
  await answer(command, interaction, command.parseMessage(interaction.targetMessage), context, admit);
}

async function answer(
  command: ArchiveCommand,
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  request: unknown,
  context: CommandContext,
  admit: Admit,
): Promise<void> {
  const defer = command.reply?.defer ?? false;
  const declaredPrivate = answersPrivately(command, request);
  // Known before any acknowledgement: a deferred answer keeps the visibility it was deferred with.
  const notPublic = declaredPrivate ? null : whyNotPublic(interaction);
  const flags = declaredPrivate || notPublic ? ({ flags: MessageFlags.Ephemeral } as const) : {};
  const caller: Caller = { userId: interaction.user.id, guildId: interaction.guildId };
  if (defer) await interaction.deferReply(flags);
  // Acknowledged (when deferred) before the work, whatever is waiting: Discord gives an answer 3 s. The work then
  // waits its turn; sending the answer does not hold the turn. Another process writing (an ingest, a sync) is
  // waited out between timers, never inside SQLite.
  const rendered = await whenFree(() =>
    (defer ? admit : atOnce)(async () =>
      command.view.discord(await command.run(request, context, caller), caller, context),
    ),
  );
  const { shows, ...message } = attachable(interaction, notPublic ? privately(rendered, notPublic) : rendered);
  // A public message showing archive text is recorded with its id, so a takedown later finds it to retract.
  const recorded = shows && !declaredPrivate && !notPublic && context.posted ? shows : null;
  if (defer) {
    const sent = await interaction.editReply(message);
    if (recorded) recordPosted(context, interaction, sent.id, recorded);
  } else if (recorded) {
    const response = await interaction.reply({ ...message, ...flags, withResponse: true });
    const id = response.resource?.message?.id;
    if (id) recordPosted(context, interaction, id, recorded);
    else context.log.warn({ command: command.name }, 'a public quote was posted, but Discord did not say its id');
  } else {
    await interaction.reply({ ...message, ...flags });
  }
}

/** The message without its files (a chart) where the server does not let the bot attach files: the answer still comes. */
function attachable(
  interaction: { inGuild(): boolean; appPermissions: Readonly<PermissionsBitField> | null },
  message: BotMessage,
): BotMessage {
  if (!message.files?.length || !interaction.inGuild()) return message;
  return (interaction.appPermissions?.has(PermissionFlagsBits.AttachFiles) ?? true) ? message : withoutFiles(message);
}

/** A public message showing archive text, recorded with where it is so a takedown can retract it. */
export function recordPosted(
  context: CommandContext,
  interaction: { guildId: string | null; channelId: string | null },
  messageId: string,
  shows: NonNullable<BotMessage['shows']>,
): void {
  if (!interaction.channelId) return;
  context.posted?.record({
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    messageId,
    what: shows.what,
    key: shows.key,
    shows: shows.passages,
  });
}
