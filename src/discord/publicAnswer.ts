// Whether an answer may be posted for everyone in the channel it was asked
// in. Discord lets a slash command or a button answer publicly even where the
// member may not write (a read-only channel) and whatever the server lets the
// bot do there; the bot holds itself to both, from the permissions Discord
// sends with every interaction, and otherwise answers the member alone,
// saying why in one line.
import { PermissionFlagsBits } from 'discord-api-types/payloads/v10';
import type { BaseInteraction, PermissionsBitField } from 'discord.js';
import { cutAtWord, LIMITS } from './format.js';
import type { BotMessage } from './messages.js';

export const MEMBER_CANNOT_POST = "You can't post in this channel, so only you see this.";
export const BOT_CANNOT_POST =
  "The bot isn't allowed to post here (it needs Send Messages and Embed Links), so only you see this.";

/** Why an answer for everyone may not go to this channel, in one line for the member; null when it may. */
export function whyNotPublic(
  interaction: Pick<BaseInteraction, 'inGuild' | 'memberPermissions' | 'appPermissions' | 'channel'>,
): string | null {
  // A direct message with the bot: the member and the bot are the only ones there.
  if (!interaction.inGuild()) return null;
  const send = interaction.channel?.isThread()
    ? PermissionFlagsBits.SendMessagesInThreads
    : PermissionFlagsBits.SendMessages;
  if (!allows(interaction.memberPermissions, [send])) return MEMBER_CANNOT_POST;
  if (!allows(interaction.appPermissions, [send, PermissionFlagsBits.EmbedLinks])) return BOT_CANNOT_POST;
  return null;
}

function allows(permissions: Readonly<PermissionsBitField> | null, needed: bigint[]): boolean {
  // Administrator counts as everything (PermissionsBitField.has checks it).
  return permissions?.has(needed) ?? false;
}

/** A public answer given to the member alone: the reason on the first line, and nobody pinged. */
export function privately(message: BotMessage, why: string): BotMessage {
  const content = message.content ? `${why}\n${message.content}` : why;
  return { ...message, content: cutAtWord(content, LIMITS.content), allowedMentions: { parse: [] } };
}
