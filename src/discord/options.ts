// A slash command's options as Discord sent them, read through the same
// interface as a console line's: Discord has already checked them against
// the command's definition.
import type { ChatInputCommandInteraction } from 'discord.js';
import type { CommandOptions } from './command.js';

export function interactionOptions(interaction: ChatInputCommandInteraction): CommandOptions {
  const options = interaction.options;
  return {
    string: (name) => options.getString(name),
    integer: (name) => options.getInteger(name),
    boolean: (name) => options.getBoolean(name),
    user: (name) => options.getUser(name)?.id ?? null,
    channel: (name) => options.getChannel(name)?.id ?? null,
    subcommand: () => options.getSubcommand(false),
  };
}
